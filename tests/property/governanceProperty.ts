// The governance guarantee (docs/design.md, "The guarantee, stated once") as a
// fast-check property: a case is a small pool of generated query texts,
// the principals who send them, and an order of requests — one after
// another, several at once, or several in one batched request — in which
// callers share texts with different variable values. Every response is
// checked by checkResponse; after each step the access log is matched
// against what the responses show was read.
import fc from 'fast-check';

import {
  checkResponse,
  type CallFindings,
  type SentCall,
  type Violation,
} from './checkResponse.js';
import { operationArbitrary } from './operationArbitrary.js';
import {
  printOperation,
  type OperationSpec,
  type PrintedOperation,
} from './operationSpec.js';
import type { PropertyPrincipal, PropertyWorld } from './propertyWorld.js';

/** A condition variable's value in a request: absent, null or a Boolean. */
export type BooleanChoice = 'absent' | 'null' | boolean;
/** The page-size variable's value in a request. */
export type IntChoice = 'absent' | 'null' | number;

/** The variables one request sends (those its text declares). */
export interface Assignment {
  readonly c0: BooleanChoice;
  readonly c1: BooleanChoice;
  readonly c2: BooleanChoice;
  readonly n0: IntChoice;
}

/** One request: who sends which text of the pool with which variables. */
export interface CallSpec {
  /** Index into the case's principals (modulo their number). */
  readonly principal: number;
  /** Index into the case's texts (modulo their number). */
  readonly text: number;
  readonly variables: Assignment;
}

/** Requests sent one after another, all at once, or as one batch. */
export interface Step {
  readonly mode: 'sequential' | 'concurrent' | 'batch';
  readonly calls: readonly CallSpec[];
}

/** One case of the property. */
export interface GovernanceCase {
  readonly texts: readonly OperationSpec[];
  /** Indices into the world's principals. */
  readonly principals: readonly number[];
  readonly steps: readonly Step[];
}

const booleanChoice: fc.Arbitrary<BooleanChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant('absent' as const) },
  { weight: 1, arbitrary: fc.constant('null' as const) },
);

const intChoice: fc.Arbitrary<IntChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 1, arbitrary: fc.constant('absent' as const) },
  { weight: 1, arbitrary: fc.constant('null' as const) },
);

/** Cases over the world's schema and principals. */
export function caseArbitrary(
  world: PropertyWorld,
): fc.Arbitrary<GovernanceCase> {
  const operation = operationArbitrary(world.schema, world.arguments);
  const call = fc.record({
    principal: fc.nat({ max: 1 }),
    text: fc.nat({ max: 1 }),
    variables: fc.record({
      c0: booleanChoice,
      c1: booleanChoice,
      c2: booleanChoice,
      n0: intChoice,
    }),
  });
  return fc.record({
    texts: fc.array(operation, { minLength: 1, maxLength: 2 }),
    principals: fc.uniqueArray(fc.nat({ max: world.principals.length - 1 }), {
      minLength: 1,
      maxLength: 2,
    }),
    steps: fc.array(
      fc.record({
        mode: fc.constantFrom(
          'sequential' as const,
          'concurrent' as const,
          'batch' as const,
        ),
        calls: fc.array(call, { minLength: 1, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  });
}

/** The variables a request sends for the variables its text declares. */
export function variablesOf(
  printed: PrintedOperation,
  assignment: Assignment,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of printed.declared) {
    const choice = assignment[name as keyof Assignment];
    if (choice === 'absent') continue;
    variables[name] = choice === 'null' ? null : choice;
  }
  return variables;
}

/** A violation with the request it was found in. */
export interface LocatedViolation extends Violation {
  readonly step: number;
  readonly call: number;
}

/** The property's failure: a report that names everything needed to reproduce. */
export class GuaranteeViolation extends Error {
  readonly violations: readonly LocatedViolation[];

  constructor(report: string, violations: readonly LocatedViolation[]) {
    super(report);
    this.name = 'GuaranteeViolation';
    this.violations = violations;
  }
}

interface Observed {
  readonly step: number;
  readonly index: number;
  readonly spec: CallSpec;
  readonly call: SentCall;
  readonly findings: CallFindings;
  /** The last access-log record committed when the response had arrived. */
  readonly committed: number;
  readonly status: number;
}

interface AccessRecord {
  readonly seq: number;
  readonly subject: string;
  readonly purpose: string;
  readonly operationText: string;
  readonly read: Readonly<Record<string, readonly string[]>>;
}

async function lastSeq(world: PropertyWorld): Promise<number> {
  const { rows } = await world.hub.tdb.db.query<{ seq: string | null }>(
    'SELECT max(seq)::text AS seq FROM audit.access_log',
  );
  return Number(rows[0]?.seq ?? 0);
}

async function recordsAfter(
  world: PropertyWorld,
  seq: number,
): Promise<AccessRecord[]> {
  // A mutation has two records, its attempt (written before it runs) and
  // its outcome: the attempt is the one that matches its call.
  const { rows } = await world.hub.tdb.db.query<{
    seq: string;
    subject: string;
    purpose: string;
    operation_text: string;
    read: Record<string, string[]>;
  }>(
    `SELECT seq::text AS seq, subject, purpose, operation_text, read
       FROM audit.access_records
      WHERE seq > $1 AND (attempt_id IS NULL OR outcome = 'ATTEMPTED')
      ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    subject: r.subject,
    purpose: r.purpose,
    operationText: r.operation_text,
    read: r.read,
  }));
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The coordinates of a record's `read`, with their owners. */
function flatRead(record: AccessRecord): Array<[string, string]> {
  return Object.entries(record.read).flatMap(([owner, list]) =>
    list.map((c): [string, string] => [owner, c]),
  );
}

/**
 * Matches the step's responses to the access-log records written during
 * it: every response that shows a read of another department's data needs
 * a record of its own, written before the response arrived, by the same
 * subject and purpose for the same text, naming every single-owner
 * coordinate the response shows read (under its owner) and nothing the
 * operation did not select under its variables or the policy withholds.
 * Every record must belong to some request of the step in that way.
 */
function matchAccessLog(
  world: PropertyWorld,
  observed: readonly Observed[],
  records: readonly AccessRecord[],
): LocatedViolation[] {
  const owners = (c: string): readonly string[] =>
    world.ownership.get(c)?.owners ?? [];
  const needs = observed.map((o) =>
    [...o.findings.executed].some(
      (c) =>
        !world.localCoordinates.has(c) &&
        owners(c).length > 0 &&
        !owners(c).includes(o.call.principal.principal.department),
    ),
  );
  const compatible = (o: Observed, r: AccessRecord): string | null => {
    if (r.subject !== o.call.principal.user.claims.sub)
      return 'another subject';
    if (r.purpose !== o.call.principal.purpose) return 'another purpose';
    if (r.operationText !== o.call.text) return 'another text';
    if (r.seq > o.committed) {
      return `written after the response left (record ${String(r.seq)}, last committed ${String(o.committed)})`;
    }
    const named = flatRead(r);
    for (const [owner, c] of named) {
      if (owners(c).length !== 1 || owners(c)[0] !== owner) {
        return `names ${c} under ${owner}, which is not its one owner (${owners(c).join(', ')})`;
      }
      if (!o.findings.selectable.has(c)) {
        return `names ${c}, which the operation does not select under its variables or the policy withholds`;
      }
    }
    const names = new Set(named.map(([, c]) => c));
    const missing = [...o.findings.executed].filter(
      (c) =>
        !world.localCoordinates.has(c) &&
        owners(c).length === 1 &&
        !names.has(c),
    );
    if (missing.length > 0) {
      return `does not name ${missing.join(', ')}, which the response shows read`;
    }
    return null;
  };

  // Kuhn's matching, requests that need a record first.
  const matchOf = new Map<number, number>(); // record index → observed index
  const tryMatch = (i: number, seen: Set<number>): boolean => {
    const o = observed[i];
    if (o === undefined) return false;
    for (let j = 0; j < records.length; j += 1) {
      const r = records[j];
      if (r === undefined || seen.has(j) || compatible(o, r) !== null) continue;
      seen.add(j);
      const holder = matchOf.get(j);
      if (holder === undefined || tryMatch(holder, seen)) {
        matchOf.set(j, i);
        return true;
      }
    }
    return false;
  };
  const order = observed
    .map((_, i) => i)
    .sort((a, b) => Number(needs[b]) - Number(needs[a]));
  for (const i of order) tryMatch(i, new Set());

  const violations: LocatedViolation[] = [];
  const matched = new Set(matchOf.values());
  observed.forEach((o, i) => {
    if (!needs[i] || matched.has(i)) return;
    const candidates = records
      .filter((r) => r.operationText === o.call.text)
      .map((r) => `record ${String(r.seq)}: ${String(compatible(o, r))}`);
    violations.push({
      kind: 'access-log',
      step: o.step,
      call: o.index,
      detail: `the response shows cross-department reads (${[...o.findings.executed].filter((c) => !owners(c).includes(o.call.principal.principal.department)).join(', ')}) but no access-log record names them${candidates.length > 0 ? `; ${candidates.join('; ')}` : '; no record for this text at all'}`,
    });
  });
  records.forEach((r, j) => {
    if (matchOf.has(j)) return;
    const reasons = observed
      .filter((o) => o.call.text === r.operationText)
      .map(
        (o) =>
          `step ${String(o.step + 1)} call ${String(o.index + 1)}: ${String(compatible(o, r))}`,
      );
    violations.push({
      kind: 'access-log',
      step: observed[0]?.step ?? 0,
      call: -1,
      detail: `access-log record ${String(r.seq)} (${r.subject}, read ${JSON.stringify(r.read)}) belongs to no request as it should${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`,
    });
  });
  return violations;
}

/** Runs one case against the world; throws {@link GuaranteeViolation}. */
export async function runCase(
  world: PropertyWorld,
  testCase: GovernanceCase,
  runId: number,
): Promise<void> {
  const printed = testCase.texts.map((spec, i) =>
    printOperation(world.schema, spec, {
      header: `governance property: run ${String(runId)}, text #${String(i)}`,
      operationName: `P${String(runId)}_${String(i)}`,
    }),
  );
  const principals = testCase.principals.map((p) => {
    const principal = world.principals[p % world.principals.length];
    if (principal === undefined) throw new Error('no principals');
    return principal;
  });
  const headers = new Map<string, Record<string, string>>();
  const headersOf = async (
    p: PropertyPrincipal,
  ): Promise<Record<string, string>> => {
    let h = headers.get(p.label);
    if (h === undefined) {
      h = await world.headersOf(p);
      headers.set(p.label, h);
    }
    return h;
  };
  const resolve = (spec: CallSpec, principalOverride?: PropertyPrincipal) => {
    const text = printed[spec.text % printed.length] as PrintedOperation;
    const principal =
      principalOverride ??
      (principals[spec.principal % principals.length] as PropertyPrincipal);
    return { text, principal, variables: variablesOf(text, spec.variables) };
  };
  const requestOf = (r: ReturnType<typeof resolve>) => ({
    query: r.text.text,
    ...(r.text.operationName === null
      ? {}
      : { operationName: r.text.operationName }),
    variables: r.variables,
  });

  const violations: LocatedViolation[] = [];
  for (const [s, step] of testCase.steps.entries()) {
    const before = await lastSeq(world);
    const observed: Observed[] = [];
    const observe = (
      index: number,
      spec: CallSpec,
      r: ReturnType<typeof resolve>,
      requestBody: string,
      element: unknown,
      raw: string,
      status: number,
      committed: number,
    ): void => {
      const call: SentCall = {
        principal: r.principal,
        text: r.text.text,
        document: r.text.document,
        operationName: r.text.operationName,
        variables: r.variables,
        requestBody,
      };
      const findings = checkResponse(world, call, element, raw);
      observed.push({
        step: s,
        index,
        spec,
        call,
        findings,
        committed,
        status,
      });
      for (const v of findings.violations) {
        violations.push({ ...v, step: s, call: index });
      }
    };
    const single = async (index: number, spec: CallSpec): Promise<void> => {
      const r = resolve(spec);
      const body = JSON.stringify(requestOf(r));
      const res = await post(
        world.gatewayUrl,
        body,
        await headersOf(r.principal),
      );
      const committed = await lastSeq(world);
      observe(index, spec, r, body, res.json, res.text, res.status, committed);
    };
    if (step.mode === 'sequential') {
      for (const [i, spec] of step.calls.entries()) await single(i, spec);
    } else if (step.mode === 'concurrent') {
      await Promise.all(step.calls.map((spec, i) => single(i, spec)));
    } else {
      // One HTTP request carries one token: the batch is the first call's
      // principal's.
      const first = resolve(step.calls[0] as CallSpec);
      const resolved = step.calls.map((spec) => resolve(spec, first.principal));
      const body = JSON.stringify(resolved.map(requestOf));
      const res = await post(
        world.gatewayUrl,
        body,
        await headersOf(first.principal),
      );
      const committed = await lastSeq(world);
      resolved.forEach((r, i) => {
        const element = Array.isArray(res.json)
          ? (res.json[i] as unknown)
          : res.json;
        observe(
          i,
          step.calls[i] as CallSpec,
          r,
          body,
          element,
          res.text,
          res.status,
          committed,
        );
      });
    }
    observed.sort((a, b) => a.index - b.index);
    violations.push(
      ...matchAccessLog(world, observed, await recordsAfter(world, before)),
    );
  }
  if (violations.length > 0) {
    throw new GuaranteeViolation(
      formatReport(world, testCase, printed, principals, violations),
      violations,
    );
  }
}

/** The minimal reproduction, for people: principals, texts, variables, order. */
export function formatReport(
  world: PropertyWorld,
  testCase: GovernanceCase,
  printed: readonly PrintedOperation[],
  principals: readonly PropertyPrincipal[],
  violations: readonly LocatedViolation[],
): string {
  const lines: string[] = [
    `The governance guarantee does not hold: ${String(violations.length)} violation(s).`,
    '',
  ];
  const who = (spec: CallSpec): string =>
    (principals[spec.principal % principals.length] as PropertyPrincipal).label;
  const describeCall = (step: Step, spec: CallSpec): string => {
    const text = printed[spec.text % printed.length] as PrintedOperation;
    const principal =
      step.mode === 'batch' ? who(step.calls[0] as CallSpec) : who(spec);
    return `${principal} sends text #${String(spec.text % printed.length)} with variables ${JSON.stringify(variablesOf(text, spec.variables))}`;
  };
  for (const v of violations.slice(0, 12)) {
    const step = testCase.steps[v.step];
    const spec = step?.calls[v.call];
    lines.push(
      `[${v.kind}] step ${String(v.step + 1)}${spec !== undefined && step !== undefined ? `, call ${String(v.call + 1)}: ${describeCall(step, spec)}` : ''}`,
    );
    if (v.path !== undefined) lines.push(`    at ${JSON.stringify(v.path)}`);
    if (v.coordinate !== undefined) {
      lines.push(`    ${v.coordinate}: ${v.decision ?? ''}`);
    }
    lines.push(`    ${v.detail}`);
    if (v.value !== undefined) lines.push(`    value: ${v.value}`);
  }
  if (violations.length > 12) {
    lines.push(`… and ${String(violations.length - 12)} more`);
  }
  lines.push('', 'Texts of the case (shared by its callers):');
  printed.forEach((p, i) => {
    lines.push(`  #${String(i)}:`);
    for (const line of p.text.split('\n')) lines.push(`    ${line}`);
  });
  lines.push('', 'Requests, in order:');
  testCase.steps.forEach((step, s) => {
    lines.push(
      `  step ${String(s + 1)} (${step.mode}${step.mode === 'batch' ? ', one HTTP request' : ''}):`,
    );
    step.calls.forEach((spec, i) => {
      lines.push(`    ${String(i + 1)}. ${describeCall(step, spec)}`);
    });
  });
  lines.push('', `Gateway under test: ${world.gatewayUrl}`);
  return lines.join('\n');
}

/** Options of {@link checkAdministration}. */
export interface GovernanceCheckOptions {
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check's replay path of a failure (with its seed). */
  readonly path?: string;
  /** Stop at the first failure without shrinking. @defaultValue false */
  readonly endOnFailure?: boolean;
  /** Called after every case run (shrinking runs included). */
  readonly onRun?: (run: number, failed: boolean) => void;
}

/**
 * Checks the property over `numRuns` cases from `seed`; resolves with
 * fast-check's run details (a failure carries the shrunk counterexample
 * and, in `errorInstance`, its {@link GuaranteeViolation} report).
 */
export async function checkAdministration(
  world: PropertyWorld,
  options: GovernanceCheckOptions,
): Promise<fc.RunDetails<[GovernanceCase]>> {
  if (world.oracleGaps.length > 0) {
    throw new Error(
      `The oracle falls behind the policy: ${String(world.oracleGaps.length)} coordinate(s) the policy withholds or masks have no ground truth in tests/property/groundTruth.ts:\n${world.oracleGaps.join('\n')}`,
    );
  }
  let run = 0;
  const property = fc.asyncProperty(caseArbitrary(world), async (testCase) => {
    run += 1;
    try {
      await runCase(world, testCase, run);
      options.onRun?.(run, false);
    } catch (error) {
      options.onRun?.(run, true);
      throw error;
    }
  });
  return fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns,
    ...(options.path === undefined ? {} : { path: options.path }),
    endOnFailure: options.endOnFailure ?? false,
  });
}
