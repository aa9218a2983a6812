// Alerts on a real PostgreSQL: raising is idempotent and writes the alert,
// its first event and its deliveries together; inboxes; the lifecycle with
// its timestamps through the emergency subgraph, refused steps changing
// nothing, and who may take them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { raiseAlert } from '../../../subgraphs/emergency/src/alerting/repository/alertRepository.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import {
  EMERGENCY_DUTY,
  MARKET,
  RESPONSIBLE,
  scenarioAlert,
  startAlertSubgraph,
  WATER_QIJIANG,
  WATER_YUZHONG,
  type AlertSubgraph,
} from './alertFixtures.js';

const ALERT_FIELDS = `id status level title message raisedAt
  acknowledgedAt disposedAt closedAt
  rule { metric comparator value windowDays alertLevel }
  triggeringReadings { metric value unit measuredAt }
  suspectedSources { source { id } distanceKm }
  events { from to actor comment at }
  deliveries { channel recipient status attempts }`;

interface AlertData {
  id: string;
  status: string;
  acknowledgedAt: string | null;
  disposedAt: string | null;
  closedAt: string | null;
  events: {
    from: string | null;
    to: string;
    actor: string;
    comment: string | null;
    at: string;
  }[];
  deliveries: { channel: string; recipient: string; status: string }[];
  triggeringReadings: { value: number }[];
  suspectedSources: { source: { id: string }; distanceKm: number }[];
  rule: { metric: string; windowDays: number } | null;
  title: string;
  message: string;
  raisedAt: string;
}

let tdb: TestDatabase;
let s: AlertSubgraph;
let alertId: string;

before(async () => {
  tdb = await createTestDatabase();
  s = await startAlertSubgraph(tdb.db);
});
after(async () => {
  await s.subgraph.close();
  await tdb.drop();
});

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await tdb.db.query<{ n: number }>(sql, values);
  return rows[0]?.n ?? -1;
}

async function readAlert(id: string): Promise<AlertData> {
  const res = await s.as(EMERGENCY_DUTY)<{ alert: AlertData }>(
    `query($id: ID!) { alert(id: $id) { ${ALERT_FIELDS} } }`,
    { id },
  );
  assert.equal(res.errors, undefined, res.text);
  assert.ok(res.data?.alert);
  return res.data.alert;
}

describe('raising an alert', () => {
  it('writes the alert, its NEW event and its deliveries in one go', async () => {
    const raised = await raiseAlert(tdb.db, scenarioAlert());
    assert.equal(raised.created, true);
    alertId = raised.id;
    const alert = await readAlert(alertId);
    assert.equal(alert.status, 'NEW');
    assert.equal(alert.title, '蒲河寨溪大桥断面溶解氧连续3天超标预警');
    assert.match(alert.message, /8月12日3\.2、13日2\.9、14日3\.4mg\/L/);
    assert.match(alert.message, /三角镇污水处理厂（距断面6\.2公里）/);
    assert.deepEqual(
      alert.triggeringReadings.map((r) => r.value),
      [3.2, 2.9, 3.4],
    );
    assert.deepEqual(
      alert.suspectedSources.map((x) => [x.source.id, x.distanceKm]),
      [
        ['PS-PUHE-04', 6.2],
        ['PS-PUHE-03', 13.6],
      ],
    );
    assert.equal(alert.rule?.windowDays, 3);
    assert.deepEqual(
      alert.events.map((e) => [e.from, e.to, e.actor]),
      [[null, 'NEW', 'alert-evaluator']],
    );
    assert.deepEqual(
      alert.deliveries.map((d) => [d.channel, d.recipient, d.status]),
      [
        ['INBOX', 'department:emergency:500110', 'DELIVERED'],
        ['INBOX', 'department:environment:500110', 'DELIVERED'],
        ['INBOX', 'department:water:500110', 'DELIVERED'],
        ['INBOX', 'person:P-QJ-001', 'DELIVERED'],
      ],
    );
  });

  it('is idempotent: raising the same breach again writes nothing', async () => {
    const again = await raiseAlert(tdb.db, scenarioAlert());
    assert.deepEqual(again, {
      id: alertId,
      created: false,
      webhookDeliveries: 0,
    });
    assert.equal(
      await count('SELECT count(*)::int AS n FROM emergency.alerts'),
      1,
    );
    assert.equal(
      await count('SELECT count(*)::int AS n FROM emergency.alert_events'),
      1,
    );
    assert.equal(
      await count('SELECT count(*)::int AS n FROM emergency.alert_deliveries'),
      4,
    );
  });

  it('writes nothing at all when a part fails', async () => {
    const input = { ...scenarioAlert('2025-08-20'), riskItemId: 'RI-NONE' };
    await assert.rejects(raiseAlert(tdb.db, input));
    assert.equal(
      await count('SELECT count(*)::int AS n FROM emergency.alerts'),
      1,
    );
    assert.equal(
      await count('SELECT count(*)::int AS n FROM emergency.alert_deliveries'),
      4,
    );
  });
});

describe('inboxes', () => {
  const INBOX = `query($status: AlertStatus) { alertInbox(status: $status) {
    totalCount nodes { recipient channel alert { id status } } } }`;

  it('shows the alert to its recipient departments in their region and to the responsible person', async () => {
    for (const [who, recipient] of [
      [WATER_QIJIANG, 'department:water:500110'],
      [EMERGENCY_DUTY, 'department:emergency:500110'],
      [RESPONSIBLE, 'person:P-QJ-001'],
    ] as const) {
      const res = await s.as(who)<{
        alertInbox: {
          totalCount: number;
          nodes: { recipient: string; alert: { id: string } }[];
        };
      }>(INBOX);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(
        res.data?.alertInbox.nodes.map((n) => [n.recipient, n.alert.id]),
        [[recipient, alertId]],
      );
    }
  });

  it('shows nothing to other departments or districts, and filters by status', async () => {
    for (const who of [MARKET, WATER_YUZHONG]) {
      const res = await s.as(who)<{ alertInbox: { totalCount: number } }>(
        INBOX,
      );
      assert.equal(res.data?.alertInbox.totalCount, 0, res.text);
    }
    const closed = await s.as(WATER_QIJIANG)<{
      alertInbox: { totalCount: number };
    }>(INBOX, { status: 'CLOSED' });
    assert.equal(closed.data?.alertInbox.totalCount, 0);
  });

  it('answers a call without a principal with UNAUTHENTICATED', async () => {
    const res = await s.subgraph.post(INBOX);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  });
});

describe('the lifecycle', () => {
  const ACK = `mutation($id: ID!, $c: String) { acknowledgeAlert(id: $id, comment: $c) { id status acknowledgedAt } }`;
  const DISPOSE = `mutation($id: ID!, $c: String!) { disposeAlert(id: $id, comment: $c) { id status disposedAt } }`;
  const CLOSE = `mutation($id: ID!, $c: String) { closeAlert(id: $id, comment: $c) { id status closedAt } }`;

  function codeOf(res: {
    errors?: { extensions?: Record<string, unknown> }[];
  }) {
    return res.errors?.[0]?.extensions?.['code'];
  }

  it('refuses non-recipients with FORBIDDEN and a reason, changing nothing', async () => {
    for (const who of [MARKET, WATER_YUZHONG]) {
      const res = await s.as(who)(ACK, { id: alertId });
      assert.equal(codeOf(res), 'FORBIDDEN', res.text);
      assert.equal(
        res.errors?.[0]?.extensions?.['rule'],
        'alert-recipients-only',
      );
      assert.match(
        String(res.errors?.[0]?.extensions?.['reason']),
        /recipients/,
      );
    }
    assert.equal((await readAlert(alertId)).status, 'NEW');
  });

  it('refuses steps out of order with CONFLICT, changing nothing', async () => {
    const res = await s.as(WATER_QIJIANG)(CLOSE, { id: alertId });
    assert.equal(codeOf(res), 'CONFLICT', res.text);
    assert.deepEqual(res.errors?.[0]?.extensions?.['allowedActions'], [
      'acknowledgeAlert',
    ]);
    const alert = await readAlert(alertId);
    assert.equal(alert.status, 'NEW');
    assert.equal(alert.closedAt, null);
    assert.equal(alert.events.length, 1);
  });

  it('answers bad input and unknown alerts with BAD_USER_INPUT and NOT_FOUND', async () => {
    const unknown = await s.as(WATER_QIJIANG)(ACK, { id: 'AL-NOPE' });
    assert.equal(codeOf(unknown), 'NOT_FOUND');
    const bad = await s.as(WATER_QIJIANG)(ACK, { id: 'a\u0000b' });
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
  });

  it('goes NEW → ACKNOWLEDGED → DISPOSED → CLOSED with timestamps and events', async () => {
    const ack = await s.as(WATER_QIJIANG)<{
      acknowledgeAlert: { status: string; acknowledgedAt: string };
    }>(ACK, { id: alertId, c: '已收到，安排人员核查' });
    assert.equal(ack.errors, undefined, ack.text);
    assert.equal(ack.data?.acknowledgeAlert.status, 'ACKNOWLEDGED');
    assert.ok(ack.data.acknowledgeAlert.acknowledgedAt);

    const twice = await s.as(WATER_QIJIANG)(ACK, { id: alertId });
    assert.equal(codeOf(twice), 'CONFLICT');

    const blank = await s.as(WATER_QIJIANG)(DISPOSE, { id: alertId, c: '  ' });
    assert.equal(codeOf(blank), 'BAD_USER_INPUT', blank.text);
    assert.equal((await readAlert(alertId)).status, 'ACKNOWLEDGED');

    const disposed = await s.as(RESPONSIBLE)<{
      disposeAlert: { status: string };
    }>(DISPOSE, {
      id: alertId,
      c: '协调水电站加大下泄流量，加密监测',
    });
    assert.equal(disposed.errors, undefined, disposed.text);
    assert.equal(disposed.data?.disposeAlert.status, 'DISPOSED');

    const closed = await s.as(EMERGENCY_DUTY)<{
      closeAlert: { status: string };
    }>(CLOSE, {
      id: alertId,
    });
    assert.equal(closed.errors, undefined, closed.text);
    assert.equal(closed.data?.closeAlert.status, 'CLOSED');

    const alert = await readAlert(alertId);
    assert.ok(alert.acknowledgedAt && alert.disposedAt && alert.closedAt);
    assert.ok(alert.raisedAt <= alert.acknowledgedAt);
    assert.ok(alert.acknowledgedAt <= alert.disposedAt);
    assert.ok(alert.disposedAt <= alert.closedAt);
    assert.deepEqual(
      alert.events.map((e) => [e.from, e.to, e.actor, e.comment]),
      [
        [null, 'NEW', 'alert-evaluator', null],
        ['NEW', 'ACKNOWLEDGED', 'water-duty-qijiang', '已收到，安排人员核查'],
        [
          'ACKNOWLEDGED',
          'DISPOSED',
          'P-QJ-001',
          '协调水电站加大下泄流量，加密监测',
        ],
        ['DISPOSED', 'CLOSED', 'emergency-duty', null],
      ],
    );
    assert.equal(alert.events.at(-1)?.at, alert.closedAt);

    const after = await s.as(EMERGENCY_DUTY)(ACK, { id: alertId });
    assert.equal(codeOf(after), 'CONFLICT');
    assert.match(after.errors?.[0]?.message ?? '', /CLOSED/);
  });
});
