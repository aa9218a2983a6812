// One job-queue interface with two implementations: BullMQ over Redis
// (`createBullJobQueue`, when REDIS_URL is set) and an in-process queue
// (`createInProcessJobQueue`, the embedded default). Code above this
// interface is the same for both: producers `add`, a worker `process`es,
// failed jobs are retried with exponential backoff and, after the last
// attempt, kept as dead letters that can be listed and retried.

/** Retry policy of a job. */
export interface JobOptions {
  /**
   * Deduplication id: while a job with this id exists (waiting, active,
   * delayed, or dead-lettered), adding another with the same id does nothing.
   * A completed job is forgotten, so its id can be used again. Not an
   * integer and without `:` (BullMQ's rules; both implementations refuse
   * such ids).
   */
  readonly jobId?: string;
  /** Total attempts including the first. @defaultValue 5 */
  readonly attempts?: number;
  /** First retry delay; doubles per attempt. @defaultValue 1000 */
  readonly backoffMs?: number;
  /** Wait before the first attempt. @defaultValue 0 */
  readonly delayMs?: number;
}

/** What a processor sees of its job. */
export interface JobInfo<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** Attempts made before this one (0 on the first). */
  readonly attemptsMade: number;
  /**
   * Reports progress (0–100 or any JSON object): stored on the job in Redis
   * (BullMQ's `progress`, seen by its dashboards and `QueueEvents`); the
   * in-process queue keeps it in memory.
   */
  updateProgress(progress: number | object): Promise<void>;
}

/** A job that failed its last attempt. */
export interface DeadLetter<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  readonly attemptsMade: number;
  readonly failedReason: string;
  /** ISO 8601. */
  readonly failedAt: string;
}

export type JobProcessor<T, R> = (job: JobInfo<T>) => Promise<R>;

/**
 * A named queue of jobs with payload `T` and result `R`. Errors a processor
 * throws count as failed attempts; an error whose `unrecoverable` property is
 * true (BullMQ's `UnrecoverableError`) dead-letters the job at once.
 */
export interface JobQueue<T, R> {
  readonly kind: 'redis' | 'in-process';
  readonly name: string;
  /** Adds a job; rejects when the queue cannot be reached (Redis down). */
  add(name: string, data: T, options?: JobOptions): Promise<{ id: string }>;
  /** Starts a worker in this process with `concurrency` parallel jobs. */
  process(
    processor: JobProcessor<T, R>,
    options?: { concurrency?: number },
  ): Promise<void>;
  /** Jobs that failed for good, newest first. @defaultValue limit 100 */
  deadLetters(limit?: number): Promise<DeadLetter<T>[]>;
  /** Moves a dead letter back to the queue for a fresh set of attempts. */
  retryDeadLetter(id: string): Promise<void>;
  /** Resolves when no job is waiting, delayed or active (tests, shutdown). */
  drained(): Promise<void>;
  /** Stops the worker after its active jobs and releases connections. Idempotent. */
  close(): Promise<void>;
}
