// The annual re-review job's work (算法备案年度复审): flag the filings whose
// review falls due within the lead time and notify their owner department
// and the reviewers. All SQL of the job is here.
import { UnrecoverableError } from 'bullmq';

import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import {
  DEFAULT_RE_REVIEW_LEAD_DAYS,
  type ReReviewPayload,
  type ReReviewResult,
} from './reReviewQueue.js';

/** Options of {@link flagDueReviews}. */
export interface FlagDueReviewsOptions {
  /** The instant the run takes as now. */
  readonly now: Date;
  /**
   * How many days before its due date a filing is flagged.
   *
   * @defaultValue {@link DEFAULT_RE_REVIEW_LEAD_DAYS} (30)
   */
  readonly leadDays?: number;
  /** The subjects of the algorithm reviewers to notify of every due filing. */
  readonly reviewers: readonly string[];
}

/** States after filing: a filed algorithm is reviewed every year until retired. */
const REVIEWED_STATES = [
  'FILED',
  'PILOT',
  'IN_SERVICE',
  'CHANGE_PENDING',
  'SUSPENDED',
] as const;

const KIND = 'ANNUAL_REVIEW_DUE';
const DAY_MS = 24 * 3600 * 1000;

/** Due dates are announced as calendar dates in China Standard Time. */
const DUE_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

interface DueFiling {
  id: string;
  name: string;
  filing_number: string | null;
  owner_department: string;
  next_review_at: Date | string;
  announced: boolean;
}

/**
 * Flags every filed algorithm (states FILED, PILOT, IN_SERVICE,
 * CHANGE_PENDING, SUSPENDED) whose `next_review_at` is at most `leadDays`
 * after `now`, overdue ones included, and notifies its owner department
 * (recipient `department:<owner_department>`) and each reviewer (recipient
 * `<subject>`) with an `ANNUAL_REVIEW_DUE` notification in Chinese and
 * English.
 *
 * Idempotent: a notification is unique per filing, recipient and due date,
 * so a second run for the same due date inserts nothing and flags nothing;
 * a reviewer added later is still told of the filings already due. A
 * filing counts as flagged by the run that sent the first notification for
 * its current due date; that run sets `review_flagged_at` to `now`. The
 * filing's `version` is left alone: flagging is the job's bookkeeping, not
 * an edit, and must not make a reviewer's pending write conflict.
 *
 * Runs in one transaction; an advisory lock makes concurrent runs (two hub
 * instances, a manual run during the scheduled one) take turns.
 *
 * @throws RangeError when `now`, `leadDays` or a reviewer is invalid
 */
export async function flagDueReviews(
  db: Pick<Database, 'transaction'>,
  options: FlagDueReviewsOptions,
): Promise<ReReviewResult> {
  const { now, leadDays = DEFAULT_RE_REVIEW_LEAD_DAYS } = options;
  if (Number.isNaN(now.getTime())) {
    throw new RangeError('flagDueReviews: now is not a valid date');
  }
  if (!Number.isFinite(leadDays) || leadDays < 0) {
    throw new RangeError(
      `flagDueReviews: leadDays must be a non-negative number, got ${leadDays}`,
    );
  }
  const reviewers = [...new Set(options.reviewers)];
  for (const reviewer of reviewers) {
    if (reviewer.trim() === '') {
      throw new RangeError('flagDueReviews: a reviewer subject is empty');
    }
  }
  const horizon = new Date(now.getTime() + leadDays * DAY_MS);

  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      'govgraph:catalog:re-review',
    ]);
    // Taken after the lock: READ COMMITTED gives this statement a snapshot
    // that already holds what an earlier run committed.
    const { rows: due } = await tx.query<DueFiling>(
      `SELECT f.id, f.name, f.filing_number, f.owner_department, f.next_review_at,
              EXISTS (
                SELECT 1 FROM catalog.notifications n
                 WHERE n.filing_id = f.id AND n.kind = $3
                   AND n.due_at = f.next_review_at
              ) AS announced
         FROM catalog.filings f
        WHERE f.state = ANY($1::text[])
          AND f.next_review_at <= $2::timestamptz
        ORDER BY f.next_review_at, f.id
          FOR UPDATE OF f`,
      [REVIEWED_STATES, horizon.toISOString(), KIND],
    );
    if (due.length === 0) return { flagged: [], notifications: 0 };

    const filingIds: string[] = [];
    const recipients: string[] = [];
    const dueAts: string[] = [];
    const messages: string[] = [];
    for (const filing of due) {
      const dueAt = new Date(filing.next_review_at);
      const message = messageOf(filing, dueAt);
      for (const recipient of [
        `department:${filing.owner_department}`,
        ...reviewers,
      ]) {
        filingIds.push(filing.id);
        recipients.push(recipient);
        dueAts.push(dueAt.toISOString());
        messages.push(message);
      }
    }
    const inserted = await tx.query(
      `INSERT INTO catalog.notifications (filing_id, kind, recipient, due_at, message, created_at)
       SELECT n.filing_id, $5, n.recipient, n.due_at, n.message, $6::timestamptz
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
              AS n (filing_id, recipient, due_at, message)
       ON CONFLICT (filing_id, kind, recipient, due_at) DO NOTHING
       RETURNING id`,
      [filingIds, recipients, dueAts, messages, KIND, now.toISOString()],
    );

    const flagged = due.filter((f) => !f.announced).map((f) => f.id);
    if (flagged.length > 0) {
      await tx.query(
        `UPDATE catalog.filings SET review_flagged_at = $2::timestamptz
          WHERE id = ANY($1::text[])`,
        [flagged, now.toISOString()],
      );
    }
    return { flagged, notifications: inserted.rows.length };
  });
}

function messageOf(filing: DueFiling, dueAt: Date): string {
  const date = DUE_DATE.format(dueAt);
  const number = filing.filing_number ?? '—';
  return (
    `算法备案 ${filing.id}「${filing.name}」（备案编号 ${number}）的年度复审将于 ${date} 到期，请及时安排复审。` +
    `\nThe annual re-review of algorithm filing ${filing.id} "${filing.name}" (filing number ${number}) is due on ${date} (China Standard Time); please schedule it.`
  );
}

/** What the re-review processor needs besides its job. */
export interface ReReviewProcessorDeps {
  readonly db: Pick<Database, 'transaction'>;
  readonly reviewers: readonly string[];
  /** The clock, unless the job names its own `now`. */
  readonly now?: () => Date;
  /** @defaultValue {@link DEFAULT_RE_REVIEW_LEAD_DAYS} (30) */
  readonly leadDays?: number;
}

/**
 * The re-review processor, `async (job) => result`: reads only the job's
 * payload and the dependencies it was made with, so it runs the same in a
 * BullMQ worker, in a sandbox that builds its own dependencies, or called
 * directly in-process. Throws `UnrecoverableError` (no retry) for what a
 * retry cannot fix: a bad payload, a bad option, or a database error of
 * SQLSTATE class 22 (data), 23 (constraint) or 42 (syntax, missing table:
 * the migration has not run). Anything else, a lost connection above all,
 * is thrown as it is and retried.
 *
 * @see https://docs.bullmq.io/patterns/stop-retrying-jobs
 */
export function createReReviewProcessor(
  deps: ReReviewProcessorDeps,
): (job: { readonly data: ReReviewPayload }) => Promise<ReReviewResult> {
  return async (job) => {
    const now = nowOf(job.data, deps.now);
    try {
      return await flagDueReviews(deps.db, {
        now,
        reviewers: deps.reviewers,
        ...(deps.leadDays === undefined ? {} : { leadDays: deps.leadDays }),
      });
    } catch (error) {
      if (isPermanent(error)) throw unrecoverable(error);
      throw error;
    }
  };
}

function nowOf(payload: unknown, clock: (() => Date) | undefined): Date {
  if (typeof payload !== 'object' || payload === null) {
    throw new UnrecoverableError('re-review job: the payload is not an object');
  }
  const given: unknown = (payload as Record<string, unknown>)['now'];
  if (given === undefined) return clock?.() ?? new Date();
  const now = typeof given === 'string' ? new Date(given) : new Date(NaN);
  if (Number.isNaN(now.getTime())) {
    throw new UnrecoverableError(
      `re-review job: now must be an ISO 8601 timestamp, got ${JSON.stringify(given)}`,
    );
  }
  return now;
}

function isPermanent(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code: unknown =
    typeof error === 'object' && error !== null
      ? (error as { code?: unknown }).code
      : undefined;
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}

function unrecoverable(error: unknown): UnrecoverableError {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new UnrecoverableError(`re-review job: ${message}`);
  wrapped.cause = error;
  return wrapped;
}
