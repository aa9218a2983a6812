// The negative list's entry versions (policy.negative_list_entries) as the
// administration reads and writes them.
import type { EntryStatus } from '../../../src/index.js';
import {
  isoOrUndefined as iso,
  optionalProperty as optional,
} from '../../../../subgraphs/kit/src/db/rowValues.js';
import {
  loadPage,
  type Connection,
  type Page,
} from '../../../../subgraphs/kit/src/pagination.js';
import { SqlConditions } from '../../../../subgraphs/kit/src/SqlConditions.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import type { PolicyDocumentEntry } from '../policy/index.js';
import { json, type Row, type SqlWhere } from './sql.js';

/** One entry version as the administration keeps it. */
export interface EntryVersionRecord extends PolicyDocumentEntry {
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt?: string;
  readonly approvedAt?: string;
}

/** The content of a version: what its author writes. */
export type EntryContent = Pick<
  PolicyDocumentEntry,
  | 'selector'
  | 'shareClass'
  | 'legalBasis'
  | 'reason'
  | 'conditions'
  | 'exceptions'
  | 'validFrom'
  | 'validUntil'
  | 'priority'
>;

const ENTRY_COLUMNS = `e.id, e.version, e.owner_department, e.status, e.priority,
  e.share_class, e.legal_basis, e.reason, e.selector, e.conditions, e.exceptions,
  e.valid_from, e.valid_until, e.author, e.approver, e.created_at, e.revision,
  e.updated_at, e.submitted_at, e.approved_at`;

/** Condition field → column, for `toSqlWhere` over `policy.negative_list_entries e`. */
export const ENTRY_CONDITION_COLUMNS: Readonly<Record<string, string>> = {
  ownerDepartment: 'e.owner_department',
  status: 'e.status',
  author: 'e.author',
};

function entryOf(row: Row): EntryVersionRecord {
  return {
    id: String(row['id']),
    version: Number(row['version']),
    ownerDepartment: String(row['owner_department']),
    status: row['status'] as EntryStatus,
    priority: Number(row['priority']),
    shareClass: row['share_class'] as EntryVersionRecord['shareClass'],
    legalBasis: String(row['legal_basis']),
    reason: String(row['reason']),
    selector: row['selector'] as EntryVersionRecord['selector'],
    ...optional(
      'conditions',
      row['conditions'] as EntryVersionRecord['conditions'] | null,
    ),
    ...optional(
      'exceptions',
      row['exceptions'] as EntryVersionRecord['exceptions'] | null,
    ),
    ...optional('validFrom', iso(row['valid_from'])),
    ...optional('validUntil', iso(row['valid_until'])),
    author: String(row['author']),
    ...optional('approver', row['approver'] as string | null),
    revision: Number(row['revision']),
    createdAt: iso(row['created_at']) ?? '',
    updatedAt: iso(row['updated_at']) ?? '',
    ...optional('submittedAt', iso(row['submitted_at'])),
    ...optional('approvedAt', iso(row['approved_at'])),
  };
}

/** The versions of some entries that `readable` lets through, by id and version. */
export async function readEntryVersions(
  db: Queryable,
  ids: readonly string[],
  readable: SqlWhere,
): Promise<EntryVersionRecord[]> {
  const c = new SqlConditions();
  c.add('e.id = ANY($?::text[])', [...ids]);
  c.addAll(readable.text, readable.values);
  const { rows } = await db.query<Row>(
    `SELECT ${ENTRY_COLUMNS} FROM policy.negative_list_entries e
      WHERE ${c.where ?? 'TRUE'} ORDER BY e.id, e.version`,
    c.values,
  );
  return rows.map(entryOf);
}

/** Filters of a listing of entries. */
export interface EntryFilter {
  readonly ownerDepartment?: string;
  readonly status?: EntryStatus;
}

/** A page of entry ids with a readable version that matches the filter. */
export async function listEntryIds(
  db: Queryable,
  filter: EntryFilter,
  readable: SqlWhere,
  page: Page,
): Promise<Connection<{ id: string }>> {
  const c = new SqlConditions();
  c.addAll(readable.text, readable.values);
  if (filter.ownerDepartment !== undefined) {
    c.add('e.owner_department = $?', filter.ownerDepartment);
  }
  if (filter.status !== undefined) c.add('e.status = $?', filter.status);
  return loadPage<{ id: string }>(
    db,
    {
      from: `(SELECT DISTINCT e.id FROM policy.negative_list_entries e
               WHERE ${c.where ?? 'TRUE'}) ids`,
      select: 'ids.id',
      values: c.values,
      orderBy: 'ids.id',
    },
    page,
  );
}

/** A page of versions in review that `approvable` lets through, oldest submission first. */
export async function listReviewQueue(
  db: Queryable,
  approvable: SqlWhere,
  page: Page,
): Promise<Connection<EntryVersionRecord>> {
  const c = new SqlConditions();
  c.add('e.status = $?', 'IN_REVIEW');
  c.addAll(approvable.text, approvable.values);
  const connection = await loadPage<Row>(
    db,
    {
      from: 'policy.negative_list_entries e',
      select: ENTRY_COLUMNS,
      ...c.listing,
      orderBy: 'e.submitted_at NULLS FIRST, e.id, e.version',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(entryOf) };
}

/** One version, locked for the rest of the transaction; null when there is none. */
export async function lockEntryVersion(
  tx: Queryable,
  id: string,
  version: number,
): Promise<EntryVersionRecord | null> {
  const { rows } = await tx.query<Row>(
    `SELECT ${ENTRY_COLUMNS} FROM policy.negative_list_entries e
      WHERE e.id = $1 AND e.version = $2 FOR UPDATE`,
    [id, version],
  );
  const row = rows[0];
  return row === undefined ? null : entryOf(row);
}

/** Every version of an entry, locked, oldest first (empty when the id is new). */
export async function lockEntry(
  tx: Queryable,
  id: string,
): Promise<EntryVersionRecord[]> {
  const { rows } = await tx.query<Row>(
    `SELECT ${ENTRY_COLUMNS} FROM policy.negative_list_entries e
      WHERE e.id = $1 ORDER BY e.version FOR UPDATE`,
    [id],
  );
  return rows.map(entryOf);
}

/** Inserts a new DRAFT version. */
export async function insertEntryVersion(
  tx: Queryable,
  entry: {
    id: string;
    version: number;
    ownerDepartment: string;
    author: string;
    content: EntryContent;
    at: string;
  },
): Promise<EntryVersionRecord> {
  const c = entry.content;
  const { rows } = await tx.query<Row>(
    `INSERT INTO policy.negative_list_entries AS e
       (id, version, owner_department, status, priority, share_class,
        legal_basis, reason, selector, conditions, exceptions, valid_from,
        valid_until, author, created_at, updated_at, revision)
     VALUES ($1, $2, $3, 'DRAFT', $4, $5, $6, $7, $8::jsonb, $9::jsonb,
             $10::jsonb, $11::timestamptz, $12::timestamptz, $13,
             $14::timestamptz, $14::timestamptz, 1)
     RETURNING ${ENTRY_COLUMNS}`,
    [
      entry.id,
      entry.version,
      entry.ownerDepartment,
      c.priority,
      c.shareClass,
      c.legalBasis,
      c.reason,
      json(c.selector),
      json(c.conditions),
      json(c.exceptions),
      c.validFrom ?? null,
      c.validUntil ?? null,
      entry.author,
      entry.at,
    ],
  );
  return entryOf(rows[0] as Row);
}

/** Replaces a draft's content; counts its revision up. */
export async function updateEntryContent(
  tx: Queryable,
  id: string,
  version: number,
  content: EntryContent,
  at: string,
): Promise<EntryVersionRecord> {
  const { rows } = await tx.query<Row>(
    `UPDATE policy.negative_list_entries AS e
        SET priority = $3, share_class = $4, legal_basis = $5, reason = $6,
            selector = $7::jsonb, conditions = $8::jsonb, exceptions = $9::jsonb,
            valid_from = $10::timestamptz, valid_until = $11::timestamptz,
            updated_at = $12::timestamptz, revision = e.revision + 1
      WHERE e.id = $1 AND e.version = $2
      RETURNING ${ENTRY_COLUMNS}`,
    [
      id,
      version,
      content.priority,
      content.shareClass,
      content.legalBasis,
      content.reason,
      json(content.selector),
      json(content.conditions),
      json(content.exceptions),
      content.validFrom ?? null,
      content.validUntil ?? null,
      at,
    ],
  );
  return entryOf(rows[0] as Row);
}

/** Moves a version to another status; counts its revision up. */
export async function setEntryStatus(
  tx: Queryable,
  id: string,
  version: number,
  change: {
    status: EntryStatus;
    at: string;
    /** Set on approval. */
    approver?: string;
    /** Set on submission. */
    submitted?: boolean;
  },
): Promise<EntryVersionRecord> {
  const { rows } = await tx.query<Row>(
    `UPDATE policy.negative_list_entries AS e
        SET status = $3, updated_at = $4::timestamptz, revision = e.revision + 1,
            approver = coalesce($5, e.approver),
            approved_at = CASE WHEN $5::text IS NULL THEN e.approved_at ELSE $4::timestamptz END,
            submitted_at = CASE WHEN $6 THEN $4::timestamptz ELSE e.submitted_at END
      WHERE e.id = $1 AND e.version = $2
      RETURNING ${ENTRY_COLUMNS}`,
    [
      id,
      version,
      change.status,
      change.at,
      change.approver ?? null,
      change.submitted === true,
    ],
  );
  return entryOf(rows[0] as Row);
}

/**
 * Sets a version's lifecycle instants and revision as recorded elsewhere
 * (the demo history: seeds/src/policy/demoGovernance.ts), leaving its
 * content and status as they are.
 */
export async function restoreEntryLifecycle(
  tx: Queryable,
  lifecycle: {
    id: string;
    version: number;
    createdAt: string;
    updatedAt: string;
    submittedAt: string | null;
    approvedAt: string | null;
    revision: number;
  },
): Promise<void> {
  await tx.query(
    `UPDATE policy.negative_list_entries
        SET created_at = $3::timestamptz, updated_at = $4::timestamptz,
            submitted_at = $5::timestamptz, approved_at = $6::timestamptz,
            revision = $7
      WHERE id = $1 AND version = $2`,
    [
      lifecycle.id,
      lifecycle.version,
      lifecycle.createdAt,
      lifecycle.updatedAt,
      lifecycle.submittedAt,
      lifecycle.approvedAt,
      lifecycle.revision,
    ],
  );
}
