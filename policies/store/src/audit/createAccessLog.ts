import type {
  Database,
  Logger,
  Queryable,
} from '../../../../subgraphs/kit/src/index.js';
import { AccessLogError } from './AccessLogError.js';
import {
  normalizeRecord,
  type AccessLogInput,
  type AccessLogRecord,
} from './AccessLogRecord.js';
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
   * Statement timeout of a batch's transaction, in milliseconds, so that a
   * stalled database makes appends fail instead of hang.
   * @defaultValue 10000
   */
  writeTimeoutMs?: number;
}

/** Dependencies of {@link createAccessLog}. */
export interface AccessLogDeps {
  logger: Logger;
  /** The clock that dates records appended without `recordedAt`. */
  now?: () => Date;
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
}

interface Pending {
  readonly record: AccessLogRecord;
  resolve(): void;
  reject(error: AccessLogError): void;
}

/** Advisory lock that serialises writers of the chain across processes. */
export const ACCESS_LOG_LOCK = 'govgraph:audit:access_log';

const COLUMNS = [
  'seq',
  'recorded_at',
  'subject',
  'department',
  'roles',
  'purpose',
  'operation_hash',
  'operation_text',
  'operation_name',
  'read',
  'withheld',
  'masked',
  'outcome',
  'latency_ms',
  'prev_hash',
  'hash',
  'attempt_id',
] as const;

const CASTS: Partial<Record<(typeof COLUMNS)[number], string>> = {
  seq: '::bigint',
  recorded_at: '::timestamptz',
  roles: '::text[]',
  read: '::jsonb',
  withheld: '::jsonb',
  masked: '::jsonb',
  latency_ms: '::integer',
};

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

/**
 * Appends the records of one batch to the chain in one transaction: takes
 * the chain's advisory lock, reads the last (seq, hash), then inserts every
 * record with one multi-row INSERT. All or nothing.
 */
async function writeBatch(
  tx: Queryable,
  records: readonly AccessLogRecord[],
  writeTimeoutMs: number,
): Promise<void> {
  await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [
    String(writeTimeoutMs),
  ]);
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    ACCESS_LOG_LOCK,
  ]);
  // A statement of its own, after the lock: its snapshot sees the batch of
  // the writer that held the lock before.
  const { rows } = await tx.query<{ seq: string | number; hash: string }>(
    'SELECT seq, hash FROM audit.access_log ORDER BY seq DESC LIMIT 1',
  );
  const last = rows[0];
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const record of records) {
    seq += 1;
    const hash = hashRecord(prevHash, record);
    const row: Record<(typeof COLUMNS)[number], unknown> = {
      seq: String(seq),
      recorded_at: record.recordedAt.toISOString(),
      subject: record.subject,
      department: record.department,
      roles: [...record.roles],
      purpose: record.purpose,
      operation_hash: record.operationHash,
      operation_text: record.operationText,
      operation_name: record.operationName,
      read: JSON.stringify(record.read),
      withheld: JSON.stringify(record.withheld),
      masked: JSON.stringify(record.masked),
      outcome: record.outcome,
      latency_ms: record.latencyMs,
      prev_hash: prevHash,
      hash,
      attempt_id: record.attemptId ?? null,
    };
    tuples.push(
      `(${COLUMNS.map((column) => {
        values.push(row[column]);
        return `$${String(values.length)}${CASTS[column] ?? ''}`;
      }).join(', ')})`,
    );
    prevHash = hash;
  }
  await tx.query(
    `INSERT INTO audit.access_log (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
    values,
  );
}

/**
 * The gateway's access log over `audit.access_log` (apply
 * {@link migrateAccessLog} first). Records are buffered and written in
 * batches: a batch is written when `batchSize` records wait, or
 * `flushIntervalMs` after the first of them, and while one batch is being
 * written the next gathers. One batch is written at a time per log, each in
 * a transaction holding the chain's advisory lock, so any number of gateway
 * processes writing to one table keep one hash chain.
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
    try {
      await db.transaction((tx) =>
        writeBatch(
          tx,
          batch.map((p) => p.record),
          writeTimeoutMs,
        ),
      );
      if (!healthy) {
        healthy = true;
        logger.info({ records: batch.length }, 'access log writable again');
      }
      for (const p of batch) p.resolve();
    } catch (cause) {
      healthy = false;
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
    async close() {
      closed = true;
      await flush();
    },
    get healthy() {
      return healthy;
    },
    failClosed,
  };
}
