// Classification proposals (policy.classification_proposals): a change of
// fields' classification that waits for the departments it affects.
import type {
  AffectedDepartment,
  ClassificationProposalStatus,
} from '../../../src/index.js';
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
  return nextYearlyId(tx, 'policy.classification_proposals', 'CP', year, 4);
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
