// The job queue over Redis: a BullMQ queue, a worker in this process, and
// (only when a caller waits for a job) queue events.
import { Queue, QueueEvents, type Worker } from 'bullmq';

import type { Logger } from '../logger.js';
import {
  resolveJobOptions,
  type AwaitableJobQueue,
} from './AwaitableJobQueue.js';
import { BullConnection } from './BullConnection.js';
import type { DeadLetter, JobOptions } from './JobQueue.js';
import { runBullJob } from './runBullJob.js';
import { startBullWorker } from './startBullWorker.js';
import {
  trackQueue,
  untrackQueue,
  type CountedQueue,
} from '../metrics/jobMetrics.js';

/** Options of {@link createBullJobQueue}. */
export interface BullJobQueueOptions {
  /** Where Redis is: a `redis://` or `rediss://` URL. */
  readonly url: string;
  /** The BullMQ queue name. */
  readonly name: string;
  /**
   * The key prefix of the queue in Redis (tests use a unique one).
   * @defaultValue `bull` (BullMQ's)
   */
  readonly prefix?: string;
  /** Logs connection errors, failed attempts and dead letters. */
  readonly logger?: Logger;
  /**
   * Dead letters kept in Redis, the newest (BullMQ trims older failed jobs
   * when another fails: `removeOnFail: { count }`). Callers that must not
   * lose a failed job keep their own durable record (the search outbox,
   * the alert deliveries).
   * @defaultValue 10000
   */
  readonly maxDeadLetters?: number;
  /**
   * How long `add` waits for Redis before rejecting: while the queue's
   * connection is down, `add` rejects at once; this bounds the wait for the
   * very first connection.
   * @defaultValue 5000
   */
  readonly addTimeoutMs?: number;
  /**
   * Longest pause between reconnection attempts, and how long the worker
   * waits after a Redis error before it polls again.
   * @defaultValue 2000
   */
  readonly reconnectDelayMs?: number;
}

/**
 * A {@link AwaitableJobQueue} on BullMQ 5 over Redis. Retries use BullMQ's
 * exponential backoff; a job that fails its last attempt stays in BullMQ's
 * failed set (the newest `maxDeadLetters`): those are the dead letters. Completed
 * jobs are removed at once (`removeOnComplete: true`), so a completed job's
 * id can be added again. Producers fail fast: while Redis is unreachable,
 * `add` rejects instead of queueing the command in memory
 * (`enableOfflineQueue: false`), so callers keep their own durable record of
 * what still has to be queued. Every connection reconnects by itself.
 *
 * @see https://docs.bullmq.io/patterns/failing-fast-when-redis-is-down
 */
export function createBullJobQueue<T, R>(
  options: BullJobQueueOptions,
): AwaitableJobQueue<T, R> {
  const addTimeoutMs = options.addTimeoutMs ?? 5000;
  const maxDeadLetters = options.maxDeadLetters ?? 10_000;
  const reconnectDelayMs = options.reconnectDelayMs ?? 2000;
  const log = options.logger?.child({ queue: options.name });
  const connection = new BullConnection(options.url, reconnectDelayMs, log);
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };

  const queue = new Queue<T, R>(options.name, {
    connection: { ...connection.options, enableOfflineQueue: false },
    ...prefix,
  });
  queue.on('error', connection.onError);
  void queue.client.then(
    (client) => client.on('ready', connection.onReady),
    () => undefined,
  );

  let worker: Worker<T, R> | undefined;
  let events: QueueEvents | undefined;
  let eventsReady: Promise<QueueEvents> | undefined;
  let closing: Promise<void> | undefined;
  /** Rejects the `run` calls still waiting when the queue closes. */
  const pendingRuns = new Set<(error: Error) => void>();

  const closedError = (): Error =>
    new Error(`job queue ${options.name} is closed`);

  const add = async (
    name: string,
    data: T,
    jobOptions?: JobOptions,
  ): Promise<{ id: string }> => {
    if (closing) throw closedError();
    const o = resolveJobOptions(jobOptions);
    const job = await connection.within(
      queue.add(
        // BullMQ types the job name as a union over T; any string is valid.
        name as Parameters<typeof queue.add>[0],
        data as Parameters<typeof queue.add>[1],
        {
          ...(o.jobId === undefined ? {} : { jobId: o.jobId }),
          attempts: o.attempts,
          backoff: { type: 'exponential', delay: o.backoffMs },
          ...(o.delayMs > 0 ? { delay: o.delayMs } : {}),
          removeOnComplete: true,
          removeOnFail: { count: maxDeadLetters },
        },
      ),
      addTimeoutMs,
      `cannot add job to ${options.name}`,
    );
    if (job.id === undefined) throw new Error('BullMQ returned no job id');
    return { id: job.id };
  };

  const queueEvents = (): Promise<QueueEvents> => {
    eventsReady ??= (async () => {
      events = new QueueEvents(options.name, {
        connection: connection.options,
        ...prefix,
      });
      events.on('error', connection.onError);
      await events.waitUntilReady();
      return events;
    })();
    return eventsReady;
  };

  const counted: CountedQueue = {
    name: options.name,
    kind: 'redis',
    async counts() {
      const counts = await connection.within(
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        addTimeoutMs,
        `cannot count the jobs of ${options.name}`,
      );
      return {
        waiting: counts['waiting'] ?? 0,
        active: counts['active'] ?? 0,
        delayed: counts['delayed'] ?? 0,
        failed: counts['failed'] ?? 0,
      };
    },
  };
  trackQueue(counted);

  const close = (): Promise<void> => {
    untrackQueue(counted);
    closing ??= (async () => {
      for (const reject of pendingRuns) reject(closedError());
      pendingRuns.clear();
      // The worker first: it finishes the jobs in progress.
      const results: PromiseSettledResult<void>[] = await Promise.allSettled(
        worker ? [worker.close()] : [],
      );
      results.push(
        ...(await Promise.allSettled([
          ...(events ? [events.close()] : []),
          queue.close(),
        ])),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return closing;
  };

  return {
    kind: 'redis',
    name: options.name,
    add,

    async run(name, data, runOptions) {
      if (closing) throw closedError();
      return runBullJob(
        {
          queue,
          listen: () =>
            connection.within(
              queueEvents(),
              addTimeoutMs,
              `cannot listen to ${options.name}`,
            ),
          add,
          pendingRuns,
        },
        name,
        data,
        runOptions,
      );
    },

    async process(processor, processOptions) {
      if (closing) throw closedError();
      if (worker)
        throw new Error(`job queue ${options.name} already has a worker`);
      const w = startBullWorker(
        {
          name: options.name,
          prefix,
          concurrency: processOptions?.concurrency ?? 1,
          reconnectDelayMs,
        },
        processor,
        connection,
        log,
      );
      worker = w;
      await w.waitUntilReady();
    },

    async deadLetters(limit = 100) {
      if (limit <= 0) return [];
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.map((job): DeadLetter<T> => ({
        id: job.id ?? '',
        name: job.name,
        data: job.data as T,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason,
        failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
      }));
    },

    async retryDeadLetter(id) {
      if (closing) throw closedError();
      const job = await queue.getJob(id);
      if (!job || !(await job.isFailed())) {
        throw new Error(`no dead letter with id ${id}`);
      }
      await job.retry('failed', {
        resetAttemptsMade: true,
        resetAttemptsStarted: true,
      });
    },

    async drained() {
      for (;;) {
        if (closing) return;
        const counts = await queue.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
          'paused',
          'waiting-children',
        );
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    close,
  };
}
