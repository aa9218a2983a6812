import type { Database, Logger } from '../../../subgraphs/kit/src/index.js';
import { loadPolicySnapshot } from './loadPolicySnapshot.js';
import type { PolicySnapshot } from './PolicyDocument.js';
import { PolicyStoreError } from './PolicyStoreError.js';

/** Configuration of {@link createPolicyStore}. */
export interface PolicyStoreConfig {
  /** The database that holds the `policy` schema (migrated). Not closed by the store. */
  db: Database;
  logger: Logger;
  /**
   * Reload the policy this often, in milliseconds; absent: only on
   * {@link PolicyStore.refresh}. A reload that fails keeps the last
   * snapshot and is logged.
   */
  refreshIntervalMs?: number;
}

/** The policy the gateway decides from, kept in memory. */
export interface PolicyStore {
  /**
   * The last snapshot loaded; the same object until a reload finds another
   * version, so caches kept per policy set stay warm.
   * @throws PolicyStoreError `NOT_LOADED` before `start()` resolved
   */
  current(): PolicySnapshot;
  /**
   * Loads the policy now. Resolves with the current snapshot (a new one
   * only when the version changed); rejects when the load fails, keeping
   * the last snapshot. Concurrent calls share one load.
   */
  refresh(): Promise<PolicySnapshot>;
  /**
   * Loads the policy for the first time and starts the periodic reload;
   * rejects when it cannot load (the gateway must not serve without a
   * policy). Idempotent once resolved.
   */
  start(): Promise<void>;
  /** Stops reloading and waits for a load in progress. Idempotent; never rejects. */
  close(): Promise<void>;
}

function positiveInteger(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new RangeError(
      `policy store: refreshIntervalMs must be a positive integer of milliseconds, not ${String(value)}`,
    );
  }
  return value;
}

/**
 * The gateway's policy store over the `policy` schema (apply
 * {@link migratePolicyStore} first): `start()` loads it, `current()` hands
 * out the last consistent snapshot, and with `refreshIntervalMs` it reloads
 * on a timer. When a reload fails — the database is down, a row is invalid —
 * the gateway keeps deciding from the last policy it loaded.
 */
export function createPolicyStore(config: PolicyStoreConfig): PolicyStore {
  const { db, logger } = config;
  const interval =
    config.refreshIntervalMs === undefined
      ? undefined
      : positiveInteger(config.refreshIntervalMs);
  let snapshot: PolicySnapshot | undefined;
  let loading: Promise<PolicySnapshot> | undefined;
  let started: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  async function load(): Promise<PolicySnapshot> {
    const next = await loadPolicySnapshot(db);
    const previous = snapshot;
    if (
      previous !== undefined &&
      previous.policy.version === next.policy.version
    ) {
      return previous;
    }
    snapshot = next;
    logger.info(
      {
        version: next.policy.version,
        previous: previous?.policy.version ?? null,
        entries: next.policy.entries.length,
        grants: next.policy.grants.length,
        roles: Object.keys(next.policy.roles).length,
        algorithms: next.algorithms.size,
      },
      previous === undefined ? 'policy loaded' : 'policy changed',
    );
    return next;
  }

  function refresh(): Promise<PolicySnapshot> {
    if (closed) return Promise.reject(PolicyStoreError.closed());
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  function schedule(): void {
    if (interval === undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      refresh()
        .catch((error: unknown) => {
          if (closed) return;
          logger.error(
            { err: error, version: snapshot?.policy.version ?? null },
            'policy reload failed; deciding from the last policy loaded',
          );
        })
        .finally(schedule);
    }, interval);
    timer.unref();
  }

  return {
    current() {
      if (snapshot === undefined) throw PolicyStoreError.notLoaded();
      return snapshot;
    },
    refresh,
    start() {
      if (closed) return Promise.reject(PolicyStoreError.closed());
      started ??= refresh().then(
        () => {
          schedule();
        },
        (error: unknown) => {
          started = undefined;
          throw error;
        },
      );
      return started;
    },
    async close() {
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      await loading?.catch(() => undefined);
    },
  };
}
