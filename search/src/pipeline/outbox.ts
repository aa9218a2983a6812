// The SQL of the indexing pipeline on a department's outbox table (see
// SearchSource): what is pending, what a job carries, what is done.
import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';

/** A row the relay hands to a job. */
export interface OutboxRow {
  id: number;
  collection: string;
  doc_id: string;
  attempts: number;
}

/** Refuses a table name that would need quoting (it is spliced into SQL). */
export function assertOutboxTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(table)) {
    throw new RangeError(
      `invalid outbox table "${table}": use schema.table in lower case`,
    );
  }
  return table;
}

/** The statements of the pipeline on one outbox table. */
export class Outbox {
  readonly table: string;

  constructor(
    private readonly db: Queryable,
    table: string,
  ) {
    this.table = assertOutboxTable(table);
  }

  /**
   * Unprocessed rows due for a job, oldest first: never carried by a job,
   * or whose `retry_at` has passed (their job was lost or dead-lettered).
   * With `all`, every unprocessed row. Skips the collections in `skip`
   * (being rebuilt) and rows up to `afterId`.
   */
  async due(
    limit: number,
    options: { all?: boolean; skip?: readonly string[]; afterId?: number } = {},
  ): Promise<OutboxRow[]> {
    const { rows } = await this.db.query<OutboxRow>(
      `SELECT id::float8 AS id, collection, doc_id, attempts
         FROM ${this.table}
        WHERE processed_at IS NULL
          AND ($2 OR retry_at IS NULL OR retry_at <= now())
          AND NOT (collection = ANY($3::text[]))
          AND id > $4
        ORDER BY id
        LIMIT $1`,
      [limit, options.all === true, options.skip ?? [], options.afterId ?? 0],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Rows a job now carries: due again after `retryAfterMs` if unprocessed. */
  async markEnqueued(
    ids: readonly number[],
    retryAfterMs: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table}
          SET enqueued_at = now(),
              retry_at = now() + $2 * interval '1 millisecond',
              attempts = attempts + 1
        WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
      [ids, retryAfterMs],
    );
  }

  /** Rows whose change the index now holds. */
  async markProcessed(ids: readonly number[]): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table}
          SET processed_at = now(), last_error = NULL
        WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
      [ids],
    );
  }

  /**
   * Records a failed attempt on rows; with `retryAfterMs` (the job's last
   * attempt failed), makes them due again after that long.
   */
  async markFailed(
    ids: readonly number[],
    error: string,
    retryAfterMs?: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table}
          SET last_error = $2,
              retry_at = CASE WHEN $3::float8 IS NULL THEN retry_at
                              ELSE now() + $3::float8 * interval '1 millisecond' END
        WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
      [ids, error.slice(0, 2000), retryAfterMs ?? null],
    );
  }

  /** Unprocessed rows per collection. */
  async pendingByCollection(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ collection: string; n: number }>(
      `SELECT collection, count(*)::int AS n
         FROM ${this.table} WHERE processed_at IS NULL GROUP BY collection`,
    );
    return new Map(rows.map((r) => [r.collection, r.n]));
  }

  /**
   * How far the index is behind this outbox: unprocessed rows (counted up
   * to `countUpTo`, when given) and the age of the oldest, both through the
   * partial index on unprocessed rows.
   */
  async lag(
    countUpTo?: number,
  ): Promise<{ pending: number; oldestPendingAgeMs: number | null }> {
    const { rows } = await this.db.query<{
      pending: number;
      oldest_ms: number | null;
    }>(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM ${this.table}
                 WHERE processed_at IS NULL LIMIT $1) AS p) AS pending,
              (SELECT (extract(epoch FROM now() - created_at) * 1000)::float8
                 FROM ${this.table} WHERE processed_at IS NULL
                ORDER BY id LIMIT 1) AS oldest_ms`,
      [countUpTo ?? null],
    );
    const row = rows[0];
    return {
      pending: row?.pending ?? 0,
      oldestPendingAgeMs:
        row?.oldest_ms === null || row?.oldest_ms === undefined
          ? null
          : Math.max(0, Math.round(Number(row.oldest_ms))),
    };
  }

  /** The last error recorded on an unprocessed row, if any. */
  async lastError(): Promise<string | null> {
    const { rows } = await this.db.query<{ last_error: string }>(
      `SELECT last_error FROM ${this.table}
        WHERE processed_at IS NULL AND last_error IS NOT NULL
        ORDER BY id DESC LIMIT 1`,
    );
    return rows[0]?.last_error ?? null;
  }

  /**
   * Where a full reindex of `collection` starts: the newest row visible now,
   * the start time, and the id after which the transactions that were in
   * progress have all ended (`pg_snapshot_xmax` of this statement's snapshot).
   */
  async reindexStart(
    collection: string,
  ): Promise<{ maxId: number; startedAt: Date; xmax: string }> {
    const { rows } = await this.db.query<{
      max_id: number | null;
      started_at: Date;
      xmax: string;
    }>(
      `SELECT (SELECT max(id)::float8 FROM ${this.table} WHERE collection = $1) AS max_id,
              now() AS started_at,
              pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
      [collection],
    );
    const row = rows[0];
    if (!row) throw new Error('no reindex start row');
    return {
      maxId: Number(row.max_id ?? 0),
      startedAt: new Date(row.started_at),
      xmax: row.xmax,
    };
  }

  /**
   * True once every transaction in progress at `xmax` has ended: their
   * outbox rows are then visible (or rolled back) and every page read
   * afterwards includes their changes.
   */
  async transactionsEndedBefore(xmax: string): Promise<boolean> {
    const { rows } = await this.db.query<{ ended: boolean }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS ended`,
      [xmax],
    );
    return rows[0]?.ended === true;
  }

  /**
   * After a full reindex of `collection` that read every page after the
   * rows up to `maxId` were committed: those rows are done. Rows processed
   * while it ran may have gone to the generation it replaced, so they are
   * made due again (replaying is idempotent).
   *
   * @returns how many rows were marked processed and how many made due again
   */
  async finishReindex(
    collection: string,
    maxId: number | null,
    startedAt: Date,
  ): Promise<{ covered: number; replayed: number }> {
    let covered = 0;
    if (maxId !== null) {
      const { rows } = await this.db.query<{ n: number }>(
        `WITH done AS (
           UPDATE ${this.table} SET processed_at = now(), last_error = NULL
            WHERE collection = $1 AND id <= $2 AND processed_at IS NULL
            RETURNING 1)
         SELECT count(*)::int AS n FROM done`,
        [collection, maxId],
      );
      covered = rows[0]?.n ?? 0;
    }
    const { rows } = await this.db.query<{ n: number }>(
      `WITH again AS (
         UPDATE ${this.table} SET processed_at = NULL, retry_at = NULL
          WHERE collection = $1 AND id > $2 AND processed_at >= $3
          RETURNING 1)
       SELECT count(*)::int AS n FROM again`,
      [collection, maxId ?? 0, startedAt],
    );
    return { covered, replayed: rows[0]?.n ?? 0 };
  }

  /** Deletes rows processed longer than `retainMs` ago. */
  async prune(retainMs: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM ${this.table}
          WHERE processed_at < now() - $1 * interval '1 millisecond'
          RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retainMs],
    );
    return rows[0]?.n ?? 0;
  }
}
