// Runs the annual re-review job: on BullMQ over Redis (a daily job
// scheduler and a worker) or, without Redis, on a timer inside the process.
import {
  Queue,
  QueueEvents,
  Worker,
  type ConnectionOptions,
  type Job,
} from 'bullmq';

import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import type { Logger } from '../../../subgraphs/kit/src/logger.js';
import { createReReviewProcessor } from './flagDueReviews.js';
import {
  DEFAULT_RE_REVIEW_SCHEDULE,
  RE_REVIEW_JOB,
  RE_REVIEW_JOB_OPTIONS,
  RE_REVIEW_QUEUE,
  RE_REVIEW_SCHEDULER_ID,
  type ReReviewPayload,
  type ReReviewResult,
  type ReReviewSchedule,
} from './reReviewQueue.js';

/** Where Redis is: host and port, or a `redis://` / `rediss://` URL. */
export type RedisConnectionConfig =
  { readonly host: string; readonly port: number } | string;

/**
 * How the re-review job runs.
 *
 * - `redis`: a BullMQ queue with a job scheduler (upserted under a fixed id,
 *   so several hub instances keep one schedule) and a worker in this
 *   process; failed runs are retried with backoff.
 * - `in-process`: a timer in this process, for a hub without Redis. It runs
 *   once at start and every `intervalMs`; a failed run is logged and the next
 *   tick is its retry.
 */
export type ReReviewRunnerConfig =
  | {
      readonly kind: 'redis';
      readonly connection: RedisConnectionConfig;
      /** @defaultValue {@link RE_REVIEW_QUEUE} */
      readonly queueName?: string;
      /** Key prefix of the queue (tests use a unique one). @defaultValue BullMQ's `bull` */
      readonly prefix?: string;
      /** @defaultValue {@link DEFAULT_RE_REVIEW_SCHEDULE} (02:00 CST daily) */
      readonly schedule?: ReReviewSchedule;
      /** @defaultValue 30 */
      readonly leadDays?: number;
    }
  | {
      readonly kind: 'in-process';
      readonly intervalMs: number;
      /** @defaultValue 30 */
      readonly leadDays?: number;
    };

/** What the runner uses; it closes none of it. */
export interface ReReviewRunnerDeps {
  readonly db: Database;
  readonly logger: Logger;
  /** The clock. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** The subjects of the algorithm reviewers to notify. */
  readonly reviewers: readonly string[];
}

/** A started re-review runner. */
export interface ReReviewRunner {
  /**
   * Runs the job once now and resolves with what it did: on Redis, enqueues a
   * one-off job and waits until a worker has finished it (rejecting when it
   * failed for good); in-process, runs the processor after any run in
   * progress.
   */
  runNow(): Promise<ReReviewResult>;
  /**
   * After Redis lost its data: registers the daily schedule again (on
   * Redis; in-process there is nothing to restore).
   */
  recoverLostJobs(): Promise<void>;
  /**
   * Stops the runner: waits for the run in progress, then closes the
   * worker, the queue events and the queue with their Redis connections.
   * The schedule stays in Redis for the other instances. Idempotent.
   */
  close(): Promise<void>;
}

/** Starts the annual re-review job as `config` says. */
export async function startReReviewRunner(
  config: ReReviewRunnerConfig,
  deps: ReReviewRunnerDeps,
): Promise<ReReviewRunner> {
  const processor = createReReviewProcessor({
    db: deps.db,
    reviewers: deps.reviewers,
    ...(deps.now ? { now: deps.now } : {}),
    ...(config.leadDays === undefined ? {} : { leadDays: config.leadDays }),
  });
  switch (config.kind) {
    case 'redis':
      return startOnRedis(config, deps.logger, processor);
    case 'in-process':
      return startInProcess(config.intervalMs, deps.logger, processor);
  }
}

type Processor = (job: {
  readonly data: ReReviewPayload;
}) => Promise<ReReviewResult>;

function connectionOf(connection: RedisConnectionConfig): ConnectionOptions {
  return typeof connection === 'string'
    ? { url: connection }
    : { host: connection.host, port: connection.port };
}

async function startOnRedis(
  config: Extract<ReReviewRunnerConfig, { kind: 'redis' }>,
  logger: Logger,
  processor: Processor,
): Promise<ReReviewRunner> {
  const queueName = config.queueName ?? RE_REVIEW_QUEUE;
  const schedule = config.schedule ?? DEFAULT_RE_REVIEW_SCHEDULE;
  const connection = connectionOf(config.connection);
  const prefix = config.prefix === undefined ? {} : { prefix: config.prefix };
  const log = logger.child({ job: RE_REVIEW_JOB, queue: queueName });

  // Each of these opens (and on close ends) its own Redis connections.
  const queue = new Queue<ReReviewPayload, ReReviewResult>(queueName, {
    connection,
    ...prefix,
  });
  const events = new QueueEvents(queueName, { connection, ...prefix });
  const worker = new Worker<ReReviewPayload, ReReviewResult>(
    queueName,
    (job: Job<ReReviewPayload, ReReviewResult>) => processor(job),
    { connection, concurrency: 1, autorun: false, ...prefix },
  );
  // An EventEmitter without an 'error' listener would throw instead.
  const onError = (error: Error): void =>
    log.error({ err: error }, 're-review queue error');
  queue.on('error', onError);
  events.on('error', onError);
  worker.on('error', onError);
  worker.on('completed', (job, result) =>
    log.info({ jobId: job.id, ...result }, 're-review run finished'),
  );
  worker.on('failed', (job, error) =>
    log.error(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
      're-review run failed',
    ),
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // The worker first: it finishes the run in progress.
      const results = await Promise.allSettled([worker.close()]);
      results.push(
        ...(await Promise.allSettled([events.close(), queue.close()])),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return closing;
  };

  const upsertSchedule = async (): Promise<void> => {
    await queue.upsertJobScheduler(RE_REVIEW_SCHEDULER_ID, schedule, {
      name: RE_REVIEW_JOB,
      data: {},
      opts: RE_REVIEW_JOB_OPTIONS,
    });
  };

  try {
    await upsertSchedule();
    await events.waitUntilReady();
    void worker
      .run()
      .catch((error: unknown) =>
        log.error({ err: error }, 're-review worker stopped'),
      );
    await worker.waitUntilReady();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  log.info({ schedule }, 're-review job scheduled');

  return {
    async runNow() {
      if (closing) throw new Error('the re-review runner is closed');
      const job = await queue.add(RE_REVIEW_JOB, {}, RE_REVIEW_JOB_OPTIONS);
      return job.waitUntilFinished(events);
    },
    async recoverLostJobs() {
      if (closing) return;
      await upsertSchedule();
      log.info({ schedule }, 're-review job scheduled again');
    },
    close,
  };
}

async function startInProcess(
  intervalMs: number,
  logger: Logger,
  processor: Processor,
): Promise<ReReviewRunner> {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(
      `re-review runner: intervalMs must be a positive integer, got ${intervalMs}`,
    );
  }
  const log = logger.child({ job: RE_REVIEW_JOB, runner: 'in-process' });
  // Runs one at a time: a manual run waits for the one in progress.
  let tail: Promise<unknown> = Promise.resolve();
  let running = 0;
  let closed = false;
  const run = (): Promise<ReReviewResult> => {
    running += 1;
    const result = tail.then(() => processor({ data: {} }));
    tail = result
      .then(
        (r) => log.info(r, 're-review run finished'),
        (error: unknown) => log.error({ err: error }, 're-review run failed'),
      )
      .finally(() => {
        running -= 1;
      });
    return result;
  };
  const tick = (): void => {
    // A tick while a run is still going would only queue up behind it.
    if (running > 0) return;
    run().catch(() => undefined);
  };

  await run().catch(() => undefined);
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    runNow() {
      if (closed) {
        return Promise.reject(new Error('the re-review runner is closed'));
      }
      return run();
    },
    recoverLostJobs: () => Promise.resolve(),
    async close() {
      closed = true;
      clearInterval(timer);
      await tail;
    },
  };
}
