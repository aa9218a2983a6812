import type { Queryable } from '../../../../subgraphs/kit/src/index.js';
import { AccessLogError } from './AccessLogError.js';
import { GENESIS_HASH, hashFields, type HashedFields } from './hashRecord.js';

/**
 * What is wrong at one place of the chain:
 *
 * - `ALTERED`: the record's stored hash does not match its content (a field,
 *   its `prev_hash` or its `hash` was changed).
 * - `MISSING`: `seq` skips numbers: records were deleted.
 * - `REORDERED`: the record is chained after a record that is stored
 *   elsewhere: records were moved (e.g. two swapped).
 * - `BROKEN_LINK`: the record's `prev_hash` matches no record at all: the
 *   record before it was deleted (and the rest renumbered) or rewritten with
 *   a recomputed hash.
 */
export type AccessLogProblemKind =
  'ALTERED' | 'MISSING' | 'REORDERED' | 'BROKEN_LINK';

/** One problem {@link verifyAccessLog} found. */
export interface AccessLogProblem {
  /** Where: the record's seq (for `MISSING`, the first missing seq). */
  readonly seq: number;
  readonly kind: AccessLogProblemKind;
  /** One sentence for the operator. */
  readonly detail: string;
}

/** Options of {@link verifyAccessLog}. */
export interface VerifyAccessLogOptions {
  /**
   * Records read per query (keyset pages on seq).
   * @defaultValue 1000
   */
  pageSize?: number;
  /**
   * Most problems listed; further ones are only counted in
   * `problemsOmitted`.
   * @defaultValue 1000
   */
  maxProblems?: number;
}

/** The outcome of {@link verifyAccessLog}. */
export interface AccessLogVerification {
  /** True when every record is intact and the chain unbroken. */
  readonly ok: boolean;
  /** Records read. */
  readonly records: number;
  /** The problems found, in seq order (at most `maxProblems`). */
  readonly problems: readonly AccessLogProblem[];
  /** Problems found beyond `maxProblems`. */
  readonly problemsOmitted: number;
  /**
   * The last record: note it somewhere else to detect later that records
   * were cut off the end, which a hash chain alone cannot show.
   */
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

interface Row {
  seq: string | number;
  recorded_at: string;
  subject: string;
  department: string;
  roles: string[];
  purpose: string;
  operation_hash: string;
  operation_text: string;
  operation_name: string | null;
  read: unknown;
  withheld: unknown;
  masked: unknown;
  outcome: string;
  latency_ms: number;
  prev_hash: string;
  hash: string;
  attempt_id: string | null;
}

// recorded_at to the microsecond, in UTC, so that a change below the
// millisecond the writer keeps is not hidden by the driver's Date.
const PAGE_QUERY = `
  SELECT seq,
         to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS recorded_at,
         subject, department, roles, purpose, operation_hash, operation_text,
         operation_name, read, withheld, masked, outcome, latency_ms,
         prev_hash, hash, attempt_id
    FROM audit.access_log
   WHERE seq > $1::bigint
   ORDER BY seq
   LIMIT $2`;

/** The microsecond timestamp as the writer's ISO form when it is one. */
function isoTime(microseconds: string): string {
  return microseconds.endsWith('000')
    ? `${microseconds.slice(0, -3)}Z`
    : `${microseconds}Z`;
}

function fieldsOf(row: Row): HashedFields {
  return {
    recorded_at: isoTime(row.recorded_at),
    subject: row.subject,
    department: row.department,
    roles: row.roles,
    purpose: row.purpose,
    operation_hash: row.operation_hash,
    operation_text: row.operation_text,
    operation_name: row.operation_name,
    read: row.read,
    withheld: row.withheld,
    masked: row.masked,
    outcome: row.outcome,
    latency_ms: row.latency_ms,
    ...(row.attempt_id === null ? {} : { attempt_id: row.attempt_id }),
  };
}

function positive(
  value: number | undefined,
  fallback: number,
  name: string,
): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1) {
    throw AccessLogError.invalidConfig(name, 'a positive integer');
  }
  return chosen;
}

/**
 * Verifies the whole access log: recomputes every record's hash in seq
 * order and checks that each record is chained to the one stored before it
 * and that seq has no gaps. Reads in keyset pages, so it runs in constant
 * memory on any number of records; it only reads, and may run while
 * gateways append. Throws {@link AccessLogError} (`NOT_MIGRATED`) when the
 * table does not exist.
 */
export async function verifyAccessLog(
  db: Queryable,
  options: VerifyAccessLogOptions = {},
): Promise<AccessLogVerification> {
  const pageSize = positive(options.pageSize, 1000, 'pageSize');
  const maxProblems = positive(options.maxProblems, 1000, 'maxProblems');
  const { rows: present } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('audit.access_log') IS NOT NULL AS present`,
  );
  if (!present[0]?.present) throw AccessLogError.notMigrated();

  const problems: AccessLogProblem[] = [];
  let problemsOmitted = 0;
  const report = (problem: AccessLogProblem): void => {
    if (problems.length < maxProblems) problems.push(problem);
    else problemsOmitted += 1;
  };
  const seqOfHash = async (hash: string): Promise<number | null> => {
    const { rows } = await db.query<{ seq: string | number }>(
      'SELECT seq FROM audit.access_log WHERE hash = $1 ORDER BY seq LIMIT 1',
      [hash],
    );
    return rows[0] ? Number(rows[0].seq) : null;
  };

  let records = 0;
  let previous: { seq: number; hash: string } | null = null;
  let cursor = '-9223372036854775808';
  for (;;) {
    const { rows } = await db.query<Row>(PAGE_QUERY, [cursor, pageSize]);
    for (const row of rows) {
      records += 1;
      const seq = Number(row.seq);
      const expectedSeq = previous ? previous.seq + 1 : 1;
      const gap = seq > expectedSeq;
      if (gap) {
        report({
          seq: expectedSeq,
          kind: 'MISSING',
          detail:
            seq - expectedSeq === 1
              ? `record ${String(expectedSeq)} is missing`
              : `records ${String(expectedSeq)} to ${String(seq - 1)} are missing`,
        });
      }
      if (hashFields(row.prev_hash, fieldsOf(row)) !== row.hash) {
        report({
          seq,
          kind: 'ALTERED',
          detail: `record ${String(seq)} does not match its hash: it was changed after it was written`,
        });
      }
      // The hash the record should be chained to; unknown when the records
      // before it are missing from the start of the log.
      const expectedPrev =
        previous?.hash ?? (seq === 1 ? GENESIS_HASH : undefined);
      if (row.prev_hash !== expectedPrev) {
        // Where the record's link points: 0 for the start of the chain.
        const chainedAfter =
          row.prev_hash === GENESIS_HASH ? 0 : await seqOfHash(row.prev_hash);
        const storedAfter = previous?.seq ?? 0;
        const place = (n: number): string =>
          n === 0 ? 'the start of the chain' : `record ${String(n)}`;
        if (chainedAfter !== null && chainedAfter !== storedAfter) {
          report({
            seq,
            kind: 'REORDERED',
            detail: `record ${String(seq)} is chained after ${place(chainedAfter)} but is stored after ${place(storedAfter)}`,
          });
        } else if (chainedAfter === null && !gap) {
          report({
            seq,
            kind: 'BROKEN_LINK',
            detail: `record ${String(seq)} is chained to a record that is not in the log: the record before it was deleted or rewritten`,
          });
        }
      }
      previous = { seq, hash: row.hash };
      cursor = String(row.seq);
    }
    if (rows.length < pageSize) break;
  }
  return {
    ok: problems.length === 0 && problemsOmitted === 0,
    records,
    problems,
    problemsOmitted,
    head: previous,
  };
}
