import { ReplayWindowFullError } from './errors.js';

/** Options of {@link ReplayCache}. */
export interface ReplayCacheOptions {
  /**
   * Most call ids held at once; when every one is still live, new calls are
   * refused rather than accepted unchecked.
   * @defaultValue 500000
   */
  maxEntries?: number;
  /**
   * Clock in milliseconds since the epoch.
   * @defaultValue Date.now
   */
  now?: () => number;
}

/**
 * The call ids (`jti`) a subgraph has accepted, each kept until its
 * signature can no longer be accepted anyway, so that a replayed call is
 * recognised. In memory and bounded; ids expire in insertion order, which
 * is nearly expiry order because every signature lives equally long.
 */
export class ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  #lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(options: ReplayCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 500_000;
    this.#now = options.now ?? Date.now;
  }

  /** Ids currently held. */
  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records `id` as used until `expiresAtMs`. Returns `false` when it is
   * already recorded and not yet expired (a replay).
   * @throws ReplayWindowFullError when the cache holds `maxEntries` live ids.
   */
  remember(id: string, expiresAtMs: number): boolean {
    const now = this.#now();
    this.#evictOldest(now);
    const known = this.#seen.get(id);
    if (known !== undefined) {
      if (known > now) return false;
      this.#seen.delete(id);
    }
    if (this.#seen.size >= this.#maxEntries) {
      this.#sweep(now);
      if (this.#seen.size >= this.#maxEntries)
        throw new ReplayWindowFullError();
    }
    this.#seen.set(id, expiresAtMs);
    return true;
  }

  #evictOldest(now: number): void {
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt > now) return;
      this.#seen.delete(id);
    }
  }

  /** Drops every expired id, at most once a second (it walks them all). */
  #sweep(now: number): void {
    if (now - this.#lastFullSweep < 1_000) return;
    this.#lastFullSweep = now;
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt <= now) this.#seen.delete(id);
    }
  }
}
