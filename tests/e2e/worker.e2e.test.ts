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
import type { ChildProcess } from 'node:child_process';
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
import { createDemoDatabase } from '../utils/demoTemplate.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_SIGNING_SECRET,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { collect, run, waitFor } from '../utils/processes.js';
import type { TestDatabase } from '../utils/testDatabase.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `t-worker-${randomUUID().slice(0, 8)}`;
const MASK_SECRET = randomBytes(32).toString('base64url');

/** The subgraphs' mains, as docs/operations.md starts them. */
const SUBGRAPHS = [
  ['environment', 'subgraphs/environment/src/main.ts'],
  ['water', 'subgraphs/water/src/main.ts'],
  ['market', 'subgraphs/market/src/main.ts'],
  ['enforcement', 'subgraphs/enforcement/src/main.ts'],
  ['emergency', 'subgraphs/emergency/src/main.ts'],
  ['publicsecurity', 'subgraphs/publicsecurity/src/main.ts'],
  ['governance', 'subgraphs/governance/src/main.ts'],
  ['catalog', 'catalog/src/main.ts'],
] as const;

interface Started {
  name: string;
  child: ChildProcess;
  io: ReturnType<typeof collect>;
}

let tdb: TestDatabase;
let gatewayUrl: string;
const started: Started[] = [];
let receiver: Server;
let receiverPort: number;
/** The bodies the webhook receiver got. */
const received: string[] = [];

function start(name: string, script: string, env: Record<string, string>) {
  const child = run(script, [], { LOG_LEVEL: 'warn', ...env });
  started.push({ name, child, io: collect(child) });
}

/** Every started process's stderr, for a failed assertion's message. */
function logs(): string {
  return started
    .map((s) => `--- ${s.name}\n${s.io.err().slice(-2000)}`)
    .join('\n');
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
  const allowed = `127.0.0.1:${receiverPort}`;

  ({ tdb } = await createDemoDatabase());
  const urls: Record<string, string> = {};
  for (const [name, script] of SUBGRAPHS) {
    const port = await freePort();
    urls[`SUBGRAPH_${name.toUpperCase()}_URL`] =
      `http://127.0.0.1:${port}/graphql`;
    start(name, script, {
      DATABASE_URL: tdb.url,
      PORT: String(port),
      GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      ALERT_WEBHOOK_ALLOWED_TARGETS: allowed,
    });
  }
  const gatewayPort = await freePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  start('gateway', 'gateway/src/main.ts', {
    DATABASE_URL: tdb.url,
    PORT: String(gatewayPort),
    GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
    GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    GATEWAY_MASK_SECRET: MASK_SECRET,
    ...urls,
  });
  start('worker', 'hub/worker/main.ts', {
    DATABASE_URL: tdb.url,
    REDIS_URL,
    REDIS_PREFIX: PREFIX,
    GATEWAY_URL: gatewayUrl,
    GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    ALERT_WEBHOOK_ALLOWED_TARGETS: allowed,
  });
  // Up once the gateway answers through the emergency subgraph (18 s on the
  // shared two-core machine during a fuzz run; the bound leaves room).
  try {
    await waitFor(async () => {
      for (const s of started) {
        if (s.child.exitCode !== null) {
          throw new Error(`${s.name} exited: ${s.io.err()}`);
        }
      }
      try {
        const res = await as(
          'emergency-duty',
          '{ riskItem(id: "RI-PUHE-ZHAIXI") { id } }',
        );
        return res.status === 200 && res.errors === undefined;
      } catch {
        return false;
      }
    }, 45_000);
  } catch (error) {
    throw new Error(`${String(error)}\n${logs()}`, { cause: error });
  }
});

after(async () => {
  await Promise.all(
    started.map(async (s) => {
      if (s.child.exitCode !== null || s.child.signalCode !== null) return;
      s.child.kill('SIGTERM');
      const exited = await Promise.race([
        s.io.exit.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!exited) s.child.kill('SIGKILL');
    }),
  );
  await new Promise<void>((resolve) => {
    receiver.closeAllConnections();
    receiver.close(() => resolve());
  });
  await tdb?.drop();
  // This file's keys on the shared Redis: its queues and the run marker.
  for (const name of [
    'govgraph-search',
    'govgraph-search-reindex',
    ALERT_EVALUATION_QUEUE,
    'alert-webhooks',
    'govgraph-algorithm-re-review',
    'govgraph-redis-watch',
  ]) {
    const queue = new Queue(name, {
      connection: { url: REDIS_URL },
      prefix: PREFIX,
    });
    if (name === ALERT_EVALUATION_QUEUE) {
      await (await queue.client).del(runMarkerKey(PREFIX));
    }
    await queue.obliterate({ force: true });
    await queue.close();
  }
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
    const { rows } = await tdb.db.query<{ status: string }>(
      `SELECT status FROM emergency.alert_deliveries
        WHERE alert_id = $1 AND channel = 'WEBHOOK'`,
      [alertId],
    );
    assert.deepEqual(
      rows.map((r) => r.status),
      ['DELIVERED'],
    );
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
