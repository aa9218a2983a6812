import { canonicalJson } from '../../../src/index.js';
import type { PolicyDocument } from '../../../src/document/PolicyDocument.js';
import { normalizePolicyDocument } from './policyFile.js';

/** What kind of item a {@link PolicyChange} is about. */
export type PolicyItemKind =
  'entry' | 'grant' | 'role' | 'algorithm' | 'classification' | 'setting';

/** One field of an item that differs, as compact JSON (undefined: absent). */
export interface FieldChange {
  readonly field: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/** One item added, removed or changed between two policies. */
export interface PolicyChange {
  readonly kind: PolicyItemKind;
  /** `NL-PS-002@2`, a grant id, a role name, a filing id, a coordinate, a setting's name. */
  readonly key: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For `changed`: the fields that differ, by name. */
  readonly fields: readonly FieldChange[];
}

function json(value: unknown): string | undefined {
  return value === undefined ? undefined : canonicalJson(value);
}

/** The fields of two versions of an item that differ, in name order. */
function fieldChanges(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names
    .sort()
    .map((field) => ({
      field,
      before: json(before[field]),
      after: json(after[field]),
    }))
    .filter((f) => f.before !== f.after);
}

function diffItems(
  kind: PolicyItemKind,
  before: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
  after: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): PolicyChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: PolicyChange[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === undefined)
      changes.push({ kind, key, change: 'added', fields: [] });
    else if (b === undefined) {
      changes.push({ kind, key, change: 'removed', fields: [] });
    } else {
      const fields = fieldChanges(a, b);
      if (fields.length > 0)
        changes.push({ kind, key, change: 'changed', fields });
    }
  }
  return changes;
}

function rulesByPosition(
  rules: readonly unknown[],
): Readonly<Record<string, unknown>> {
  return Object.fromEntries(
    rules.map((rule, i) => [`rules[${String(i)}]`, rule]),
  );
}

/**
 * The differences between two policies, item by item: entries by
 * `id@version`, grants by id, roles by name (rules compared by position),
 * algorithm bindings by filing id, classifications by coordinate, settings
 * by name; for a changed item, each field that differs. Equal content (whatever its order or instant spelling) gives
 * no change. Pure.
 */
export function diffPolicies(
  before: PolicyDocument,
  after: PolicyDocument,
): PolicyChange[] {
  const a = normalizePolicyDocument(before);
  const b = normalizePolicyDocument(after);
  const entries = (doc: PolicyDocument): Map<string, Record<string, unknown>> =>
    new Map(doc.entries.map((e) => [`${e.id}@${String(e.version)}`, { ...e }]));
  const grants = (doc: PolicyDocument): Map<string, Record<string, unknown>> =>
    new Map(doc.grants.map((g) => [g.id, { ...g }]));
  const roles = (doc: PolicyDocument): Map<string, Record<string, unknown>> =>
    new Map(
      Object.entries(doc.roles).map(([name, rules]) => [
        name,
        rulesByPosition(rules),
      ]),
    );
  const algorithms = (
    doc: PolicyDocument,
  ): Map<string, Record<string, unknown>> =>
    new Map(doc.algorithms.map((f) => [f.filingId, { ...f }]));
  const classifications = (
    doc: PolicyDocument,
  ): Map<string, Record<string, unknown>> =>
    new Map(
      (doc.classifications ?? []).map((c) => [c.coordinate, { tags: c.tags }]),
    );
  const settings = (
    doc: PolicyDocument,
  ): Map<string, Record<string, unknown>> =>
    new Map(
      Object.entries(doc.settings ?? {}).map(([name, value]) => [
        name,
        { value },
      ]),
    );
  return [
    ...diffItems('entry', entries(a), entries(b)),
    ...diffItems('grant', grants(a), grants(b)),
    ...diffItems('role', roles(a), roles(b)),
    ...diffItems('algorithm', algorithms(a), algorithms(b)),
    ...diffItems('classification', classifications(a), classifications(b)),
    ...diffItems('setting', settings(a), settings(b)),
  ];
}

/** A value for a diff line, shortened past 120 characters. */
function shown(value: string | undefined): string {
  if (value === undefined) return '(absent)';
  return value.length > 120 ? `${value.slice(0, 117)}…` : value;
}

/**
 * The changes as readable lines: `+ entry NL-X@1 added`,
 * `- grant G-1 removed`, `~ entry NL-PS-002@2 changed` followed by one
 * indented `field: before → after` line per field.
 */
export function formatPolicyDiff(changes: readonly PolicyChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    const sign =
      c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
    lines.push(`${sign} ${c.kind} ${c.key} ${c.change}`);
    for (const f of c.fields) {
      lines.push(`    ${f.field}: ${shown(f.before)} → ${shown(f.after)}`);
    }
  }
  return lines;
}
