// The job queue over Redis: a BullMQ queue, a worker in this process, and
// (only when a caller waits for a job) queue events.
import {
  Queue,
  QueueEvents,
  UnrecoverableError,
  Worker,
  type ConnectionOptions,
  type Job,
} from 'bullmq';

import type { Logger } from '../logger.js';
import {
  failureReason,
  isUnrecoverable,
  resolveJobOptions,
  type AwaitableJobQueue,
} from './AwaitableJobQueue.js';
import type { DeadLetter, JobOptions } from './JobQueue.js';

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
  const retryStrategy = (times: number): number =>
    Math.min(100 * 2 ** Math.min(times, 10), reconnectDelayMs);
  const connection: ConnectionOptions = { url: options.url, retryStrategy };
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };

  // Errors are logged once per outage, not once per reconnect attempt.
  let lastError: string | undefined;
  const onError = (error: Error): void => {
    if (error.message === lastError) return;
    lastError = error.message;
    log?.warn({ err: error }, 'job queue connection error');
  };
  const onReady = (): void => {
    if (lastError !== undefined) log?.info('job queue connection restored');
    lastError = undefined;
  };

  const queue = new Queue<T, R>(options.name, {
    connection: { ...connection, enableOfflineQueue: false },
    ...prefix,
  });
  queue.on('error', onError);
  void queue.client.then(
    (client) => client.on('ready', onReady),
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

  /** Rejects when `promise` takes longer than `ms`. */
  const within = <V>(promise: Promise<V>, ms: number, what: string) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`${what}: Redis did not answer within ${ms} ms`, {
              cause: lastError,
            }),
          ),
        ms,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };

  const add = async (
    name: string,
    data: T,
    jobOptions?: JobOptions,
  ): Promise<{ id: string }> => {
    if (closing) throw closedError();
    const o = resolveJobOptions(jobOptions);
    const job = await within(
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
      events = new QueueEvents(options.name, { connection, ...prefix });
      events.on('error', onError);
      await events.waitUntilReady();
      return events;
    })();
    return eventsReady;
  };

  const close = (): Promise<void> => {
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
      // Listening before the job is added, so that its outcome cannot be
      // missed; outcomes arriving before `add` returns the id are kept.
      const ev = await within(
        queueEvents(),
        addTimeoutMs,
        `cannot listen to ${options.name}`,
      );
      type Outcome =
        { ok: true; value: unknown } | { ok: false; reason: string };
      const early = new Map<string, Outcome>();
      let waiting: { id: string; settle(o: Outcome): void } | undefined;
      const deliver = (id: string, outcome: Outcome): void => {
        if (!waiting) early.set(id, outcome);
        else if (id === waiting.id) waiting.settle(outcome);
      };
      const onCompleted = (args: { jobId: string; returnvalue: unknown }) =>
        deliver(args.jobId, { ok: true, value: args.returnvalue });
      const onFailed = (args: { jobId: string; failedReason: string }) =>
        deliver(args.jobId, { ok: false, reason: args.failedReason });
      ev.on('completed', onCompleted);
      ev.on('failed', onFailed);
      let timer: NodeJS.Timeout | undefined;
      let rejectOnClose: ((error: Error) => void) | undefined;
      try {
        const { id } = await add(name, data, runOptions);
        return await new Promise<R>((resolve, reject) => {
          const settle = (o: Outcome): void => {
            if (o.ok) resolve(o.value as R);
            else reject(new Error(`job ${id} failed: ${o.reason}`));
          };
          const known = early.get(id);
          early.clear();
          if (known) {
            settle(known);
            return;
          }
          waiting = { id, settle };
          rejectOnClose = reject;
          pendingRuns.add(reject);
          if (runOptions?.timeoutMs !== undefined) {
            const ms = runOptions.timeoutMs;
            timer = setTimeout(
              () =>
                reject(new Error(`job ${id} did not finish within ${ms} ms`)),
              ms,
            );
          }
          // A job with this id may have dead-lettered before this call. Its
          // state first, then the job: a job read before it failed has no
          // reason yet (moving to the failed set writes both at once).
          void (async () => {
            if ((await queue.getJobState(id)) !== 'failed') return;
            const job = await queue.getJob(id);
            settle({
              ok: false,
              reason: job?.failedReason ?? 'dead-lettered',
            });
          })().catch(() => undefined);
        });
      } finally {
        clearTimeout(timer);
        if (rejectOnClose) pendingRuns.delete(rejectOnClose);
        ev.off('completed', onCompleted);
        ev.off('failed', onFailed);
      }
    },

    async process(processor, processOptions) {
      if (closing) throw closedError();
      if (worker)
        throw new Error(`job queue ${options.name} already has a worker`);
      const w = new Worker<T, R>(
        options.name,
        async (job: Job<T, R>) => {
          try {
            return await processor({
              id: job.id ?? '',
              name: job.name,
              data: job.data,
              attemptsMade: job.attemptsMade,
              updateProgress: (progress) => job.updateProgress(progress),
            });
          } catch (error) {
            if (
              isUnrecoverable(error) &&
              !(error instanceof UnrecoverableError)
            ) {
              throw new UnrecoverableError(failureReason(error));
            }
            throw error;
          }
        },
        {
          connection,
          ...prefix,
          concurrency: processOptions?.concurrency ?? 1,
          autorun: false,
          runRetryDelay: reconnectDelayMs,
        },
      );
      worker = w;
      w.on('error', onError);
      w.on('failed', (job, error) => {
        if (!job) return;
        const final =
          job.attemptsMade >= (job.opts.attempts ?? 1) ||
          error.name === 'UnrecoverableError';
        const fields = {
          jobId: job.id,
          jobName: job.name,
          attemptsMade: job.attemptsMade,
        };
        if (final) log?.error(fields, `job dead-lettered: ${error.message}`);
        else log?.warn(fields, `job attempt failed: ${error.message}`);
      });
      void w
        .run()
        .catch((error: unknown) =>
          log?.error({ err: error }, 'job queue worker stopped'),
        );
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
