import { canonicalJson } from '../../../src/index.js';
import { policyVersion } from './loadPolicySnapshot.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type PolicyDocument,
} from '../../../src/document/PolicyDocument.js';
import { sortPolicyDocument } from '../../../src/document/index.js';
import {
  DOCUMENT_ITEM_NAMES,
  validatePolicyDocument,
} from '../../../src/document/validatePolicyDocument.js';

/** The `format` of an exported policy file. */
export const POLICY_FILE_FORMAT = 'govgraph-policy';

/** The `formatVersion` this gateway writes and reads. */
export const POLICY_FILE_FORMAT_VERSION = 1;

/**
 * A whole policy as one file (`npm run policy -- export`): the document in
 * canonical order, with the version it loads as and when it was exported.
 */
export interface PolicyFile extends PolicyDocument {
  readonly format: typeof POLICY_FILE_FORMAT;
  readonly formatVersion: typeof POLICY_FILE_FORMAT_VERSION;
  /** {@link policyVersion} of the content. */
  readonly version: string;
  /** ISO 8601 instant of the export; the only part that is not content. */
  readonly exportedAt: string;
}

/** A policy file that cannot be used; `problems` holds one line per problem. */
export class PolicyFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = this.constructor.name;
  }
}

/** A parsable instant as `toISOString()` writes it; anything else unchanged. */
function instant<T>(value: T): T {
  if (typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return (Number.isNaN(ms) ? value : new Date(ms).toISOString()) as T;
}

function withInstants<T extends object>(item: T, keys: readonly string[]): T {
  const copy = { ...item } as Record<string, unknown>;
  for (const key of keys) {
    if (copy[key] !== undefined) copy[key] = instant(copy[key]);
  }
  return copy as T;
}

/**
 * The document as the store gives it back: canonical order
 * ({@link sortPolicyDocument}) and instants as `toISOString()` writes them,
 * so that a file and the store compare (and version) equal when their
 * content is.
 */
export function normalizePolicyDocument(doc: PolicyDocument): PolicyDocument {
  return sortPolicyDocument({
    entries: doc.entries.map((e) =>
      withInstants(e, ['validFrom', 'validUntil']),
    ),
    grants: doc.grants.map((g) => withInstants(g, ['validFrom', 'expiresAt'])),
    roles: doc.roles,
    algorithms: doc.algorithms,
    ...(doc.classifications === undefined
      ? {}
      : { classifications: doc.classifications }),
    ...(doc.settings === undefined ? {} : { settings: doc.settings }),
  });
}

/** A copy with every object's keys sorted (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/**
 * The policy file of a document, as text: deterministic (canonical order,
 * sorted keys, two-space indent, final newline), so equal content gives
 * byte-identical files apart from `exportedAt`.
 */
export function formatPolicyFile(
  doc: PolicyDocument,
  exportedAt: Date,
): string {
  const normal = normalizePolicyDocument(doc);
  const file: PolicyFile = {
    format: POLICY_FILE_FORMAT,
    formatVersion: POLICY_FILE_FORMAT_VERSION,
    version: policyVersion(normal),
    exportedAt: exportedAt.toISOString(),
    entries: sortKeys(normal.entries) as PolicyDocument['entries'],
    grants: sortKeys(normal.grants) as PolicyDocument['grants'],
    roles: sortKeys(normal.roles) as PolicyDocument['roles'],
    algorithms: sortKeys(normal.algorithms) as PolicyDocument['algorithms'],
    classifications: sortKeys(normal.classifications ?? []) as NonNullable<
      PolicyDocument['classifications']
    >,
    settings: sortKeys(
      normal.settings ?? DEFAULT_POLICY_SETTINGS,
    ) as NonNullable<PolicyDocument['settings']>,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** What {@link parsePolicyFile} found in a file. */
export interface ParsedPolicyFile {
  /** The validated, normalised document. */
  readonly document: PolicyDocument;
  /** The version the content loads as. */
  readonly version: string;
  /** The `version` the file states, if any (stale after a hand edit). */
  readonly statedVersion: string | undefined;
}

/**
 * Parses and validates a policy file's text: JSON, `format`,
 * `formatVersion`, then every item (a file without `classifications` or
 * `settings` has none and the defaults) as the store would validate it (the
 * first invalid item is named). Pure; says nothing about the supergraph
 * (see `validateAgainstSupergraph`).
 *
 * @throws PolicyFileError with one line per problem
 */
export function parsePolicyFile(
  text: string,
  source: string,
): ParsedPolicyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError([
      `${source}: not JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PolicyFileError([`${source}: must be a JSON object`]);
  }
  const file = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (file['format'] !== POLICY_FILE_FORMAT) {
    problems.push(
      `${source}: format must be "${POLICY_FILE_FORMAT}", not ${JSON.stringify(file['format']) ?? 'absent'}`,
    );
  }
  if (file['formatVersion'] !== POLICY_FILE_FORMAT_VERSION) {
    problems.push(
      `${source}: formatVersion must be ${String(POLICY_FILE_FORMAT_VERSION)}, not ${JSON.stringify(file['formatVersion']) ?? 'absent'}`,
    );
  }
  if (problems.length > 0) throw new PolicyFileError(problems);
  let document: PolicyDocument;
  try {
    document = validatePolicyDocument(
      {
        entries: file['entries'],
        grants: file['grants'],
        roles: file['roles'],
        algorithms: file['algorithms'],
        classifications: file['classifications'],
        settings: file['settings'],
      },
      DOCUMENT_ITEM_NAMES,
      (item, problem) =>
        new PolicyFileError([`${source}: ${item}: ${problem}`]),
    );
  } catch (error) {
    if (error instanceof PolicyFileError) throw error;
    throw new PolicyFileError([
      `${source}: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const normal = normalizePolicyDocument(document);
  const stated = file['version'];
  return {
    document: normal,
    version: policyVersion(normal),
    statedVersion: typeof stated === 'string' ? stated : undefined,
  };
}

/** Whether two documents have the same content. */
export function samePolicyContent(
  a: PolicyDocument,
  b: PolicyDocument,
): boolean {
  return (
    canonicalJson(normalizePolicyDocument(a)) ===
    canonicalJson(normalizePolicyDocument(b))
  );
}
