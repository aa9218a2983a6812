import { createHash } from 'node:crypto';

import type {
  Database,
  Queryable,
} from '../../../../subgraphs/kit/src/db/Database.js';
import { canonicalJson } from '../../../src/index.js';
import { GENESIS_HASH } from './hashRecord.js';

/** Advisory lock under which a checkpoint is written (ids without gaps). */
export const CHECKPOINT_LOCK = 'govgraph:audit:checkpoint';

/** One chain's head as a checkpoint binds it. */
export interface ChainHead {
  /** `audit.access_log.chain_id`. */
  readonly chain: string;
  /** The head record's seq. */
  readonly seq: number;
  /** The head record's hash. */
  readonly hash: string;
}

/** A row of `audit.access_log_checkpoints`. */
export interface Checkpoint {
  /** 1, 2, 3, … without gaps. */
  readonly id: number;
  readonly createdAt: Date;
  /** The heads of the chains that grew since the checkpoint before, by chain. */
  readonly heads: readonly ChainHead[];
  /** The hash of the checkpoint before ({@link GENESIS_HASH} for the first). */
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The hash of a checkpoint: SHA-256, hex, of the canonical JSON of its id,
 * time (ISO 8601, milliseconds), heads (`[chain, seq, hash]` in chain
 * order) and the previous checkpoint's hash. Changing a head, or any
 * checkpoint before, changes it.
 */
export function hashCheckpoint(checkpoint: Omit<Checkpoint, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        id: checkpoint.id,
        created_at: checkpoint.createdAt.toISOString(),
        heads: checkpoint.heads.map((h) => [h.chain, h.seq, h.hash]),
        prev_hash: checkpoint.prevHash,
      }),
    )
    .digest('hex');
}

/** Options of {@link writeCheckpoint}. */
export interface WriteCheckpointOptions {
  /**
   * Write nothing when the last checkpoint is younger than this
   * (milliseconds), so that many writers checkpointing on a timer write
   * about one checkpoint per interval between them.
   * @defaultValue 0
   */
  readonly minIntervalMs?: number;
  /**
   * Wait for the checkpoint lock instead of giving up when another process
   * holds it.
   * @defaultValue false
   */
  readonly wait?: boolean;
  /** Statement timeout of the checkpoint's transaction. @defaultValue 10000 */
  readonly writeTimeoutMs?: number;
  /** The clock that dates the checkpoint. */
  readonly now?: () => Date;
}

async function lastCheckpoint(
  tx: Queryable,
): Promise<{ id: number; hash: string; createdAt: Date } | null> {
  const { rows } = await tx.query<{
    id: string | number;
    hash: string;
    created_at: Date;
  }>(
    'SELECT id, hash, created_at FROM audit.access_log_checkpoints ORDER BY id DESC LIMIT 1',
  );
  const row = rows[0];
  return row
    ? { id: Number(row.id), hash: row.hash, createdAt: row.created_at }
    : null;
}

/**
 * Writes the next checkpoint: under the checkpoint lock, reads the head of
 * every chain that grew since the checkpoint that last bound it (from
 * `audit.access_log_chains`, moved by each writer in its batches'
 * transactions, so only committed heads), chains them to the last
 * checkpoint and inserts the row. Any process may run it, at any time, as
 * often as it likes: the writers on a timer, a job, an operator.
 *
 * @returns the checkpoint written, or null when none was: the lock was
 *   held elsewhere (without `wait`), no chain grew, or the last checkpoint
 *   is younger than `minIntervalMs`
 */
export async function writeCheckpoint(
  db: Database,
  options: WriteCheckpointOptions = {},
): Promise<Checkpoint | null> {
  const now = options.now ?? ((): Date => new Date());
  return db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [
      String(options.writeTimeoutMs ?? 10_000),
    ]);
    if (options.wait === true) {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        CHECKPOINT_LOCK,
      ]);
    } else {
      const { rows } = await tx.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [CHECKPOINT_LOCK],
      );
      if (rows[0]?.locked !== true) return null;
    }
    const last = await lastCheckpoint(tx);
    const createdAt = new Date(now().getTime());
    if (
      last &&
      createdAt.getTime() - last.createdAt.getTime() <
        (options.minIntervalMs ?? 0)
    ) {
      return null;
    }
    const { rows } = await tx.query<{
      chain_id: string;
      head_seq: string | number;
      head_hash: string;
    }>(
      `SELECT chain_id, head_seq, head_hash FROM audit.access_log_chains
        WHERE head_seq IS NOT NULL
          AND head_seq IS DISTINCT FROM checkpointed_seq
        ORDER BY chain_id`,
    );
    if (rows.length === 0) return null;
    const heads: ChainHead[] = rows.map((r) => ({
      chain: r.chain_id,
      seq: Number(r.head_seq),
      hash: r.head_hash,
    }));
    const unsigned = {
      id: (last?.id ?? 0) + 1,
      createdAt,
      heads,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const checkpoint: Checkpoint = {
      ...unsigned,
      hash: hashCheckpoint(unsigned),
    };
    await tx.query(
      `WITH cp AS (
         INSERT INTO audit.access_log_checkpoints (id, created_at, heads, prev_hash, hash)
         VALUES ($1, $2::timestamptz, $3::jsonb, $4, $5))
       UPDATE audit.access_log_chains c SET checkpointed_seq = h.seq
         FROM unnest($6::text[], $7::bigint[]) AS h(chain_id, seq)
        WHERE c.chain_id = h.chain_id`,
      [
        checkpoint.id,
        createdAt.toISOString(),
        JSON.stringify(heads),
        checkpoint.prevHash,
        checkpoint.hash,
        heads.map((h) => h.chain),
        heads.map((h) => String(h.seq)),
      ],
    );
    return checkpoint;
  });
}
