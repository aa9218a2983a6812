// `npm start` as a process on embedded PostgreSQL: the demo city seeded,
// scenario 1's alert through its lifecycle, an approval in force at once,
// and a clean stop on SIGTERM. Its one clear line when the database is
// unreachable is in tests/integration/cli/startRefusal.int.test.ts; the
// gateway's and a subgraph's own mains are in mains.e2e.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
} from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { collect, run, waitFor } from '../utils/processes.js';

interface InboxAlert {
  id: string;
  status: string;
  level: string;
  title: string;
  riskItem: { id: string };
  monitoringSection: { id: string } | null;
  rule: {
    metric: string;
    comparator: string;
    value: number;
    windowDays: number;
  };
  triggeringReadings: { value: number; unit: string }[];
  suspectedSources: {
    distanceKm: number;
    source: { id: string; kind: string };
  }[];
  notifiedParties: string[];
  events: {
    from: string | null;
    to: string;
    actor: string;
    comment: string | null;
  }[];
}

/**
 * Scenario 1 as a new user meets it after `npm start` on a fresh database:
 * the hub printed the alert the evaluator raised from the seeded readings,
 * it is in 綦江区水利局's inbox (demo user `water-duty-qijiang`), and that
 * user takes it through its lifecycle through the gateway.
 */
async function scenarioOneAlert(gateway: string, out: string): Promise<void> {
  const printed =
    /^Alerts evaluated as of 2025-08-14T08:00:00\+08:00 \(scenario 1\): raised (AL-20250814-[0-9A-F]{8}) 蒲河寨溪大桥断面溶解氧连续3天超标预警 \(ORANGE\) in the alertInbox of (.*)$/m.exec(
      out,
    );
  assert.ok(printed, out);
  const [, id, inboxes] = printed;
  assert.match(inboxes ?? '', /department:water:500110 \(water-duty-qijiang\)/);

  const as = async <T>(query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(
      gateway,
      query,
      variables,
      await demoHeaders('water-duty-qijiang'),
    );
  const inbox = await as<{
    alertInbox: {
      totalCount: number;
      nodes: { recipient: string; channel: string; alert: InboxAlert }[];
    };
  }>(`{ alertInbox { totalCount nodes { recipient channel alert {
        id status level title riskItem { id } monitoringSection { id }
        rule { metric comparator value windowDays }
        triggeringReadings { value unit }
        suspectedSources { distanceKm source { id kind } }
        notifiedParties events { from to actor comment }
      } } } }`);
  assert.equal(inbox.errors, undefined, inbox.text);
  // The replay evaluated scenario 1's risk item only: its alert is the one
  // alert in the inbox.
  assert.equal(inbox.data?.alertInbox.totalCount, 1, inbox.text);
  const [delivery] = inbox.data?.alertInbox.nodes ?? [];
  assert.equal(delivery?.recipient, 'department:water:500110');
  assert.equal(delivery.channel, 'INBOX');
  const alert = delivery.alert;
  assert.equal(alert.id, id);
  assert.equal(alert.status, 'NEW');
  assert.equal(alert.level, 'ORANGE');
  assert.equal(alert.riskItem.id, 'RI-PUHE-ZHAIXI');
  assert.equal(alert.monitoringSection?.id, 'MS-PUHE-ZHAIXI');
  assert.deepEqual(alert.rule, {
    metric: 'DISSOLVED_OXYGEN',
    comparator: 'LT',
    value: 5,
    windowDays: 3,
  });
  assert.deepEqual(
    alert.triggeringReadings.map((r) => `${r.value} ${r.unit}`),
    ['3.2 mg/L', '2.9 mg/L', '3.4 mg/L'],
  );
  assert.deepEqual(
    alert.suspectedSources.map((s) => [
      s.source.id,
      s.source.kind,
      s.distanceKm,
    ]),
    [
      ['PS-PUHE-04', 'WASTEWATER_PLANT', 6.2],
      ['PS-PUHE-03', 'WASTEWATER_PLANT', 13.6],
    ],
  );
  for (const party of [
    '綦江区水利局',
    '三角镇人民政府',
    '三角镇基层治理中心',
  ]) {
    assert.ok(
      alert.notifiedParties.includes(party),
      alert.notifiedParties.join(),
    );
  }

  const ack = await as<{ acknowledgeAlert: { status: string } }>(
    `mutation($id: ID!) { acknowledgeAlert(id: $id, comment: "已收到，安排人员核查") { status } }`,
    { id },
  );
  assert.equal(ack.data?.acknowledgeAlert.status, 'ACKNOWLEDGED', ack.text);
  const disposed = await as<{ disposeAlert: { status: string } }>(
    `mutation($id: ID!) { disposeAlert(id: $id, comment: "核查上游两座污水处理厂排放，水电站加大下泄流量") { status } }`,
    { id },
  );
  assert.equal(disposed.data?.disposeAlert.status, 'DISPOSED', disposed.text);
  const closed = await as<{
    closeAlert: { status: string; closedAt: string | null };
  }>(`mutation($id: ID!) { closeAlert(id: $id) { status closedAt } }`, { id });
  assert.equal(closed.data?.closeAlert.status, 'CLOSED', closed.text);
  assert.ok(closed.data.closeAlert.closedAt);

  const after = await as<{ alert: InboxAlert }>(
    `query($id: ID!) { alert(id: $id) { events { from to actor comment } } }`,
    { id },
  );
  assert.deepEqual(
    after.data?.alert.events.map((e) => [e.from, e.to, e.actor, e.comment]),
    [
      [null, 'NEW', 'alert-evaluator', null],
      ['NEW', 'ACKNOWLEDGED', 'water-duty-qijiang', '已收到，安排人员核查'],
      [
        'ACKNOWLEDGED',
        'DISPOSED',
        'water-duty-qijiang',
        '核查上游两座污水处理厂排放，水电站加大下泄流量',
      ],
      ['DISPOSED', 'CLOSED', 'water-duty-qijiang', null],
    ],
    after.text,
  );
}

describe('npm start (hub/start.ts)', () => {
  it('starts on embedded PostgreSQL with demo data, answers, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = run('hub/start.ts', [], {
      PGLITE_DATA_DIR: 'memory://',
      PORT: String(port),
      SUBGRAPH_PORTS: 'free',
      GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    });
    const io = collect(child);
    try {
      await waitFor(() => io.out().includes('govgraph is up'), 120_000);
      assert.match(io.out(), /seeded demo data/);
      // Start-up says what it is doing, phase by phase.
      for (const phase of [
        /govgraph: migrating the database \(and seeding it when empty\)… \(\d+\.\d s\)/,
        /govgraph: starting \d+ subgraphs… /,
        /govgraph: starting the gateway… /,
        /govgraph: starting the job runners .*… /,
      ]) {
        assert.match(io.out(), phase);
      }
      assert.match(
        io.out(),
        new RegExp(`gateway +http://127\\.0\\.0\\.1:${port}/graphql`),
      );
      // The GraphQL IDE: named at start, served to a browser by the gateway.
      assert.match(
        io.out(),
        new RegExp(`GraphQL IDE +http://127\\.0\\.0\\.1:${port}/graphql`),
      );
      const ide = await fetch(`http://127.0.0.1:${port}/graphql`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(ide.status, 200);
      assert.match(await ide.text(), /src="\/ide\/assets\//);
      const res = await postGraphQL<{ complaint: { summary: string } }>(
        `http://127.0.0.1:${port}/graphql`,
        `{ complaint(id: "C-20250915-JCK") { summary } }`,
        undefined,
        await demoHeaders('enforcement-jiefangbei'),
      );
      assert.match(res.data?.complaint.summary ?? '', /较场口/);
      await scenarioOneAlert(`http://127.0.0.1:${port}/graphql`, io.out());
      // The administration writes in transactions on the same embedded
      // database every subgraph reads: an approval goes through and is in
      // force on the gateway at once.
      const gateway = `http://127.0.0.1:${port}/graphql`;
      const approved = await postGraphQL<{
        approveShareRequest: { status: string };
      }>(
        gateway,
        `mutation { approveShareRequest(id: "SR-2026-0001", expectedRevision: 1) { status grant { id } } }`,
        undefined,
        await demoHeaders('publicsecurity-data-officer'),
      );
      assert.equal(
        approved.data?.approveShareRequest?.status,
        'APPROVED',
        approved.text,
      );
      const representative = `{ enterprise(creditCode: "91500110MAGTNENH14") { legalRepresentative { name } } }`;
      await waitFor(async () => {
        const read = await postGraphQL<{
          enterprise: { legalRepresentative: { name: string } | null } | null;
        }>(
          gateway,
          representative,
          undefined,
          await demoHeaders('market-data-officer'),
        );
        return (
          typeof read.data?.enterprise?.legalRepresentative?.name === 'string'
        );
      }, 2_000);
      assert.match(io.out(), /ENFORCEMENT_JIEFANGBEI_TOKEN=ey/);
      assert.match(
        io.out(),
        /authorization: Bearer \$ENFORCEMENT_JIEFANGBEI_TOKEN/,
      );
      child.kill('SIGTERM');
      assert.equal(await io.exit, 0, io.err());
    } finally {
      child.kill('SIGKILL');
    }
  });
});
