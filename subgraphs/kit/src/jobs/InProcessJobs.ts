// The jobs of the in-process queue and their scheduling: waiting, delayed
// (a retry's backoff) and active jobs, run by one processor with a bounded
// concurrency in the order they became ready.
import type { Logger } from '../logger.js';
import {
  backoffDelay,
  failureReason,
  isUnrecoverable,
  resolveJobOptions,
} from './AwaitableJobQueue.js';
import type { InProcessDeadLetters } from './InProcessDeadLetters.js';
import type { JobInfo, JobOptions, JobProcessor } from './JobQueue.js';
import type { JobWaiters } from './JobWaiters.js';
import { countJobAttempt } from '../metrics/jobMetrics.js';

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

/** What a job is added with (its options resolved). */
interface NewJob<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  readonly attempts: number;
  readonly backoffMs: number;
}

/**
 * The live jobs of one in-process queue. Completed jobs are forgotten;
 * failed ones go to `dead` and their waiters are told.
 */
export class InProcessJobs<T, R> {
  private readonly jobs = new Map<string, PendingJob<T>>();
  private readonly ready: PendingJob<T>[] = [];
  private idle: (() => void)[] = [];
  private processor: JobProcessor<T, R> | undefined;
  private concurrency = 1;
  private active = 0;
  private nextId = 1;
  private closedFlag = false;
  private activeDone: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly dead: InProcessDeadLetters<T>,
    private readonly waiters: JobWaiters<R>,
    private readonly log: Logger | undefined,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Jobs by state (for metrics). */
  counts(): { waiting: number; active: number; delayed: number } {
    const counts = { waiting: 0, active: 0, delayed: 0 };
    for (const job of this.jobs.values()) counts[job.state] += 1;
    return counts;
  }

  get hasProcessor(): boolean {
    return this.processor !== undefined;
  }

  /** Adds a job synchronously and returns its id (throws when refused). */
  add(name: string, data: T, jobOptions?: JobOptions): string {
    if (this.closedFlag) throw new Error(`job queue ${this.name} is closed`);
    const resolved = resolveJobOptions(jobOptions);
    const id = resolved.jobId ?? String(this.nextId++);
    if (this.jobs.has(id) || this.dead.find(id)) return id;
    this.enqueue(
      {
        id,
        name,
        data,
        attempts: resolved.attempts,
        backoffMs: resolved.backoffMs,
      },
      resolved.delayMs,
    );
    return id;
  }

  /** Adds a job again with its first attempt to come (a retried dead letter). */
  readd(job: NewJob<T>): void {
    this.enqueue(job, 0);
  }

  /** Starts running the jobs with `processor`, `concurrency` at a time. */
  start(processor: JobProcessor<T, R>, concurrency: number): void {
    this.processor = processor;
    this.concurrency = concurrency;
    this.pump();
  }

  /** Resolves when no job is waiting, delayed or active (or once closed). */
  drained(): Promise<void> {
    if (this.isIdle() || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Runs no further job and waits for the active ones; then rejects the
   * waiters left with `error` and resolves every `drained` call.
   */
  async close(error: () => Error): Promise<void> {
    this.closedFlag = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    if (this.active > 0) {
      await new Promise<void>((resolve) => {
        this.activeDone = resolve;
      });
    }
    this.waiters.rejectAll(error);
    const resolvers = this.idle;
    this.idle = [];
    for (const resolve of resolvers) resolve();
  }

  private enqueue(job: NewJob<T>, delayMs: number): void {
    const pending: PendingJob<T> = {
      ...job,
      attemptsMade: 0,
      state: 'waiting',
      timer: undefined,
      progress: 0,
    };
    this.jobs.set(job.id, pending);
    this.schedule(pending, delayMs);
  }

  private isIdle(): boolean {
    return this.jobs.size === 0;
  }

  private checkIdle(): void {
    if (this.active === 0) this.activeDone?.();
    if (!this.isIdle()) return;
    const resolvers = this.idle;
    this.idle = [];
    for (const resolve of resolvers) resolve();
  }

  private deadLetter(job: PendingJob<T>, reason: string): void {
    this.jobs.delete(job.id);
    this.dead.add({
      id: job.id,
      name: job.name,
      data: job.data,
      attemptsMade: job.attemptsMade,
      failedReason: reason,
      failedAt: new Date().toISOString(),
      attempts: job.attempts,
      backoffMs: job.backoffMs,
    });
    this.log?.error(
      { jobId: job.id, jobName: job.name, attemptsMade: job.attemptsMade },
      `job dead-lettered: ${reason}`,
    );
    this.waiters.settle(job.id, {
      error: new Error(`job ${job.id} failed: ${reason}`),
    });
  }

  private async execute(job: PendingJob<T>): Promise<void> {
    const run = this.processor;
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
      this.jobs.delete(job.id);
      countJobAttempt(this.name, 'completed');
      this.waiters.settle(job.id, { result });
    } catch (error) {
      job.attemptsMade += 1;
      const reason = failureReason(error);
      if (job.attemptsMade >= job.attempts || isUnrecoverable(error)) {
        countJobAttempt(this.name, 'dead-lettered');
        this.deadLetter(job, reason);
      } else {
        countJobAttempt(this.name, 'retried');
        const delay = backoffDelay(job.backoffMs, job.attemptsMade);
        this.log?.warn(
          { jobId: job.id, attemptsMade: job.attemptsMade, delayMs: delay },
          `job attempt failed: ${reason}`,
        );
        this.schedule(job, delay);
      }
    }
  }

  private pump(): void {
    while (
      !this.closedFlag &&
      this.processor &&
      this.active < this.concurrency &&
      this.ready.length > 0
    ) {
      const job = this.ready.shift();
      if (!job) break;
      job.state = 'active';
      this.active += 1;
      void this.execute(job).finally(() => {
        this.active -= 1;
        this.pump();
        this.checkIdle();
      });
    }
  }

  private schedule(job: PendingJob<T>, delayMs: number): void {
    if (this.closedFlag) return;
    if (delayMs <= 0) {
      job.state = 'waiting';
      this.ready.push(job);
      this.pump();
      return;
    }
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      job.state = 'waiting';
      this.ready.push(job);
      this.pump();
    }, delayMs);
  }
}
