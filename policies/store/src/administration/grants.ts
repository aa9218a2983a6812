// Grants (policy.grants): what an approved share request issues, with who
// issued and revoked it.
import type { Grant, MaskKind, RowFilter } from '../../../src/index.js';
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
import { json, nextYearlyId, type Row, type SqlWhere } from './sql.js';

/** The next grant id of a year: `G-2026-001`. */
export function nextGrantId(tx: Queryable, year: number): Promise<string> {
  return nextYearlyId(tx, 'policy.grants', 'G', year, 3);
}

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

/**
 * Sets who issued a grant under which request, and who revoked it, as
 * recorded elsewhere (the demo history: seeds/src/policy/demoGovernance.ts).
 */
export async function restoreGrantProvenance(
  tx: Queryable,
  id: string,
  provenance: {
    requestId: string;
    issuedBy: string;
    revocation?: { by: string; at: string; reason: string };
  },
): Promise<void> {
  const revocation = provenance.revocation;
  await tx.query(
    `UPDATE policy.grants
        SET request_id = $2, issued_by = $3, revoked_by = $4,
            revoked_at = $5::timestamptz, revocation_reason = $6
      WHERE id = $1`,
    [
      id,
      provenance.requestId,
      provenance.issuedBy,
      revocation?.by ?? null,
      revocation?.at ?? null,
      revocation?.reason ?? null,
    ],
  );
}
