import type {
  Database,
  Queryable,
} from '../../../../subgraphs/kit/src/db/Database.js';
import { AccessLogError } from './AccessLogError.js';
import { hashCheckpoint } from './checkpoints.js';
import { GENESIS_HASH, hashFields, type HashedFields } from './hashRecord.js';

/**
 * What is wrong at one place of the log:
 *
 * - `ALTERED`: the record's stored hash does not match its content (a field,
 *   its operation text, its `prev_hash` or its `hash` was changed).
 * - `MISSING`: records of a chain were deleted: its next record is chained
 *   to a record that is not there, and seq numbers are absent in between.
 * - `REORDERED`: the record is chained after a record of its chain that is
 *   stored elsewhere: records were moved (e.g. two swapped).
 * - `BROKEN_LINK`: the record's `prev_hash` matches no record of its chain
 *   and no seq is absent: the record before it was deleted (and the rest
 *   renumbered) or rewritten with a recomputed hash.
 * - `TRUNCATED`: a head that a checkpoint (or the chain register) bound is
 *   no longer in its chain at its seq: records were cut from the chain's
 *   end, the chain was rewritten from there on, or dropped.
 * - `CHECKPOINT_ALTERED`, `CHECKPOINT_MISSING`, `CHECKPOINT_BROKEN_LINK`:
 *   the same for the sequence of checkpoints (`seq` is then the
 *   checkpoint's id).
 */
export type AccessLogProblemKind =
  | 'ALTERED'
  | 'MISSING'
  | 'REORDERED'
  | 'BROKEN_LINK'
  | 'TRUNCATED'
  | 'CHECKPOINT_ALTERED'
  | 'CHECKPOINT_MISSING'
  | 'CHECKPOINT_BROKEN_LINK';

/** One problem {@link verifyAccessLog} found. */
export interface AccessLogProblem {
  /**
   * Where: the record's seq (for `MISSING`, the first absent seq; for
   * `TRUNCATED`, the seq of the head that is gone; for the `CHECKPOINT_`
   * kinds, the checkpoint's id).
   */
  readonly seq: number;
  readonly kind: AccessLogProblemKind;
  /** The chain concerned (absent for the `CHECKPOINT_` kinds). */
  readonly chain?: string;
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

/** One chain as {@link verifyAccessLog} read it. */
export interface VerifiedChain {
  readonly chain: string;
  /** The writer that registered it (`legacy` for the records before migration 003). */
  readonly writer: string | null;
  readonly records: number;
  /** Its last record read. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

/** The outcome of {@link verifyAccessLog}. */
export interface AccessLogVerification {
  /** True when every record is intact, every chain unbroken and every checkpoint holds. */
  readonly ok: boolean;
  /** Records read. */
  readonly records: number;
  /** The problems found: records in seq order, then chain heads, then checkpoints (at most `maxProblems`). */
  readonly problems: readonly AccessLogProblem[];
  /** Problems found beyond `maxProblems`. */
  readonly problemsOmitted: number;
  /**
   * The last record stored. With one chain and no checkpoints, note it
   * somewhere else to detect later that records were cut off the end.
   */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** Every chain, in the order of their first record. */
  readonly chains: readonly VerifiedChain[];
  /**
   * How many checkpoints there are and the last: note its hash somewhere
   * else (it binds every chain's head at that time) to detect later that
   * the log was cut or rewritten after it.
   */
  readonly checkpoints: {
    readonly count: number;
    readonly head: { readonly id: number; readonly hash: string } | null;
  };
}

interface Row {
  seq: string | number;
  chain_id: string;
  recorded_at: string;
  subject: string;
  department: string;
  roles: string[];
  purpose: string;
  operation_hash: string;
  operation_text: string | null;
  operation_sha256: string | null;
  operation_name: string | null;
  read: unknown;
  withheld: unknown;
  masked: unknown;
  outcome: string;
  latency_ms: number;
  prev_hash: string;
  hash: string;
  attempt_id: string | null;
  trace_id: string | null;
}

// recorded_at to the microsecond, in UTC, so that a change below the
// millisecond the writer keeps is not hidden by the driver's Date.
const TIME = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/**
 * The page query, after migration 003 (chains, texts by hash) or before it;
 * `traced`: after migration 004 (trace ids).
 */
function pageQuery(scaled: boolean, traced: boolean): string {
  const traceId = traced ? 'trace_id' : 'NULL AS trace_id';
  return scaled
    ? `SELECT l.seq, l.chain_id, ${TIME('l.recorded_at')} AS recorded_at,
              l.subject, l.department, l.roles, l.purpose, l.operation_hash,
              COALESCE(l.operation_text, t.text) AS operation_text,
              l.operation_sha256, l.operation_name, l.read, l.withheld,
              l.masked, l.outcome, l.latency_ms, l.prev_hash, l.hash,
              l.attempt_id, ${traced ? 'l.trace_id' : traceId}
         FROM audit.access_log l
         LEFT JOIN audit.operation_texts t ON t.sha256 = l.operation_sha256
        WHERE l.seq > $1::bigint
        ORDER BY l.seq
        LIMIT $2`
    : `SELECT seq, 'legacy' AS chain_id, ${TIME('recorded_at')} AS recorded_at,
              subject, department, roles, purpose, operation_hash,
              operation_text, NULL AS operation_sha256, operation_name, read,
              withheld, masked, outcome, latency_ms, prev_hash, hash,
              attempt_id, ${traceId}
         FROM audit.access_log
        WHERE seq > $1::bigint
        ORDER BY seq
        LIMIT $2`;
}

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
    operation_text: row.operation_text ?? '',
    operation_name: row.operation_name,
    read: row.read,
    withheld: row.withheld,
    masked: row.masked,
    outcome: row.outcome,
    latency_ms: row.latency_ms,
    ...(row.attempt_id === null ? {} : { attempt_id: row.attempt_id }),
    ...(row.trace_id === null ? {} : { trace_id: row.trace_id }),
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

/** The seq numbers absent from the table, as ranges, in order. */
class Gaps {
  private readonly ranges: [number, number][] = [];
  add(from: number, to: number): void {
    this.ranges.push([from, to]);
  }
  /** The absent seqs strictly between `after` and `before`: first, last and how many. */
  between(
    after: number,
    before: number,
  ): { first: number; last: number; count: number } | null {
    // First range that ends after `after` (binary search: ranges are sorted).
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const range = this.ranges[mid];
      if (range && range[1] <= after) lo = mid + 1;
      else hi = mid;
    }
    let first: number | null = null;
    let last = 0;
    let count = 0;
    for (let i = lo; i < this.ranges.length; i += 1) {
      const range = this.ranges[i];
      if (!range || range[0] >= before) break;
      const from = Math.max(range[0], after + 1);
      const to = Math.min(range[1], before - 1);
      if (from > to) continue;
      first ??= from;
      last = to;
      count += to - from + 1;
    }
    return first === null ? null : { first, last, count };
  }
}

interface ChainState {
  records: number;
  head: { seq: number; hash: string } | null;
}

/**
 * Verifies the whole access log: recomputes every record's hash in seq
 * order and checks, chain by chain, that each record is chained to the
 * record of its chain stored before it; tells deleted records (their seq
 * numbers are absent) from a batch that rolled back (absent numbers, links
 * intact); checks that every head the chain register and the checkpoints
 * bound is still in its chain at its seq; and verifies the checkpoints'
 * own hash chain. Reads in keyset pages, so it runs in constant memory per
 * chain on any number of records; it only reads, and may run while
 * gateways append (given a {@link Database} it reads in one snapshot; given
 * a transaction, the caller's isolation decides). Verifies a log not yet migrated to chains (one chain,
 * texts in the rows) as it is. Throws {@link AccessLogError}
 * (`NOT_MIGRATED`) when the table does not exist.
 */
export async function verifyAccessLog(
  db: Queryable | Database,
  options: VerifyAccessLogOptions = {},
): Promise<AccessLogVerification> {
  if ('transaction' in db) {
    // One snapshot for every page: writers commit their batches in any
    // order of seq between them, so pages read at different moments could
    // see a later batch of one chain without the earlier one. In a snapshot
    // each chain is a prefix of itself, and a batch not yet committed is
    // only absent numbers.
    return db.transaction(async (tx) => {
      await tx.query(
        'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
      );
      return verifyIn(tx, options);
    });
  }
  return verifyIn(db, options);
}

async function verifyIn(
  db: Queryable,
  options: VerifyAccessLogOptions,
): Promise<AccessLogVerification> {
  const pageSize = positive(options.pageSize, 1000, 'pageSize');
  const maxProblems = positive(options.maxProblems, 1000, 'maxProblems');
  const { rows: present } = await db.query<{
    present: boolean;
    scaled: boolean;
    traced: boolean;
  }>(
    `SELECT to_regclass('audit.access_log') IS NOT NULL AS present,
            to_regclass('audit.access_log_checkpoints') IS NOT NULL AS scaled,
            EXISTS (SELECT 1 FROM pg_attribute
                     WHERE attrelid = to_regclass('audit.access_log')
                       AND attname = 'trace_id' AND NOT attisdropped) AS traced`,
  );
  if (!present[0]?.present) throw AccessLogError.notMigrated();
  const { scaled, traced } = present[0];

  const problems: AccessLogProblem[] = [];
  let problemsOmitted = 0;
  const report = (problem: AccessLogProblem): void => {
    if (problems.length < maxProblems) problems.push(problem);
    else problemsOmitted += 1;
  };
  const seqOfHash = async (
    chain: string,
    hash: string,
  ): Promise<number | null> => {
    const { rows } = await db.query<{ seq: string | number }>(
      scaled
        ? 'SELECT seq FROM audit.access_log WHERE chain_id = $1 AND hash = $2 ORDER BY seq LIMIT 1'
        : 'SELECT seq FROM audit.access_log WHERE $1::text IS NOT NULL AND hash = $2 ORDER BY seq LIMIT 1',
      [chain, hash],
    );
    return rows[0] ? Number(rows[0].seq) : null;
  };

  // The register's heads, read before the records: each must turn up in
  // its chain (records committed later only add to the chains).
  const registered = new Map<
    string,
    { writer: string; seq: number | null; hash: string }
  >();
  if (scaled) {
    const { rows } = await db.query<{
      chain_id: string;
      writer_id: string;
      head_seq: string | number | null;
      head_hash: string;
    }>(
      'SELECT chain_id, writer_id, head_seq, head_hash FROM audit.access_log_chains',
    );
    for (const r of rows) {
      registered.set(r.chain_id, {
        writer: r.writer_id,
        seq: r.head_seq === null ? null : Number(r.head_seq),
        hash: r.head_hash,
      });
    }
  }
  const headFound = new Set<string>();

  const chains = new Map<string, ChainState>();
  const gaps = new Gaps();
  let records = 0;
  let last: { seq: number; hash: string } | null = null;
  let cursor = '-9223372036854775808';
  const place = (n: number): string =>
    n === 0 ? 'the start of the chain' : `record ${String(n)}`;
  for (;;) {
    const { rows } = await db.query<Row>(pageQuery(scaled, traced), [
      cursor,
      pageSize,
    ]);
    for (const row of rows) {
      const seq = Number(row.seq);
      const storedBefore = last?.seq ?? 0;
      if (seq > storedBefore + 1) gaps.add(storedBefore + 1, seq - 1);
      records += 1;
      const chainId = row.chain_id;
      let state = chains.get(chainId);
      if (!state) {
        state = { records: 0, head: null };
        chains.set(chainId, state);
      }
      const previous = state.head;
      if (row.operation_text === null) {
        report({
          seq,
          kind: 'ALTERED',
          chain: chainId,
          detail: `record ${String(seq)} refers to an operation text that is not stored (${String(row.operation_sha256)}): it was deleted`,
        });
      } else if (hashFields(row.prev_hash, fieldsOf(row)) !== row.hash) {
        report({
          seq,
          kind: 'ALTERED',
          chain: chainId,
          detail: `record ${String(seq)} does not match its hash: it was changed after it was written`,
        });
      }
      const expectedPrev = previous?.hash ?? GENESIS_HASH;
      if (row.prev_hash !== expectedPrev) {
        // Where the record's link points: 0 for the start of the chain.
        const chainedAfter =
          row.prev_hash === GENESIS_HASH
            ? 0
            : await seqOfHash(chainId, row.prev_hash);
        const storedAfter = previous?.seq ?? 0;
        if (chainedAfter !== null && chainedAfter !== storedAfter) {
          report({
            seq,
            kind: 'REORDERED',
            chain: chainId,
            detail: `record ${String(seq)} is chained after ${place(chainedAfter)} but is stored after ${place(storedAfter)}`,
          });
        } else if (chainedAfter === null) {
          const absent = gaps.between(storedAfter, seq);
          if (absent) {
            report({
              seq: absent.first,
              kind: 'MISSING',
              chain: chainId,
              detail:
                absent.count === 1
                  ? `record ${String(absent.first)} is missing`
                  : absent.count === absent.last - absent.first + 1
                    ? `records ${String(absent.first)} to ${String(absent.last)} are missing`
                    : `records between ${String(absent.first)} and ${String(absent.last)} are missing`,
            });
          } else {
            report({
              seq,
              kind: 'BROKEN_LINK',
              chain: chainId,
              detail: `record ${String(seq)} is chained to a record that is not in the log: the record before it was deleted or rewritten`,
            });
          }
        }
      }
      if (registered.get(chainId)?.hash === row.hash) headFound.add(chainId);
      state.head = { seq, hash: row.hash };
      state.records += 1;
      last = { seq, hash: row.hash };
      cursor = String(row.seq);
    }
    if (rows.length < pageSize) break;
  }

  for (const [chain, head] of registered) {
    if (head.seq === null || headFound.has(chain)) continue;
    report({
      seq: head.seq,
      kind: 'TRUNCATED',
      chain,
      detail: `chain ${chain} (writer ${head.writer}) no longer holds its registered head, record ${String(head.seq)}: records were cut from its end, or it was rewritten or dropped`,
    });
  }

  const checkpoints = scaled
    ? await verifyCheckpoints(db, pageSize, maxProblems, report)
    : { count: 0, head: null };

  return {
    ok: problems.length === 0 && problemsOmitted === 0,
    records,
    problems,
    problemsOmitted,
    head: last,
    chains: [...chains].map(([chain, state]) => ({
      chain,
      writer:
        registered.get(chain)?.writer ?? (chain === 'legacy' ? 'legacy' : null),
      records: state.records,
      head: state.head,
    })),
    checkpoints,
  };
}

interface CheckpointRow {
  id: string | number;
  created_at: string;
  heads: { chain: string; seq: number; hash: string }[];
  prev_hash: string;
  hash: string;
}

/**
 * Verifies the checkpoints' hash chain (ids without gaps, each hash over
 * its content and the hash before) and that every head they bound is, at
 * its seq, the record of its chain with its hash.
 */
async function verifyCheckpoints(
  db: Queryable,
  pageSize: number,
  maxProblems: number,
  report: (problem: AccessLogProblem) => void,
): Promise<AccessLogVerification['checkpoints']> {
  let count = 0;
  let previous: { id: number; hash: string } | null = null;
  let cursor = '0';
  for (;;) {
    const { rows } = await db.query<CheckpointRow>(
      `SELECT id, ${TIME('created_at')} AS created_at, heads, prev_hash, hash
         FROM audit.access_log_checkpoints
        WHERE id > $1::bigint ORDER BY id LIMIT $2`,
      [cursor, pageSize],
    );
    for (const row of rows) {
      count += 1;
      const id = Number(row.id);
      const expectedId: number = (previous?.id ?? 0) + 1;
      if (id > expectedId) {
        report({
          seq: expectedId,
          kind: 'CHECKPOINT_MISSING',
          detail:
            id - expectedId === 1
              ? `checkpoint ${String(expectedId)} is missing`
              : `checkpoints ${String(expectedId)} to ${String(id - 1)} are missing`,
        });
      }
      const heads = Array.isArray(row.heads) ? row.heads : [];
      const recomputed = hashCheckpoint({
        id,
        createdAt: new Date(isoTime(row.created_at)),
        heads,
        prevHash: row.prev_hash,
      });
      // A time below the millisecond cannot come from the writer.
      const exactTime = row.created_at.endsWith('000');
      if (recomputed !== row.hash || !exactTime) {
        report({
          seq: id,
          kind: 'CHECKPOINT_ALTERED',
          detail: `checkpoint ${String(id)} does not match its hash: it was changed after it was written`,
        });
      }
      const expectedPrev = previous?.hash ?? GENESIS_HASH;
      if (row.prev_hash !== expectedPrev && id === expectedId) {
        report({
          seq: id,
          kind: 'CHECKPOINT_BROKEN_LINK',
          detail: `checkpoint ${String(id)} is not chained to checkpoint ${String(id - 1)} as stored: a checkpoint before it was rewritten`,
        });
      }
      previous = { id, hash: row.hash };
      cursor = String(id);
    }
    if (rows.length < pageSize) break;
  }

  // Every bound head still at its seq, with its hash, in its chain.
  const { rows: lost } = await db.query<{
    id: string | number;
    chain: string;
    seq: string | number;
    hash: string;
    moved_to: string | number | null;
  }>(
    `SELECT cp.id, h.chain, h.seq, h.hash,
            (SELECT m.seq FROM audit.access_log m
              WHERE m.chain_id = h.chain AND m.hash = h.hash
              ORDER BY m.seq LIMIT 1) AS moved_to
       FROM audit.access_log_checkpoints cp
      CROSS JOIN LATERAL jsonb_to_recordset(
              CASE WHEN jsonb_typeof(cp.heads) = 'array' THEN cp.heads ELSE '[]'::jsonb END
            ) AS h(chain text, seq bigint, hash text)
       LEFT JOIN audit.access_log l
         ON l.seq = h.seq AND l.chain_id = h.chain AND l.hash = h.hash
      WHERE l.seq IS NULL
      ORDER BY cp.id, h.chain
      LIMIT $1`,
    [maxProblems + 1],
  );
  for (const r of lost) {
    const seq = Number(r.seq);
    report(
      r.moved_to === null
        ? {
            seq,
            kind: 'TRUNCATED',
            chain: r.chain,
            detail: `checkpoint ${String(r.id)} bound record ${String(seq)} as the head of chain ${r.chain}, and the chain no longer holds it: records were cut from its end, or it was rewritten or dropped`,
          }
        : {
            seq,
            kind: 'REORDERED',
            chain: r.chain,
            detail: `checkpoint ${String(r.id)} bound record ${String(seq)} as the head of chain ${r.chain}, and it is stored as record ${String(r.moved_to)}`,
          },
    );
  }
  return { count, head: previous };
}
