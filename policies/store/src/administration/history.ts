// The append-only histories of the administration: every step of an entry
// version (policy.entry_events) and of a classification proposal
// (policy.classification_proposal_events).
import type { EntryStatus } from '../../../src/index.js';
import {
  isoOrUndefined as iso,
  optionalProperty as optional,
} from '../../../../subgraphs/kit/src/db/rowValues.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import type { Row } from './sql.js';

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

/** Whether a version has any history yet. */
export async function hasEntryHistory(
  db: Queryable,
  id: string,
  version: number,
): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM policy.entry_events WHERE entry_id = $1 AND version = $2',
    [id, version],
  );
  return (rows[0]?.n ?? 0) > 0;
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
