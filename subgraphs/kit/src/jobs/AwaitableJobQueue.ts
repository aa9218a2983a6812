// What both job-queue implementations offer beyond the JobQueue contract:
// adding a job and waiting for its outcome, and defaults shared by both.
import type { JobOptions, JobQueue } from './JobQueue.js';

/**
 * A {@link JobQueue} whose caller can wait for a job's outcome. Both
 * `createInProcessJobQueue` and `createBullJobQueue` return one.
 */
export interface AwaitableJobQueue<T, R> extends JobQueue<T, R> {
  /**
   * Adds a job and resolves with its result once a worker (of any process
   * sharing the queue) has completed it; rejects when it dead-letters, when
   * `timeoutMs` passes, or when the queue closes first. With a `jobId` that
   * is already queued, waits for that job instead.
   */
  run(
    name: string,
    data: T,
    options?: JobOptions & { readonly timeoutMs?: number },
  ): Promise<R>;
}

/** Defaults of {@link JobOptions}. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoffMs: 1000,
  delayMs: 0,
} as const;

/**
 * The delay before retry number `retry` (1 for the first retry): BullMQ's
 * exponential backoff, `backoffMs · 2^(retry − 1)`.
 */
export function backoffDelay(backoffMs: number, retry: number): number {
  return Math.round(backoffMs * 2 ** (retry - 1));
}

/**
 * Refuses a job id BullMQ cannot store, so that both implementations accept
 * the same ids: not an integer, no `:`, not empty.
 */
export function assertJobId(jobId: string): string {
  if (jobId === '' || jobId.includes(':') || /^-?\d+$/.test(jobId)) {
    throw new RangeError(
      `invalid job id "${jobId}": use a non-empty string without ":" that is not an integer`,
    );
  }
  return jobId;
}

/** Checks attempts, backoff and delay of `options` and fills in defaults. */
export function resolveJobOptions(options: JobOptions | undefined): {
  jobId: string | undefined;
  attempts: number;
  backoffMs: number;
  delayMs: number;
} {
  const attempts = options?.attempts ?? DEFAULT_JOB_OPTIONS.attempts;
  const backoffMs = options?.backoffMs ?? DEFAULT_JOB_OPTIONS.backoffMs;
  const delayMs = options?.delayMs ?? DEFAULT_JOB_OPTIONS.delayMs;
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new RangeError(
      `attempts must be a positive integer, got ${attempts}`,
    );
  }
  for (const [key, value] of [
    ['backoffMs', backoffMs],
    ['delayMs', delayMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `${key} must be a non-negative integer, got ${value}`,
      );
    }
  }
  return {
    jobId:
      options?.jobId === undefined ? undefined : assertJobId(options.jobId),
    attempts,
    backoffMs,
    delayMs,
  };
}

/** True for an error that must not be retried (BullMQ's `UnrecoverableError` or `unrecoverable: true`). */
export function isUnrecoverable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (
    (error as { unrecoverable?: unknown }).unrecoverable === true ||
    (error as { name?: unknown }).name === 'UnrecoverableError'
  );
}

/** The message a failed attempt records. */
export function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
