// All SQL of the governance subgraph, over the policy store's schema
// (policies/store/migrations/policy). Every statement is parameterised.
import { POLICY_WRITE_LOCK } from '../../../policies/store/src/policy/index.js';
import type { PolicyDocumentEntry } from '../../../policies/store/src/policy/index.js';
import type {
  AffectedDepartment,
  ClassificationProposalStatus,
  EntryStatus,
  Grant,
  MaskKind,
  RowFilter,
} from '../../../policies/src/index.js';
import {
  isoOrUndefined as iso,
  loadPage,
  optionalProperty as optional,
  SqlConditions,
  type Connection,
  type Page,
  type Queryable,
} from '../../kit/src/index.js';
import type { SqlWhere } from './toSqlWhere.js';

type Row = Record<string, unknown>;

/** Serialises writes of the policy (the API's and whole-document imports). */
export async function lockPolicyWrites(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    POLICY_WRITE_LOCK,
  ]);
}

// ---------------------------------------------------------------- entries

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

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
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

/** What happened to an entry version, for its history. */
export type EntryEventAction =
  | 'CREATED'
  | 'EDITED'
  | 'SUBMITTED'
  | 'RETURNED'
  | 'APPROVED'
  | 'SUPERSEDED'
  | 'REVOKED'
  | 'IMPORTED';

/** One row of an entry version's history. */
export interface EntryEvent {
  readonly entryId: string;
  readonly version: number;
  readonly action: EntryEventAction;
  readonly fromStatus?: EntryStatus;
  readonly toStatus: EntryStatus;
  readonly actor: string;
  readonly actorDepartment: string;
  readonly comment?: string;
  readonly revision: number;
  readonly at: string;
}

/** Appends to the (append-only) history. */
export async function appendEntryEvent(
  tx: Queryable,
  event: EntryEvent,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.entry_events
       (entry_id, version, action, from_status, to_status, actor,
        actor_department, comment, revision, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)`,
    [
      event.entryId,
      event.version,
      event.action,
      event.fromStatus ?? null,
      event.toStatus,
      event.actor,
      event.actorDepartment,
      event.comment ?? null,
      event.revision,
      event.at,
    ],
  );
}

/** The history of some versions (`id@version` keys), oldest first. */
export async function readEntryEvents(
  db: Queryable,
  keys: readonly string[],
): Promise<EntryEvent[]> {
  const { rows } = await db.query<Row>(
    `SELECT entry_id, version, action, from_status, to_status, actor,
            actor_department, comment, revision, at
       FROM policy.entry_events
      WHERE entry_id || '@' || version::text = ANY($1::text[])
      ORDER BY seq`,
    [[...keys]],
  );
  return rows.map((r) => ({
    entryId: String(r['entry_id']),
    version: Number(r['version']),
    action: r['action'] as EntryEventAction,
    ...optional('fromStatus', r['from_status'] as EntryStatus | null),
    toStatus: r['to_status'] as EntryStatus,
    actor: String(r['actor']),
    actorDepartment: String(r['actor_department']),
    ...optional('comment', r['comment'] as string | null),
    revision: Number(r['revision']),
    at: iso(r['at']) ?? '',
  }));
}

// --------------------------------------------------------- share requests

/** The statuses of a share request. */
export type ShareRequestStatus =
  'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

/** A consumer department's request for conditional data. */
export interface ShareRequestRecord {
  readonly id: string;
  readonly revision: number;
  readonly entryId: string;
  readonly ownerDepartment: string;
  readonly consumerDepartment: string;
  readonly purpose: string;
  readonly scenario?: string;
  readonly coordinates: readonly string[];
  readonly justification: string;
  readonly requestedExpiry: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly dueAt: string;
  readonly status: ShareRequestStatus;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decisionReason?: string;
  readonly grantId?: string;
}

/** Condition field → column, over `policy.share_requests r`. */
export const SHARE_REQUEST_CONDITION_COLUMNS: Readonly<Record<string, string>> =
  {
    ownerDepartment: 'r.owner_department',
    consumerDepartment: 'r.consumer_department',
    requestedBy: 'r.requested_by',
  };

function shareRequestOf(row: Row): ShareRequestRecord {
  return {
    id: String(row['id']),
    revision: Number(row['revision']),
    entryId: String(row['entry_id']),
    ownerDepartment: String(row['owner_department']),
    consumerDepartment: String(row['consumer_department']),
    purpose: String(row['purpose']),
    ...optional('scenario', row['scenario'] as string | null),
    coordinates: row['coordinates'] as string[],
    justification: String(row['justification']),
    requestedExpiry: iso(row['requested_expiry']) ?? '',
    requestedBy: String(row['requested_by']),
    requestedAt: iso(row['requested_at']) ?? '',
    dueAt: iso(row['due_at']) ?? '',
    status: row['status'] as ShareRequestStatus,
    ...optional('decidedBy', row['decided_by'] as string | null),
    ...optional('decidedAt', iso(row['decided_at'])),
    ...optional('decisionReason', row['decision_reason'] as string | null),
    ...optional('grantId', row['grant_id'] as string | null),
  };
}

/** The next free id of the form `<prefix>-<year>-<n>` in `table`, zero-padded to `digits`. */
async function nextId(
  tx: Queryable,
  table:
    | 'policy.share_requests'
    | 'policy.grants'
    | 'policy.classification_proposals',
  prefix: string,
  year: number,
  digits: number,
): Promise<string> {
  const stem = `${prefix}-${String(year)}-`;
  const { rows } = await tx.query<{ n: number | null }>(
    `SELECT max(substring(id FROM $2::int)::int) AS n FROM ${table}
      WHERE id LIKE $1 || '%' AND substring(id FROM $2::int) ~ '^[0-9]+$'`,
    [stem, stem.length + 1],
  );
  const n = (rows[0]?.n ?? 0) + 1;
  return `${stem}${String(n).padStart(digits, '0')}`;
}

/** The next share request id of a year: `SR-2026-0001`. */
export function nextShareRequestId(
  tx: Queryable,
  year: number,
): Promise<string> {
  return nextId(tx, 'policy.share_requests', 'SR', year, 4);
}

/** The next grant id of a year: `G-2026-001`. */
export function nextGrantId(tx: Queryable, year: number): Promise<string> {
  return nextId(tx, 'policy.grants', 'G', year, 3);
}

/** Inserts a PENDING request. */
export async function insertShareRequest(
  tx: Queryable,
  request: Omit<ShareRequestRecord, 'revision' | 'status'>,
): Promise<ShareRequestRecord> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO policy.share_requests
       (id, entry_id, owner_department, consumer_department, purpose, scenario,
        coordinates, justification, requested_expiry, requested_by,
        requested_at, due_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::timestamptz, $10,
             $11::timestamptz, $12::timestamptz, 'PENDING')
     RETURNING *`,
    [
      request.id,
      request.entryId,
      request.ownerDepartment,
      request.consumerDepartment,
      request.purpose,
      request.scenario ?? null,
      [...request.coordinates],
      request.justification,
      request.requestedExpiry,
      request.requestedBy,
      request.requestedAt,
      request.dueAt,
    ],
  );
  return shareRequestOf(rows[0] as Row);
}

/** One request, locked for the rest of the transaction. */
export async function lockShareRequest(
  tx: Queryable,
  id: string,
): Promise<ShareRequestRecord | null> {
  const { rows } = await tx.query<Row>(
    'SELECT * FROM policy.share_requests WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : shareRequestOf(row);
}

/** Records the decision on a request; counts its revision up. */
export async function decideShareRequest(
  tx: Queryable,
  id: string,
  decision: {
    status: Exclude<ShareRequestStatus, 'PENDING'>;
    decidedBy: string;
    at: string;
    reason?: string;
    grantId?: string;
  },
): Promise<ShareRequestRecord> {
  const { rows } = await tx.query<Row>(
    `UPDATE policy.share_requests
        SET status = $2, decided_by = $3, decided_at = $4::timestamptz,
            decision_reason = $5, grant_id = $6, revision = revision + 1
      WHERE id = $1 RETURNING *`,
    [
      id,
      decision.status,
      decision.decidedBy,
      decision.at,
      decision.reason ?? null,
      decision.grantId ?? null,
    ],
  );
  return shareRequestOf(rows[0] as Row);
}

/**
 * Marks a request withdrawn by its requester (no decider: the four-eyes
 * constraint concerns decisions); counts its revision up.
 */
export async function withdrawShareRequestRow(
  tx: Queryable,
  id: string,
  at: string,
): Promise<ShareRequestRecord> {
  const { rows } = await tx.query<Row>(
    `UPDATE policy.share_requests
        SET status = 'WITHDRAWN', decided_at = $2::timestamptz,
            revision = revision + 1
      WHERE id = $1 RETURNING *`,
    [id, at],
  );
  return shareRequestOf(rows[0] as Row);
}

/** Filters of a listing of share requests. */
export interface ShareRequestFilter {
  readonly ownerDepartment?: string;
  readonly consumerDepartment?: string;
  readonly status?: ShareRequestStatus;
  /** Only PENDING requests due before this instant. */
  readonly dueBefore?: string;
}

/** A page of readable requests, the earliest due first. */
export async function listShareRequests(
  db: Queryable,
  filter: ShareRequestFilter,
  readable: SqlWhere,
  page: Page,
): Promise<Connection<ShareRequestRecord>> {
  const c = new SqlConditions();
  c.addAll(readable.text, readable.values);
  if (filter.ownerDepartment !== undefined) {
    c.add('r.owner_department = $?', filter.ownerDepartment);
  }
  if (filter.consumerDepartment !== undefined) {
    c.add('r.consumer_department = $?', filter.consumerDepartment);
  }
  if (filter.status !== undefined) c.add('r.status = $?', filter.status);
  if (filter.dueBefore !== undefined) {
    c.add(
      "r.status = 'PENDING' AND r.due_at < $?::timestamptz",
      filter.dueBefore,
    );
  }
  const connection = await loadPage<Row>(
    db,
    {
      from: 'policy.share_requests r',
      select: 'r.*',
      ...c.listing,
      orderBy: 'r.due_at, r.id',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(shareRequestOf) };
}

/** Requests by id that `readable` lets through. */
export async function readShareRequests(
  db: Queryable,
  ids: readonly string[],
  readable: SqlWhere,
): Promise<ShareRequestRecord[]> {
  const c = new SqlConditions();
  c.add('r.id = ANY($?::text[])', [...ids]);
  c.addAll(readable.text, readable.values);
  const { rows } = await db.query<Row>(
    `SELECT r.* FROM policy.share_requests r WHERE ${c.where ?? 'TRUE'}`,
    c.values,
  );
  return rows.map(shareRequestOf);
}

// ----------------------------------------------------------------- grants

/** A grant with who issued and revoked it and its owner department. */
export interface GrantRecord extends Grant {
  readonly ownerDepartment: string;
  readonly issuedBy?: string;
  readonly revokedBy?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
  readonly requestId?: string;
}

/** Condition field → column, over `policy.grants g` joined with its owner `o`. */
export const GRANT_CONDITION_COLUMNS: Readonly<Record<string, string>> = {
  ownerDepartment: 'o.owner_department',
  consumerDepartment: 'g.consumer_department',
};

const GRANT_FROM = `policy.grants g
  LEFT JOIN LATERAL (
    SELECT e.owner_department FROM policy.negative_list_entries e
     WHERE e.id = g.entry_id ORDER BY e.version DESC LIMIT 1
  ) o ON true`;

function grantOf(row: Row): GrantRecord {
  return {
    id: String(row['id']),
    entryId: String(row['entry_id']),
    ownerDepartment: String(row['owner_department'] ?? ''),
    consumerDepartment: String(row['consumer_department']),
    purpose: String(row['purpose']),
    coordinates: row['coordinates'] as string[],
    ...optional(
      'masks',
      row['masks'] as Readonly<Record<string, MaskKind>> | null,
    ),
    ...optional('rowFilter', row['row_filter'] as RowFilter | null),
    ...optional('validFrom', iso(row['valid_from'])),
    expiresAt: iso(row['expires_at']) ?? '',
    revoked: row['revoked'] === true,
    ...optional('issuedBy', row['issued_by'] as string | null),
    ...optional('revokedBy', row['revoked_by'] as string | null),
    ...optional('revokedAt', iso(row['revoked_at'])),
    ...optional('revocationReason', row['revocation_reason'] as string | null),
    ...optional('requestId', row['request_id'] as string | null),
  };
}

/** Grants by id that `readable` lets through. */
export async function readGrants(
  db: Queryable,
  ids: readonly string[],
  readable: SqlWhere,
): Promise<GrantRecord[]> {
  const c = new SqlConditions();
  c.add('g.id = ANY($?::text[])', [...ids]);
  c.addAll(readable.text, readable.values);
  const { rows } = await db.query<Row>(
    `SELECT g.*, o.owner_department FROM ${GRANT_FROM} WHERE ${c.where ?? 'TRUE'}`,
    c.values,
  );
  return rows.map(grantOf);
}

/** One grant, locked for the rest of the transaction. */
export async function lockGrant(
  tx: Queryable,
  id: string,
): Promise<GrantRecord | null> {
  const { rows } = await tx.query<Row>(
    `SELECT g.*, o.owner_department FROM ${GRANT_FROM}
      WHERE g.id = $1 FOR UPDATE OF g`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : grantOf(row);
}

/** Filters of a listing of grants. */
export interface GrantFilter {
  readonly ownerDepartment?: string;
  readonly consumerDepartment?: string;
  /** Only grants in force at this instant. */
  readonly inForceAt?: string;
}

/** A page of readable grants, by id. */
export async function listGrants(
  db: Queryable,
  filter: GrantFilter,
  readable: SqlWhere,
  page: Page,
): Promise<Connection<GrantRecord>> {
  const c = new SqlConditions();
  c.addAll(readable.text, readable.values);
  if (filter.ownerDepartment !== undefined) {
    c.add('o.owner_department = $?', filter.ownerDepartment);
  }
  if (filter.consumerDepartment !== undefined) {
    c.add('g.consumer_department = $?', filter.consumerDepartment);
  }
  if (filter.inForceAt !== undefined) {
    c.add(
      'NOT g.revoked AND (g.valid_from IS NULL OR g.valid_from <= $?::timestamptz) AND g.expires_at > $?::timestamptz',
      filter.inForceAt,
    );
  }
  const connection = await loadPage<Row>(
    db,
    {
      from: GRANT_FROM,
      select: 'g.*, o.owner_department',
      ...c.listing,
      orderBy: 'g.id',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(grantOf) };
}

/** Issues a grant. */
export async function insertGrant(
  tx: Queryable,
  grant: Grant & { issuedBy: string; requestId: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.grants
       (id, entry_id, consumer_department, purpose, coordinates, masks,
        row_filter, valid_from, expires_at, revoked, issued_by, request_id)
     VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7::jsonb,
             $8::timestamptz, $9::timestamptz, false, $10, $11)`,
    [
      grant.id,
      grant.entryId,
      grant.consumerDepartment,
      grant.purpose,
      [...grant.coordinates],
      json(grant.masks),
      json(grant.rowFilter),
      grant.validFrom ?? null,
      grant.expiresAt,
      grant.issuedBy,
      grant.requestId,
    ],
  );
}

/** Revokes a grant. */
export async function revokeGrantRow(
  tx: Queryable,
  id: string,
  revocation: { by: string; at: string; reason: string },
): Promise<void> {
  await tx.query(
    `UPDATE policy.grants
        SET revoked = true, revoked_by = $2, revoked_at = $3::timestamptz,
            revocation_reason = $4
      WHERE id = $1`,
    [id, revocation.by, revocation.at, revocation.reason],
  );
}

// ---------------------------------------------- classifications, settings

/** A stored field review. */
export interface ClassificationRecord {
  readonly coordinate: string;
  readonly tags: readonly string[];
  readonly reviewedBy: string;
  readonly reviewedAt: string;
}

/** Every stored review, by coordinate. */
export async function readClassifications(
  db: Queryable,
): Promise<Map<string, ClassificationRecord>> {
  const { rows } = await db.query<Row>(
    'SELECT coordinate, tags, reviewed_by, reviewed_at FROM policy.field_classifications',
  );
  return new Map(
    rows.map((r) => [
      String(r['coordinate']),
      {
        coordinate: String(r['coordinate']),
        tags: r['tags'] as string[],
        reviewedBy: String(r['reviewed_by']),
        reviewedAt: iso(r['reviewed_at']) ?? '',
      },
    ]),
  );
}

/** Stores a field's tags (replacing any before). */
export async function upsertClassification(
  tx: Queryable,
  review: ClassificationRecord,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.field_classifications (coordinate, tags, reviewed_by, reviewed_at)
     VALUES ($1, $2::text[], $3, $4::timestamptz)
     ON CONFLICT (coordinate) DO UPDATE
       SET tags = excluded.tags, reviewed_by = excluded.reviewed_by,
           reviewed_at = excluded.reviewed_at`,
    [review.coordinate, [...review.tags], review.reviewedBy, review.reviewedAt],
  );
}

/** When each field was first seen, by coordinate. */
export async function readSightings(
  db: Queryable,
): Promise<Map<string, string>> {
  const { rows } = await db.query<Row>(
    'SELECT coordinate, first_seen_at FROM policy.field_sightings',
  );
  return new Map(
    rows.map((r) => [String(r['coordinate']), iso(r['first_seen_at']) ?? '']),
  );
}

/**
 * Records the fields of the supergraph not seen before (one statement);
 * returns the coordinates that are new.
 */
export async function recordSightings(
  db: Queryable,
  fields: ReadonlyMap<string, readonly string[]>,
): Promise<string[]> {
  const coordinates = [...fields.keys()];
  const { rows } = await db.query<{ coordinate: string }>(
    `INSERT INTO policy.field_sightings (coordinate, owners)
     SELECT c, string_to_array(o, ',')
       FROM unnest($1::text[], $2::text[]) AS s(c, o)
     ON CONFLICT (coordinate) DO NOTHING
     RETURNING coordinate`,
    [coordinates, coordinates.map((c) => (fields.get(c) ?? []).join(','))],
  );
  return rows.map((r) => r.coordinate);
}

/** Sets one city-wide setting. */
export async function upsertSetting(
  tx: Queryable,
  name: 'withholdUnclassified',
  value: unknown,
  by: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.settings (name, value, updated_by)
     VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (name) DO UPDATE
       SET value = excluded.value, updated_by = excluded.updated_by,
           updated_at = now()`,
    [name, JSON.stringify(value), by],
  );
}

// ------------------------------------------------ classification proposals

/** One field's change in a classification proposal. */
export interface ClassificationChangeRecord {
  readonly coordinate: string;
  /** Departments resolving the field when it was proposed. */
  readonly owners: readonly string[];
  /** Its SDL tags when it was proposed. */
  readonly sdlTags: readonly string[];
  /** The tags stored for it when it was proposed (empty: none). */
  readonly tagsBefore: readonly string[];
  /** The tags to store. */
  readonly tagsAfter: readonly string[];
  /** Tags the field gains and loses (SDL and stored together). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Other departments' ACTIVE entries that would start or stop deciding it. */
  readonly coverageChanges: readonly string[];
  /** The departments this field's change needs, with why. */
  readonly affected: readonly AffectedDepartment[];
}

/** One department's approval of a proposal. */
export interface ClassificationApproval {
  readonly department: string;
  readonly approver: string;
  readonly at: string;
  readonly comment?: string;
}

/** A classification change that waits for the departments it affects. */
export interface ClassificationProposalRecord {
  readonly id: string;
  readonly revision: number;
  readonly status: ClassificationProposalStatus;
  readonly author: string;
  readonly authorDepartment: string;
  readonly proposedAt: string;
  readonly changes: readonly ClassificationChangeRecord[];
  readonly coordinates: readonly string[];
  readonly affected: readonly AffectedDepartment[];
  /** The departments that must approve, sorted. */
  readonly departments: readonly string[];
  /** Those that have not approved yet, sorted. */
  readonly awaiting: readonly string[];
  readonly approvals: readonly ClassificationApproval[];
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decisionReason?: string;
  readonly policyVersion?: string;
}

/**
 * Condition field → column, over `policy.classification_proposals p`
 * (`[]`: an array column, see `toSqlWhere`).
 */
export const PROPOSAL_CONDITION_COLUMNS: Readonly<Record<string, string>> = {
  author: 'p.author',
  authorDepartment: 'p.author_department',
  departments: 'p.departments[]',
  awaiting: 'p.awaiting[]',
  status: 'p.status',
};

const PROPOSAL_COLUMNS = `p.id, p.revision, p.status, p.author,
  p.author_department, p.proposed_at, p.changes, p.coordinates, p.affected,
  p.departments, p.awaiting, p.decided_by, p.decided_at, p.decision_reason,
  p.policy_version,
  coalesce((SELECT jsonb_agg(jsonb_build_object('department', a.department,
      'approver', a.actor, 'at', a.at, 'comment', a.comment) ORDER BY a.seq)
     FROM policy.classification_proposal_events a
    WHERE a.proposal_id = p.id AND a.action = 'APPROVED'), '[]'::jsonb) AS approvals`;

function proposalOf(row: Row): ClassificationProposalRecord {
  const approvals = row['approvals'] as {
    department: string;
    approver: string;
    at: string;
    comment: string | null;
  }[];
  return {
    id: String(row['id']),
    revision: Number(row['revision']),
    status: row['status'] as ClassificationProposalStatus,
    author: String(row['author']),
    authorDepartment: String(row['author_department']),
    proposedAt: iso(row['proposed_at']) ?? '',
    changes: row['changes'] as ClassificationChangeRecord[],
    coordinates: row['coordinates'] as string[],
    affected: row['affected'] as AffectedDepartment[],
    departments: row['departments'] as string[],
    awaiting: row['awaiting'] as string[],
    approvals: approvals.map((a) => ({
      department: a.department,
      approver: a.approver,
      at: new Date(a.at).toISOString(),
      ...optional('comment', a.comment),
    })),
    ...optional('decidedBy', row['decided_by'] as string | null),
    ...optional('decidedAt', iso(row['decided_at'])),
    ...optional('decisionReason', row['decision_reason'] as string | null),
    ...optional('policyVersion', row['policy_version'] as string | null),
  };
}

/** The next proposal id of a year: `CP-2026-0001`. */
export function nextClassificationProposalId(
  tx: Queryable,
  year: number,
): Promise<string> {
  return nextId(tx, 'policy.classification_proposals', 'CP', year, 4);
}

/** Inserts a PENDING proposal awaiting all its departments. */
export async function insertClassificationProposal(
  tx: Queryable,
  proposal: Pick<
    ClassificationProposalRecord,
    'id' | 'author' | 'authorDepartment' | 'proposedAt' | 'changes' | 'affected'
  >,
): Promise<ClassificationProposalRecord> {
  const departments = proposal.affected.map((a) => a.department).sort();
  await tx.query(
    `INSERT INTO policy.classification_proposals
       (id, status, author, author_department, proposed_at, changes,
        coordinates, affected, departments, awaiting)
     VALUES ($1, 'PENDING', $2, $3, $4::timestamptz, $5::jsonb, $6::text[],
             $7::jsonb, $8::text[], $8::text[])`,
    [
      proposal.id,
      proposal.author,
      proposal.authorDepartment,
      proposal.proposedAt,
      JSON.stringify(proposal.changes),
      proposal.changes.map((c) => c.coordinate),
      JSON.stringify(proposal.affected),
      departments,
    ],
  );
  return (await lockClassificationProposal(
    tx,
    proposal.id,
  )) as ClassificationProposalRecord;
}

/** One proposal, locked for the rest of the transaction; null when none. */
export async function lockClassificationProposal(
  tx: Queryable,
  id: string,
): Promise<ClassificationProposalRecord | null> {
  const { rows } = await tx.query<Row>(
    `SELECT ${PROPOSAL_COLUMNS} FROM policy.classification_proposals p
      WHERE p.id = $1 FOR UPDATE OF p`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : proposalOf(row);
}

/**
 * The PENDING proposals that change any of `coordinates`, locked: a field
 * has at most one open proposal at a time.
 */
export async function lockPendingProposalsOf(
  tx: Queryable,
  coordinates: readonly string[],
): Promise<ClassificationProposalRecord[]> {
  const { rows } = await tx.query<Row>(
    `SELECT ${PROPOSAL_COLUMNS} FROM policy.classification_proposals p
      WHERE p.status = 'PENDING' AND p.coordinates && $1::text[]
      ORDER BY p.id FOR UPDATE OF p`,
    [[...coordinates]],
  );
  return rows.map(proposalOf);
}

/** Proposals by id that `readable` lets through. */
export async function readClassificationProposals(
  db: Queryable,
  ids: readonly string[],
  readable: SqlWhere,
): Promise<ClassificationProposalRecord[]> {
  const c = new SqlConditions();
  c.add('p.id = ANY($?::text[])', [...ids]);
  c.addAll(readable.text, readable.values);
  const { rows } = await db.query<Row>(
    `SELECT ${PROPOSAL_COLUMNS} FROM policy.classification_proposals p
      WHERE ${c.where ?? 'TRUE'}`,
    c.values,
  );
  return rows.map(proposalOf);
}

/** The id of the PENDING proposal of each of `coordinates` that has one. */
export async function readPendingProposalIds(
  db: Queryable,
  coordinates: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ coordinate: string; id: string }>(
    `SELECT c AS coordinate, p.id FROM policy.classification_proposals p,
            unnest(p.coordinates) AS c
      WHERE p.status = 'PENDING' AND c = ANY($1::text[])`,
    [[...coordinates]],
  );
  return new Map(rows.map((r) => [r.coordinate, r.id]));
}

/** Filters of a listing of proposals. */
export interface ProposalFilter {
  readonly status?: ClassificationProposalStatus;
  readonly coordinate?: string;
}

/** A page of proposals `readable` lets through, oldest first. */
export async function listClassificationProposals(
  db: Queryable,
  filter: ProposalFilter,
  readable: SqlWhere,
  page: Page,
): Promise<Connection<ClassificationProposalRecord>> {
  const c = new SqlConditions();
  c.addAll(readable.text, readable.values);
  if (filter.status !== undefined) c.add('p.status = $?', filter.status);
  if (filter.coordinate !== undefined) {
    c.add('$? = ANY(p.coordinates)', filter.coordinate);
  }
  const connection = await loadPage<Row>(
    db,
    {
      from: 'policy.classification_proposals p',
      select: PROPOSAL_COLUMNS,
      ...c.listing,
      orderBy: 'p.proposed_at, p.id',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(proposalOf) };
}

/** Records a step of a proposal; counts its revision up. */
export async function updateClassificationProposal(
  tx: Queryable,
  id: string,
  change: {
    status: ClassificationProposalStatus;
    affected: readonly AffectedDepartment[];
    awaiting: readonly string[];
    /** Set when the proposal is decided (applied, rejected, withdrawn). */
    at?: string;
    decidedBy?: string;
    decisionReason?: string;
    policyVersion?: string;
  },
): Promise<ClassificationProposalRecord> {
  await tx.query(
    `UPDATE policy.classification_proposals
        SET status = $2, affected = $3::jsonb, departments = $4::text[],
            awaiting = $5::text[], decided_at = $6::timestamptz,
            decided_by = $7, decision_reason = $8, policy_version = $9,
            revision = revision + 1
      WHERE id = $1`,
    [
      id,
      change.status,
      JSON.stringify(change.affected),
      change.affected.map((a) => a.department).sort(),
      [...change.awaiting].sort(),
      change.at ?? null,
      change.decidedBy ?? null,
      change.decisionReason ?? null,
      change.policyVersion ?? null,
    ],
  );
  return (await lockClassificationProposal(
    tx,
    id,
  )) as ClassificationProposalRecord;
}

/** What happened to a proposal, for its history. */
export type ProposalEventAction =
  | 'PROPOSED'
  | 'APPROVED'
  | 'AWAITS_MORE'
  | 'APPLIED'
  | 'REJECTED'
  | 'WITHDRAWN';

/** One row of a proposal's history. */
export interface ProposalEvent {
  readonly proposalId: string;
  readonly action: ProposalEventAction;
  /** The department approved for (APPROVED only). */
  readonly department?: string;
  readonly actor: string;
  readonly actorDepartment: string;
  readonly comment?: string;
  /** The proposal's revision after the step. */
  readonly revision: number;
  readonly at: string;
}

/** Appends a history row. */
export async function appendProposalEvent(
  tx: Queryable,
  event: ProposalEvent,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.classification_proposal_events
       (proposal_id, action, department, actor, actor_department, comment,
        revision, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)`,
    [
      event.proposalId,
      event.action,
      event.department ?? null,
      event.actor,
      event.actorDepartment,
      event.comment ?? null,
      event.revision,
      event.at,
    ],
  );
}

/** The history of some proposals, oldest first. */
export async function readProposalEvents(
  db: Queryable,
  ids: readonly string[],
): Promise<ProposalEvent[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM policy.classification_proposal_events
      WHERE proposal_id = ANY($1::text[]) ORDER BY seq`,
    [[...ids]],
  );
  return rows.map((r) => ({
    proposalId: String(r['proposal_id']),
    action: r['action'] as ProposalEventAction,
    ...optional('department', r['department'] as string | null),
    actor: String(r['actor']),
    actorDepartment: String(r['actor_department']),
    ...optional('comment', r['comment'] as string | null),
    revision: Number(r['revision']),
    at: iso(r['at']) ?? '',
  }));
}
