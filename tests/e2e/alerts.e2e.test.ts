// Scenario 1 end to end through the governed gateway: the evaluator reads
// the seeded 蒲河寨溪大桥 readings and upstream sources through the gateway
// as 应急管理局's service principal, raises the dissolved-oxygen alert as of
// 2025-08-14 08:00, and delivers it to the recipient departments' inboxes;
// the recipients take it through its lifecycle, others are refused. Webhook
// targets: loopback, link-local and private ones are refused at
// registration, a name that resolves to one is not connected to at
// delivery, and readers see delivery states, never network errors.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import { startAlerting, type Alerting } from '../../hub/startAlerting.js';
import { SCENARIOS } from '../../seeds/src/index.js';
import { raiseAlert } from '../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import { scenarioAlert } from '../integration/emergency/alertFixtures.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';

/** 2025-08-14T08:00:00+08:00, the instant the seeds state for scenario 1. */
const SCENARIO_NOW = new Date(SCENARIOS.dissolvedOxygen.evaluatedAt);

let t: TestHub;
let alerting: Alerting;
let alertId: string;

/** The operators' log of alerting (pino JSON lines, warnings and up). */
const operatorsLog: string[] = [];

/**
 * The DNS of the webhook deliveries: every name under `.test` (RFC 2606)
 * resolves to this machine, as a rebinding DNS would answer.
 */
async function testDns(hostname: string) {
  if (!hostname.endsWith('.test')) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
    });
  }
  return [{ address: '127.0.0.1', family: 4 as const }];
}

before(async () => {
  // This file replays scenario 1 itself, step by step. The operators allow
  // one webhook host besides public addresses: receiver.test.
  t = await startTestHub({
    replayScenarios: false,
    alertWebhookAllowedTargets: 'receiver.test',
  });
  alerting = await startAlerting(
    {
      kind: 'in-process',
      intervalMs: 3_600_000,
      evaluateOnStart: false,
      webhooks: {
        attempts: 2,
        backoffMs: 50,
        relayPollMs: 200,
        allowList: t.webhookAllowList,
      },
    },
    {
      db: t.tdb.db,
      logger: pino(
        { level: 'warn' },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            operatorsLog.push(chunk.toString('utf8'));
            done();
          },
        }),
      ),
      gatewayUrl: t.hub.gatewayUrl,
      tokenSecret: TEST_TOKEN_SECRET,
      resolve: testDns,
    },
  );
});
after(async () => {
  await alerting.close();
  await t[Symbol.asyncDispose]();
});

async function as<T = Record<string, unknown>>(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(
    t.hub.gatewayUrl,
    query,
    variables,
    await demoHeaders(user),
  );
}

function codeOf(res: GraphQLResponse): unknown {
  return res.errors?.[0]?.extensions?.['code'];
}

interface AlertView {
  id: string;
  status: string;
  level: string;
  title: string;
  message: string;
  riskItem: { id: string };
  rule: {
    metric: string;
    comparator: string;
    value: number;
    windowDays: number;
  };
  triggeringReadings: { value: number; measuredAt: string }[];
  suspectedSources: {
    distanceKm: number;
    source: { id: string; name: string; kind: string };
  }[];
  notifiedParties: string[];
  acknowledgedAt: string | null;
  disposedAt: string | null;
  closedAt: string | null;
  events: { from: string | null; to: string; actor: string }[];
}

const ALERT = `query($id: ID!) { alert(id: $id) {
  id status level title message riskItem { id }
  rule { metric comparator value windowDays }
  triggeringReadings { value measuredAt }
  suspectedSources { distanceKm source { id name kind } }
  notifiedParties acknowledgedAt disposedAt closedAt
  events { from to actor }
} }`;

describe('alerts: scenario 1 from the seeded readings', () => {
  it('raises the dissolved-oxygen alert of 蒲河寨溪大桥 as of 2025-08-14 08:00', async () => {
    const { raised } = await alerting.evaluateNow({ now: SCENARIO_NOW });
    const { rows } = await t.tdb.db.query<{ id: string }>(
      `SELECT id FROM emergency.alerts
        WHERE risk_item_id = 'RI-PUHE-ZHAIXI' AND evaluation_key IS NOT NULL`,
    );
    assert.equal(rows.length, 1, 'one evaluated alert on RI-PUHE-ZHAIXI');
    alertId = rows[0]?.id ?? '';
    assert.ok(raised.includes(alertId), `${alertId} in ${raised.join(', ')}`);

    const res = await as<{ alert: AlertView }>('emergency-duty', ALERT, {
      id: alertId,
    });
    assert.equal(res.errors, undefined, res.text);
    const alert = res.data?.alert;
    assert.ok(alert);
    assert.equal(alert.status, 'NEW');
    assert.equal(alert.level, 'ORANGE');
    assert.equal(alert.riskItem.id, 'RI-PUHE-ZHAIXI');
    assert.equal(alert.title, '蒲河寨溪大桥断面溶解氧连续3天超标预警');
    assert.deepEqual(alert.rule, {
      metric: 'DISSOLVED_OXYGEN',
      comparator: 'LT',
      value: 5,
      windowDays: 3,
    });
    assert.deepEqual(
      alert.triggeringReadings.map((r) => r.value),
      [3.2, 2.9, 3.4],
    );
    assert.deepEqual(alert.suspectedSources.map((s) => s.source.id).sort(), [
      'PS-PUHE-03',
      'PS-PUHE-04',
    ]);
    assert.ok(
      alert.suspectedSources.every((s) => s.source.kind === 'WASTEWATER_PLANT'),
    );
    assert.deepEqual(
      alert.suspectedSources.map((s) => s.distanceKm),
      [6.2, 13.6],
      'nearest first',
    );
    for (const s of alert.suspectedSources) {
      assert.ok(alert.message.includes(s.source.name), alert.message);
    }
    assert.match(alert.message, /8月12日3\.2、13日2\.9、14日3\.4mg\/L/);
    assert.ok(
      alert.notifiedParties.includes('綦江区水利局'),
      alert.notifiedParties.join(),
    );
    assert.ok(alert.notifiedParties.includes('三角镇基层治理中心'));
  });

  it('raises nothing more when evaluated again, nor at the real date', async () => {
    assert.deepEqual(await alerting.evaluateNow({ now: SCENARIO_NOW }), {
      raised: [],
    });
    assert.deepEqual(
      await alerting.evaluateNow({
        now: new Date('2025-08-14T20:00:00+08:00'),
      }),
      { raised: [] },
    );
    assert.deepEqual(await alerting.evaluateNow(), { raised: [] });
  });

  it('reads the readings through the gateway, logged as the service principal', async () => {
    await t.hub.accessLog.flush();
    const { rows } = await t.tdb.db.query<{ purpose: string; read: unknown }>(
      `SELECT purpose, read FROM audit.access_log
        WHERE subject = 'emergency-risk-monitor'`,
    );
    assert.ok(rows.length > 0, 'the evaluator’s reads are in the access log');
    assert.ok(rows.every((r) => r.purpose === 'risk-warning'));
    assert.match(JSON.stringify(rows[0]?.read), /MonitoringSection\.readings/);
  });
});

describe('alerts: inboxes and the lifecycle through the gateway', () => {
  const INBOX = `{ alertInbox { totalCount nodes { recipient channel alert { id status } } } }`;
  const ACK = `mutation($id: ID!) { acknowledgeAlert(id: $id, comment: "已收到") { id status acknowledgedAt } }`;
  const DISPOSE = `mutation($id: ID!, $c: String!) { disposeAlert(id: $id, comment: $c) { id status disposedAt } }`;
  const CLOSE = `mutation($id: ID!) { closeAlert(id: $id) { id status closedAt } }`;

  it('delivers to the water bureau and the environment department of 綦江区 and to emergency', async () => {
    for (const [user, recipient] of [
      ['water-duty-qijiang', 'department:water:500110'],
      ['env-analyst', 'department:environment:500110'],
      ['emergency-duty', 'department:emergency:500110'],
    ] as const) {
      const res = await as<{
        alertInbox: { nodes: { recipient: string; alert: { id: string } }[] };
      }>(user, INBOX);
      assert.equal(res.errors, undefined, `${user}: ${res.text}`);
      assert.ok(
        res.data?.alertInbox.nodes.some(
          (n) => n.alert.id === alertId && n.recipient === recipient,
        ),
        `${user}: ${res.text}`,
      );
    }
    const market = await as<{
      alertInbox: { nodes: { alert: { id: string } }[] };
    }>('market-data-officer', INBOX);
    assert.equal(market.errors, undefined, market.text);
    assert.ok(
      !market.data?.alertInbox.nodes.some((n) => n.alert.id === alertId),
    );
  });

  it('refuses non-recipients with FORBIDDEN', async () => {
    for (const user of ['market-data-officer', 'enforcement-data-officer']) {
      const res = await as(user, ACK, { id: alertId });
      assert.equal(codeOf(res), 'FORBIDDEN', `${user}: ${res.text}`);
      assert.equal(
        res.errors?.[0]?.extensions?.['rule'],
        'alert-recipients-only',
      );
    }
    // Outside the caller's row scope (渝中区) the alert does not exist.
    const police = await as('police-crowd-yuzhong', ACK, { id: alertId });
    assert.equal(codeOf(police), 'NOT_FOUND', police.text);
  });

  it('takes the alert through its lifecycle, refusing steps out of order', async () => {
    const early = await as('water-duty-qijiang', CLOSE, { id: alertId });
    assert.equal(codeOf(early), 'CONFLICT', early.text);

    const ack = await as<{
      acknowledgeAlert: { status: string; acknowledgedAt: string };
    }>('water-duty-qijiang', ACK, { id: alertId });
    assert.equal(ack.errors, undefined, ack.text);
    assert.equal(ack.data?.acknowledgeAlert.status, 'ACKNOWLEDGED');

    const blank = await as('water-duty-qijiang', DISPOSE, {
      id: alertId,
      c: ' ',
    });
    assert.equal(codeOf(blank), 'BAD_USER_INPUT', blank.text);

    const disposed = await as<{ disposeAlert: { status: string } }>(
      'water-duty-qijiang',
      DISPOSE,
      { id: alertId, c: '多部门协同处置，水电站加大下泄流量' },
    );
    assert.equal(disposed.errors, undefined, disposed.text);
    assert.equal(disposed.data?.disposeAlert.status, 'DISPOSED');

    const closed = await as<{ closeAlert: { status: string } }>(
      'emergency-duty',
      CLOSE,
      {
        id: alertId,
      },
    );
    assert.equal(closed.errors, undefined, closed.text);

    const res = await as<{ alert: AlertView }>('emergency-duty', ALERT, {
      id: alertId,
    });
    const alert = res.data?.alert;
    assert.ok(alert?.acknowledgedAt && alert.disposedAt && alert.closedAt);
    assert.equal(alert.status, 'CLOSED');
    assert.deepEqual(
      alert.events.map((e) => [e.from, e.to, e.actor]),
      [
        [null, 'NEW', 'alert-evaluator'],
        ['NEW', 'ACKNOWLEDGED', 'water-duty-qijiang'],
        ['ACKNOWLEDGED', 'DISPOSED', 'water-duty-qijiang'],
        ['DISPOSED', 'CLOSED', 'emergency-duty'],
      ],
    );
  });
});

describe('alerts: the seeded history through the gateway', () => {
  const SEEDED = `query($id: ID!) { alert(id: $id) {
    id status raisedAt acknowledgedAt disposedAt closedAt
    rule { metric comparator value unit windowDays alertLevel }
    events { from to actor comment at }
  } }`;

  interface SeededView {
    id: string;
    status: string;
    raisedAt: string;
    acknowledgedAt: string | null;
    disposedAt: string | null;
    closedAt: string | null;
    rule: Record<string, unknown> | null;
    events: {
      from: string | null;
      to: string;
      actor: string;
      comment: string | null;
      at: string;
    }[];
  }

  it('reads the closed oil-slick alert with its timestamps and events', async () => {
    const res = await as<{ alert: SeededView }>('emergency-duty', SEEDED, {
      id: SCENARIOS.oilSlick.alertId,
    });
    assert.equal(res.errors, undefined, res.text);
    const alert = res.data?.alert;
    assert.ok(alert);
    assert.equal(alert.status, 'CLOSED');
    assert.equal(alert.rule, null);
    assert.equal(alert.acknowledgedAt, '2025-07-17T23:03:00.000Z');
    assert.equal(alert.disposedAt, '2025-07-18T03:10:00.000Z');
    assert.equal(alert.closedAt, '2025-07-18T08:30:00.000Z');
    assert.deepEqual(
      alert.events.map((e) => [e.from, e.to, e.at]),
      [
        [null, 'NEW', '2025-07-17T22:55:00.000Z'],
        ['NEW', 'ACKNOWLEDGED', alert.acknowledgedAt],
        ['ACKNOWLEDGED', 'DISPOSED', alert.disposedAt],
        ['DISPOSED', 'CLOSED', alert.closedAt],
      ],
    );
    assert.equal(alert.events[0]?.actor, 'env-analyst');
    assert.equal(alert.events[3]?.actor, 'emergency-duty');
    assert.ok(alert.events[2]?.comment, 'disposing says what was done');
  });

  it('reads a generated closed alert with the rule it was raised from', async () => {
    const { rows } = await t.tdb.db.query<{ id: string }>(
      `SELECT id FROM emergency.alerts
        WHERE status = 'CLOSED' AND rule IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const id = rows[0]?.id;
    assert.ok(id, 'a generated CLOSED alert is seeded');
    const res = await as<{ alert: SeededView }>('emergency-duty', SEEDED, {
      id,
    });
    assert.equal(res.errors, undefined, res.text);
    const alert = res.data?.alert;
    assert.ok(alert?.closedAt && alert.rule);
    assert.deepEqual(Object.keys(alert.rule).sort(), [
      'alertLevel',
      'comparator',
      'metric',
      'unit',
      'value',
      'windowDays',
    ]);
    assert.deepEqual(
      alert.events.map((e) => [e.from, e.to, e.at]),
      [
        [null, 'NEW', alert.raisedAt],
        ['NEW', 'ACKNOWLEDGED', alert.acknowledgedAt],
        ['ACKNOWLEDGED', 'DISPOSED', alert.disposedAt],
        ['DISPOSED', 'CLOSED', alert.closedAt],
      ],
    );
    assert.equal(alert.events[0]?.actor, 'alert-evaluator');
  });
});

describe('alerts: webhook targets through the gateway', () => {
  const REGISTER = `mutation($url: String!) { registerAlertWebhook(url: $url) { webhook { id url } } }`;

  /** An HTTP receiver on 127.0.0.1 answering `status`, counting connections. */
  async function receiver(status: number) {
    const state = { connections: 0, requests: 0 };
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        state.requests += 1;
        res.statusCode = status;
        res.end('{"error":"invalid signature"}');
      });
    });
    server.on('connection', () => {
      state.connections += 1;
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    return Object.assign(state, {
      port: address.port,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    });
  }

  let rejecting: Awaited<ReturnType<typeof receiver>>;
  let trap: Awaited<ReturnType<typeof receiver>>;
  let closedPort: number;

  before(async () => {
    rejecting = await receiver(401);
    trap = await receiver(204);
    const closed = await receiver(204);
    closedPort = closed.port;
    await closed.close();
  });
  after(async () => {
    await rejecting.close();
    await trap.close();
  });

  it('refuses loopback, link-local and private targets in any spelling, naming the rule', async () => {
    const port = trap.port;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `https://127.0.0.1:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      `https://[::ffff:127.0.0.1]:${port}/`,
      `https://[::1]:${port}/`,
      `https://2130706433:${port}/`,
      `https://0x7f.1:${port}/`,
      `https://localhost:${port}/`,
      'https://10.0.0.5:5432/',
      'https://192.168.1.1/admin',
      'https://100.64.0.1/',
      'https://[fd00::1]/',
    ]) {
      const res = await as<{ registerAlertWebhook: unknown }>(
        'water-duty-qijiang',
        REGISTER,
        { url },
      );
      assert.equal(codeOf(res), 'BAD_USER_INPUT', `${url}: ${res.text}`);
      assert.equal(
        res.errors?.[0]?.extensions?.['rule'],
        'alert-webhook-targets',
        `${url}: ${res.text}`,
      );
      assert.equal(res.data?.registerAlertWebhook ?? null, null);
    }
    const listed = await as<{ alertWebhooks: unknown[] }>(
      'water-duty-qijiang',
      '{ alertWebhooks { id url } }',
    );
    assert.deepEqual(listed.data?.alertWebhooks, [], listed.text);
    assert.equal(trap.connections, 0);
  });

  it('connects to no disallowed address at delivery, and shows readers a state, never the network error', async () => {
    const hooks: Record<string, string> = {};
    for (const [name, url] of [
      // A public-looking name over https passes registration; at delivery
      // it resolves to 127.0.0.1 (DNS rebinding).
      ['rebound', `https://hooks.rebind.test:${trap.port}/alerts`],
      // Listed by the operators: delivered to, and failing.
      ['rejecting', `http://receiver.test:${rejecting.port}/alerts`],
      ['closed', `http://receiver.test:${closedPort}/alerts`],
    ] as const) {
      const res = await as<{
        registerAlertWebhook: { webhook: { id: string } };
      }>('water-duty-qijiang', REGISTER, { url });
      assert.equal(res.errors, undefined, `${url}: ${res.text}`);
      hooks[name] = res.data?.registerAlertWebhook.webhook.id ?? '';
    }

    const raised = await raiseAlert(t.tdb.db, {
      ...scenarioAlert('2025-09-02'),
      id: 'AL-20250902-WEBHOOKS',
      evaluationKey: 'e2e:webhook-targets',
      riskItemId: SCENARIOS.dissolvedOxygen.riskItemId,
    });
    assert.equal(raised.webhookDeliveries, 3);
    await alerting.deliveriesSettled();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await t.tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM emergency.alert_deliveries
          WHERE alert_id = $1 AND channel = 'WEBHOOK' AND status = 'PENDING'`,
        [raised.id],
      );
      if (rows[0]?.n === 0) break;
      assert.ok(Date.now() < deadline, 'the deliveries settle');
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(trap.connections, 0, 'the rebound name got no connection');
    assert.equal(rejecting.requests, 1, '401 is final: one attempt');

    interface DeliveryView {
      channel: string;
      recipient: string;
      status: string;
      attempts: number;
      failure: string | null;
      lastError: string | null;
    }
    const DELIVERIES = `query($id: ID!) { alert(id: $id) { deliveries {
      channel recipient status attempts failure lastError } } }`;
    const bodies: string[] = [];
    let seen: DeliveryView[] = [];
    for (const user of [
      'water-duty-qijiang',
      'emergency-duty',
      'env-analyst',
    ]) {
      const res = await as<{ alert: { deliveries: DeliveryView[] } }>(
        user,
        DELIVERIES,
        { id: raised.id },
      );
      assert.equal(res.errors, undefined, `${user}: ${res.text}`);
      bodies.push(res.text);
      seen = res.data?.alert.deliveries ?? [];
    }
    const dead = await as<{
      deadAlertDeliveries: { nodes: DeliveryView[] };
    }>(
      'water-duty-qijiang',
      '{ deadAlertDeliveries { totalCount nodes { recipient status attempts failure lastError } } }',
    );
    assert.equal(dead.errors, undefined, dead.text);
    bodies.push(dead.text);

    const byHook = (id: string | undefined) =>
      seen.find((d) => d.channel === 'WEBHOOK' && d.recipient === id);
    assert.deepEqual(
      [hooks['rebound'], hooks['rejecting'], hooks['closed']]
        .map(byHook)
        .map((d) => [d?.status, d?.failure, d?.attempts]),
      [
        ['DEAD', 'TARGET_NOT_ALLOWED', 1],
        ['DEAD', 'DELIVERY_FAILED', 1],
        ['DEAD', 'DELIVERY_FAILED', 2],
      ],
    );
    assert.equal(dead.data?.deadAlertDeliveries.nodes.length, 3, dead.text);
    for (const body of bodies) {
      for (const raw of [
        'ECONNREFUSED',
        '401',
        'HTTP',
        '127.0.0.1',
        'connect',
        'getaddrinfo',
        'loopback',
        'rebind.test',
      ]) {
        assert.ok(!body.includes(raw), `"${raw}" in ${body}`);
      }
    }

    // The operators' log has what the readers do not.
    const log = operatorsLog.join('');
    assert.match(log, /ECONNREFUSED/);
    assert.match(log, /webhook answered HTTP 401/);
    assert.match(
      log,
      /hooks\.rebind\.test \(resolved to 127\.0\.0\.1\) port \d+ is not allowed: 127\.0\.0\.1 is a loopback address/,
    );
  });
});
