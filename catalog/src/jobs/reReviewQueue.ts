// The annual re-review job of the algorithm registry (算法备案年度复审): its
// queue, job and scheduler names, payload and result, schedule and retry
// options. The one module both the producer (the scheduler, `runNow`) and
// the worker import (style rule R13).
import type { JobSchedulerTemplateOptions } from 'bullmq';

/**
 * The BullMQ queue the re-review job runs on. Prefixed with the project so
 * that it can share a Redis instance with other applications.
 */
export const RE_REVIEW_QUEUE = 'govgraph-algorithm-re-review';

/** The name of every re-review job, scheduled or run by hand. */
export const RE_REVIEW_JOB = 'flag-due-reviews';

/**
 * The id of the job scheduler that produces the daily re-review job.
 * Upserting under a fixed id keeps one schedule however many hub instances
 * start.
 */
export const RE_REVIEW_SCHEDULER_ID = 'algorithm-re-review-daily';

/** What a re-review job carries. */
export interface ReReviewPayload {
  /**
   * The instant to take as "now" (ISO 8601), for a run on behalf of another
   * time (a catch-up or a test). Absent in scheduled jobs: the worker's
   * clock decides.
   */
  readonly now?: string;
}

/** What a re-review run did; the job's return value. */
export interface ReReviewResult {
  /**
   * The filings flagged by this run: those whose current review due date had
   * not been announced before, ordered by due date and id.
   */
  readonly flagged: string[];
  /** How many notifications this run inserted (none already sent). */
  readonly notifications: number;
}

/** When the job runs: a cron pattern in a time zone, or a fixed interval. */
export type ReReviewSchedule =
  | { readonly pattern: string; readonly tz: string }
  | { readonly every: number };

/**
 * Daily at 02:00 China Standard Time, outside office hours, so that the
 * notifications are waiting when reviewers start their day.
 *
 * @see https://docs.bullmq.io/guide/job-schedulers
 */
export const DEFAULT_RE_REVIEW_SCHEDULE = {
  pattern: '0 2 * * *',
  tz: 'Asia/Shanghai',
} as const satisfies ReReviewSchedule;

/**
 * The options of every re-review job. A failed run is retried three times
 * in all, 30 s, 60 s and 120 s apart, which rides out a database failover;
 * after that the next day's run catches up (a run flags everything due,
 * including what an earlier run missed). Finished jobs are kept a while for
 * inspection, never without bound.
 */
export const RE_REVIEW_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100 },
  removeOnFail: { age: 30 * 24 * 3600, count: 100 },
} as const satisfies JobSchedulerTemplateOptions;

/**
 * How far ahead of its due date a filing is announced.
 *
 * @defaultValue 30 days
 */
export const DEFAULT_RE_REVIEW_LEAD_DAYS = 30;
