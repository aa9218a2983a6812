import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';
import type { Logger } from '../../../../subgraphs/kit/src/logger.js';
import { loadPolicySnapshot } from './loadPolicySnapshot.js';
import type { PolicySnapshot } from '../../../src/document/PolicyDocument.js';
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
  /**
   * Reload when PostgreSQL notifies {@link POLICY_CHANNEL} (every write to
   * a policy table does, on commit; migration 002), debounced by 50 ms, so
   * that every gateway sees a change within a fraction of a second. The
   * periodic reload stays as a safety net. Ignored when the database
   * cannot listen.
   * @defaultValue true
   */
  listen?: boolean;
}

/** The notification channel the policy tables' triggers notify. */
export const POLICY_CHANNEL = 'govgraph_policy';

/** Milliseconds a notification waits for others before the reload. */
const NOTIFY_DEBOUNCE_MS = 50;
/** Slack on top of the refresh interval before an old load counts as stale. */
const STALE_GRACE_MS = 1_000;
/** Delays before retrying a `LISTEN` that could not start, in milliseconds. */
const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 2_000;

/**
 * How fresh the policy a store decides from is: what `/health` reports as
 * `policy`.
 */
export interface PolicyStoreStatus {
  /** The version decided from; `null` before the first load. */
  readonly version: string | null;
  /** When the policy was last read successfully (ISO 8601). */
  readonly loadedAt: string | null;
  /** When a load last started, successful or not (ISO 8601). */
  readonly lastAttemptAt: string | null;
  /** Why the last load failed; `null` when it succeeded. */
  readonly lastError: string | null;
  /**
   * The policy may be out of date: the last load failed, or no change
   * notification can arrive (the listener is down) and the last successful
   * load is older than the refresh interval.
   */
  readonly stale: boolean;
  /** Whether the store receives change notifications right now. */
  readonly listening: boolean;
}

/** The policy the gateway decides from, kept in memory. */
export interface PolicyStore {
  /**
   * The last snapshot loaded; the same object until a reload finds another
   * version, so caches kept per policy set stay warm. A reload that finds
   * only other token revocations gives a new snapshot around the same
   * `policy` and `algorithms` objects.
   * @throws PolicyStoreError `NOT_LOADED` before `start()` resolved
   */
  current(): PolicySnapshot;
  /**
   * Loads the policy now. Resolves with the current snapshot (a new one
   * only when the version changed); rejects when the load fails, keeping
   * the last snapshot. The load starts after the call, so it sees every
   * write committed before: a call while a load runs waits for one more,
   * which all such calls share.
   */
  refresh(): Promise<PolicySnapshot>;
  /**
   * Loads the policy for the first time and starts listening for changes
   * and the periodic reload; rejects when it cannot load (the gateway must
   * not serve without a policy). A `LISTEN` that fails does not: it is
   * retried in the background. Idempotent once resolved.
   */
  start(): Promise<void>;
  /** How fresh the current policy is (for `/health`). */
  status(): PolicyStoreStatus;
  /**
   * Stops reloading and listening and waits for a load in progress.
   * Idempotent; never rejects.
   */
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
 * The policy store over the `policy` schema (apply
 * {@link migratePolicyStore} first): `start()` loads it, `current()` hands
 * out the last consistent snapshot. It reloads when PostgreSQL notifies a
 * change (LISTEN {@link POLICY_CHANNEL}; the listener reconnects by itself)
 * and, with `refreshIntervalMs`, on a timer as well. When a reload fails —
 * the database is down, a row is invalid — the gateway keeps deciding from
 * the last policy it loaded, and {@link PolicyStore.status} says it is
 * stale.
 */
export function createPolicyStore(config: PolicyStoreConfig): PolicyStore {
  const { db, logger } = config;
  const interval =
    config.refreshIntervalMs === undefined
      ? undefined
      : positiveInteger(config.refreshIntervalMs);
  const listens = config.listen ?? true;
  let snapshot: PolicySnapshot | undefined;
  let loading: Promise<PolicySnapshot> | undefined;
  let queued: Promise<PolicySnapshot> | undefined;
  let started: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let listenRetry: NodeJS.Timeout | undefined;
  let listenDelay = LISTEN_RETRY_MIN_MS;
  let unlisten: (() => Promise<void>) | undefined;
  let subscribing: Promise<void> | undefined;
  let listening = false;
  let closed = false;
  let loadedAt: Date | undefined;
  let lastAttemptAt: Date | undefined;
  let lastError: string | null = null;

  async function load(): Promise<PolicySnapshot> {
    lastAttemptAt = new Date();
    let next: PolicySnapshot;
    try {
      next = await loadPolicySnapshot(db);
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
    loadedAt = new Date();
    lastError = null;
    const previous = snapshot;
    if (
      previous !== undefined &&
      previous.policy.version === next.policy.version
    ) {
      if (previous.revocations.key === next.revocations.key) return previous;
      // Only token revocations changed: the same policy objects (caches
      // kept per policy stay warm) with the new revocations.
      snapshot = Object.freeze({ ...previous, revocations: next.revocations });
      logger.info(
        { version: next.policy.version, revocations: next.revocations.size },
        'token revocations changed',
      );
      return snapshot;
    }
    // One assignment: a request that took the previous snapshot keeps it.
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
    if (loading === undefined) {
      loading = load().finally(() => {
        loading = undefined;
      });
      return loading;
    }
    // A load is running and may have read before the caller's write: one
    // more after it, shared by every caller until it starts.
    queued ??= loading
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return refresh();
      });
    return queued;
  }

  function reloadInBackground(reason: string): void {
    refresh().catch((error: unknown) => {
      if (closed) return;
      logger.error(
        { err: error, reason, version: snapshot?.policy.version ?? null },
        'policy reload failed; deciding from the last policy loaded',
      );
    });
  }

  function onNotify(): void {
    if (closed || debounce !== undefined) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      reloadInBackground('notification');
    }, NOTIFY_DEBOUNCE_MS);
    debounce.unref();
  }

  function onListenStatus(status: {
    listening: boolean;
    error?: unknown;
  }): void {
    if (closed) return;
    if (listening && !status.listening) {
      logger.warn(
        { err: status.error },
        'policy change notifications lost; reconnecting',
      );
      // Find out now whether the database itself is gone.
      onNotify();
    } else if (!listening && status.listening) {
      logger.info('policy change notifications resumed');
    }
    listening = status.listening;
  }

  /**
   * Starts listening. `catchUp`: reload once listening, for changes made
   * while no listener was there (a retry after a failed `LISTEN`); the
   * first subscription comes before the first load and needs none.
   */
  function subscribe(catchUp: boolean): Promise<void> {
    if (
      !listens ||
      db.listen === undefined ||
      closed ||
      unlisten !== undefined
    ) {
      return Promise.resolve();
    }
    if (subscribing !== undefined) return subscribing;
    const attempt = db
      .listen(POLICY_CHANNEL, onNotify, { onStatus: onListenStatus })
      .then(
        async (stop) => {
          if (closed) {
            await stop();
            return;
          }
          unlisten = stop;
          listenDelay = LISTEN_RETRY_MIN_MS;
          if (catchUp) onNotify();
        },
        (error: unknown) => {
          if (closed) return;
          listening = false;
          logger.warn(
            { err: error, retryInMs: listenDelay },
            'cannot listen for policy changes; retrying',
          );
          listenRetry = setTimeout(() => {
            listenRetry = undefined;
            void subscribe(true);
          }, listenDelay);
          listenRetry.unref();
          listenDelay = Math.min(listenDelay * 2, LISTEN_RETRY_MAX_MS);
        },
      )
      .finally(() => {
        subscribing = undefined;
      });
    subscribing = attempt;
    return attempt;
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

  function stale(): boolean {
    if (lastError !== null) return true;
    if (listening || interval === undefined || loadedAt === undefined) {
      return false;
    }
    return Date.now() - loadedAt.getTime() > interval + STALE_GRACE_MS;
  }

  return {
    current() {
      if (snapshot === undefined) throw PolicyStoreError.notLoaded();
      return snapshot;
    },
    refresh,
    start() {
      if (closed) return Promise.reject(PolicyStoreError.closed());
      // Listen first, then load: a change made in between is notified, and
      // nothing reloads behind the caller's back once start() resolves.
      started ??= subscribe(false)
        .then(() => refresh())
        .then(
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
    status() {
      return {
        version: snapshot?.policy.version ?? null,
        loadedAt: loadedAt?.toISOString() ?? null,
        lastAttemptAt: lastAttemptAt?.toISOString() ?? null,
        lastError,
        stale: stale(),
        listening,
      };
    },
    async close() {
      closed = true;
      for (const t of [timer, debounce, listenRetry]) {
        if (t !== undefined) clearTimeout(t);
      }
      timer = debounce = listenRetry = undefined;
      await subscribing?.catch(() => undefined);
      const stop = unlisten;
      unlisten = undefined;
      listening = false;
      await stop?.().catch(() => undefined);
      await Promise.all([
        loading?.catch(() => undefined),
        queued?.catch(() => undefined),
      ]);
    },
  };
}
