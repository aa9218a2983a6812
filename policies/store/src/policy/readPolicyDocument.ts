import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type PolicyDocument,
} from '../../../src/document/PolicyDocument.js';
import { sortPolicyDocument } from '../../../src/document/sortPolicyDocument.js';
import { PolicyStoreError } from './PolicyStoreError.js';
import {
  validatePolicyDocument,
  type ItemNames,
} from '../../../src/document/validatePolicyDocument.js';

type Row = Record<string, unknown>;

/** What the one statement of {@link readPolicyDocument} returns. */
interface PolicyRows {
  entries: Row[];
  grants: Row[];
  roles: string[];
  role_rules: Row[];
  algorithms: Row[];
  classifications: Row[];
  settings: Row[];
}

/**
 * Every table of the store as JSON, in one statement: one statement sees one
 * snapshot of the database, so the policy is never half of one publication
 * and half of the next, whatever the isolation level or adapter.
 */
const READ_POLICY = `
SELECT
  (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id, t.version), '[]'::jsonb)
     FROM policy.negative_list_entries t) AS entries,
  (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]'::jsonb)
     FROM policy.grants t) AS grants,
  (SELECT coalesce(jsonb_agg(t.name ORDER BY t.name), '[]'::jsonb)
     FROM policy.roles t) AS roles,
  (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.role, t.position), '[]'::jsonb)
     FROM policy.role_rules t) AS role_rules,
  (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.filing_id), '[]'::jsonb)
     FROM policy.algorithm_bindings t) AS algorithms,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('coordinate', t.coordinate, 'tags', to_jsonb(t.tags)) ORDER BY t.coordinate), '[]'::jsonb)
     FROM policy.field_classifications t) AS classifications,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('name', t.name, 'value', t.value) ORDER BY t.name), '[]'::jsonb)
     FROM policy.settings t) AS settings`;

/** PostgreSQL's codes for a missing table or schema. */
const UNDEFINED_RELATION = new Set(['42P01', '3F000']);

/** True for an error that says the policy tables do not exist. */
export function isUndefinedRelation(error: unknown): boolean {
  const code =
    error !== null && typeof error === 'object' && 'code' in error
      ? (error as { code: unknown }).code
      : undefined;
  return typeof code === 'string' && UNDEFINED_RELATION.has(code);
}

/** An instant as `toISOString()` writes it; anything unparsable unchanged (and refused later). */
function instant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** `{ [key]: value }`, or nothing for a NULL column: absent, not undefined. */
function optional(key: string, value: unknown): Row {
  return value === null || value === undefined ? {} : { [key]: value };
}

function entryOf(row: Row): Row {
  return {
    id: row['id'],
    version: row['version'],
    ownerDepartment: row['owner_department'],
    selector: row['selector'],
    shareClass: row['share_class'],
    legalBasis: row['legal_basis'],
    reason: row['reason'],
    ...optional('conditions', row['conditions']),
    ...optional('exceptions', row['exceptions']),
    ...optional('validFrom', instant(row['valid_from'])),
    ...optional('validUntil', instant(row['valid_until'])),
    priority: row['priority'],
    status: row['status'],
    author: row['author'],
    ...optional('approver', row['approver']),
  };
}

function grantOf(row: Row): Row {
  return {
    id: row['id'],
    entryId: row['entry_id'],
    consumerDepartment: row['consumer_department'],
    purpose: row['purpose'],
    coordinates: row['coordinates'],
    ...optional('masks', row['masks']),
    ...optional('rowFilter', row['row_filter']),
    ...optional('validFrom', instant(row['valid_from'])),
    expiresAt: instant(row['expires_at']),
    revoked: row['revoked'],
  };
}

function ruleOf(row: Row): Row {
  return {
    action: row['action'],
    subject: row['subject'],
    ...optional('fields', row['fields']),
    ...optional('conditions', row['conditions']),
    ...(row['inverted'] === true ? { inverted: true } : {}),
    ...optional('reason', row['reason']),
  };
}

function algorithmOf(row: Row): Row {
  return {
    filingId: row['filing_id'],
    state: row['state'],
    inputs: row['inputs'],
  };
}

/**
 * Reads the whole stored policy in one consistent read and validates every
 * row: a row that is not a valid part of a policy raises a
 * {@link PolicyStoreError} (`INVALID_ROW`) naming its table and key, and
 * nothing is returned. The document comes in canonical order
 * ({@link sortPolicyDocument}), instants as `toISOString()` writes them.
 *
 * @throws PolicyStoreError `NOT_MIGRATED` when the tables do not exist
 */
export async function readPolicyDocument(
  db: Queryable,
): Promise<PolicyDocument> {
  let rows: PolicyRows;
  try {
    const result = await db.query<PolicyRows>(READ_POLICY);
    const first = result.rows[0];
    if (first === undefined) throw new Error('the policy read returned no row');
    rows = first;
  } catch (error) {
    if (isUndefinedRelation(error)) throw PolicyStoreError.notMigrated(error);
    throw error;
  }

  const entries = rows.entries.map(entryOf);
  const grants = rows.grants.map(grantOf);
  const roleRules = new Map<string, Row[]>(rows.roles.map((r) => [r, []]));
  for (const row of rows.role_rules) {
    roleRules.get(String(row['role']))?.push(row);
  }
  const algorithms = rows.algorithms.map(algorithmOf);
  const settings: Row = {};
  for (const row of rows.settings) settings[String(row['name'])] = row['value'];

  const key = (value: unknown): string => JSON.stringify(value);
  const names: ItemNames = {
    entry: (i) =>
      `policy.negative_list_entries row (id ${key(rows.entries[i]?.['id'])}, version ${key(rows.entries[i]?.['version'])})`,
    grant: (i) => `policy.grants row (id ${key(rows.grants[i]?.['id'])})`,
    role: (name) => `policy.roles row (name ${key(name)})`,
    rule: (role, i) =>
      `policy.role_rules row (role ${key(role)}, position ${key(roleRules.get(role)?.[i]?.['position'])})`,
    algorithm: (i) =>
      `policy.algorithm_bindings row (filing_id ${key(rows.algorithms[i]?.['filing_id'])})`,
    classification: (i) =>
      `policy.field_classifications row (coordinate ${key(rows.classifications[i]?.['coordinate'])})`,
    settings: () => 'policy.settings rows',
  };
  const doc = validatePolicyDocument(
    {
      entries,
      grants,
      roles: Object.fromEntries(
        [...roleRules].map(([role, ruleRows]) => [role, ruleRows.map(ruleOf)]),
      ),
      algorithms,
      classifications: rows.classifications,
      settings: { ...DEFAULT_POLICY_SETTINGS, ...settings },
    },
    names,
    (item, problem) => PolicyStoreError.invalidRow(item, problem),
  );
  return sortPolicyDocument(doc);
}
