// Share requests (policy.share_requests): a consumer department's request
// for conditional data and its decision.
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
import { nextYearlyId, type Row, type SqlWhere } from './sql.js';

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

/** The next share request id of a year: `SR-2026-0001`. */
export function nextShareRequestId(
  tx: Queryable,
  year: number,
): Promise<string> {
  return nextYearlyId(tx, 'policy.share_requests', 'SR', year, 4);
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

/**
 * Inserts a request as recorded elsewhere, in any status with its
 * revision (the demo history: seeds/src/policy/demoGovernance.ts); one
 * whose id is there already is kept as it is.
 */
export async function restoreShareRequest(
  tx: Queryable,
  r: ShareRequestRecord,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.share_requests
       (id, entry_id, owner_department, consumer_department, purpose,
        scenario, coordinates, justification, requested_expiry,
        requested_by, requested_at, due_at, status, decided_by,
        decided_at, decision_reason, grant_id, revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::timestamptz, $10,
             $11::timestamptz, $12::timestamptz, $13, $14,
             $15::timestamptz, $16, $17, $18)
     ON CONFLICT (id) DO NOTHING`,
    [
      r.id,
      r.entryId,
      r.ownerDepartment,
      r.consumerDepartment,
      r.purpose,
      r.scenario ?? null,
      [...r.coordinates],
      r.justification,
      r.requestedExpiry,
      r.requestedBy,
      r.requestedAt,
      r.dueAt,
      r.status,
      r.decidedBy ?? null,
      r.decidedAt ?? null,
      r.decisionReason ?? null,
      r.grantId ?? null,
      r.revision,
    ],
  );
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
