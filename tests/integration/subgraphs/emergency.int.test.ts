import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { emergencySubgraph } from '../../../subgraphs/emergency/src/emergencySubgraph.js';
import {
  creditCodeCheckChar,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import {
  startSubgraph,
  type PostGraphQL,
  type GraphQLResponse,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { describeDepartment } from './departmentConformance.js';

function code(body: string): string {
  return body + creditCodeCheckChar(body);
}

const ENT_A = code('91500103MA5U1A2B3');
const ENT_B = code('91500106MA5U1A2B4');
const ENT_C = code('91500112MA5U1A2B5');

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface Conn<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * Fixtures: three categories (FLOOD has no items), four hand-made risk items
 * in 渝中区 (500103), 沙坪坝区 (500106) and 南岸区 (500108), and 24 generated
 * ones in 渝北区 (500112001) with one alert each, for the statement counts.
 */
async function insertFixtures(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO emergency.risk_categories VALUES
     ('FLOOD', '城市内涝', '城市运行'),
     ('FOREST', '森林防火', '自然灾害'),
     ('HAZCHEM', '危化品', '安全生产')`,
  );
  const thresholds = JSON.stringify([
    {
      metric: '可燃气体浓度',
      comparator: 'GTE',
      value: 25,
      unit: '%LEL',
      windowDays: 1,
      alertLevel: 'RED',
    },
    {
      metric: '储罐液位',
      comparator: 'GT',
      value: 0.9,
      unit: 'ratio',
      windowDays: 3,
      alertLevel: 'YELLOW',
    },
  ]);
  await db.query(
    `INSERT INTO emergency.risk_items VALUES
     ('R-001', '较场口加油站', 'HAZCHEM', 'MAJOR', '500103001001', '渝中区较场口1号', 29.55, 106.57, $1, 'S-1', $3::jsonb, ARRAY['切断气源', '疏散人员'], 'P-1', '2025-01-02T03:04:05Z'),
     ('R-002', '歌乐山林区', 'FOREST', 'HIGH', '500106001', '沙坪坝区歌乐山', 29.56, 106.45, NULL, 'S-2', '[]'::jsonb, '{}', 'P-2', '2025-01-03T00:00:00Z'),
     ('R-003', '化工仓库', 'HAZCHEM', 'MODERATE', '500103002', '渝中区化龙桥', 29.56, 106.53, $1, NULL, '[]'::jsonb, ARRAY['封控'], 'P-1', '2025-01-04T00:00:00Z'),
     ('R-004', '南山林区', 'FOREST', 'LOW', '500108', '南岸区南山', 29.55, 106.62, $2, NULL, '[]'::jsonb, '{}', 'P-2', '2025-01-05T00:00:00Z')`,
    [ENT_A, ENT_B, thresholds],
  );
  await db.query(
    `INSERT INTO emergency.risk_items
     SELECT 'R-1' || lpad(i::text, 2, '0'), '批量风险' || i,
            CASE WHEN i % 2 = 0 THEN 'HAZCHEM' ELSE 'FOREST' END, 'LOW',
            '500112001', '渝北区', 29.7, 106.6,
            CASE WHEN i % 2 = 0 THEN $1 END, 'S-9', '[]'::jsonb, '{}', 'P-9',
            '2025-02-01T00:00:00Z'
       FROM generate_series(1, 24) AS i`,
    [ENT_C],
  );
  await db.query(
    `INSERT INTO emergency.alerts VALUES
     ('A-1', 'R-001', 'RED', 'NEW', '可燃气体超限', '浓度 30%LEL', '2025-03-01T08:00:00Z', '500103001001', 'S-1', ARRAY[$1, $2, $3], ARRAY['应急管理局', '消防救援支队']),
     ('A-2', 'R-001', 'YELLOW', 'ACKNOWLEDGED', '液位偏高', '液位 0.92', '2025-02-01T08:00:00Z', '500103001001', 'S-1', '{}', '{}'),
     ('A-3', 'R-002', 'ORANGE', 'CLOSED', '火险等级高', '连续3日高温', '2025-03-05T08:00:00Z', '500106001', 'S-2', '{}', ARRAY['林业局']),
     ('A-4', 'R-003', 'BLUE', 'NEW', '巡查提示', '例行巡查', '2025-03-01T08:00:00Z', '500103002', NULL, '{}', '{}')`,
    [ENT_A, ENT_B, ENT_C],
  );
  await db.query(
    `INSERT INTO emergency.alerts (id, risk_item_id, level, status, title, message, raised_at, region_code, section_id)
     SELECT 'A-1' || lpad(i::text, 2, '0'), 'R-1' || lpad(i::text, 2, '0'),
            'BLUE', 'DISPOSED', '批量告警', '批量',
            timestamptz '2025-01-01T00:00:00Z' + i * interval '1 minute',
            '500112001', 'S-9'
       FROM generate_series(1, 24) AS i`,
  );
}

const countedRiskItems = (n: number) =>
  Array.from({ length: n }, (_, i) => `R-1${String(i + 1).padStart(2, '0')}`);

describeDepartment(
  {
    subgraph: emergencySubgraph,
    fixtures: insertFixtures,
    notFound: [
      { query: `{ riskItem(id: "R-404") { name } }`, field: 'riskItem' },
      {
        query: `{ riskCategory(code: "NOPE") { name } }`,
        field: 'riskCategory',
      },
      { query: `{ alert(id: "A-404") { title } }`, field: 'alert' },
    ],
    badUserInput: [
      // An id that cannot be stored.
      {
        query: `query($id: ID!) { riskItem(id: $id) { name } }`,
        variables: { id: 'R-\u0000' },
      },
      // Malformed arguments, named.
      {
        query: `{ riskItems(regionCode: "12345") { totalCount } }`,
        argumentName: 'regionCode',
      },
      {
        query: `{ riskItems(categoryCode: "NOPE") { totalCount } }`,
        argumentName: 'categoryCode',
      },
      {
        query: `{ riskItems(after: "not-a-cursor") { totalCount } }`,
        argumentName: 'after',
      },
      {
        query: `{ riskItems(first: 101) { totalCount } }`,
        argumentName: 'first',
      },
      {
        query: `{ alerts(regionCode: "600000") { totalCount } }`,
        argumentName: 'regionCode',
      },
      {
        query: `{ riskCategories(first: 0) { totalCount } }`,
        argumentName: 'first',
      },
      {
        query: `{ riskItem(id: "R-001") { alerts(after: "x") { totalCount } } }`,
        argumentName: 'after',
      },
      {
        query: `{ alert(id: "A-1") { suspectedEnterprises(first: 500) { totalCount } } }`,
        argumentName: 'first',
      },
      // A malformed Region code, an unknown category on Region.
      {
        query: `{ _entities(representations: [{ __typename: "Region", code: "abc" }]) { ... on Region { riskItems { totalCount } } } }`,
      },
      {
        query: `{ _entities(representations: [{ __typename: "Region", code: "500103" }]) { ... on Region { riskItems(categoryCode: "NOPE") { totalCount } } } }`,
        argumentName: 'categoryCode',
      },
    ],
    references: [
      {
        title: 'resolves RiskItem and Alert references, null for unknown ids',
        query: `{ _entities(representations: [
           { __typename: "RiskItem", id: "R-003" },
           { __typename: "RiskItem", id: "R-404" },
           { __typename: "Alert", id: "A-3" },
           { __typename: "Alert", id: "A-404" }
         ]) {
           ... on RiskItem { name category { code } }
           ... on Alert { title riskItem { id } }
         } }`,
        expected: [
          { name: '化工仓库', category: { code: 'HAZCHEM' } },
          null,
          { title: '火险等级高', riskItem: { id: 'R-002' } },
          null,
        ],
      },
    ],
    statementCounts: [
      {
        title:
          'lists risk items with their list fields in as many statements for 20 parents as for 2',
        query: `query($n: Int) { riskItems(regionCode: "500112", first: $n) { nodes {
        id category { name riskItemCount } enterprise { creditCode }
        alerts { totalCount nodes { id riskItem { name } suspectedEnterprises { totalCount } } }
      } } }`,
        variables: (n) => ({ n }),
        // listing, categories, counts, alerts, alerts' risk items
        statements: 5,
      },
      {
        title:
          'resolves RiskItem references and their list fields in as many statements for 20 as for 2',
        query: `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on RiskItem { name category { code riskItemCount } alerts(first: 1) { totalCount nodes { id } } }
      } }`,
        variables: (n) => ({
          r: countedRiskItems(n).map((id) => ({ __typename: 'RiskItem', id })),
        }),
        statements: 4,
      },
      {
        title:
          'resolves extended entities in as many statements for 20 as for 2',
        query: `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Region { riskItems(categoryCode: "FOREST") { totalCount nodes { id category { name } } } alerts(status: NEW) { totalCount } }
        ... on MonitoringSection { alerts { totalCount nodes { riskItem { id } } } }
        ... on Enterprise { riskItems { totalCount } }
        ... on Person { responsibleFor { totalCount nodes { alerts { totalCount } } } }
      } }`,
        variables: (n) => ({
          r: Array.from({ length: n }, (_, i) => [
            { __typename: 'Region', code: `500${String(101 + i)}` },
            { __typename: 'MonitoringSection', id: `S-${i}` },
            {
              __typename: 'Enterprise',
              creditCode: code(`91500${String(101 + i)}MA5U1A2B3`),
            },
            { __typename: 'Person', id: `P-${i}` },
          ]).flat(),
        }),
        // category check (its loader then answers the nodes' categories from
        // its cache), region risk items, region alerts, section alerts, their
        // risk items, enterprise risk items, person risk items, their alerts
        statements: 8,
      },
    ],
  },
  ({ post, statements }) => {
    it('resolves a risk item with every kind of field', async () => {
      const res = await post<{
        riskItem: Record<string, unknown> & {
          alerts: Conn<{ id: string }>;
        };
      }>(`{ riskItem(id: "R-001") {
          id name level address latitude longitude updatedAt disposalMeasures
          category { code name domain riskItemCount }
          region { code }
          enterprise { creditCode }
          monitoringSection { id }
          responsiblePerson { id }
          thresholds { metric comparator value unit windowDays alertLevel }
          alerts { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
        } }`);
      assert.equal(res.errors, undefined, res.text);
      const item = res.data?.riskItem;
      assert.equal(item?.['name'], '较场口加油站');
      assert.equal(item?.['level'], 'MAJOR');
      assert.equal(item?.['address'], '渝中区较场口1号');
      assert.equal(item?.['latitude'], 29.55);
      assert.equal(item?.['longitude'], 106.57);
      assert.equal(item?.['updatedAt'], '2025-01-02T03:04:05.000Z');
      assert.deepEqual(item?.['disposalMeasures'], ['切断气源', '疏散人员']);
      assert.deepEqual(item?.['category'], {
        code: 'HAZCHEM',
        name: '危化品',
        domain: '安全生产',
        riskItemCount: 14,
      });
      assert.deepEqual(item?.['region'], { code: '500103001001' });
      assert.deepEqual(item?.['enterprise'], { creditCode: ENT_A });
      assert.deepEqual(item?.['monitoringSection'], { id: 'S-1' });
      assert.deepEqual(item?.['responsiblePerson'], { id: 'P-1' });
      assert.deepEqual(item?.['thresholds'], [
        {
          metric: '可燃气体浓度',
          comparator: 'GTE',
          value: 25,
          unit: '%LEL',
          windowDays: 1,
          alertLevel: 'RED',
        },
        {
          metric: '储罐液位',
          comparator: 'GT',
          value: 0.9,
          unit: 'ratio',
          windowDays: 3,
          alertLevel: 'YELLOW',
        },
      ]);
      assert.equal(item?.alerts.totalCount, 2);
      assert.deepEqual(
        item?.alerts.nodes.map((a) => a.id),
        ['A-1', 'A-2'],
      );
      assert.equal(item?.alerts.pageInfo.hasNextPage, false);
    });
    it('answers null for an absent enterprise or monitoring section', async () => {
      const res = await post<{
        riskItem: { enterprise: unknown; monitoringSection: unknown };
      }>(
        `{ riskItem(id: "R-002") { enterprise { creditCode } monitoringSection { id } } }`,
      );
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?.riskItem, {
        enterprise: null,
        monitoringSection: { id: 'S-2' },
      });
    });
    it('filters risk items by region, category and level, in id order', async () => {
      const res = await post<
        Record<string, Conn<{ id: string }>>
      >(`{ zhong: riskItems(regionCode: "500103") { totalCount nodes { id } }
         street: riskItems(regionCode: "500103001") { totalCount nodes { id } }
         city: riskItems(regionCode: "500000", categoryCode: "FOREST", first: 3) { totalCount nodes { id } }
         major: riskItems(level: MAJOR) { totalCount nodes { id } }
         none: riskItems(categoryCode: "FLOOD") { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
         all: riskItems { totalCount } }`);
      assert.equal(res.errors, undefined, res.text);
      const ids = (k: string) => res.data?.[k]?.nodes.map((n) => n.id);
      assert.deepEqual(ids('zhong'), ['R-001', 'R-003']);
      assert.equal(res.data?.['zhong']?.totalCount, 2);
      assert.deepEqual(ids('street'), ['R-001']);
      assert.deepEqual(ids('city'), ['R-002', 'R-004', 'R-101']);
      assert.equal(res.data?.['city']?.totalCount, 14);
      assert.deepEqual(ids('major'), ['R-001']);
      assert.deepEqual(res.data?.['none'], {
        totalCount: 0,
        nodes: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
      assert.equal(res.data?.['all']?.totalCount, 28);
    });
    it('pages risk items with cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: GraphQLResponse<{ riskItems: Conn<{ id: string }> }> =
          await post<{ riskItems: Conn<{ id: string }> }>(
            `query($a: String) { riskItems(regionCode: "500112", first: 10, after: $a) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
            { a: after },
          );
        assert.equal(res.errors, undefined, res.text);
        const conn = res.data?.riskItems;
        assert.equal(conn?.totalCount, 24);
        seen.push(...(conn?.nodes.map((n) => n.id) ?? []));
        if (!conn?.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      assert.equal(seen.length, 24);
      assert.deepEqual(seen, [...seen].sort());
      assert.equal(new Set(seen).size, 24);
    });
    it('lists categories with their risk-item counts and pages them', async () => {
      const first = await post<{
        riskCategories: Conn<{ code: string; riskItemCount: number }>;
      }>(
        `{ riskCategories(first: 2) { totalCount nodes { code riskItemCount } pageInfo { hasNextPage endCursor } } }`,
      );
      assert.equal(first.errors, undefined, first.text);
      assert.equal(first.data?.riskCategories.totalCount, 3);
      assert.deepEqual(first.data?.riskCategories.nodes, [
        { code: 'FLOOD', riskItemCount: 0 },
        { code: 'FOREST', riskItemCount: 14 },
      ]);
      assert.equal(first.data?.riskCategories.pageInfo.hasNextPage, true);
      const second = await post<{
        riskCategories: Conn<{ code: string }>;
      }>(
        `query($a: String) { riskCategories(first: 2, after: $a) { nodes { code } pageInfo { hasNextPage } } }`,
        { a: first.data?.riskCategories.pageInfo.endCursor },
      );
      assert.deepEqual(second.data?.riskCategories.nodes, [
        { code: 'HAZCHEM' },
      ]);
      assert.equal(second.data?.riskCategories.pageInfo.hasNextPage, false);
      const one = await post<{ riskCategory: { name: string } }>(
        `{ riskCategory(code: "FLOOD") { name domain riskItemCount } }`,
      );
      assert.deepEqual(one.data?.riskCategory, {
        name: '城市内涝',
        domain: '城市运行',
        riskItemCount: 0,
      });
    });
    it('resolves an alert with its risk item, section and suspects', async () => {
      const res = await post<{
        alert: Record<string, unknown> & {
          suspectedEnterprises: Conn<{ creditCode: string }>;
        };
      }>(`{ alert(id: "A-1") {
          id level status title message raisedAt notifiedParties
          riskItem { id name }
          monitoringSection { id }
          suspectedEnterprises(first: 2) { totalCount nodes { creditCode } pageInfo { hasNextPage endCursor } }
        } }`);
      assert.equal(res.errors, undefined, res.text);
      const alert = res.data?.alert;
      assert.equal(alert?.['level'], 'RED');
      assert.equal(alert?.['status'], 'NEW');
      assert.equal(alert?.['title'], '可燃气体超限');
      assert.equal(alert?.['message'], '浓度 30%LEL');
      assert.equal(alert?.['raisedAt'], '2025-03-01T08:00:00.000Z');
      assert.deepEqual(alert?.['notifiedParties'], [
        '应急管理局',
        '消防救援支队',
      ]);
      assert.deepEqual(alert?.['riskItem'], {
        id: 'R-001',
        name: '较场口加油站',
      });
      assert.deepEqual(alert?.['monitoringSection'], { id: 'S-1' });
      assert.equal(alert?.suspectedEnterprises.totalCount, 3);
      assert.deepEqual(alert?.suspectedEnterprises.nodes, [
        { creditCode: ENT_A },
        { creditCode: ENT_B },
      ]);
      assert.equal(alert?.suspectedEnterprises.pageInfo.hasNextPage, true);
      const rest = await post<{
        alert: { suspectedEnterprises: Conn<{ creditCode: string }> };
      }>(
        `query($a: String) { alert(id: "A-1") { suspectedEnterprises(first: 2, after: $a) { totalCount nodes { creditCode } pageInfo { hasNextPage } } } }`,
        { a: alert?.suspectedEnterprises.pageInfo.endCursor },
      );
      assert.deepEqual(rest.data?.alert.suspectedEnterprises.nodes, [
        { creditCode: ENT_C },
      ]);
      assert.equal(
        rest.data?.alert.suspectedEnterprises.pageInfo.hasNextPage,
        false,
      );
      const none = await post<{ alert: Record<string, unknown> }>(
        `{ alert(id: "A-4") { monitoringSection { id } notifiedParties suspectedEnterprises { totalCount nodes { creditCode } } } }`,
      );
      assert.deepEqual(none.data?.alert, {
        monitoringSection: null,
        notifiedParties: [],
        suspectedEnterprises: { totalCount: 0, nodes: [] },
      });
    });
    it('filters alerts by region, status and level, newest first', async () => {
      const res = await post<
        Record<string, Conn<{ id: string }>>
      >(`{ zhong: alerts(regionCode: "500103") { totalCount nodes { id } }
         fresh: alerts(status: NEW) { totalCount nodes { id } }
         red: alerts(level: RED) { nodes { id } }
         closed: alerts(regionCode: "500106", status: CLOSED, level: ORANGE) { nodes { id } }
         all: alerts(first: 5) { totalCount nodes { id } } }`);
      assert.equal(res.errors, undefined, res.text);
      const ids = (k: string) => res.data?.[k]?.nodes.map((n) => n.id);
      // were raised at the same instant: ties go by id.
      assert.deepEqual(ids('zhong'), ['A-1', 'A-4', 'A-2']);
      assert.deepEqual(ids('fresh'), ['A-1', 'A-4']);
      assert.deepEqual(ids('red'), ['A-1']);
      assert.deepEqual(ids('closed'), ['A-3']);
      assert.equal(res.data?.['all']?.totalCount, 28);
      assert.deepEqual(ids('all'), ['A-3', 'A-1', 'A-4', 'A-2', 'A-124']);
    });
    it('extends Region with its risk items and alerts, by prefix', async () => {
      const res = await post<{
        _entities: unknown[];
      }>(`{ _entities(representations: [
           { __typename: "Region", code: "500103" },
           { __typename: "Region", code: "500103001" },
           { __typename: "Region", code: "500000" }
         ]) {
           ... on Region {
             code
             riskItems(first: 2) { totalCount nodes { id } }
             hazchem: riskItems(categoryCode: "HAZCHEM", first: 1) { totalCount nodes { id } }
             alerts(first: 2) { totalCount nodes { id } }
             fresh: alerts(status: NEW) { totalCount nodes { id } }
           }
         } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?._entities, [
        {
          code: '500103',
          riskItems: {
            totalCount: 2,
            nodes: [{ id: 'R-001' }, { id: 'R-003' }],
          },
          hazchem: { totalCount: 2, nodes: [{ id: 'R-001' }] },
          alerts: { totalCount: 3, nodes: [{ id: 'A-1' }, { id: 'A-4' }] },
          fresh: { totalCount: 2, nodes: [{ id: 'A-1' }, { id: 'A-4' }] },
        },
        {
          code: '500103001',
          riskItems: { totalCount: 1, nodes: [{ id: 'R-001' }] },
          hazchem: { totalCount: 1, nodes: [{ id: 'R-001' }] },
          alerts: { totalCount: 2, nodes: [{ id: 'A-1' }, { id: 'A-2' }] },
          fresh: { totalCount: 1, nodes: [{ id: 'A-1' }] },
        },
        {
          code: '500000',
          riskItems: {
            totalCount: 28,
            nodes: [{ id: 'R-001' }, { id: 'R-002' }],
          },
          hazchem: { totalCount: 14, nodes: [{ id: 'R-001' }] },
          alerts: { totalCount: 28, nodes: [{ id: 'A-3' }, { id: 'A-1' }] },
          fresh: { totalCount: 2, nodes: [{ id: 'A-1' }, { id: 'A-4' }] },
        },
      ]);
    });
    it('pages Region.riskItems with a cursor, and past the end', async () => {
      const query = `query($a: String) { _entities(representations: [{ __typename: "Region", code: "500112" }]) {
        ... on Region { riskItems(first: 20, after: $a) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } } }`;
      const first = await post<{
        _entities: Array<{ riskItems: Conn<{ id: string }> }>;
      }>(query, { a: null });
      const page1 = first.data?._entities[0]?.riskItems;
      assert.equal(page1?.nodes.length, 20, first.text);
      assert.equal(page1?.pageInfo.hasNextPage, true);
      const second = await post<{
        _entities: Array<{ riskItems: Conn<{ id: string }> }>;
      }>(query, { a: page1?.pageInfo.endCursor });
      const page2 = second.data?._entities[0]?.riskItems;
      assert.deepEqual(
        page2?.nodes.map((n) => n.id),
        ['R-121', 'R-122', 'R-123', 'R-124'],
      );
      assert.equal(page2?.totalCount, 24);
      assert.equal(page2?.pageInfo.hasNextPage, false);
      const third = await post<{
        _entities: Array<{ riskItems: Conn<{ id: string }> }>;
      }>(query, { a: page2?.pageInfo.endCursor });
      assert.deepEqual(third.data?._entities[0]?.riskItems, {
        totalCount: 24,
        nodes: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    });
    it('extends MonitoringSection, Enterprise and Person', async () => {
      const res = await post<{ _entities: unknown[] }>(
        `query($a: ID!, $c: ID!) { _entities(representations: [
           { __typename: "MonitoringSection", id: "S-1" },
           { __typename: "MonitoringSection", id: "S-none" },
           { __typename: "Enterprise", creditCode: $a },
           { __typename: "Enterprise", creditCode: $c },
           { __typename: "Enterprise", creditCode: "not-a-credit-code" },
           { __typename: "Person", id: "P-1" },
           { __typename: "Person", id: "P-none" }
         ]) {
           ... on MonitoringSection { id alerts { totalCount nodes { id } } acked: alerts(status: ACKNOWLEDGED) { nodes { id } } }
           ... on Enterprise { creditCode riskItems(first: 5) { totalCount nodes { id } } }
           ... on Person { id responsibleFor { totalCount nodes { id } } }
         } }`,
        { a: ENT_A, c: ENT_C },
      );
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?._entities, [
        {
          id: 'S-1',
          alerts: { totalCount: 2, nodes: [{ id: 'A-1' }, { id: 'A-2' }] },
          acked: { nodes: [{ id: 'A-2' }] },
        },
        {
          id: 'S-none',
          alerts: { totalCount: 0, nodes: [] },
          acked: { nodes: [] },
        },
        {
          creditCode: ENT_A,
          riskItems: {
            totalCount: 2,
            nodes: [{ id: 'R-001' }, { id: 'R-003' }],
          },
        },
        {
          creditCode: ENT_C,
          riskItems: {
            totalCount: 12,
            nodes: ['R-102', 'R-104', 'R-106', 'R-108', 'R-110'].map((id) => ({
              id,
            })),
          },
        },
        null,
        {
          id: 'P-1',
          responsibleFor: {
            totalCount: 2,
            nodes: [{ id: 'R-001' }, { id: 'R-003' }],
          },
        },
        { id: 'P-none', responsibleFor: { totalCount: 0, nodes: [] } },
      ]);
    });
    it('counts the risk items of many categories in one statement', async () => {
      const query = `{ riskCategories { nodes { riskItemCount } } }`;
      assert.equal(await statements(query), 2);
    });
  },
);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

describe('emergency subgraph, index use at scale', () => {
  let tdb: TestDatabase;
  let post: PostGraphQL;
  let close: () => Promise<void>;
  const statements: Array<{ text: string; values: readonly unknown[] }> = [];
  const enterprises = Array.from({ length: 50 }, (_, i) =>
    code(`91500103MA5U${String(10000 + i)}`),
  );

  before(async () => {
    tdb = await createTestDatabase();
    const recording: Database = {
      kind: tdb.db.kind,
      query: (text, values) => {
        statements.push({ text, values: values ?? [] });
        return tdb.db.query(text, values);
      },
      exec: (sql) => tdb.db.exec(sql),
      transaction: (fn) => tdb.db.transaction(fn),
      close: () => tdb.db.close(),
    };
    const served = await startSubgraph(emergencySubgraph, recording);
    post = served.post;
    close = served.close;
    // Physical order unrelated to id, as after years of updates: an index on
    // the filtered column must beat walking the primary key.
    await tdb.db.query(
      `INSERT INTO emergency.risk_categories
       SELECT 'C' || i, '类别' || i, '安全生产' FROM generate_series(1, 130) AS i`,
    );
    await tdb.db.query(
      `INSERT INTO emergency.risk_items
       SELECT 'R' || lpad(i::text, 6, '0'), '风险' || i, 'C' || (i % 130 + 1), 'LOW',
              '500' || (101 + i % 38) || lpad((1 + i % 20)::text, 3, '0'),
              '地址', 29.5, 106.5, ($1::text[])[1 + i % 50], 'S' || (i % 1000),
              '[]'::jsonb, '{}', 'P' || (i % 10000), '2025-01-01T00:00:00Z'
         FROM generate_series(1, 20000) AS i ORDER BY random()`,
      [enterprises],
    );
    await tdb.db.query(
      `INSERT INTO emergency.alerts (id, risk_item_id, level, status, title, message, raised_at, region_code, section_id)
       SELECT 'A' || i, 'R' || lpad(i::text, 6, '0'), 'RED', 'NEW', '告警', '告警',
              timestamptz '2025-01-01T00:00:00Z' + i * interval '1 minute',
              '500' || (101 + i % 38) || lpad((1 + i % 20)::text, 3, '0'),
              'S' || (i % 1000)
         FROM generate_series(1, 10000) AS i ORDER BY random()`,
    );
    await tdb.db.query('ANALYZE emergency.risk_items');
    await tdb.db.query('ANALYZE emergency.alerts');
  });
  after(async () => {
    await close();
    await tdb.drop();
  });

  /** The indexes the plans of a request's statements use on its tables. */
  async function indexesUsed(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Set<string>> {
    statements.length = 0;
    const res = await post(query, variables);
    assert.equal(res.errors, undefined, res.text);
    const used = new Set<string>();
    for (const { text, values } of [...statements]) {
      const { rows } = await tdb.db.query<{
        'QUERY PLAN': [{ Plan: PlanNode }];
      }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
      const plan = rows[0]?.['QUERY PLAN'][0].Plan;
      assert.ok(plan);
      for (const node of walk(plan)) {
        if (
          node['Node Type'] === 'Seq Scan' &&
          (node['Relation Name'] === 'risk_items' ||
            node['Relation Name'] === 'alerts')
        ) {
          assert.fail(`sequential scan of ${node['Relation Name']}: ${text}`);
        }
        if (node['Index Name']) used.add(node['Index Name']);
      }
    }
    return used;
  }

  const cases: Array<[string, string, string[]]> = [
    [
      'riskItems by region',
      `{ riskItems(regionCode: "500103") { totalCount nodes { id } } }`,
      ['risk_items_region_idx'],
    ],
    [
      'riskItems by category',
      `{ riskItems(categoryCode: "C5") { totalCount nodes { id } } }`,
      ['risk_items_category_idx'],
    ],
    [
      'alerts by region',
      `{ alerts(regionCode: "500103") { totalCount nodes { id } } }`,
      ['alerts_region_idx'],
    ],
    [
      'Region.riskItems and Region.alerts',
      `{ _entities(representations: [{ __typename: "Region", code: "500103" }, { __typename: "Region", code: "500104002" }]) {
          ... on Region { riskItems { totalCount } alerts(status: NEW) { totalCount } } } }`,
      ['risk_items_region_idx', 'alerts_region_idx'],
    ],
    [
      'Enterprise.riskItems',
      `query($c: ID!) { _entities(representations: [{ __typename: "Enterprise", creditCode: $c }]) {
          ... on Enterprise { riskItems { totalCount } } } }`,
      ['risk_items_enterprise_idx'],
    ],
    [
      'Person.responsibleFor',
      `{ _entities(representations: [{ __typename: "Person", id: "P5" }]) { ... on Person { responsibleFor { totalCount } } } }`,
      ['risk_items_person_idx'],
    ],
    [
      'MonitoringSection.alerts',
      `{ _entities(representations: [{ __typename: "MonitoringSection", id: "S5" }]) { ... on MonitoringSection { alerts { totalCount } } } }`,
      ['alerts_section_idx'],
    ],
    [
      'RiskItem.alerts',
      `{ riskItem(id: "R000005") { alerts { totalCount } } }`,
      ['risk_items_pkey', 'alerts_risk_item_idx'],
    ],
    [
      'RiskCategory.riskItemCount',
      `{ riskCategories(first: 3) { nodes { riskItemCount } } }`,
      ['risk_items_category_idx'],
    ],
  ];
  for (const [name, query, expected] of cases) {
    it(`serves ${name} from an index`, async () => {
      const used = await indexesUsed(query, { c: enterprises[3] });
      for (const index of expected) {
        assert.ok(used.has(index), `${index} not in ${[...used].join(', ')}`);
      }
    });
  }
});
