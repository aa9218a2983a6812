// Scenario 1 end to end through the governed gateway: the evaluator reads
// the seeded 蒲河寨溪大桥 readings and upstream sources through the gateway
// as 应急管理局's service principal, raises the dissolved-oxygen alert as of
// 2025-08-14 08:00, and delivers it to the recipient departments' inboxes;
// the recipients take it through its lifecycle, others are refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startAlerting, type Alerting } from '../../hub/startAlerting.js';
import { SCENARIOS } from '../../seeds/src/index.js';
import { createLogger } from '../../subgraphs/kit/src/index.js';
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

before(async () => {
  // This file replays scenario 1 itself, step by step.
  t = await startTestHub({ replayScenarios: false });
  alerting = await startAlerting(
    {
      kind: 'in-process',
      intervalMs: 3_600_000,
      evaluateOnStart: false,
      webhooks: { attempts: 2, backoffMs: 50, relayPollMs: 200 },
    },
    {
      db: t.tdb.db,
      logger: createLogger('alerts-e2e', 'silent'),
      gatewayUrl: t.hub.gatewayUrl,
      tokenSecret: TEST_TOKEN_SECRET,
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
