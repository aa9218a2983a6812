// Notices that Redis lost its data — a FLUSHALL, a restart without
// persistence, a failover to an empty replica — by a run marker: a key set
// when the watch starts and checked on every reconnection and every
// `intervalMs`. A marker found missing means every job, schedule and queued
// batch in Redis went with it; the process that puts the marker back (SET
// NX: one of several watching processes) runs the recovery at once.
import { randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';

import type { Logger } from '../logger.js';
import { BullConnection } from './BullConnection.js';

/** Options of {@link watchRedisLoss}. */
export interface RedisLossWatchOptions {
  /** A `redis://` or `rediss://` URL. */
  readonly url: string;
  /** The key prefix of the job queues. @defaultValue `bull` (BullMQ's) */
  readonly prefix?: string;
  /**
   * Milliseconds between checks, besides the check on every reconnection:
   * the longest a flush without a reconnection goes unnoticed.
   * @defaultValue 5000
   */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

/** A running watch. */
export interface RedisLossWatch {
  /**
   * Checks the marker now (after a check in progress); resolves true when
   * it was missing and this call's recovery ran.
   */
  check(): Promise<boolean>;
  /** How many losses this process noticed and recovered from. */
  readonly recoveries: number;
  /** Stops checking and closes the connection. Idempotent. */
  close(): Promise<void>;
}

/** The queue whose connection the watch uses (it holds no jobs). */
const WATCH_QUEUE = 'govgraph-redis-watch';

/** The script command that sets the marker when it is missing. */
const SET_MARKER = 'govgraphSetRunMarker';

/** The marker's key under `prefix`. */
export function runMarkerKey(prefix = 'bull'): string {
  return `${prefix}:govgraph:run-marker`;
}

/**
 * Sets the run marker (if absent) and watches it; when it goes missing,
 * sets it again and runs `recover` (re-register schedules, requeue durable
 * work). A recovery that fails is retried at the next check. Resolves once
 * the marker is set; rejects when Redis does not answer within 5 s.
 */
export async function watchRedisLoss(
  options: RedisLossWatchOptions,
  recover: () => Promise<void>,
): Promise<RedisLossWatch> {
  const prefix = options.prefix ?? 'bull';
  const key = runMarkerKey(prefix);
  const log = options.logger?.child({ component: 'redis-loss-watch' });
  const connection = new BullConnection(options.url, 2000, log);
  const queue = new Queue(WATCH_QUEUE, {
    connection: connection.options,
    prefix,
  });
  queue.on('error', connection.onError);
  const marker = JSON.stringify({ setBy: randomUUID(), at: Date.now() });
  let closed = false;
  let recoveries = 0;
  // A recovery that failed: run again at the next check, marker or not.
  let owed = false;
  let running: Promise<boolean> | undefined;

  const client = await connection.within(
    queue.client,
    5000,
    'cannot watch Redis for data loss',
  );
  // SET NX through a script: BullMQ's client interface has no SET options
  // besides expiry. 1 when the marker was missing and is now set.
  client.defineCommand(SET_MARKER, {
    numberOfKeys: 1,
    lua: "if redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 1 end return 0",
  });
  const setMarker = async (): Promise<boolean> =>
    (await client.runCommand(SET_MARKER, [key, marker])) === 1;
  await connection.within(setMarker(), 5000, 'cannot set the run marker');

  const checkOnce = async (): Promise<boolean> => {
    const lost = await setMarker();
    if (!lost && !owed) return false;
    if (lost) {
      log?.warn(
        'Redis lost its data (run marker missing): re-registering schedules and requeueing pending work',
      );
    }
    owed = true;
    const started = Date.now();
    await recover();
    owed = false;
    recoveries += 1;
    log?.warn(
      { ms: Date.now() - started },
      'recovered from the loss of Redis data',
    );
    return true;
  };

  const check = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    running ??= checkOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = (): void => {
    check().catch((error: unknown) => {
      if (!closed) log?.warn({ err: error }, 'Redis data-loss check failed');
    });
  };

  const onReady = (): void => {
    connection.onReady();
    tick();
  };
  client.on('ready', onReady);
  const timer = setInterval(tick, options.intervalMs ?? 5000);
  timer.unref();

  return {
    check,
    get recoveries() {
      return recoveries;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      client.off('ready', onReady);
      await running?.catch(() => undefined);
      await queue.close();
    },
  };
}
