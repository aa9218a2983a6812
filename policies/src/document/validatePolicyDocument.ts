// Validation of whole policy documents and of single items (pure).
import type { z } from 'zod';

import type { Grant, RoleRule } from '../model/index.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type AlgorithmFiling,
  type FieldClassificationItem,
  type PolicyDocument,
  type PolicyDocumentEntry,
} from './PolicyDocument.js';
import {
  AlgorithmFilingSchema,
  describeIssues,
  EntrySchema,
  FieldClassificationSchema,
  GrantSchema,
  PolicySettingsSchema,
  RoleNameSchema,
  RoleRuleSchema,
} from './policySchemas.js';

/** Names the item a problem is about; how depends on the caller (row or document). */
export interface ItemNames {
  entry(index: number, value: unknown): string;
  grant(index: number, value: unknown): string;
  role(name: string): string;
  rule(role: string, position: number): string;
  algorithm(index: number, value: unknown): string;
  classification(index: number, value: unknown): string;
  settings(): string;
}

/** Raised for the first invalid item; the message names it. */
export type InvalidItem = (item: string, problem: string) => Error;

function field(value: unknown, key: string): string {
  if (value !== null && typeof value === 'object' && key in value) {
    return JSON.stringify((value as Record<string, unknown>)[key]);
  }
  return '?';
}

/** How the items of a document are named in errors: `entries[3] (NL-PS-002 v2)`. */
export const DOCUMENT_ITEM_NAMES: ItemNames = {
  entry: (i, v) =>
    `entries[${String(i)}] (id ${field(v, 'id')}, version ${field(v, 'version')})`,
  grant: (i, v) => `grants[${String(i)}] (id ${field(v, 'id')})`,
  role: (name) => `roles[${JSON.stringify(name)}]`,
  rule: (role, position) =>
    `roles[${JSON.stringify(role)}][${String(position)}]`,
  algorithm: (i, v) =>
    `algorithms[${String(i)}] (filingId ${field(v, 'filingId')})`,
  classification: (i, v) =>
    `classifications[${String(i)}] (coordinate ${field(v, 'coordinate')})`,
  settings: () => 'settings',
};

function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  name: string,
  invalid: InvalidItem,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(name, describeIssues(result.error));
  return result.data;
}

/**
 * Validates every item of a document and the references between them
 * (unique ids, one `ACTIVE` and at most one `DRAFT` or `IN_REVIEW` version
 * per entry, grants under known entries, one classification per field).
 * Returns the validated items, with `classifications` and `settings`
 * filled in when the document has none; throws `invalid(item, problem)`
 * for the first problem.
 */
export function validatePolicyDocument(
  doc: unknown,
  names: ItemNames,
  invalid: InvalidItem,
): PolicyDocument {
  if (doc === null || typeof doc !== 'object') {
    throw invalid('the document', 'must be an object');
  }
  const raw = doc as Record<string, unknown>;
  for (const key of ['entries', 'grants', 'algorithms']) {
    if (!Array.isArray(raw[key])) throw invalid(key, 'must be an array');
  }
  if (raw['roles'] === null || typeof raw['roles'] !== 'object') {
    throw invalid('roles', 'must be an object of role name → rules');
  }

  const entries: PolicyDocumentEntry[] = [];
  const entryKeys = new Set<string>();
  (raw['entries'] as unknown[]).forEach((value, i) => {
    const entry = parse(EntrySchema, value, names.entry(i, value), invalid);
    const key = `${entry.id}@${String(entry.version)}`;
    if (entryKeys.has(key)) {
      throw invalid(names.entry(i, value), 'duplicate id and version');
    }
    entryKeys.add(key);
    entries.push(entry);
  });
  const entryIds = new Set(entries.map((e) => e.id));
  const activeIds = new Set<string>();
  const openIds = new Set<string>();
  entries.forEach((entry, i) => {
    if (entry.status === 'ACTIVE') {
      if (activeIds.has(entry.id)) {
        throw invalid(
          names.entry(i, entry),
          `another version of ${entry.id} is ACTIVE too`,
        );
      }
      activeIds.add(entry.id);
    } else if (entry.status === 'DRAFT' || entry.status === 'IN_REVIEW') {
      if (openIds.has(entry.id)) {
        throw invalid(
          names.entry(i, entry),
          `another version of ${entry.id} is DRAFT or IN_REVIEW too (one at a time)`,
        );
      }
      openIds.add(entry.id);
    }
  });

  const grants: Grant[] = [];
  const grantIds = new Set<string>();
  (raw['grants'] as unknown[]).forEach((value, i) => {
    const grant = parse(GrantSchema, value, names.grant(i, value), invalid);
    if (grantIds.has(grant.id)) {
      throw invalid(names.grant(i, value), 'duplicate id');
    }
    if (!entryIds.has(grant.entryId)) {
      throw invalid(
        names.grant(i, value),
        `entryId ${grant.entryId} names no negative-list entry`,
      );
    }
    grantIds.add(grant.id);
    grants.push(grant);
  });

  // Object.fromEntries defines own properties, so even a role named
  // `__proto__` stays a role.
  const roles: Record<string, readonly RoleRule[]> = Object.fromEntries(
    Object.entries(raw['roles'] as Record<string, unknown>).map(
      ([name, rules]) => {
        parse(RoleNameSchema, name, names.role(name), invalid);
        if (!Array.isArray(rules)) {
          throw invalid(names.role(name), 'must be an array of CASL rules');
        }
        return [
          name,
          rules.map((rule: unknown, position) =>
            parse(RoleRuleSchema, rule, names.rule(name, position), invalid),
          ),
        ];
      },
    ),
  );

  const algorithms: AlgorithmFiling[] = [];
  const filingIds = new Set<string>();
  (raw['algorithms'] as unknown[]).forEach((value, i) => {
    const filing = parse(
      AlgorithmFilingSchema,
      value,
      names.algorithm(i, value),
      invalid,
    );
    if (filingIds.has(filing.filingId)) {
      throw invalid(names.algorithm(i, value), 'duplicate filingId');
    }
    filingIds.add(filing.filingId);
    algorithms.push(filing);
  });

  const rawClassifications = raw['classifications'] ?? [];
  if (!Array.isArray(rawClassifications)) {
    throw invalid('classifications', 'must be an array');
  }
  const classifications: FieldClassificationItem[] = [];
  const classified = new Set<string>();
  rawClassifications.forEach((value: unknown, i) => {
    const item = parse(
      FieldClassificationSchema,
      value,
      names.classification(i, value),
      invalid,
    );
    if (classified.has(item.coordinate)) {
      throw invalid(names.classification(i, value), 'duplicate coordinate');
    }
    classified.add(item.coordinate);
    classifications.push({
      coordinate: item.coordinate,
      tags: [...new Set(item.tags)].sort(),
    });
  });
  const settings =
    raw['settings'] === undefined
      ? DEFAULT_POLICY_SETTINGS
      : parse(PolicySettingsSchema, raw['settings'], names.settings(), invalid);

  return { entries, grants, roles, algorithms, classifications, settings };
}
