import { Redis } from 'ioredis';

import { ErrorCode } from '../errors/ErrorCode.js';
import { CallRejectedError } from './errors.js';
import { ReplayCache } from './ReplayCache.js';

/** Where the call ids a subgraph has accepted are kept: here, or shared. */
export interface CallIdStore {
  /**
   * Records `id` as used until `expiresAtMs`; `false` when it was already
   * used (a replay).
   */
  remember(id: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/** A call refused because its id cannot be checked against the shared store. */
export class ReplayCheckUnavailableError extends CallRejectedError {
  constructor(options?: ErrorOptions) {
    super(
      'Replay protection is unavailable (its Redis does not answer); the call is refused, retry shortly.',
      503,
      ErrorCode.UPSTREAM_UNAVAILABLE,
      { ...options, extensions: { dependency: 'redis' } },
    );
  }
}

/** Options of {@link RedisReplayCache}. */
export interface RedisReplayCacheOptions {
  /** `redis://` URL of the Redis every replica of the subgraph shares. */
  readonly url: string;
  /** The subgraph's name: the keys are `govgraph:call:<audience>:<jti>`. */
  readonly audience: string;
  /** Longest wait for Redis before the call is refused. @defaultValue 1000 */
  readonly timeoutMs?: number;
  /** Clock in milliseconds since the epoch. @defaultValue Date.now */
  readonly now?: () => number;
}

/**
 * The call ids of every replica of a subgraph, in the Redis they share
 * (`SET … NX PX`): a call captured on its way to one replica cannot be
 * replayed against another. Ids seen here are also kept in memory, so that
 * a replay to the same replica is refused without a round trip. When Redis
 * does not answer within `timeoutMs` the call is refused (503), never
 * accepted unchecked.
 */
export class RedisReplayCache implements CallIdStore {
  readonly #redis: Redis;
  readonly #local: ReplayCache;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: RedisReplayCacheOptions) {
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 1_000;
    this.#prefix = `govgraph:call:${options.audience}:`;
    this.#local = new ReplayCache({ now: this.#now });
    // A command waits for the connection at most `timeoutMs` (see
    // remember): ioredis queues it meanwhile and gives up after one retry.
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: 1 });
    // Connection errors are reported per call (503); ioredis reconnects.
    this.#redis.on('error', () => undefined);
  }

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    if (!this.#local.remember(id, expiresAtMs)) return false;
    const ttl = Math.max(1, Math.ceil(expiresAtMs - this.#now()));
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.#redis.set(`${this.#prefix}${id}`, '1', 'PX', ttl, 'NX'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('Redis did not answer in time')),
            this.#timeoutMs,
          );
        }),
      ]);
      return answer === 'OK';
    } catch (cause) {
      throw new ReplayCheckUnavailableError({ cause });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
