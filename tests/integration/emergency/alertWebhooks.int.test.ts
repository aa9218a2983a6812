// Webhook deliveries on real PostgreSQL, through both job queues (BullMQ on
// the real Redis at 127.0.0.1:6379, and in-process): a receiver that fails
// twice and then recovers gets the alert after the retries, signed; one
// that keeps failing dead-letters the delivery (DEAD, visible), and
// redeliverAlert sends it again once the receiver is back. No alert or
// delivery is lost on the way. The receivers listen on 127.0.0.1, which the
// operators' allow-list names here (loopback is refused otherwise); readers
// see a failure state, the operators' log the HTTP status.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';

import { Queue } from 'bullmq';
import { pino } from 'pino';

import {
  ALERT_EVALUATION_QUEUE,
  ALERT_WEBHOOK_QUEUE,
} from '../../../subgraphs/emergency/src/alerting/jobs/alertingQueues.js';
import {
  startAlertingRunner,
  type AlertingRunner,
} from '../../../subgraphs/emergency/src/alerting/jobs/startAlertingRunner.js';
import { raiseAlert } from '../../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import {
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '../../../subgraphs/emergency/src/alerting/webhookSignature.js';
import { parseWebhookAllowList } from '../../../subgraphs/emergency/src/alerting/webhookTargets.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import {
  MARKET,
  scenarioAlert,
  startAlertSubgraph,
  WATER_QIJIANG,
  type AlertSubgraph,
} from './alertFixtures.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** A webhook receiver that fails while `failures` > 0 (then counts down) or while `down`. */
interface Receiver {
  url: string;
  received: {
    body: string;
    signature: string;
    deliveryId: string;
    ok: boolean;
  }[];
  failures: number;
  down: boolean;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = {
    received: [] as Receiver['received'],
    failures: 0,
    down: false,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = receiver.down || receiver.failures > 0;
      if (receiver.failures > 0) receiver.failures -= 1;
      receiver.received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers[WEBHOOK_SIGNATURE_HEADER] ?? ''),
        deliveryId: String(req.headers[WEBHOOK_DELIVERY_HEADER] ?? ''),
        ok: !fail,
      });
      res.statusCode = fail ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${address.port}/hooks/alerts`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const REGISTER = `mutation($url: String!) { registerAlertWebhook(url: $url) { secret webhook { id url createdAt } } }`;
const DEAD = `{ deadAlertDeliveries { totalCount nodes { id status attempts failure lastError recipient alert { id } } } }`;

/** The operators allow the test receivers' address, any port. */
const ALLOW_LIST = parseWebhookAllowList('127.0.0.1');

async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) {
      assert.fail(
        `timed out waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const kind of ['in-process', 'redis'] as const) {
  describe(`alert webhooks (${kind} queue)`, () => {
    let tdb: TestDatabase;
    let s: AlertSubgraph;
    let runner: AlertingRunner;
    let flaky: Receiver;
    let broken: Receiver;
    const prefix = `govgraph-test-${randomUUID()}`;
    const secrets = new Map<string, string>();
    // The operators' log (pino JSON lines).
    const logged: string[] = [];
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString('utf8'));
        done();
      },
    });

    before(async () => {
      tdb = await createTestDatabase();
      s = await startAlertSubgraph(tdb.db, { webhookAllowList: ALLOW_LIST });
      flaky = await startReceiver();
      broken = await startReceiver();
      runner = await startAlertingRunner(
        {
          ...(kind === 'redis'
            ? { kind, connection: REDIS_URL, prefix, everyMs: 3_600_000 }
            : { kind, intervalMs: 3_600_000, evaluateOnStart: false }),
          webhooks: {
            attempts: 3,
            backoffMs: 50,
            timeoutMs: 2000,
            relayPollMs: 200,
            allowList: ALLOW_LIST,
          },
        },
        {
          db: tdb.db,
          logger: pino({ level: 'warn' }, log),
          // No evaluation runs here: the alerts are raised by the test.
          source: {
            readings: () => Promise.resolve(new Map()),
            sectionContext: () => Promise.resolve(null),
          },
        },
      );
    });
    after(async () => {
      await runner.close();
      await flaky.close();
      await broken.close();
      await s.subgraph.close();
      await tdb.drop();
      if (kind === 'redis') {
        for (const name of [ALERT_WEBHOOK_QUEUE, ALERT_EVALUATION_QUEUE]) {
          const admin = new Queue(name, {
            prefix,
            connection: { url: REDIS_URL },
          });
          await admin.obliterate({ force: true });
          await admin.close();
        }
      }
    });

    it('registers webhooks with a secret shown once, and refuses bad URLs', async () => {
      for (const receiver of [flaky, broken]) {
        const res = await s.as(WATER_QIJIANG)<{
          registerAlertWebhook: {
            secret: string;
            webhook: { id: string; url: string };
          };
        }>(REGISTER, { url: receiver.url });
        assert.equal(res.errors, undefined, res.text);
        const reg = res.data?.registerAlertWebhook;
        assert.ok(reg);
        assert.match(reg.secret, /^whsec_/);
        assert.equal(reg.webhook.url, receiver.url);
        secrets.set(reg.webhook.id, reg.secret);
      }
      const listed = await s.as(WATER_QIJIANG)<{
        alertWebhooks: { id: string }[];
      }>('{ alertWebhooks { id url } }');
      assert.equal(listed.data?.alertWebhooks.length, 2);
      assert.ok(
        !listed.text.includes('whsec_'),
        'the secret is shown only once',
      );
      const other = await s.as(MARKET)<{ alertWebhooks: unknown[] }>(
        '{ alertWebhooks { id } }',
      );
      assert.deepEqual(other.data?.alertWebhooks, []);

      const bad = await s.as(WATER_QIJIANG)(REGISTER, {
        url: 'http://hooks.example.com/x',
      });
      assert.equal(
        bad.errors?.[0]?.extensions?.['code'],
        'BAD_USER_INPUT',
        bad.text,
      );
      assert.equal(bad.errors?.[0]?.extensions?.['argumentName'], 'url');
      // Listed: 127.0.0.1; not listed: every other loopback or local address.
      for (const url of [
        'http://[::1]:9/x',
        'http://127.0.0.2:9/x',
        'http://169.254.169.254/latest/meta-data/',
        'https://localhost/x',
      ]) {
        const refused = await s.as(WATER_QIJIANG)(REGISTER, { url });
        assert.equal(
          refused.errors?.[0]?.extensions?.['rule'],
          'alert-webhook-targets',
          `${url}: ${refused.text}`,
        );
      }
    });

    it('delivers to a failing webhook after retries with backoff, signed; dead-letters one that keeps failing', async () => {
      flaky.failures = 2;
      broken.down = true;
      const raised = await raiseAlert(tdb.db, scenarioAlert());
      assert.equal(raised.webhookDeliveries, 2);
      await runner.deliveriesSettled();
      const rows = await waitFor('both deliveries to settle', async () => {
        const { rows } = await tdb.db.query<{
          webhook_id: string;
          status: string;
          attempts: number;
          failure: string | null;
        }>(
          `SELECT webhook_id, status, attempts, failure FROM emergency.alert_deliveries
            WHERE channel = 'WEBHOOK' ORDER BY id`,
        );
        return rows.every((r) => r.status !== 'PENDING') ? rows : undefined;
      });
      const statuses = rows.map((r) => [r.status, r.attempts]).sort();
      assert.deepEqual(statuses, [
        ['DEAD', 3],
        ['DELIVERED', 3],
      ]);
      const dead = rows.find((r) => r.status === 'DEAD');
      assert.equal(dead?.failure, 'DELIVERY_FAILED');
      assert.equal(rows.find((r) => r.status === 'DELIVERED')?.failure, null);
      // The status is for the operators: in their log, with the target.
      const attempts = logged.map(
        (line) => JSON.parse(line) as Record<string, unknown>,
      );
      assert.ok(
        attempts.some(
          (l) =>
            String(l['msg']).includes('webhook answered HTTP 503') &&
            l['failure'] === 'DELIVERY_FAILED' &&
            String(l['target']).startsWith('http://127.0.0.1:'),
        ),
        logged.join(''),
      );

      // Three attempts at the flaky receiver, the same delivery each time,
      // every one signed with its webhook's secret.
      assert.deepEqual(
        flaky.received.map((r) => r.ok),
        [false, false, true],
      );
      assert.equal(new Set(flaky.received.map((r) => r.deliveryId)).size, 1);
      const flakySecret = [...secrets.values()][0];
      assert.ok(flakySecret);
      for (const r of flaky.received) {
        assert.ok(
          verifyWebhookSignature(flakySecret, r.body, r.signature),
          `signature ${r.signature}`,
        );
        assert.ok(
          !verifyWebhookSignature(
            [...secrets.values()][1] ?? '',
            r.body,
            r.signature,
          ),
        );
      }
      const body = JSON.parse(flaky.received[2]?.body ?? '{}') as {
        alert: {
          id: string;
          title: string;
          triggeringReadings: { value: number }[];
          suspectedSources: { sourceId: string }[];
        };
      };
      assert.equal(body.alert.id, raised.id);
      assert.deepEqual(
        body.alert.triggeringReadings.map((r) => r.value),
        [3.2, 2.9, 3.4],
      );
      assert.deepEqual(
        body.alert.suspectedSources.map((x) => x.sourceId),
        ['PS-PUHE-04', 'PS-PUHE-03'],
      );
      assert.equal(broken.received.length, 3);
    });

    it('shows the dead letter to the webhook’s department only, and sends it again on redeliverAlert', async () => {
      const res = await s.as(WATER_QIJIANG)<{
        deadAlertDeliveries: {
          totalCount: number;
          nodes: {
            id: string;
            status: string;
            attempts: number;
            failure: string;
            lastError: string;
            alert: { id: string };
          }[];
        };
      }>(DEAD);
      assert.equal(res.errors, undefined, res.text);
      assert.equal(res.data?.deadAlertDeliveries.totalCount, 1);
      const letter = res.data.deadAlertDeliveries.nodes[0];
      assert.ok(letter);
      assert.equal(letter.status, 'DEAD');
      assert.equal(letter.failure, 'DELIVERY_FAILED');
      assert.equal(
        letter.lastError,
        'not delivered: the receiver did not accept the delivery',
      );
      assert.ok(!res.text.includes('503'), res.text);
      const market = await s.as(MARKET)<{
        deadAlertDeliveries: { totalCount: number };
      }>(DEAD);
      assert.equal(market.data?.deadAlertDeliveries.totalCount, 0);

      const REDELIVER = `mutation($id: ID!) { redeliverAlert(deliveryId: $id) { id status attempts } }`;
      const notYours = await s.as(MARKET)(REDELIVER, { id: letter.id });
      assert.equal(notYours.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');

      broken.down = false;
      const again = await s.as(WATER_QIJIANG)<{
        redeliverAlert: { status: string };
      }>(REDELIVER, { id: letter.id });
      assert.equal(again.errors, undefined, again.text);
      assert.equal(again.data?.redeliverAlert.status, 'PENDING');
      const twice = await s.as(WATER_QIJIANG)(REDELIVER, { id: letter.id });
      assert.equal(twice.errors?.[0]?.extensions?.['code'], 'CONFLICT');

      const delivered = await waitFor('the redelivery', async () => {
        const { rows } = await tdb.db.query<{
          status: string;
          attempts: number;
          failure: string | null;
        }>(
          'SELECT status, attempts, failure FROM emergency.alert_deliveries WHERE id = $1',
          [letter.id],
        );
        return rows[0]?.status === 'DELIVERED' ? rows[0] : undefined;
      });
      assert.equal(delivered.attempts, 4);
      assert.equal(delivered.failure, null);
      assert.equal(broken.received.at(-1)?.ok, true);
      const none = await s.as(WATER_QIJIANG)<{
        deadAlertDeliveries: { totalCount: number };
      }>(DEAD);
      assert.equal(none.data?.deadAlertDeliveries.totalCount, 0);
    });

    it('loses nothing: every alert has its inbox deliveries, every webhook delivery ends DELIVERED', async () => {
      broken.down = false;
      flaky.failures = 1;
      const more = await Promise.all(
        ['2025-08-20', '2025-08-24', '2025-08-28'].map((day) =>
          raiseAlert(tdb.db, scenarioAlert(day)),
        ),
      );
      assert.ok(more.every((r) => r.created && r.webhookDeliveries === 2));
      // The deliveries not yet DELIVERED, in the failure's message if some
      // never are.
      let undelivered: unknown[] = [];
      await waitFor(
        () => `every delivery; not delivered: ${JSON.stringify(undelivered)}`,
        async () => {
          const { rows } = await tdb.db.query(
            `SELECT id, channel, status, attempts, failure, generation,
                    enqueued_generation
               FROM emergency.alert_deliveries WHERE status <> 'DELIVERED'`,
          );
          undelivered = rows;
          return rows.length === 0 ? true : undefined;
        },
      );
      const { rows } = await tdb.db.query<{
        alerts: number;
        inbox: number;
        hooks: number;
      }>(
        `SELECT (SELECT count(*)::int FROM emergency.alerts) AS alerts,
                (SELECT count(*)::int FROM emergency.alert_deliveries WHERE channel = 'INBOX') AS inbox,
                (SELECT count(*)::int FROM emergency.alert_deliveries WHERE channel = 'WEBHOOK') AS hooks`,
      );
      assert.deepEqual(rows[0], { alerts: 4, inbox: 16, hooks: 8 });
    });
  });
}
