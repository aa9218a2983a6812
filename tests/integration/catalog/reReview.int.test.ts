// The annual re-review job against the real PostgreSQL and Redis: which
// filings it flags, whom it notifies, that a second run notifies nobody,
// and both runners (in-process and BullMQ) end to end, closing cleanly.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { Queue, QueueEvents } from 'bullmq';

import { flagDueReviews } from '../../../catalog/src/jobs/flagDueReviews.js';
import {
  RE_REVIEW_JOB,
  RE_REVIEW_SCHEDULER_ID,
} from '../../../catalog/src/jobs/reReviewQueue.js';
import { startReReviewRunner } from '../../../catalog/src/jobs/reReviewRunner.js';
import {
  createLogger,
  migrate,
  readMigrations,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';

const MIGRATIONS = resolve(import.meta.dirname, '../../../catalog/migrations');
const REDIS = { host: '127.0.0.1', port: 6379 };
const NOW = new Date('2026-12-04T10:00:00+08:00');
const DAY = 24 * 3600 * 1000;
const REVIEWERS = ['cac-reviewer-li', 'cac-reviewer-wang', 'cac-reviewer-li'];
const logger = createLogger('re-review-test', 'silent');

interface FilingFixture {
  id: string;
  state: string;
  dueInDays: number | null;
  owner?: string;
}

/** Due within 30 days, in every state that is reviewed yearly. */
const DUE: FilingFixture[] = [
  { id: 'ALG-T-OVERDUE', state: 'SUSPENDED', dueInDays: -3 },
  { id: 'ALG-T-CHANGE', state: 'CHANGE_PENDING', dueInDays: 1 },
  { id: 'ALG-T-SERVICE', state: 'IN_SERVICE', dueInDays: 10, owner: 'water' },
  { id: 'ALG-T-FILED', state: 'FILED', dueInDays: 20 },
  { id: 'ALG-T-PILOT', state: 'PILOT', dueInDays: 30 },
];
/** Not due, or not reviewed yearly. */
const NOT_DUE: FilingFixture[] = [
  { id: 'ALG-T-LATER', state: 'IN_SERVICE', dueInDays: 31 },
  { id: 'ALG-T-RETIRED', state: 'RETIRED', dueInDays: 5 },
  { id: 'ALG-T-DRAFT', state: 'DRAFT', dueInDays: 5 },
  { id: 'ALG-T-REVIEW', state: 'UNDER_REVIEW', dueInDays: 5 },
  { id: 'ALG-T-NODATE', state: 'IN_SERVICE', dueInDays: null },
];
const DUE_IDS = DUE.map((f) => f.id);

let tdb: TestDatabase;
let db: Database;

async function insertFiling(f: FilingFixture): Promise<void> {
  const filed = !['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'RETURNED'].includes(
    f.state,
  );
  await db.query(
    `INSERT INTO catalog.filings (id, name, owner_department, safety_officer,
       service_form, domain, algorithm_type, risk_category, state,
       current_revision, approved_revision, filing_number, created_by,
       next_review_at)
     VALUES ($1, $2, $3, '张安全', '决策支持', '生态环境', '预测', 'MEDIUM', $4,
       1, $5, $6, 'seed', $7::timestamptz)`,
    [
      f.id,
      `${f.id} 水质预测`,
      f.owner ?? 'environment',
      f.state,
      filed ? 1 : null,
      filed ? `CQ-${f.id}` : null,
      f.dueInDays === null
        ? null
        : new Date(NOW.getTime() + f.dueInDays * DAY).toISOString(),
    ],
  );
}

/** Empties the registry and inserts the fixtures. */
async function setup(): Promise<void> {
  await db.query('DELETE FROM catalog.notifications');
  await db.query('DELETE FROM catalog.filings');
  for (const f of [...DUE, ...NOT_DUE]) await insertFiling(f);
}

async function notifications(): Promise<
  { filing_id: string; recipient: string; due_at: Date; message: string }[]
> {
  const { rows } = await db.query<{
    filing_id: string;
    recipient: string;
    due_at: Date;
    message: string;
  }>(
    'SELECT filing_id, recipient, due_at, message FROM catalog.notifications ORDER BY filing_id, recipient',
  );
  return rows;
}

async function flaggedIds(): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM catalog.filings WHERE review_flagged_at IS NOT NULL ORDER BY id',
  );
  return rows.map((r) => r.id);
}

describe('annual re-review job', () => {
  before(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    await migrate(db, 'catalog', await readMigrations(MIGRATIONS));
  });

  after(async () => {
    await tdb.drop();
  });

  beforeEach(setup);

  describe('flagDueReviews', () => {
    it('flags exactly the filed algorithms due within 30 days, overdue ones included', async () => {
      const result = await flagDueReviews(db, {
        now: NOW,
        reviewers: REVIEWERS,
      });
      assert.deepEqual(result.flagged, DUE_IDS, 'ordered by due date');
      assert.deepEqual(await flaggedIds(), [...DUE_IDS].sort());
      const { rows } = await db.query<{ at: Date }>(
        'SELECT DISTINCT review_flagged_at AS at FROM catalog.filings WHERE review_flagged_at IS NOT NULL',
      );
      assert.deepEqual(
        rows.map((r) => r.at.toISOString()),
        [NOW.toISOString()],
      );
    });

    it('notifies the owner department and every reviewer of each due filing', async () => {
      const result = await flagDueReviews(db, {
        now: NOW,
        reviewers: REVIEWERS,
      });
      const rows = await notifications();
      assert.equal(result.notifications, DUE.length * 3);
      assert.equal(rows.length, DUE.length * 3);
      for (const f of DUE) {
        const mine = rows.filter((r) => r.filing_id === f.id);
        assert.deepEqual(
          mine.map((r) => r.recipient),
          [
            'cac-reviewer-li',
            'cac-reviewer-wang',
            `department:${f.owner ?? 'environment'}`,
          ],
        );
        for (const r of mine) {
          assert.equal(
            r.due_at.getTime(),
            NOW.getTime() + (f.dueInDays ?? 0) * DAY,
          );
          assert.match(r.message, /年度复审/);
          assert.match(r.message, /annual re-review/);
          assert.ok(r.message.includes(f.id));
          assert.ok(r.message.includes(`${f.id} 水质预测`), 'names the filing');
          assert.ok(r.message.includes(`CQ-${f.id}`), 'its filing number');
        }
      }
      const service = rows.find((r) => r.filing_id === 'ALG-T-SERVICE');
      // Due 2026-12-14 10:00 CST.
      assert.match(service?.message ?? '', /2026-12-14/);
    });

    it('notifies nobody again on a second run, and flags nothing', async () => {
      await flagDueReviews(db, { now: NOW, reviewers: REVIEWERS });
      const before = await notifications();
      const later = new Date(NOW.getTime() + 3600 * 1000);
      const second = await flagDueReviews(db, {
        now: later,
        reviewers: REVIEWERS,
      });
      assert.deepEqual(second, { flagged: [], notifications: 0 });
      assert.deepEqual(await notifications(), before);
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM catalog.filings WHERE review_flagged_at = $1',
        [NOW.toISOString()],
      );
      assert.equal(rows[0]?.n, DUE.length, 'review_flagged_at kept');
    });

    it('flags a filing again for its next due date, and tells a new reviewer of what is already due', async () => {
      await flagDueReviews(db, { now: NOW, reviewers: REVIEWERS });
      await db.query(
        `UPDATE catalog.filings SET next_review_at = next_review_at + interval '1 year'
          WHERE id = 'ALG-T-OVERDUE'`,
      );
      const result = await flagDueReviews(db, {
        now: new Date(NOW.getTime() + 360 * DAY),
        reviewers: ['cac-reviewer-li', 'cac-reviewer-wang'],
      });
      assert.ok(result.flagged.includes('ALG-T-OVERDUE'));
      const joined = await flagDueReviews(db, {
        now: NOW,
        reviewers: ['cac-reviewer-zhao'],
      });
      assert.deepEqual(joined.flagged, []);
      assert.equal(joined.notifications, DUE.length - 1);
    });

    it('refuses an empty reviewer subject and a negative lead time, changing nothing', async () => {
      await assert.rejects(
        flagDueReviews(db, { now: NOW, reviewers: [' '] }),
        RangeError,
      );
      await assert.rejects(
        flagDueReviews(db, { now: NOW, leadDays: -1, reviewers: REVIEWERS }),
        RangeError,
      );
      assert.deepEqual(await notifications(), []);
    });
  });

  describe('in-process runner', () => {
    it('runs at start and on runNow, once per filing and due date', async () => {
      const runner = await startReReviewRunner(
        { kind: 'in-process', intervalMs: 3_600_000 },
        { db, logger, now: () => NOW, reviewers: REVIEWERS },
      );
      try {
        assert.deepEqual(await flaggedIds(), [...DUE_IDS].sort(), 'at start');
        assert.deepEqual(await runner.runNow(), {
          flagged: [],
          notifications: 0,
        });
        await insertFiling({
          id: 'ALG-T-NEW',
          state: 'IN_SERVICE',
          dueInDays: 2,
        });
        assert.deepEqual(await runner.runNow(), {
          flagged: ['ALG-T-NEW'],
          notifications: 3,
        });
      } finally {
        await runner.close();
      }
      await assert.rejects(runner.runNow(), /closed/);
    });
  });

  describe('BullMQ runner', () => {
    it('schedules the job daily at 02:00 China Standard Time and flags on runNow', async () => {
      const queueName = `test-${randomUUID()}`;
      const queue = new Queue(queueName, { connection: REDIS });
      try {
        const runner = await startReReviewRunner(
          { kind: 'redis', connection: REDIS, queueName },
          { db, logger, now: () => NOW, reviewers: REVIEWERS },
        );
        try {
          const schedulers = await queue.getJobSchedulers();
          assert.equal(schedulers.length, 1);
          assert.equal(schedulers[0]?.key, RE_REVIEW_SCHEDULER_ID);
          assert.equal(schedulers[0]?.name, RE_REVIEW_JOB);
          assert.equal(schedulers[0]?.pattern, '0 2 * * *');
          assert.equal(schedulers[0]?.tz, 'Asia/Shanghai');
          assert.deepEqual(await flaggedIds(), [], 'nothing runs at start');

          const result = await runner.runNow();
          assert.deepEqual(result, {
            flagged: DUE_IDS,
            notifications: DUE.length * 3,
          });
          assert.deepEqual(await flaggedIds(), [...DUE_IDS].sort());
          assert.deepEqual(await runner.runNow(), {
            flagged: [],
            notifications: 0,
          });
        } finally {
          await runner.close();
        }
        await runner.close(); // idempotent
        await assert.rejects(runner.runNow(), /closed/);
      } finally {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });

    it('accepts a redis:// URL and fails a job with a bad payload without retrying it', async () => {
      const queueName = `test-${randomUUID()}`;
      const queue = new Queue(queueName, { connection: REDIS });
      const events = new QueueEvents(queueName, { connection: REDIS });
      try {
        await events.waitUntilReady();
        const runner = await startReReviewRunner(
          {
            kind: 'redis',
            connection: `redis://${REDIS.host}:${REDIS.port}`,
            queueName,
            schedule: { pattern: '0 3 1 1 *', tz: 'Asia/Shanghai' },
          },
          { db, logger, reviewers: REVIEWERS },
        );
        try {
          const job = await queue.add(
            RE_REVIEW_JOB,
            { now: 'not a date' },
            { attempts: 3, backoff: { type: 'fixed', delay: 10 } },
          );
          await assert.rejects(job.waitUntilFinished(events), /ISO 8601/);
          const failed = await queue.getJob(job.id ?? '');
          assert.equal(failed?.attemptsMade, 1, 'not retried');
          assert.deepEqual(await notifications(), []);
        } finally {
          await runner.close();
        }
      } finally {
        await events.close();
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });
  });
});
