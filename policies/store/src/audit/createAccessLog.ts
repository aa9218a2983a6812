import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { sha256 } from '../../../../subgraphs/kit/src/sha256.js';
import type {
  Database,
  Queryable,
} from '../../../../subgraphs/kit/src/db/Database.js';
import type { Logger } from '../../../../subgraphs/kit/src/logger.js';
import { AccessLogError } from './AccessLogError.js';
import {
  normalizeRecord,
  type AccessLogInput,
  type AccessLogRecord,
} from './AccessLogRecord.js';
import { canonicalJson } from '../../../src/index.js';
import { writeCheckpoint } from './checkpoints.js';
import { GENESIS_HASH, hashRecord } from './hashRecord.js';

/** Configuration of {@link createAccessLog}. */
export interface AccessLogConfig {
  /** The database that holds `audit.access_log` (migrated). Not closed by the log. */
  db: Database;
  /**
   * Most records written by one INSERT (1–1000).
   * @defaultValue 100
   */
  batchSize?: number;
  /**
   * Milliseconds a record waits for others before a smaller batch is written.
   * @defaultValue 200
   */
  flushIntervalMs?: number;
  /**
   * When true, `append` rejects if its record cannot be written, so that the
   * gateway refuses the cross-department read. When false, the failure is
   * logged, the record is lost and `append` resolves.
   * @defaultValue true
   */
  failClosed?: boolean;
  /**
   * Most records waiting to be written; `append` rejects (`OVERLOADED`)
   * beyond it, so a stalled database cannot exhaust memory.
   * @defaultValue 10000
   */
  maxPending?: number;
  /**
   * Statement timeout of a checkpoint's transaction, in milliseconds, so
   * that a stalled database makes checkpoints fail instead of hang. A batch
   * of records is one statement without a transaction of its own, bounded
   * by the statement timeout of `db`'s connections (the pg adapter's: 60 s
   * by default); the gateway's append deadline refuses the operations
   * waiting for it long before.
   * @defaultValue 10000
   */
  writeTimeoutMs?: number;
  /**
   * Names this writer in `audit.access_log_chains` (e.g. the gateway
   * instance). Each log writes a chain of its own, identified by a random
   * UUID chosen when the log is created: a restarted writer, or two
   * processes given the same id, start new chains and never share one.
   * @defaultValue `<hostname>:<pid>`
   */
  writerId?: string;
  /**
   * Milliseconds between checkpoints this writer attempts
   * ({@link writeCheckpoint}: skipped while another process holds the
   * checkpoint lock or when a checkpoint is younger than the interval); on
   * `close`, a last one binds the chain's final head. Absent: this writer
   * writes no checkpoints (another process must).
   */
  checkpointIntervalMs?: number;
}

/** Dependencies of {@link createAccessLog}. */
export interface AccessLogDeps {
  logger: Logger;
  /** The clock that dates records appended without `recordedAt`. */
  now?: () => Date;
  /** Told of every batch written or failed (for metrics). */
  observer?: AccessLogObserver;
}

/** What {@link AccessLogDeps.observer} is told. */
export interface AccessLogObserver {
  /** A batch of `records` committed in `seconds`. */
  batchWritten(records: number, seconds: number): void;
  /** A batch of `records` that could not be written, after `seconds`. */
  batchFailed(records: number, seconds: number): void;
}

/** The gateway's tamper-evident access log. */
export interface AccessLog {
  /**
   * Adds one record. Resolves once it is committed to the database, in a
   * batch with others; rejects with an {@link AccessLogError} if it is
   * invalid, if the log is closed or overloaded, or (fail-closed) if its
   * batch could not be written, in which case nothing of that batch is.
   */
  append(record: AccessLogInput): Promise<void>;
  /** Writes what is buffered now; resolves when everything appended so far is settled. Never rejects. */
  flush(): Promise<void>;
  /**
   * Stops accepting records and writes every record appended before it
   * (for SIGTERM). Idempotent; never rejects; does not close the database.
   */
  close(): Promise<void>;
  /** False after a batch failed to be written, until one is written again. */
  readonly healthy: boolean;
  /** Whether appends reject when their record cannot be written. */
  readonly failClosed: boolean;
  /** The id of this log's chain in `audit.access_log.chain_id`. */
  readonly chainId: string;
  /** Records appended whose batch has not settled yet (the queue's depth). */
  readonly pending: number;
}

interface Pending {
  readonly record: AccessLogRecord;
  resolve(): void;
  reject(error: AccessLogError): void;
}

/**
 * Advisory lock that serialised the writers of the one shared chain before
 * migration 003; kept for old callers. Writers no longer take it: each has
 * a chain of its own.
 */
export const ACCESS_LOG_LOCK = 'govgraph:audit:access_log';

/** The columns of one record, in the order of the arrays of a batch. */
const COLUMNS = [
  ['recorded_at', 'timestamptz'],
  ['subject', 'text'],
  ['department', 'text'],
  ['roles', 'text'], // one array literal per record: see rolesLiteral
  ['purpose', 'text'],
  ['operation_hash', 'text'],
  ['operation_sha256', 'text'],
  ['operation_name', 'text'],
  ['read', 'jsonb'],
  ['withheld', 'jsonb'],
  ['masked', 'jsonb'],
  ['outcome', 'text'],
  ['latency_ms', 'integer'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['attempt_id', 'text'],
  ['trace_id', 'text'],
] as const;

/** `$n::type[]` for each column, from `$first`. */
function unnestArguments(first: number): string {
  return COLUMNS.map(([, type], i) => `$${String(first + i)}::${type}[]`).join(
    ', ',
  );
}

/** A text[] value as one PostgreSQL array literal (unnest cannot take text[][] of ragged rows). */
function rolesLiteral(roles: readonly string[]): string {
  return `{${roles.map((r) => `"${r.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

// $1 chain id, $2..$18 the columns, then (when new texts come with the
// batch) their hashes and texts. `ok` is the guard of a batch that extends
// a registered chain (below); a chain's first batch has none.
const recordsCte = (guarded: boolean): string => `ins AS (
  INSERT INTO audit.access_log (chain_id, ${COLUMNS.map(([c]) => c).join(', ')})
  SELECT $1, recorded_at, subject, department, roles::text[], purpose,
         operation_hash, operation_sha256, operation_name, read, withheld,
         masked, outcome, latency_ms, prev_hash, hash, attempt_id, trace_id
    FROM unnest(${unnestArguments(2)})
      AS u(${COLUMNS.map(([c]) => c).join(', ')})${guarded ? '\n   WHERE EXISTS (SELECT 1 FROM ok)' : ''}
  RETURNING seq)`;
const TEXTS_FIRST = 2 + COLUMNS.length;
const textsCte = (guarded: boolean): string => `texts AS (
  INSERT INTO audit.operation_texts (sha256, text)
  SELECT * FROM unnest($${String(TEXTS_FIRST)}::text[], $${String(TEXTS_FIRST + 1)}::text[])${guarded ? '\n   WHERE EXISTS (SELECT 1 FROM ok)' : ''}
  ON CONFLICT (sha256) DO NOTHING)`;
const NEXT = TEXTS_FIRST + 2;

/**
 * One batch as one statement, which PostgreSQL runs all or nothing in a
 * transaction of its own (one round trip, where BEGIN, the statement and
 * COMMIT took three). The first batch of a chain registers it (a chain id
 * registered already fails the statement). Every later batch moves the
 * chain's head in `audit.access_log_chains` from the head the writer
 * expects: `ok` locks the chain's row only while its head is that one (a
 * concurrent change of the row is waited for and re-read), the records and
 * texts are inserted only when it did, and the head moves only from it.
 * When the chain's head is not where the writer left it (a second writer on
 * the chain, or a batch whose commit the writer never heard of), nothing is
 * written and no row is returned.
 */
function batchStatement(first: boolean, withTexts: boolean): string {
  const guarded = !first;
  // Placeholders after the texts' two, or in their place when none.
  const n = (k: number): string =>
    `$${String((withTexts ? NEXT : TEXTS_FIRST) + k)}`;
  const ctes = [
    ...(guarded
      ? [
          `ok AS (
  SELECT chain_id FROM audit.access_log_chains
   WHERE chain_id = $1 AND head_hash = ${n(1)}
     FOR UPDATE)`,
        ]
      : []),
    ...(withTexts ? [textsCte(guarded)] : []),
    recordsCte(guarded),
  ].join(', ');
  return first
    ? `WITH ${ctes}
       INSERT INTO audit.access_log_chains
         (chain_id, writer_id, started_at, head_seq, head_hash, records)
       SELECT $1, ${n(0)}, ${n(1)}::timestamptz, max(seq), ${n(2)}, count(*) FROM ins
       RETURNING head_seq`
    : `WITH ${ctes}
       UPDATE audit.access_log_chains
          SET head_seq = (SELECT max(seq) FROM ins), head_hash = ${n(0)},
              records = records + (SELECT count(*) FROM ins)
        WHERE chain_id = $1 AND head_hash = ${n(1)}
          AND EXISTS (SELECT 1 FROM ok)
       RETURNING head_seq`;
}

function positiveInteger(
  value: number | undefined,
  fallback: number,
  name: string,
  max: number,
): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw AccessLogError.invalidConfig(
      name,
      `an integer from 1 to ${String(max)}`,
    );
  }
  return chosen;
}

/** Where a writer's chain stands. */
interface ChainState {
  readonly chainId: string;
  readonly writerId: string;
  readonly startedAt: Date;
  /** Whether the chain's row exists in audit.access_log_chains. */
  registered: boolean;
  /** The hash of the chain's last record (GENESIS_HASH before the first). */
  headHash: string;
  /** Set after a failed batch: read the head from the database before the next. */
  uncertain: boolean;
}

/** A bounded set: the oldest entries are forgotten first. */
class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly max: number) {}
  has(item: string): boolean {
    return this.items.has(item);
  }
  add(item: string): void {
    if (this.items.has(item)) return;
    if (this.items.size >= this.max) {
      const oldest = this.items.values().next();
      if (oldest.done !== true) this.items.delete(oldest.value);
    }
    this.items.add(item);
  }
}

/**
 * Appends the records of one batch to the writer's chain: one statement
 * ({@link batchStatement}) inserts every record (arrays through `unnest`),
 * the operation texts not stored yet, and moves the chain's head. All or
 * nothing. Returns the SHA-256 of the texts it stored and the new head hash.
 */
async function writeBatch(
  db: Queryable,
  chain: ChainState,
  records: readonly AccessLogRecord[],
  storedTexts: BoundedSet,
  textHash: (text: string) => string,
): Promise<{ headHash: string; texts: string[] }> {
  if (chain.uncertain) {
    // After a failure: the head the database holds, which a batch whose
    // commit was not confirmed may have moved.
    const { rows } = await db.query<{ head_hash: string }>(
      'SELECT head_hash FROM audit.access_log_chains WHERE chain_id = $1',
      [chain.chainId],
    );
    chain.registered = rows[0] !== undefined;
    chain.headHash = rows[0]?.head_hash ?? GENESIS_HASH;
    chain.uncertain = false;
  }
  const columns: unknown[][] = COLUMNS.map(() => []);
  const newTexts = new Map<string, string>();
  let prevHash = chain.headHash;
  for (const record of records) {
    // Serialised once, canonically: hashed and stored alike.
    const nested = {
      read: canonicalJson(record.read),
      withheld: canonicalJson(record.withheld),
      masked: canonicalJson(record.masked),
    };
    const hash = hashRecord(prevHash, record, nested);
    const sha = textHash(record.operationText);
    if (!storedTexts.has(sha)) newTexts.set(sha, record.operationText);
    const row = [
      record.recordedAt.toISOString(),
      record.subject,
      record.department,
      rolesLiteral(record.roles),
      record.purpose,
      record.operationHash,
      sha,
      record.operationName,
      nested.read,
      nested.withheld,
      nested.masked,
      record.outcome,
      record.latencyMs,
      prevHash,
      hash,
      record.attemptId ?? null,
      record.traceId ?? null,
    ];
    row.forEach((value, i) => columns[i]?.push(value));
    prevHash = hash;
  }
  const withTexts = newTexts.size > 0;
  const values: unknown[] = [chain.chainId, ...columns];
  if (withTexts) values.push([...newTexts.keys()], [...newTexts.values()]);
  if (chain.registered) values.push(prevHash, chain.headHash);
  else values.push(chain.writerId, chain.startedAt.toISOString(), prevHash);
  const first = !chain.registered;
  const { rows } = await db.query<{ head_seq: string | number | null }>(
    batchStatement(first, withTexts),
    values,
    // Prepared once per connection: parsed and planned once, not per batch.
    {
      name: `govgraph_access_log_batch_${first ? 'first' : 'next'}${withTexts ? '_texts' : ''}`,
    },
  );
  if (rows.length !== 1) {
    throw new Error(
      `chain ${chain.chainId} does not end where its writer left it: another writer extended it, or a batch whose commit was not confirmed did`,
    );
  }
  return { headHash: prevHash, texts: [...newTexts.keys()] };
}

/**
 * The gateway's access log over `audit.access_log` (apply
 * {@link migrateAccessLog} first). Records are buffered and written in
 * batches: a batch is written when `batchSize` records wait, or
 * `flushIntervalMs` after the first of them, and while one batch is being
 * written the next gathers. One batch is written at a time per log, each as
 * one statement that extends the log's own chain only from the head it
 * left, so any number of gateway processes write to one table, each its
 * own hash chain.
 */
export function createAccessLog(
  config: AccessLogConfig,
  deps: AccessLogDeps,
): AccessLog {
  const { db } = config;
  const { logger } = deps;
  const now = deps.now ?? ((): Date => new Date());
  const batchSize = positiveInteger(config.batchSize, 100, 'batchSize', 1000);
  const flushIntervalMs = positiveInteger(
    config.flushIntervalMs,
    200,
    'flushIntervalMs',
    60_000,
  );
  const maxPending = positiveInteger(
    config.maxPending,
    10_000,
    'maxPending',
    Number.MAX_SAFE_INTEGER,
  );
  const writeTimeoutMs = positiveInteger(
    config.writeTimeoutMs,
    10_000,
    'writeTimeoutMs',
    3_600_000,
  );
  const failClosed = config.failClosed ?? true;
  const checkpointIntervalMs =
    config.checkpointIntervalMs === undefined
      ? undefined
      : positiveInteger(
          config.checkpointIntervalMs,
          1,
          'checkpointIntervalMs',
          86_400_000,
        );
  const writerId = config.writerId ?? `${hostname()}:${String(process.pid)}`;
  if (typeof writerId !== 'string' || writerId.length === 0) {
    throw AccessLogError.invalidConfig('writerId', 'a non-empty string');
  }
  const chain: ChainState = {
    chainId: randomUUID(),
    writerId,
    startedAt: now(),
    registered: false,
    headHash: GENESIS_HASH,
    uncertain: false,
  };
  // SHA-256 of the operation texts seen lately, and those known stored.
  const textHashes = new Map<string, string>();
  const textHash = (text: string): string => {
    let hash = textHashes.get(text);
    if (hash === undefined) {
      hash = sha256(text);
      if (textHashes.size >= 10_000) textHashes.clear();
      textHashes.set(text, hash);
    }
    return hash;
  };
  const storedTexts = new BoundedSet(100_000);

  const buffer: Pending[] = [];
  let healthy = true;
  let closed = false;
  let writing = false;
  let timer: NodeJS.Timeout | undefined;
  // Records appended and records whose batch has settled, counted in order:
  // batches settle first in, first out, so `flush` waits for a count.
  let appended = 0;
  let settled = 0;
  const waiters: { target: number; resolve(): void }[] = [];

  function settle(count: number): void {
    settled += count;
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const waiter = waiters[i];
      if (waiter && waiter.target <= settled) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  async function write(batch: readonly Pending[]): Promise<void> {
    const began = performance.now();
    try {
      const written = await writeBatch(
        db,
        chain,
        batch.map((p) => p.record),
        storedTexts,
        textHash,
      );
      chain.registered = true;
      chain.headHash = written.headHash;
      for (const sha of written.texts) storedTexts.add(sha);
      if (!healthy) {
        healthy = true;
        logger.info({ records: batch.length }, 'access log writable again');
      }
      deps.observer?.batchWritten(
        batch.length,
        (performance.now() - began) / 1000,
      );
      for (const p of batch) p.resolve();
    } catch (cause) {
      deps.observer?.batchFailed(
        batch.length,
        (performance.now() - began) / 1000,
      );
      healthy = false;
      chain.uncertain = true;
      const error = AccessLogError.writeFailed(batch.length, cause);
      logger.error(
        { err: cause, records: batch.length, failClosed },
        failClosed
          ? 'access log write failed; the operations of this batch are refused'
          : 'access log write failed; the records of this batch are lost',
      );
      for (const p of batch) {
        if (failClosed) p.reject(error);
        else p.resolve();
      }
    } finally {
      settle(batch.length);
    }
  }

  function kick(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (writing || buffer.length === 0) return;
    writing = true;
    void (async () => {
      try {
        while (buffer.length > 0) {
          await write(buffer.splice(0, batchSize));
        }
      } finally {
        writing = false;
      }
    })();
  }

  async function flush(): Promise<void> {
    const target = appended;
    kick();
    if (settled >= target) return;
    await new Promise<void>((resolve) => {
      waiters.push({ target, resolve });
    });
  }

  // Checkpoints: one attempt at a time, every checkpointIntervalMs.
  let checkpointing: Promise<void> | null = null;
  const checkpoint = (minIntervalMs: number, wait: boolean): Promise<void> => {
    const run = (checkpointing ?? Promise.resolve())
      .then(() => writeCheckpoint(db, { minIntervalMs, wait, writeTimeoutMs }))
      .then(
        () => undefined,
        (err: unknown) => {
          logger.warn({ err }, 'access log checkpoint failed; retried later');
        },
      );
    checkpointing = run;
    return run;
  };
  const checkpointTimer =
    checkpointIntervalMs === undefined
      ? undefined
      : setInterval(() => {
          if (checkpointing === null) {
            void checkpoint(checkpointIntervalMs, false).finally(() => {
              checkpointing = null;
            });
          }
        }, checkpointIntervalMs);
  checkpointTimer?.unref();
  let closing: Promise<void> | undefined;

  async function finish(): Promise<void> {
    await flush();
    clearInterval(checkpointTimer);
    if (!chain.registered) return;
    try {
      await db.transaction(async (tx) => {
        await tx.query(
          'UPDATE audit.access_log_chains SET closed_at = $2::timestamptz WHERE chain_id = $1',
          [chain.chainId, now().toISOString()],
        );
      });
    } catch (err) {
      logger.warn({ err }, 'access log: could not mark its chain closed');
    }
    // The chain's last head, bound before the writer goes.
    if (checkpointIntervalMs !== undefined) await checkpoint(0, true);
  }

  return {
    append(input) {
      if (closed) return Promise.reject(AccessLogError.closed());
      if (buffer.length >= maxPending) {
        return Promise.reject(AccessLogError.overloaded(buffer.length));
      }
      let record: AccessLogRecord;
      try {
        record = normalizeRecord(input, now);
      } catch (error) {
        return Promise.reject(
          error instanceof AccessLogError
            ? error
            : AccessLogError.invalidRecord('record', 'an access-log record'),
        );
      }
      return new Promise<void>((resolve, reject) => {
        buffer.push({ record, resolve, reject });
        appended += 1;
        if (buffer.length >= batchSize) kick();
        else if (!writing && timer === undefined) {
          timer = setTimeout(kick, flushIntervalMs);
        }
      });
    },
    flush,
    close() {
      closed = true;
      closing ??= finish();
      return closing;
    },
    get healthy() {
      return healthy;
    },
    failClosed,
    chainId: chain.chainId,
    get pending() {
      return appended - settled;
    },
  };
}
