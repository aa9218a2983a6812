// The job queue of a hub without Redis: jobs live in this process's memory,
// with the same retries, backoff, deduplication and dead letters as BullMQ.
import type { Logger } from '../logger.js';
import type { AwaitableJobQueue } from './AwaitableJobQueue.js';
import { InProcessDeadLetters } from './InProcessDeadLetters.js';
import { InProcessJobs } from './InProcessJobs.js';
import { JobWaiters } from './JobWaiters.js';
import {
  trackQueue,
  untrackQueue,
  type CountedQueue,
} from '../metrics/jobMetrics.js';

/** Options of {@link createInProcessJobQueue}. */
export interface InProcessJobQueueOptions {
  /** The queue's name, for logs. */
  readonly name: string;
  /** Logs failed attempts and dead letters. */
  readonly logger?: Logger;
  /**
   * Most dead letters kept; the oldest are dropped beyond it.
   * @defaultValue 1000
   */
  readonly maxDeadLetters?: number;
}

/**
 * A {@link AwaitableJobQueue} in this process's memory: nothing survives a
 * restart, so use it only where losing queued jobs is acceptable (the
 * embedded hub, whose producers re-create their jobs from durable state).
 * Jobs run in the order added (retries when their backoff has passed);
 * completed jobs are forgotten, so their ids can be used again.
 */
export function createInProcessJobQueue<T, R>(
  options: InProcessJobQueueOptions,
): AwaitableJobQueue<T, R> {
  const log = options.logger?.child({ queue: options.name });
  const dead = new InProcessDeadLetters<T>(options.maxDeadLetters ?? 1000);
  const waiters = new JobWaiters<R>();
  const jobs = new InProcessJobs<T, R>(options.name, dead, waiters, log);
  let closing: Promise<void> | undefined;
  const closedError = (): Error =>
    new Error(`job queue ${options.name} is closed`);
  const counted: CountedQueue = {
    name: options.name,
    kind: 'in-process',
    counts: () => Promise.resolve({ ...jobs.counts(), failed: dead.size }),
  };
  trackQueue(counted);

  return {
    kind: 'in-process',
    name: options.name,
    add(name, data, jobOptions) {
      try {
        return Promise.resolve({ id: jobs.add(name, data, jobOptions) });
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },

    run(name, data, runOptions) {
      let id: string;
      try {
        id = jobs.add(name, data, runOptions);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      // Registered before any job can finish: none completes synchronously.
      const letter = dead.find(id);
      if (letter) {
        return Promise.reject(
          new Error(`job ${id} failed: ${letter.failedReason}`),
        );
      }
      return waiters.wait(id, runOptions?.timeoutMs);
    },

    process(fn, processOptions) {
      if (jobs.closed) return Promise.reject(closedError());
      if (jobs.hasProcessor) {
        return Promise.reject(
          new Error(`job queue ${options.name} already has a worker`),
        );
      }
      const wanted = processOptions?.concurrency ?? 1;
      if (!Number.isSafeInteger(wanted) || wanted < 1) {
        return Promise.reject(
          new RangeError(
            `concurrency must be a positive integer, got ${wanted}`,
          ),
        );
      }
      jobs.start(fn, wanted);
      return Promise.resolve();
    },

    deadLetters(limit = 100) {
      return Promise.resolve(dead.list(limit));
    },

    retryDeadLetter(id) {
      if (jobs.closed) return Promise.reject(closedError());
      const letter = dead.take(id);
      if (!letter) {
        return Promise.reject(new Error(`no dead letter with id ${id}`));
      }
      jobs.readd({
        id: letter.id,
        name: letter.name,
        data: letter.data,
        attempts: letter.attempts,
        backoffMs: letter.backoffMs,
      });
      return Promise.resolve();
    },

    drained() {
      return jobs.drained();
    },

    close() {
      untrackQueue(counted);
      closing ??= jobs.close(
        () => new Error(`job queue ${options.name} closed`),
      );
      return closing;
    },
  };
}
