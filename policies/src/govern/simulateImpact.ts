import {
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

import type { Decision, PolicySet, Principal } from '../model/index.js';
import type { OwnershipCatalog } from './FieldOwnership.js';
import { governOperation } from './governOperation.js';

/** The principal attributes and operation an access-log record keeps. */
export interface RecordedOperation {
  /** The record's position in the log, for examples; optional. */
  readonly seq?: number;
  readonly subject: string;
  readonly department: string;
  readonly roles: readonly string[];
  readonly purpose: string;
  readonly operationText: string;
  readonly operationName: string | null;
  /** The recorded hash; SHA-256 of the text when absent. */
  readonly operationHash?: string;
}

/** What {@link simulateImpact} needs. */
export interface SimulateImpactInput {
  /** The policy in force (a PolicySnapshot will do). */
  readonly current: { readonly policy: PolicySet };
  /** The draft to compare with it. */
  readonly draft: { readonly policy: PolicySet };
  readonly records: Iterable<RecordedOperation>;
  /** The gateway's API schema (with explain). */
  readonly schema: GraphQLSchema;
  readonly ownership: OwnershipCatalog;
  /** Coordinates the gateway resolves itself (never decided). */
  readonly localCoordinates?: ReadonlySet<string>;
  /** The instant both policies are decided at. */
  readonly now: Date;
  /**
   * The operation hash of a record that has none (the access log's
   * `operationHash`: SHA-256 of the text); injected, `policies/` does no
   * hashing I/O of its own.
   */
  readonly hashOperation: (text: string) => string;
  /**
   * Most examples kept per list (changed records, skipped records).
   * @defaultValue 10
   */
  readonly limit?: number;
}

/** How one field was decided: `ALLOW`, `MASK:MOBILE`, `DENY:GRANT_REQUIRED`. */
export type FieldOutcome = string;

/** One field of one record whose outcome the draft changes. */
export interface FieldOutcomeChange {
  readonly coordinate: string;
  readonly before: FieldOutcome;
  readonly after: FieldOutcome;
  /** `ALLOW→DENY`, `DENY→ALLOW`, `MASK→DENY`, `MASK→MASK` (another mask)… */
  readonly transition: string;
  readonly ruleBefore: string;
  readonly ruleAfter: string;
}

/** A recorded operation whose outcome the draft changes. */
export interface ImpactExample {
  readonly seq: number | undefined;
  readonly subject: string;
  readonly department: string;
  readonly purpose: string;
  readonly operationHash: string;
  readonly operationName: string | null;
  readonly changes: readonly FieldOutcomeChange[];
}

/** The impact of a draft on recorded traffic. */
export interface ImpactReport {
  readonly currentVersion: string;
  readonly draftVersion: string;
  /** Records looked at. */
  readonly records: number;
  /** Records decided under both policies. */
  readonly simulated: number;
  /** Records whose operation no longer parses or validates, or cannot be analysed. */
  readonly skipped: number;
  readonly skippedExamples: readonly {
    readonly seq: number | undefined;
    readonly operationName: string | null;
    readonly reason: string;
  }[];
  /** Records with at least one field whose outcome changes. */
  readonly changed: number;
  /** Per consumer department with changes: records affected, field changes. */
  readonly departments: readonly {
    readonly department: string;
    readonly records: number;
    readonly fieldChanges: number;
  }[];
  /** Per operation (hash and name) with changes. */
  readonly operations: readonly {
    readonly operationHash: string;
    readonly operationName: string | null;
    readonly records: number;
    readonly departments: readonly string[];
  }[];
  /** Per coordinate and transition: how many records, which departments. */
  readonly fields: readonly {
    readonly coordinate: string;
    readonly transition: string;
    readonly before: FieldOutcome;
    readonly after: FieldOutcome;
    readonly records: number;
    readonly departments: readonly string[];
  }[];
  /** Up to `limit` changed records. */
  readonly examples: readonly ImpactExample[];
  /** What the simulation had to assume, to be said with its result. */
  readonly assumptions: readonly string[];
}

/** The level and region a recorded principal is decided at (neither is recorded). */
export const SIMULATED_LEVEL = 'CITY';
export const SIMULATED_REGION = '500000';

export const SIMULATION_ASSUMPTIONS: readonly string[] = [
  'level and region are not recorded: every principal is decided at CITY level (region 500000)',
  'algorithm identities cannot be told from the record (their filing is not recorded): every record is decided as a user, without filing bounds',
  'variables are not recorded: @skip/@include on variables are decided without them',
];

function outcomeOf(decision: Decision): FieldOutcome {
  switch (decision.effect) {
    case 'ALLOW':
      return 'ALLOW';
    case 'MASK':
      return `MASK:${decision.mask}`;
    case 'DENY':
      return `DENY:${decision.code}`;
  }
}

function effectOf(outcome: FieldOutcome): string {
  const colon = outcome.indexOf(':');
  return colon < 0 ? outcome : outcome.slice(0, colon);
}

interface Tally {
  records: number;
  fieldChanges: number;
  departments: Set<string>;
}

function tally<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (t === undefined) {
    t = { records: 0, fieldChanges: 0, departments: new Set() };
    map.set(key, t);
  }
  return t;
}

/**
 * Replays recorded operations under the policy in force and under a draft,
 * and reports every field whose outcome would change (ALLOW→DENY,
 * DENY→ALLOW, another mask, another denial code), by consumer department,
 * operation and coordinate, with counts and examples. A record whose
 * operation no longer validates against the schema is counted as skipped.
 * Pure: the caller reads the records and both policies.
 */
export function simulateImpact(input: SimulateImpactInput): ImpactReport {
  const limit = input.limit ?? 10;
  const local = input.localCoordinates ?? new Set<string>();
  let records = 0;
  let simulated = 0;
  let changed = 0;
  const skippedExamples: {
    seq: number | undefined;
    operationName: string | null;
    reason: string;
  }[] = [];
  let skipped = 0;
  const departments = new Map<string, Tally>();
  const operations = new Map<string, Tally & { name: string | null }>();
  const fields = new Map<
    string,
    Tally & {
      coordinate: string;
      transition: string;
      before: string;
      after: string;
    }
  >();
  const examples: ImpactExample[] = [];
  const documents = new Map<string, DocumentNode | string>();

  const skip = (record: RecordedOperation, reason: string): void => {
    skipped += 1;
    if (skippedExamples.length < limit) {
      skippedExamples.push({
        seq: record.seq,
        operationName: record.operationName,
        reason,
      });
    }
  };

  for (const record of input.records) {
    records += 1;
    let document = documents.get(record.operationText);
    if (document === undefined) {
      try {
        const parsed = parse(record.operationText);
        const errors = validate(input.schema, parsed);
        document =
          errors.length > 0
            ? `does not validate: ${errors[0]?.message ?? ''}`
            : parsed;
      } catch (error) {
        document = `does not parse: ${error instanceof Error ? error.message : String(error)}`;
      }
      documents.set(record.operationText, document);
    }
    if (typeof document === 'string') {
      skip(record, document);
      continue;
    }
    const principal: Principal = {
      subject: record.subject,
      department: record.department,
      roles: record.roles,
      level: SIMULATED_LEVEL,
      regionCode: SIMULATED_REGION,
      purposes: [record.purpose],
    };
    const decideUnder = (policy: PolicySet): Map<string, Decision> => {
      const plan = governOperation({
        schema: input.schema,
        document: document,
        operationName: record.operationName,
        variables: null,
        principal,
        purpose: record.purpose,
        policy,
        ownership: input.ownership,
        localCoordinates: local,
        now: input.now,
      });
      return new Map(plan.decisions.map((d) => [d.coordinate, d.decision]));
    };
    let before: Map<string, Decision>;
    let after: Map<string, Decision>;
    try {
      before = decideUnder(input.current.policy);
      after = decideUnder(input.draft.policy);
    } catch (error) {
      skip(
        record,
        `cannot be analysed: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    simulated += 1;

    const changes: FieldOutcomeChange[] = [];
    for (const [coordinate, was] of before) {
      const will = after.get(coordinate);
      if (will === undefined) continue;
      const b = outcomeOf(was);
      const a = outcomeOf(will);
      if (a === b) continue;
      changes.push({
        coordinate,
        before: b,
        after: a,
        transition: `${effectOf(b)}→${effectOf(a)}`,
        ruleBefore: was.rule,
        ruleAfter: will.rule,
      });
    }
    if (changes.length === 0) continue;
    changed += 1;
    const hash =
      record.operationHash ?? input.hashOperation(record.operationText);

    const dept = tally(departments, record.department);
    dept.records += 1;
    dept.fieldChanges += changes.length;
    const op = operations.get(hash) ?? {
      ...tally(new Map(), hash),
      name: record.operationName,
    };
    operations.set(hash, op);
    op.records += 1;
    op.departments.add(record.department);
    for (const c of changes) {
      const key = `${c.coordinate} ${c.before} ${c.after}`;
      const f = fields.get(key) ?? {
        ...tally(new Map(), key),
        coordinate: c.coordinate,
        transition: c.transition,
        before: c.before,
        after: c.after,
      };
      fields.set(key, f);
      f.records += 1;
      f.departments.add(record.department);
    }
    if (examples.length < limit) {
      examples.push({
        seq: record.seq,
        subject: record.subject,
        department: record.department,
        purpose: record.purpose,
        operationHash: hash,
        operationName: record.operationName,
        changes,
      });
    }
  }

  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    currentVersion: input.current.policy.version,
    draftVersion: input.draft.policy.version,
    records,
    simulated,
    skipped,
    skippedExamples,
    changed,
    departments: [...departments]
      .sort(([a], [b]) => byName(a, b))
      .map(([department, t]) => ({
        department,
        records: t.records,
        fieldChanges: t.fieldChanges,
      })),
    operations: [...operations]
      .sort(([a, x], [b, y]) => y.records - x.records || byName(a, b))
      .map(([operationHash, t]) => ({
        operationHash,
        operationName: t.name,
        records: t.records,
        departments: [...t.departments].sort(byName),
      })),
    fields: [...fields.values()]
      .sort(
        (x, y) =>
          byName(x.coordinate, y.coordinate) ||
          byName(x.before, y.before) ||
          byName(x.after, y.after),
      )
      .map((f) => ({
        coordinate: f.coordinate,
        transition: f.transition,
        before: f.before,
        after: f.after,
        records: f.records,
        departments: [...f.departments].sort(byName),
      })),
    examples,
    assumptions: SIMULATION_ASSUMPTIONS,
  };
}
