import type {
  Database,
  Queryable,
} from '../../../../subgraphs/kit/src/db/Database.js';
import { policyVersion } from './loadPolicySnapshot.js';
import type { PolicyDocument } from '../../../src/document/PolicyDocument.js';
import { PolicyStoreError } from './PolicyStoreError.js';
import { recordPublication, type PublicationNote } from './publications.js';
import { isUndefinedRelation } from './readPolicyDocument.js';
import {
  DOCUMENT_ITEM_NAMES,
  validatePolicyDocument,
} from '../../../src/document/validatePolicyDocument.js';

/** Advisory lock that serialises writers of the whole policy. */
export const POLICY_WRITE_LOCK = 'govgraph:policy:write';

/**
 * Serialises writes of the policy (the administration's and whole-document
 * imports) until the transaction ends.
 */
export async function lockPolicyWrites(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    POLICY_WRITE_LOCK,
  ]);
}

/** A column and the cast its parameter takes. */
type Column = readonly [name: string, cast: string];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 200;

/** `JSON.stringify` for a jsonb parameter; NULL for absent. */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Inserts rows with multi-row INSERTs, each value a parameter. */
async function insert(
  tx: Queryable,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values: unknown[] = [];
    const tuples = rows.slice(start, start + ROWS_PER_INSERT).map(
      (row) =>
        `(${columns
          .map(([, cast], i) => {
            values.push(row[i] ?? null);
            return `$${String(values.length)}${cast}`;
          })
          .join(', ')})`,
    );
    await tx.query(
      `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

const ENTRY_COLUMNS: readonly Column[] = [
  ['id', ''],
  ['version', '::integer'],
  ['owner_department', ''],
  ['status', ''],
  ['priority', '::integer'],
  ['share_class', ''],
  ['legal_basis', ''],
  ['reason', ''],
  ['selector', '::jsonb'],
  ['conditions', '::jsonb'],
  ['exceptions', '::jsonb'],
  ['valid_from', '::timestamptz'],
  ['valid_until', '::timestamptz'],
  ['author', ''],
  ['approver', ''],
];

const GRANT_COLUMNS: readonly Column[] = [
  ['id', ''],
  ['entry_id', ''],
  ['consumer_department', ''],
  ['purpose', ''],
  ['coordinates', '::text[]'],
  ['masks', '::jsonb'],
  ['row_filter', '::jsonb'],
  ['valid_from', '::timestamptz'],
  ['expires_at', '::timestamptz'],
  ['revoked', '::boolean'],
];

const RULE_COLUMNS: readonly Column[] = [
  ['role', ''],
  ['position', '::integer'],
  ['action', '::jsonb'],
  ['subject', '::jsonb'],
  ['fields', '::jsonb'],
  ['conditions', '::jsonb'],
  ['inverted', '::boolean'],
  ['reason', ''],
];

const ALGORITHM_COLUMNS: readonly Column[] = [
  ['filing_id', ''],
  ['state', ''],
  ['inputs', '::text[]'],
  ['revision', '::integer'],
];

const CLASSIFICATION_COLUMNS: readonly Column[] = [
  ['coordinate', ''],
  ['tags', '::text[]'],
  ['reviewed_by', ''],
  ['reviewed_at', '::timestamptz'],
];

const SETTING_COLUMNS: readonly Column[] = [
  ['name', ''],
  ['value', '::jsonb'],
  ['updated_by', ''],
];

function sameInputs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Who writes a whole policy, for the publication log. */
export interface WritePolicyOptions {
  /**
   * Who writes it and why; classifications whose tags change are recorded
   * as reviewed by the actor.
   * @defaultValue `{ actor: 'policy-import', change: 'import' }`
   */
  readonly note?: PublicationNote;
}

/**
 * Replaces the whole stored policy with `doc` in one transaction (seeding,
 * restoring an export): every row of every table is deleted and the
 * document's rows are inserted, or nothing changes. The document is
 * validated first, as a load would validate it. An algorithm binding keeps
 * its revision when its state and inputs are unchanged, and counts one up
 * when either changed; a field classification keeps its reviewer when its
 * tags are unchanged. The new version goes into the publication log.
 * The history of entry versions, share requests and field sightings are
 * the administration's own and stay.
 *
 * @returns the version the written policy loads as
 * @throws PolicyStoreError `INVALID_DOCUMENT` (nothing written) or `NOT_MIGRATED`
 */
export async function writePolicyDocument(
  db: Database,
  doc: PolicyDocument,
  options: WritePolicyOptions = {},
): Promise<string> {
  const note = options.note ?? { actor: 'policy-import', change: 'import' };
  const valid = validatePolicyDocument(doc, DOCUMENT_ITEM_NAMES, (item, p) =>
    PolicyStoreError.invalidDocument(item, p),
  );
  try {
    await db.transaction(async (tx) => {
      await lockPolicyWrites(tx);
      const { rows: bound } = await tx.query<{
        filing_id: string;
        state: string;
        inputs: string[];
        revision: number;
      }>(
        'SELECT filing_id, state, inputs, revision FROM policy.algorithm_bindings',
      );
      const previous = new Map(bound.map((row) => [row.filing_id, row]));
      const { rows: reviewed } = await tx.query<{
        coordinate: string;
        tags: string[];
        reviewed_by: string;
        reviewed_at: Date | string;
      }>(
        'SELECT coordinate, tags, reviewed_by, reviewed_at FROM policy.field_classifications',
      );
      const reviews = new Map(reviewed.map((row) => [row.coordinate, row]));

      // Rules go with their roles (ON DELETE CASCADE).
      await tx.query('DELETE FROM policy.roles');
      await tx.query('DELETE FROM policy.grants');
      await tx.query('DELETE FROM policy.negative_list_entries');
      await tx.query('DELETE FROM policy.algorithm_bindings');
      await tx.query('DELETE FROM policy.field_classifications');
      await tx.query('DELETE FROM policy.settings');

      await insert(
        tx,
        'policy.negative_list_entries',
        ENTRY_COLUMNS,
        valid.entries.map((e) => [
          e.id,
          e.version,
          e.ownerDepartment,
          e.status,
          e.priority,
          e.shareClass,
          e.legalBasis,
          e.reason,
          json(e.selector),
          json(e.conditions),
          json(e.exceptions),
          e.validFrom,
          e.validUntil,
          e.author,
          e.approver,
        ]),
      );
      await insert(
        tx,
        'policy.grants',
        GRANT_COLUMNS,
        valid.grants.map((g) => [
          g.id,
          g.entryId,
          g.consumerDepartment,
          g.purpose,
          [...g.coordinates],
          json(g.masks),
          json(g.rowFilter),
          g.validFrom,
          g.expiresAt,
          g.revoked,
        ]),
      );
      const roleNames = Object.keys(valid.roles);
      await insert(
        tx,
        'policy.roles',
        [['name', '']],
        roleNames.map((name) => [name]),
      );
      await insert(
        tx,
        'policy.role_rules',
        RULE_COLUMNS,
        roleNames.flatMap((role) =>
          (valid.roles[role] ?? []).map((rule, position) => [
            role,
            position,
            json(rule.action),
            json(rule.subject),
            json(rule.fields),
            json(rule.conditions),
            rule.inverted === true,
            rule.reason,
          ]),
        ),
      );
      await insert(
        tx,
        'policy.algorithm_bindings',
        ALGORITHM_COLUMNS,
        valid.algorithms.map((filing) => {
          const before = previous.get(filing.filingId);
          const revision =
            before === undefined
              ? 1
              : before.state === filing.state &&
                  sameInputs(before.inputs, filing.inputs)
                ? before.revision
                : before.revision + 1;
          return [filing.filingId, filing.state, [...filing.inputs], revision];
        }),
      );
      const now = new Date().toISOString();
      await insert(
        tx,
        'policy.field_classifications',
        CLASSIFICATION_COLUMNS,
        (valid.classifications ?? []).map((c) => {
          const before = reviews.get(c.coordinate);
          const unchanged =
            before !== undefined && sameInputs([...before.tags].sort(), c.tags);
          return [
            c.coordinate,
            [...c.tags],
            unchanged ? before.reviewed_by : note.actor,
            unchanged ? new Date(before.reviewed_at).toISOString() : now,
          ];
        }),
      );
      await insert(
        tx,
        'policy.settings',
        SETTING_COLUMNS,
        Object.entries(valid.settings ?? {}).map(([name, value]) => [
          name,
          json(value),
          note.actor,
        ]),
      );
      await recordPublication(tx, note);
    });
  } catch (error) {
    if (isUndefinedRelation(error)) throw PolicyStoreError.notMigrated(error);
    throw error;
  }
  return policyVersion(valid);
}

/**
 * Whether the store holds a policy (any role or negative-list entry): the
 * hub seeds the demo policy only into an empty store.
 *
 * @throws PolicyStoreError `NOT_MIGRATED` when the tables do not exist
 */
export async function isPolicySeeded(db: Queryable): Promise<boolean> {
  try {
    const { rows } = await db.query<{ seeded: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM policy.roles)
           OR EXISTS (SELECT 1 FROM policy.negative_list_entries) AS seeded`,
    );
    return rows[0]?.seeded === true;
  } catch (error) {
    if (isUndefinedRelation(error)) throw PolicyStoreError.notMigrated(error);
    throw error;
  }
}
