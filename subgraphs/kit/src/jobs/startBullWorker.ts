// The worker of a BullMQ job queue in this process: runs the processor,
// turns errors marked unrecoverable into BullMQ's UnrecoverableError, and
// logs failed attempts and dead letters.
import { UnrecoverableError, Worker, type Job } from 'bullmq';

import type { Logger } from '../logger.js';
import { failureReason, isUnrecoverable } from './AwaitableJobQueue.js';
import type { BullConnection } from './BullConnection.js';
import type { JobProcessor } from './JobQueue.js';
import { countJobAttempt } from '../metrics/jobMetrics.js';

/** How the worker runs. */
export interface BullWorkerSettings {
  /** The BullMQ queue name. */
  readonly name: string;
  /** The key prefix of the queue, when not BullMQ's. */
  readonly prefix: { readonly prefix?: string };
  readonly concurrency: number;
  /** How long the worker waits after a Redis error before it polls again. */
  readonly reconnectDelayMs: number;
}

/**
 * Creates and starts the worker; it runs until closed (wait for
 * `waitUntilReady()` to know it listens).
 */
export function startBullWorker<T, R>(
  settings: BullWorkerSettings,
  processor: JobProcessor<T, R>,
  connection: BullConnection,
  log: Logger | undefined,
): Worker<T, R> {
  const w = new Worker<T, R>(
    settings.name,
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
        if (isUnrecoverable(error) && !(error instanceof UnrecoverableError)) {
          throw new UnrecoverableError(failureReason(error));
        }
        throw error;
      }
    },
    {
      connection: connection.options,
      ...settings.prefix,
      concurrency: settings.concurrency,
      autorun: false,
      runRetryDelay: settings.reconnectDelayMs,
    },
  );
  w.on('error', connection.onError);
  w.on('completed', () => {
    countJobAttempt(settings.name, 'completed');
  });
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
    countJobAttempt(settings.name, final ? 'dead-lettered' : 'retried');
    if (final) log?.error(fields, `job dead-lettered: ${error.message}`);
    else log?.warn(fields, `job attempt failed: ${error.message}`);
  });
  void w
    .run()
    .catch((error: unknown) =>
      log?.error({ err: error }, 'job queue worker stopped'),
    );
  return w;
}
