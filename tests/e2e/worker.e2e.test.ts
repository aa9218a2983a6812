// The production shape of docs/operations.md, as processes: the eight
// subgraphs, the gateway and `npm run worker` (hub/worker/main.ts) on a
// copy of the demo city, the shared Redis under a prefix of this file's
// own. The worker indexes a risk item written after it started (a search
// through the gateway finds it), registers the evaluation schedule, and
// evaluates the thresholds through the gateway: the alert it raises reaches
// the recipients' inboxes and a webhook on this machine, allowed by
// ALERT_WEBHOOK_ALLOWED_TARGETS. Without REDIS_URL or DATABASE_URL the
// worker refuses to start with one line.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { Queue } from 'bullmq';

import { SCENARIOS } from '../../seeds/src/index.js';
import {
  ALERT_EVALUATION_JOB,
  ALERT_EVALUATION_QUEUE,
  ALERT_EVALUATION_SCHEDULER_ID,
  type EvaluationJobPayload,
} from '../../subgraphs/emergency/src/alerting/jobs/alertingQueues.js';
import type { AlertEvaluation } from '../../subgraphs/emergency/src/alerting/evaluateAlerts.js';
import { RE_REVIEW_SCHEDULER_ID } from '../../catalog/src/jobs/reReviewQueue.js';
import {
  createBullJobQueue,
  runMarkerKey,
} from '../../subgraphs/kit/src/jobs/index.js';
import {
  clearWorkerQueues,
  startProductionShape,
  type ProductionShape,
} from '../../hub/componentProcesses.js';
import { createDemoDatabase } from '../utils/demoTemplate.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_SIGNING_SECRET,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { collect, run, waitFor } from '../utils/processes.js';
import type { TestDatabase } from '../utils/testDatabase.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `t-worker-${randomUUID().slice(0, 8)}`;
const MASK_SECRET = randomBytes(32).toString('base64url');

let tdb: TestDatabase;
let shape: ProductionShape;
let gatewayUrl: string;
let receiver: Server;
let receiverPort: number;
/** The bodies the webhook receiver got. */
const received: string[] = [];

/** Every started process's stderr, for a failed assertion's message. */
function logs(): string {
  return shape.logs();
}

async function as<T = Record<string, unknown>>(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(gatewayUrl, query, variables, await demoHeaders(user));
}

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(body);
      res.statusCode = 204;
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
  shape = await startProductionShape({
    databaseUrl: tdb.url,
    redisUrl: REDIS_URL,
    redisPrefix: PREFIX,
    signingSecret: TEST_SIGNING_SECRET,
    tokenSecret: TEST_TOKEN_SECRET,
    maskSecret: MASK_SECRET,
    env: { ALERT_WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiverPort}` },
  });
  gatewayUrl = shape.gatewayUrl;
});

after(async () => {
  await shape?.stop();
  await new Promise<void>((resolve) => {
    receiver.closeAllConnections();
    receiver.close(() => resolve());
  });
  await tdb?.drop();
  // This file's keys on the shared Redis: its queues and the run marker.
  await clearWorkerQueues(REDIS_URL, PREFIX);
});

describe('npm run worker beside the subgraphs and the gateway', () => {
  it('indexes a risk item written after it started: a search through the gateway finds it', async () => {
    const id = `RI-WORKER-${randomUUID().slice(0, 8).toUpperCase()}`;
    await tdb.db.query(
      `INSERT INTO emergency.risk_items (id, name, category_code, level,
         region_code, address, latitude, longitude, credit_code, section_id,
         thresholds, disposal_measures, responsible_person_id, updated_at)
       SELECT $1, '缙云山索道下站', category_code, level, region_code,
              address, latitude, longitude, credit_code, section_id,
              '[]'::jsonb, disposal_measures, responsible_person_id, now()
         FROM emergency.risk_items WHERE id = 'RI-PUHE-ZHAIXI'`,
      [id],
    );
    const SEARCH = `query($text: String) { searchRiskItems(text: $text, first: 5) { totalCount hits { item { id } } } }`;
    let last = '';
    await waitFor(async () => {
      const res = await as<{
        searchRiskItems: { hits: { item: { id: string } }[] };
      }>('emergency-duty', SEARCH, { text: '缙云山索道' });
      last = res.text;
      return (
        res.data?.searchRiskItems.hits.some((h) => h.item.id === id) ?? false
      );
    }, 15_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${last}\n${logs()}`);
    });
  });

  it("serves the worker's and the gateway's /ready and /metrics: job queues, search index, access log", async () => {
    // The worker listens for probes once its job runners run.
    let ready: Response | undefined;
    await waitFor(async () => {
      try {
        ready = await fetch(new URL('/ready', shape.workerUrl));
        return true;
      } catch {
        return false;
      }
    }, 15_000);
    const body = (await ready?.json()) as {
      checks: Record<string, { status: string }>;
    };
    assert.equal(ready?.status, 200, JSON.stringify(body));
    assert.equal(body.checks['database']?.status, 'ok');
    assert.match(body.checks['searchIndex']?.status ?? '', /^(ok|building)$/);
    const worker = await (
      await fetch(new URL('/metrics', shape.workerUrl))
    ).text();
    assert.match(
      worker,
      /^govgraph_job_queue_jobs\{queue="govgraph-search",kind="redis",state="failed",component="jobs"\} \d+$/m,
    );
    // The risk item the test above wrote was indexed by this worker.
    assert.match(
      worker,
      /^govgraph_job_attempts_total\{queue="govgraph-search",outcome="completed",component="jobs"\} [1-9]/m,
    );
    assert.match(
      worker,
      /^govgraph_search_outbox_pending\{component="jobs"\} \d+$/m,
    );
    assert.match(worker, /^process_resident_memory_bytes /m);

    // A cross-department read (生态环境局 reading 水利局's river) is
    // written to the access log: at least one batch committed.
    const cross = await as(
      'env-analyst',
      '{ monitoringSection(id: "MS-PUHE-ZHAIXI") { name river { name } } }',
    );
    assert.equal(cross.errors, undefined, JSON.stringify(cross));
    const { authorization } = await demoHeaders('hub-operator');
    const gateway = await (
      await fetch(new URL('/metrics', gatewayUrl), {
        headers: { authorization: authorization ?? '' },
      })
    ).text();
    assert.match(
      gateway,
      /^govgraph_access_log_commit_duration_seconds_count\{component="gateway"\} [1-9]/m,
    );
    assert.equal((await fetch(new URL('/ready', gatewayUrl))).status, 200);
  });

  it('registers the evaluation and re-review schedules, and delivers the alert its evaluation raises to inboxes and a webhook', async () => {
    const evaluation = new Queue(ALERT_EVALUATION_QUEUE, {
      connection: { url: REDIS_URL },
      prefix: PREFIX,
    });
    const reReview = new Queue('govgraph-algorithm-re-review', {
      connection: { url: REDIS_URL },
      prefix: PREFIX,
    });
    try {
      assert.ok(
        await evaluation.getJobScheduler(ALERT_EVALUATION_SCHEDULER_ID),
        'the evaluation schedule is in Redis',
      );
      assert.ok(
        await reReview.getJobScheduler(RE_REVIEW_SCHEDULER_ID),
        'the re-review schedule is in Redis',
      );
      const client = await evaluation.client;
      assert.ok(await client.get(runMarkerKey(PREFIX)), 'the run marker');
    } finally {
      await evaluation.close();
      await reReview.close();
    }

    const registered = await as<{
      registerAlertWebhook: { webhook: { id: string } };
    }>(
      'water-duty-qijiang',
      `mutation($url: String!) { registerAlertWebhook(url: $url) { webhook { id } } }`,
      { url: `http://127.0.0.1:${receiverPort}/alerts` },
    );
    assert.equal(registered.errors, undefined, registered.text);

    // A run of the schedule's job, as of scenario 1's instant (the seeded
    // readings): the worker takes it and reads through the gateway.
    const jobs = createBullJobQueue<EvaluationJobPayload, AlertEvaluation>({
      url: REDIS_URL,
      name: ALERT_EVALUATION_QUEUE,
      prefix: PREFIX,
    });
    let raised: string[];
    try {
      ({ raised } = await jobs.run(
        ALERT_EVALUATION_JOB,
        { now: SCENARIOS.dissolvedOxygen.evaluatedAt },
        { attempts: 1, timeoutMs: 15_000 },
      ));
    } catch (error) {
      throw new Error(`${String(error)}\n${logs()}`, { cause: error });
    } finally {
      await jobs.close();
    }
    // Every watched risk item is evaluated: scenario 1's among them.
    const { rows: scenario } = await tdb.db.query<{ id: string }>(
      `SELECT id FROM emergency.alerts
        WHERE id = ANY($1::text[]) AND risk_item_id = 'RI-PUHE-ZHAIXI'`,
      [raised],
    );
    assert.equal(scenario.length, 1, raised.join());
    const alertId = scenario[0]?.id ?? '';

    const inbox = await as<{
      alertInbox: { nodes: { recipient: string; alert: { id: string } }[] };
    }>(
      'water-duty-qijiang',
      '{ alertInbox { nodes { recipient alert { id } } } }',
    );
    assert.ok(
      inbox.data?.alertInbox.nodes.some(
        (n) =>
          n.alert.id === alertId && n.recipient === 'department:water:500110',
      ),
      inbox.text,
    );

    await waitFor(
      () => received.some((b) => b.includes(alertId)),
      10_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${logs()}`, { cause: error });
    });
    const body = JSON.parse(
      received.find((b) => b.includes(alertId)) ?? '{}',
    ) as { type?: string; alert?: { id?: string; riskItemId?: string } };
    assert.equal(body.type, 'alert');
    assert.equal(body.alert?.riskItemId, 'RI-PUHE-ZHAIXI');
    // The worker records the delivery after the receiver has answered.
    const statuses = async () =>
      (
        await tdb.db.query<{ status: string }>(
          `SELECT status FROM emergency.alert_deliveries
            WHERE alert_id = $1 AND channel = 'WEBHOOK'`,
          [alertId],
        )
      ).rows.map((r) => r.status);
    let last: string[] = [];
    await waitFor(async () => {
      last = await statuses();
      return last.length === 1 && last[0] !== 'PENDING';
    }, 10_000).catch((error: unknown) => {
      throw new Error(`${String(error)} ${JSON.stringify(last)}\n${logs()}`, {
        cause: error,
      });
    });
    assert.deepEqual(last, ['DELIVERED']);
  });
});

describe('npm run worker refuses to start without its services', () => {
  it('exits 1 with one line without REDIS_URL, and without DATABASE_URL', async () => {
    await Promise.all(
      (
        [
          [{}, /^govgraph: REDIS_URL is required/],
          [{ REDIS_URL }, /^govgraph: DATABASE_URL is required/],
        ] as const
      ).map(async ([env, message]) => {
        const io = collect(
          run('hub/worker/main.ts', [], {
            ...env,
            GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
          }),
        );
        assert.equal(await io.exit, 1);
        assert.match(io.err(), message);
        assert.equal(io.err().trim().split('\n').length, 1, io.err());
      }),
    );
  });
});
