import type { Logger } from '../../../../subgraphs/kit/src/logger.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/**
 * What {@link IdempotencyKeys.claim} found for a caller's key:
 *
 * - `CLAIMED`: the key was free (or its earlier use expired): it is now
 *   held by this request, which runs and then completes or releases it.
 * - `DONE`: a request with the same key and the same request hash ran; its
 *   answer is `response`.
 * - `PENDING`: a request with the same key and hash holds the key and has
 *   not completed it: it still runs, or the process running it stopped
 *   before storing its answer (whether it was done is not known here).
 * - `MISMATCH`: the key was used for another request (another hash).
 */
export type IdempotencyClaim =
  | { readonly kind: 'CLAIMED' }
  | { readonly kind: 'DONE'; readonly response: unknown }
  | { readonly kind: 'PENDING' }
  | { readonly kind: 'MISMATCH' };

/** Configuration of {@link createIdempotencyKeys}. */
export interface IdempotencyKeysConfig {
  /** The database that holds `audit.idempotency_keys` (migrated). */
  db: Queryable;
  /**
   * How long a key is kept after it was claimed, in milliseconds.
   * @defaultValue 86400000 (24 h)
   */
  ttlMs?: number;
  /**
   * Least time between two purges of expired keys (run after a claim).
   * @defaultValue 60000
   */
  purgeIntervalMs?: number;
}

/** Dependencies of {@link createIdempotencyKeys}. */
export interface IdempotencyKeysDeps {
  logger: Logger;
  /** The clock keys are dated and expired by. */
  now?: () => Date;
}

/**
 * The gateway's durable idempotency keys of mutations, per caller
 * (`subject`), each bound to one request hash (operation and variables).
 */
export interface IdempotencyKeys {
  /** Claims `key` for the request, or says who holds it (see {@link IdempotencyClaim}). */
  claim(
    subject: string,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyClaim>;
  /** Stores the answer of the request holding the key: later claims get it back (`DONE`). */
  complete(
    subject: string,
    key: string,
    requestHash: string,
    response: unknown,
  ): Promise<void>;
  /** Frees a key whose request did not run, so that a retry may run it. */
  release(subject: string, key: string, requestHash: string): Promise<void>;
  /** Deletes expired keys; resolves with how many. */
  purgeExpired(): Promise<number>;
  /** How long a key is kept, in milliseconds. */
  readonly ttlMs: number;
}

/** 24 hours. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 86_400_000;

/**
 * Idempotency keys over `audit.idempotency_keys` (apply
 * {@link migrateAccessLog} first). A claim is one atomic statement: two
 * gateways claiming one key at once, one wins and the other sees it
 * `PENDING`. Expired keys are purged at most every `purgeIntervalMs`,
 * after a claim.
 */
export function createIdempotencyKeys(
  config: IdempotencyKeysConfig,
  deps: IdempotencyKeysDeps,
): IdempotencyKeys {
  const { db } = config;
  const ttlMs = config.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  const purgeIntervalMs = config.purgeIntervalMs ?? 60_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError('idempotency keys: ttlMs must be a positive integer');
  }
  const now = deps.now ?? ((): Date => new Date());
  let lastPurge = Number.NEGATIVE_INFINITY;

  async function purgeExpired(): Promise<number> {
    lastPurge = now().getTime();
    const { rows } = await db.query<{ n: number }>(
      `WITH purged AS (
         DELETE FROM audit.idempotency_keys WHERE expires_at <= $1::timestamptz
         RETURNING 1
       ) SELECT count(*)::int AS n FROM purged`,
      [now().toISOString()],
    );
    return rows[0]?.n ?? 0;
  }

  function maybePurge(): void {
    if (now().getTime() - lastPurge < purgeIntervalMs) return;
    purgeExpired().catch((error: unknown) => {
      deps.logger.warn(
        { err: error },
        'purging expired idempotency keys failed',
      );
    });
  }

  async function claim(
    subject: string,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyClaim> {
    // Twice at most: a key that expires and is purged between the two
    // statements is claimed on the second round.
    for (let round = 0; round < 2; round += 1) {
      const at = now();
      const { rows: claimed } = await db.query<{ subject: string }>(
        `INSERT INTO audit.idempotency_keys
           (subject, key, request_hash, state, response, created_at, expires_at)
         VALUES ($1, $2, $3, 'PENDING', NULL, $4::timestamptz, $5::timestamptz)
         ON CONFLICT (subject, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, state = 'PENDING',
               response = NULL, created_at = EXCLUDED.created_at,
               expires_at = EXCLUDED.expires_at
           WHERE audit.idempotency_keys.expires_at <= EXCLUDED.created_at
         RETURNING subject`,
        [
          subject,
          key,
          requestHash,
          at.toISOString(),
          new Date(at.getTime() + ttlMs).toISOString(),
        ],
      );
      if (claimed.length > 0) {
        maybePurge();
        return { kind: 'CLAIMED' };
      }
      // A statement of its own: its snapshot sees the row that conflicted.
      const { rows } = await db.query<{
        request_hash: string;
        state: 'PENDING' | 'DONE';
        response: unknown;
      }>(
        `SELECT request_hash, state, response FROM audit.idempotency_keys
          WHERE subject = $1 AND key = $2`,
        [subject, key],
      );
      const row = rows[0];
      if (row === undefined) continue;
      if (row.request_hash !== requestHash) return { kind: 'MISMATCH' };
      return row.state === 'DONE'
        ? { kind: 'DONE', response: row.response }
        : { kind: 'PENDING' };
    }
    return { kind: 'PENDING' };
  }

  return {
    claim,
    async complete(subject, key, requestHash, response) {
      await db.query(
        `UPDATE audit.idempotency_keys
            SET state = 'DONE', response = $4::jsonb
          WHERE subject = $1 AND key = $2 AND request_hash = $3
            AND state = 'PENDING'`,
        [subject, key, requestHash, JSON.stringify(response)],
      );
    },
    async release(subject, key, requestHash) {
      await db.query(
        `DELETE FROM audit.idempotency_keys
          WHERE subject = $1 AND key = $2 AND request_hash = $3
            AND state = 'PENDING'`,
        [subject, key, requestHash],
      );
    },
    purgeExpired,
    ttlMs,
  };
}
