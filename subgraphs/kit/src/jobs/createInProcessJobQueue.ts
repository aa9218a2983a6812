// The job queue of a hub without Redis: jobs live in this process's memory,
// with the same retries, backoff, deduplication and dead letters as BullMQ.
import type { Logger } from '../logger.js';
import {
  backoffDelay,
  failureReason,
  isUnrecoverable,
  resolveJobOptions,
  type AwaitableJobQueue,
} from './AwaitableJobQueue.js';
import type {
  DeadLetter,
  JobInfo,
  JobOptions,
  JobProcessor,
} from './JobQueue.js';

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

interface PendingJob<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  readonly attempts: number;
  readonly backoffMs: number;
  attemptsMade: number;
  state: 'waiting' | 'delayed' | 'active';
  timer: NodeJS.Timeout | undefined;
  progress: number | object;
}

interface StoredDeadLetter<T> extends DeadLetter<T> {
  readonly attempts: number;
  readonly backoffMs: number;
}

interface Waiter<R> {
  resolve(result: R): void;
  reject(error: Error): void;
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
  const maxDeadLetters = options.maxDeadLetters ?? 1000;
  const jobs = new Map<string, PendingJob<T>>();
  const ready: PendingJob<T>[] = [];
  /** Newest first. */
  const dead: StoredDeadLetter<T>[] = [];
  const waiters = new Map<string, Waiter<R>[]>();
  let idle: (() => void)[] = [];
  let processor: JobProcessor<T, R> | undefined;
  let concurrency = 1;
  let active = 0;
  let nextId = 1;
  let closed = false;
  let closing: Promise<void> | undefined;
  let activeDone: (() => void) | undefined;

  const isIdle = (): boolean => jobs.size === 0;

  const settle = (id: string, outcome: { result: R } | { error: Error }) => {
    const list = waiters.get(id);
    if (!list) return;
    waiters.delete(id);
    for (const w of list) {
      if ('result' in outcome) w.resolve(outcome.result);
      else w.reject(outcome.error);
    }
  };

  const checkIdle = (): void => {
    if (active === 0) activeDone?.();
    if (!isIdle()) return;
    const resolvers = idle;
    idle = [];
    for (const resolve of resolvers) resolve();
  };

  const deadLetter = (job: PendingJob<T>, reason: string): void => {
    jobs.delete(job.id);
    dead.unshift({
      id: job.id,
      name: job.name,
      data: job.data,
      attemptsMade: job.attemptsMade,
      failedReason: reason,
      failedAt: new Date().toISOString(),
      attempts: job.attempts,
      backoffMs: job.backoffMs,
    });
    if (dead.length > maxDeadLetters) dead.length = maxDeadLetters;
    log?.error(
      { jobId: job.id, jobName: job.name, attemptsMade: job.attemptsMade },
      `job dead-lettered: ${reason}`,
    );
    settle(job.id, {
      error: new Error(`job ${job.id} failed: ${reason}`),
    });
  };

  const execute = async (job: PendingJob<T>): Promise<void> => {
    const run = processor;
    if (!run) return;
    const info: JobInfo<T> = {
      id: job.id,
      name: job.name,
      data: job.data,
      attemptsMade: job.attemptsMade,
      updateProgress: (progress) => {
        job.progress = progress;
        return Promise.resolve();
      },
    };
    try {
      const result = await run(info);
      jobs.delete(job.id);
      settle(job.id, { result });
    } catch (error) {
      job.attemptsMade += 1;
      const reason = failureReason(error);
      if (job.attemptsMade >= job.attempts || isUnrecoverable(error)) {
        deadLetter(job, reason);
      } else {
        const delay = backoffDelay(job.backoffMs, job.attemptsMade);
        log?.warn(
          { jobId: job.id, attemptsMade: job.attemptsMade, delayMs: delay },
          `job attempt failed: ${reason}`,
        );
        schedule(job, delay);
      }
    }
  };

  const pump = (): void => {
    while (!closed && processor && active < concurrency && ready.length > 0) {
      const job = ready.shift();
      if (!job) break;
      job.state = 'active';
      active += 1;
      void execute(job).finally(() => {
        active -= 1;
        pump();
        checkIdle();
      });
    }
  };

  const schedule = (job: PendingJob<T>, delayMs: number): void => {
    if (closed) return;
    if (delayMs <= 0) {
      job.state = 'waiting';
      ready.push(job);
      pump();
      return;
    }
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      job.state = 'waiting';
      ready.push(job);
      pump();
    }, delayMs);
  };

  /** Adds a job synchronously and returns its id (throws when refused). */
  const addNow = (name: string, data: T, jobOptions?: JobOptions): string => {
    if (closed) throw new Error(`job queue ${options.name} is closed`);
    const resolved = resolveJobOptions(jobOptions);
    const id = resolved.jobId ?? String(nextId++);
    if (jobs.has(id) || dead.some((d) => d.id === id)) return id;
    const job: PendingJob<T> = {
      id,
      name,
      data,
      attempts: resolved.attempts,
      backoffMs: resolved.backoffMs,
      attemptsMade: 0,
      state: 'waiting',
      timer: undefined,
      progress: 0,
    };
    jobs.set(id, job);
    schedule(job, resolved.delayMs);
    return id;
  };

  return {
    kind: 'in-process',
    name: options.name,
    add(name, data, jobOptions) {
      try {
        return Promise.resolve({ id: addNow(name, data, jobOptions) });
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },

    run(name, data, runOptions) {
      let id: string;
      try {
        id = addNow(name, data, runOptions);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      // Registered before any job can finish: none completes synchronously.
      const letter = dead.find((d) => d.id === id);
      if (letter) {
        return Promise.reject(
          new Error(`job ${id} failed: ${letter.failedReason}`),
        );
      }
      return new Promise<R>((resolve, reject) => {
        const timeoutMs = runOptions?.timeoutMs;
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                const list = waiters.get(id) ?? [];
                waiters.set(
                  id,
                  list.filter((w) => w !== waiter),
                );
                reject(
                  new Error(`job ${id} did not finish within ${timeoutMs} ms`),
                );
              }, timeoutMs);
        const waiter: Waiter<R> = {
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.set(id, [...(waiters.get(id) ?? []), waiter]);
      });
    },

    process(fn, processOptions) {
      if (closed) {
        return Promise.reject(new Error(`job queue ${options.name} is closed`));
      }
      if (processor) {
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
      processor = fn;
      concurrency = wanted;
      pump();
      return Promise.resolve();
    },

    deadLetters(limit = 100) {
      return Promise.resolve(
        dead.slice(0, limit).map((d) => ({
          id: d.id,
          name: d.name,
          data: d.data,
          attemptsMade: d.attemptsMade,
          failedReason: d.failedReason,
          failedAt: d.failedAt,
        })),
      );
    },

    retryDeadLetter(id) {
      if (closed) {
        return Promise.reject(new Error(`job queue ${options.name} is closed`));
      }
      const index = dead.findIndex((d) => d.id === id);
      const letter = dead[index];
      if (!letter) {
        return Promise.reject(new Error(`no dead letter with id ${id}`));
      }
      dead.splice(index, 1);
      const job: PendingJob<T> = {
        id: letter.id,
        name: letter.name,
        data: letter.data,
        attempts: letter.attempts,
        backoffMs: letter.backoffMs,
        attemptsMade: 0,
        state: 'waiting',
        timer: undefined,
        progress: 0,
      };
      jobs.set(id, job);
      schedule(job, 0);
      return Promise.resolve();
    },

    drained() {
      if (isIdle() || closed) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },

    close() {
      closing ??= (async () => {
        closed = true;
        for (const job of jobs.values()) clearTimeout(job.timer);
        if (active > 0) {
          await new Promise<void>((resolve) => {
            activeDone = resolve;
          });
        }
        for (const id of [...waiters.keys()]) {
          settle(id, {
            error: new Error(`job queue ${options.name} closed`),
          });
        }
        const resolvers = idle;
        idle = [];
        for (const resolve of resolvers) resolve();
      })();
      return closing;
    },
  };
}
