// Redis losing its data costs seconds, not a restart: the job runners of
// `npm run worker` (hub/startJobRunners.ts) on a redis-server of this
// test's own (no persistence), over a copy of the demo city. With an index
// job and a webhook delivery each waiting in Redis for a retry two minutes
// away, Redis is flushed: within BOUND_MS the run-marker watch has
// registered the evaluation and re-review schedules again, the outbox row
// is indexed and the delivery delivered. Then Redis is killed and started
// again, empty, on the same port: the schedules are back within BOUND_MS of
// its answering again.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { Queue } from 'bullmq';

import {
  RE_REVIEW_QUEUE,
  RE_REVIEW_SCHEDULER_ID,
} from '../../catalog/src/jobs/reReviewQueue.js';
import { startJobRunners, type JobRunners } from '../../hub/startJobRunners.js';
import {
  ALERT_EVALUATION_QUEUE,
  ALERT_EVALUATION_SCHEDULER_ID,
} from '../../subgraphs/emergency/src/alerting/jobs/alertingQueues.js';
import { raiseAlert } from '../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import { insertWebhook } from '../../subgraphs/emergency/src/alerting/repository/webhookRepository.js';
import { readEmergencyEnv } from '../../subgraphs/emergency/src/env.js';
import { createLogger } from '../../subgraphs/kit/src/index.js';
import { scenarioAlert } from '../integration/emergency/alertFixtures.js';
import { createDemoDatabase } from '../utils/demoTemplate.js';
import { TEST_TOKEN_SECRET } from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { killRedis, startRedis } from '../utils/privateRedis.js';
import type { TestDatabase } from '../utils/testDatabase.js';

/**
 * The bound: from the loss (FLUSHALL, or the empty server answering) to
 * schedules registered and pending work done. The watch checks every
 * 500 ms here (5 s by default) and on every reconnection.
 */
const BOUND_MS = 5000;
/** Retries wait this long: far beyond the bound. */
const RETRY_BACKOFF_MS = 120_000;

const logger = createLogger('redis-loss-test', 'silent');

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the job runners when Redis loses its data', () => {
  let port: number;
  let url: string;
  let redis: ChildProcess;
  let tdb: TestDatabase;
  let jobs: JobRunners;
  let receiver: Server;
  let receiverPort: number;
  /** What the webhook receiver answers. */
  let answer = 503;
  const requests: string[] = [];

  /** True when both schedules are in Redis. */
  async function schedulesThere(): Promise<boolean> {
    const queues = [
      [ALERT_EVALUATION_QUEUE, ALERT_EVALUATION_SCHEDULER_ID],
      [RE_REVIEW_QUEUE, RE_REVIEW_SCHEDULER_ID],
    ] as const;
    for (const [name, id] of queues) {
      const q = new Queue(name, { connection: { url } });
      try {
        if (!(await q.getJobScheduler(id))) return false;
      } finally {
        await q.close();
      }
    }
    return true;
  }

  before(async () => {
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        requests.push(body);
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) =>
      receiver.listen(0, '127.0.0.1', resolve),
    );
    const address = receiver.address();
    assert.ok(address && typeof address === 'object');
    receiverPort = address.port;
    ({ tdb } = await createDemoDatabase());
    jobs = await startJobRunners(
      {
        search: {
          indexer: {
            queue: { kind: 'redis', url },
            pollIntervalMs: 200,
            attempts: 3,
            backoffMs: RETRY_BACKOFF_MS,
          },
        },
        reReview: { kind: 'redis', connection: url },
        alerting: {
          kind: 'redis',
          connection: url,
          everyMs: 3_600_000,
          webhooks: {
            attempts: 3,
            backoffMs: RETRY_BACKOFF_MS,
            relayPollMs: 200,
          },
        },
        alertWebhookAllowList: readEmergencyEnv({
          ALERT_WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiverPort}`,
        }).webhookAllowList,
        redisLossWatch: { url, intervalMs: 500 },
      },
      {
        db: tdb.db,
        logger,
        // Nothing here evaluates through a gateway.
        gatewayUrl: 'http://127.0.0.1:9/graphql',
        tokenSecret: TEST_TOKEN_SECRET,
      },
    );
  });

  after(async () => {
    await jobs?.close();
    await tdb?.drop();
    await new Promise<void>((resolve) => {
      receiver.closeAllConnections();
      receiver.close(() => resolve());
    });
    if (redis) await killRedis(redis);
  });

  it('after FLUSHALL: schedules registered again, a lost index job and a lost webhook retry redone at once', async (t) => {
    const { db } = tdb;
    assert.ok(await schedulesThere(), 'the schedules at start');

    // The index fails: the job of the next change waits for its retry.
    await db.query(`
      CREATE FUNCTION public.t_index_down() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION 'index down (test)'; END $$;
      CREATE TRIGGER t_index_down BEFORE UPDATE ON search.collections
        FOR EACH ROW EXECUTE FUNCTION public.t_index_down();`);
    const itemId = `RI-LOSS-${randomUUID().slice(0, 8).toUpperCase()}`;
    await db.query(
      `INSERT INTO emergency.risk_items (id, name, category_code, level,
         region_code, address, latitude, longitude, credit_code, section_id,
         thresholds, disposal_measures, responsible_person_id, updated_at)
       SELECT $1, '歌乐山隧道口', category_code, level, region_code, address,
              latitude, longitude, credit_code, section_id, '[]'::jsonb,
              disposal_measures, responsible_person_id, now()
         FROM emergency.risk_items WHERE id = 'RI-PUHE-ZHAIXI'`,
      [itemId],
    );
    const outboxRow = async () =>
      (
        await db.query<{ last_error: string | null; processed: boolean }>(
          `SELECT last_error, processed_at IS NOT NULL AS processed
             FROM emergency.search_outbox
            WHERE doc_id = $1 ORDER BY id DESC LIMIT 1`,
          [itemId],
        )
      ).rows[0];
    await until(
      'the first index attempt to fail',
      async () => (await outboxRow())?.last_error != null,
      10_000,
    );
    await db.query(`DROP TRIGGER t_index_down ON search.collections;
      DROP FUNCTION public.t_index_down();`);

    // The receiver fails: the delivery waits for its retry.
    await insertWebhook(db, {
      id: `WH-${randomUUID().slice(0, 8)}`,
      department: 'water',
      regionCode: '500110',
      url: `http://127.0.0.1:${receiverPort}/alerts`,
      secret: 'a'.repeat(32),
      createdBy: 'water-duty-qijiang',
      createdAt: new Date(),
    });
    const raised = await raiseAlert(db, {
      ...scenarioAlert('2025-09-03'),
      id: 'AL-20250903-REDISLOSS',
      evaluationKey: 'int:redis-loss',
      riskItemId: 'RI-PUHE-ZHAIXI',
    });
    assert.equal(raised.webhookDeliveries, 1);
    await until(
      'the first delivery attempt',
      () => requests.length === 1,
      10_000,
    );
    answer = 204;
    // The retries are two minutes away: nothing happens meanwhile.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(requests.length, 1);
    assert.equal((await outboxRow())?.processed, false);

    const flushed = spawnSync('redis-cli', ['-p', String(port), 'FLUSHALL']);
    assert.equal(flushed.stdout.toString().trim(), 'OK');
    const lostAt = Date.now();
    assert.equal(await schedulesThere(), false, 'FLUSHALL took the schedules');

    const deliveryStatuses = async () =>
      (
        await db.query<{ status: string }>(
          `SELECT status FROM emergency.alert_deliveries
            WHERE alert_id = $1 AND channel = 'WEBHOOK'`,
          [raised.id],
        )
      ).rows.map((r) => r.status);
    // The receiver's answer reaches the worker before the worker records it:
    // the delivery has caught up once its row says so, not when the request
    // arrives.
    await until(
      'the schedules, the index and the delivery to catch up',
      async () =>
        (await schedulesThere()) &&
        (await outboxRow())?.processed === true &&
        requests.length === 2 &&
        (await deliveryStatuses()).includes('DELIVERED'),
      BOUND_MS,
    );
    const ms = Date.now() - lostAt;
    t.diagnostic(
      `FLUSHALL: schedules, the lost index job and the lost webhook retry caught up ${String(ms)} ms after the loss (bound ${String(BOUND_MS)} ms)`,
    );
    assert.ok(ms <= BOUND_MS, `${ms} ms`);
    assert.deepEqual(await deliveryStatuses(), ['DELIVERED']);
    assert.ok(requests[1]?.includes(raised.id));
    assert.equal(jobs.redisLossWatch?.recoveries, 1);
  });

  it('after a restart without persistence: the schedules are back once the server answers', async (t) => {
    await killRedis(redis);
    redis = await startRedis(port);
    const backAt = Date.now();
    await until('the schedules', schedulesThere, BOUND_MS);
    const ms = Date.now() - backAt;
    t.diagnostic(
      `restart without persistence: the schedules back ${String(ms)} ms after the server answered (bound ${String(BOUND_MS)} ms)`,
    );
    assert.ok(ms <= BOUND_MS, `${ms} ms`);
    await until(
      'the recovery to be counted',
      () => jobs.redisLossWatch?.recoveries === 2,
      BOUND_MS,
    );
  });
});
