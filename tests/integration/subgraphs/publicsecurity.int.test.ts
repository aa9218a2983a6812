import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { publicsecuritySubgraph } from '../../../subgraphs/publicsecurity/src/publicsecuritySubgraph.js';
import { describeDepartment, query } from './departmentConformance.js';

const ZHANG = 'P-0123456789ab';
const LI = 'P-00000000ffff';

const FIXTURES = `
INSERT INTO publicsecurity.persons VALUES
  ('${ZHANG}', '张三', '500103199001011234', '13800000001', 'MALE', '1990-01-01', '重庆市渝中区解放碑街道民族路1号', '500103001'),
  ('${LI}', '李四', '50010519850615002X', '13800000002', 'FEMALE', '1985-06-15', '重庆市江北区观音桥街道建新北路2号', '500105001');
-- 20 more persons for the statement-count test.
INSERT INTO publicsecurity.persons
SELECT 'P-aaaaaaaaa' || lpad(g::text, 3, '0'), '居民' || g, '500106200001' || lpad(g::text, 6, '0'),
       '1390000' || lpad(g::text, 4, '0'), 'FEMALE', date '2000-01-01' + g, '沙坪坝区' || g || '号',
       '500106001'
  FROM generate_series(1, 20) AS g;

INSERT INTO publicsecurity.crowd_areas VALUES
  ('A-JFB', '解放碑商圈', '500103001', 29.5575, 106.577, 80000),
  ('A-CTM', '朝天门广场', '500103002', 29.565, 106.588, 30000),
  ('A-GYQ', '观音桥商圈', '500105001', 29.575, 106.533, 60000);
-- 20 areas under 小龙坎街道, for the statement-count test.
INSERT INTO publicsecurity.crowd_areas
SELECT 'A-G' || lpad(g::text, 2, '0'), '小龙坎' || g || '号广场',
       '500106001' || lpad(g::text, 3, '0'), 29.55 + g / 1000.0, 106.46, 1000 * g
  FROM generate_series(1, 20) AS g;

INSERT INTO publicsecurity.crowd_observations VALUES
  ('A-JFB', '2025-05-01 18:00:00+08', 42000, 180000,
   '[{"name": "解放碑纪念碑", "latitude": 29.5573, "longitude": 106.5770, "density": 2.6, "level": "WARNING"},
     {"name": "八一路口", "latitude": 29.5561, "longitude": 106.5755, "density": 1.4, "level": "WATCH"}]'),
  ('A-JFB', '2025-05-01 19:00:00+08', 65000, 240000,
   '[{"name": "解放碑纪念碑", "latitude": 29.5573, "longitude": 106.5770, "density": 4.1, "level": "CRITICAL"}]'),
  ('A-JFB', '2025-05-01 20:00:00+08', 51000, 290000, '[]'),
  ('A-GYQ', '2025-05-01 19:30:00+08', 20000, 90000, '[]');
INSERT INTO publicsecurity.crowd_observations
SELECT 'A-G' || lpad(g::text, 2, '0'), timestamptz '2025-05-01 10:00:00+08' + h * interval '1 hour',
       100 * g + h, 1000 * g + h, '[]'
  FROM generate_series(1, 20) AS g, generate_series(1, 3) AS h;
`;

interface Page<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Observation {
  observedAt: string;
  currentCount: number;
  visitorsToday: number;
  congestionPoints: Array<Record<string, unknown>>;
}

const AREA_JFB = `{ crowdArea(id: "A-JFB") {
  id name region { code } latitude longitude safeCapacity
  observations { totalCount nodes { observedAt currentCount visitorsToday congestionPoints { name latitude longitude density level } } }
  latestObservation { observedAt currentCount } } }`;

const countedReferences = (n: number): Array<Record<string, string>> =>
  Array.from({ length: n }, (_, i) => {
    const g = String(i + 1).padStart(3, '0');
    return [
      { __typename: 'Person', id: `P-aaaaaaaaa${g}` },
      { __typename: 'Region', code: `500106001${g}` },
    ];
  }).flat();

describeDepartment(
  {
    subgraph: publicsecuritySubgraph,
    fixtures: (db) => db.exec(FIXTURES),
    notFound: [
      { query: `{ person(id: "P-ffffffffffff") { name } }`, field: 'person' },
      { query: `{ crowdArea(id: "A-404") { name } }`, field: 'crowdArea' },
    ],
    badUserInput: [
      // Anything but an opaque person id.
      ...[
        'P-0123456789AB',
        'P-0123456789a',
        'P-0123456789abc',
        'p-0123456789ab',
        '500103199001011234',
        '',
        "P-0123456789ab' OR 1=1",
      ].map((id) => ({
        query: `query($id: ID!) { person(id: $id) { name } }`,
        variables: { id },
      })),
      // A since that is not an ISO 8601 timestamp.
      ...[
        'yesterday',
        '2025-02-30',
        '2025-13-01T00:00:00Z',
        '2025-05-01T10:00:00',
        '2025-05-01T24:00:00Z',
        '2025-05-01 10:00:00+08:00',
      ].map((since) => ({
        query: `query($s: String) { crowdArea(id: "A-JFB") { observations(since: $s) { totalCount } } }`,
        variables: { s: since },
      })),
      // Bad arguments of crowd areas.
      { query: `{ crowdAreas(regionCode: "999999") { totalCount } }` },
      { query: `{ crowdAreas(first: 101) { totalCount } }` },
      {
        query: `{ crowdArea(id: "A-JFB") { observations(after: "!!") { totalCount } } }`,
      },
      // A Region reference with a malformed code.
      {
        query: `{ _entities(representations: [{ __typename: "Region", code: "x" }]) { ... on Region { crowdAreas { totalCount } } } }`,
      },
    ],
    references: [
      {
        title:
          'resolves Person and CrowdArea references, null for unknown keys',
        query: `{ _entities(representations: [
             { __typename: "Person", id: "${ZHANG}" },
             { __typename: "Person", id: "P-ffffffffffff" },
             { __typename: "Person", id: "not-an-id" },
             { __typename: "CrowdArea", id: "A-GYQ" },
             { __typename: "CrowdArea", id: "A-404" }]) {
             ... on Person { name }
             ... on CrowdArea { name } } }`,
        expected: [{ name: '张三' }, null, null, { name: '观音桥商圈' }, null],
      },
    ],
    statementCounts: [
      {
        title: 'does not grow with the number of crowd areas',
        query: `query($n: Int!) { crowdAreas(regionCode: "500106", first: $n) { nodes {
          id region { code }
          observations(first: 2) { totalCount nodes { observedAt congestionPoints { name } } }
          recent: observations(since: "2025-05-01T12:00:00+08:00") { totalCount }
          latestObservation { currentCount } } } }`,
        variables: (n) => ({ n }),
      },
      {
        title: 'does not grow with the number of entity references',
        query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
          ... on Person { name region { code } }
          ... on Region { crowdAreas { totalCount nodes { latestObservation { currentCount } } } } } }`,
        variables: (n) => ({ reps: countedReferences(n) }),
      },
    ],
    pglite: {
      title: 'answers the same as PostgreSQL for dates, timestamps and jsonb',
      async check(post) {
        const data = await query<{
          person: { birthDate: string };
          crowdArea: {
            observations: Page<Observation>;
            since: Page<unknown>;
            latestObservation: { observedAt: string };
          };
          crowdAreas: Page<{ id: string }>;
        }>(
          post,
          `{ person(id: "${ZHANG}") { birthDate }
         crowdArea(id: "A-JFB") {
           observations(first: 1, after: "bzow") { totalCount nodes { observedAt congestionPoints { name density level } } }
           since: observations(since: "2025-05-01T19:00:00+08:00") { totalCount }
           latestObservation { observedAt } }
         crowdAreas(regionCode: "500103") { nodes { id } } }`,
        );
        assert.equal(data.person.birthDate, '1990-01-01');
        assert.deepEqual(data.crowdArea.observations, {
          totalCount: 3,
          nodes: [
            {
              observedAt: '2025-05-01T11:00:00.000Z',
              congestionPoints: [
                { name: '解放碑纪念碑', density: 4.1, level: 'CRITICAL' },
              ],
            },
          ],
        });
        assert.equal(data.crowdArea.since.totalCount, 2);
        assert.equal(
          data.crowdArea.latestObservation.observedAt,
          '2025-05-01T12:00:00.000Z',
        );
        assert.deepEqual(
          data.crowdAreas.nodes.map((a) => a.id),
          ['A-CTM', 'A-JFB'],
        );
      },
    },
  },
  ({ post }) => {
    describe('persons', () => {
      it('resolves every field of a person', async () => {
        const data = await query<{ person: Record<string, unknown> }>(
          post,
          `query($id: ID!) { person(id: $id) { id name idNumber mobile gender birthDate householdAddress region { code } } }`,
          { id: LI },
        );
        assert.deepEqual(data.person, {
          id: LI,
          name: '李四',
          idNumber: '50010519850615002X',
          mobile: '13800000002',
          gender: 'FEMALE',
          birthDate: '1985-06-15',
          householdAddress: '重庆市江北区观音桥街道建新北路2号',
          region: { code: '500105001' },
        });
      });
    });

    describe('crowd areas', () => {
      it('resolves an area with its observations newest first and jsonb congestion points', async () => {
        const data = await query<{
          crowdArea: {
            id: string;
            name: string;
            region: { code: string };
            latitude: number;
            longitude: number;
            safeCapacity: number;
            observations: Page<Observation>;
            latestObservation: { observedAt: string; currentCount: number };
          };
        }>(post, AREA_JFB);
        const area = data.crowdArea;
        assert.equal(area.name, '解放碑商圈');
        assert.deepEqual(area.region, { code: '500103001' });
        assert.equal(area.latitude, 29.5575);
        assert.equal(area.longitude, 106.577);
        assert.equal(area.safeCapacity, 80000);
        assert.equal(area.observations.totalCount, 3);
        assert.deepEqual(area.observations.nodes, [
          {
            observedAt: '2025-05-01T12:00:00.000Z',
            currentCount: 51000,
            visitorsToday: 290000,
            congestionPoints: [],
          },
          {
            observedAt: '2025-05-01T11:00:00.000Z',
            currentCount: 65000,
            visitorsToday: 240000,
            congestionPoints: [
              {
                name: '解放碑纪念碑',
                latitude: 29.5573,
                longitude: 106.577,
                density: 4.1,
                level: 'CRITICAL',
              },
            ],
          },
          {
            observedAt: '2025-05-01T10:00:00.000Z',
            currentCount: 42000,
            visitorsToday: 180000,
            congestionPoints: [
              {
                name: '解放碑纪念碑',
                latitude: 29.5573,
                longitude: 106.577,
                density: 2.6,
                level: 'WARNING',
              },
              {
                name: '八一路口',
                latitude: 29.5561,
                longitude: 106.5755,
                density: 1.4,
                level: 'WATCH',
              },
            ],
          },
        ]);
        assert.deepEqual(area.latestObservation, {
          observedAt: '2025-05-01T12:00:00.000Z',
          currentCount: 51000,
        });
      });

      it('gives an area without observations no latest observation', async () => {
        const data = await query<{
          crowdArea: {
            latestObservation: null;
            observations: Page<Observation>;
          };
        }>(
          post,
          `{ crowdArea(id: "A-CTM") { latestObservation { observedAt } observations { totalCount nodes { observedAt } pageInfo { hasNextPage endCursor } } } }`,
        );
        assert.deepEqual(data.crowdArea, {
          latestObservation: null,
          observations: {
            totalCount: 0,
            nodes: [],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        });
      });

      it('filters observations by since, in any UTC offset, inclusively', async () => {
        const { crowdArea: data } = await query<{
          crowdArea: {
            local: Page<{ observedAt: string }>;
            utc: Page<{ observedAt: string }>;
            date: Page<{ observedAt: string }>;
            later: Page<{ observedAt: string }>;
          };
        }>(
          post,
          `{ crowdArea(id: "A-JFB") {
             local: observations(since: "2025-05-01T19:00:00+08:00") { totalCount nodes { observedAt } }
             utc: observations(since: "2025-05-01T11:00:00.001Z") { totalCount nodes { observedAt } }
             date: observations(since: "2025-05-01") { totalCount }
             later: observations(since: "2025-05-02T00:00Z") { totalCount } } }`,
        );
        assert.deepEqual(
          data.local.nodes.map((o) => o.observedAt),
          ['2025-05-01T12:00:00.000Z', '2025-05-01T11:00:00.000Z'],
        );
        assert.equal(data.local.totalCount, 2);
        assert.deepEqual(
          data.utc.nodes.map((o) => o.observedAt),
          ['2025-05-01T12:00:00.000Z'],
        );
        assert.equal(data.date.totalCount, 3);
        assert.equal(data.later.totalCount, 0);
      });

      it('pages observations with cursors', async () => {
        const first = await query<{
          crowdArea: { observations: Page<{ currentCount: number }> };
        }>(
          post,
          `{ crowdArea(id: "A-JFB") { observations(first: 2) { totalCount nodes { currentCount } pageInfo { hasNextPage endCursor } } } }`,
        );
        const page1 = first.crowdArea.observations;
        assert.deepEqual(
          page1.nodes.map((o) => o.currentCount),
          [51000, 65000],
        );
        assert.equal(page1.pageInfo.hasNextPage, true);
        const second = await query<{
          crowdArea: { observations: Page<{ currentCount: number }> };
        }>(
          post,
          `query($a: String) { crowdArea(id: "A-JFB") { observations(first: 2, after: $a) { totalCount nodes { currentCount } pageInfo { hasNextPage } } } }`,
          { a: page1.pageInfo.endCursor },
        );
        assert.deepEqual(second.crowdArea.observations, {
          totalCount: 3,
          nodes: [{ currentCount: 42000 }],
          pageInfo: { hasNextPage: false },
        });
      });

      it('lists crowd areas by region prefix, ordered by id, with cursors', async () => {
        const data = await query<{
          all: Page<{ id: string }>;
          yuzhong: Page<{ id: string }>;
          street: Page<{ id: string }>;
          grid: Page<{ id: string }>;
        }>(
          post,
          `{ all: crowdAreas(first: 3) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
           yuzhong: crowdAreas(regionCode: "500103") { totalCount nodes { id } }
           street: crowdAreas(regionCode: "500105001") { totalCount nodes { id } }
           grid: crowdAreas(regionCode: "500106001007") { totalCount nodes { id } } }`,
        );
        assert.equal(data.all.totalCount, 23);
        assert.deepEqual(
          data.all.nodes.map((a) => a.id),
          ['A-CTM', 'A-G01', 'A-G02'],
        );
        assert.deepEqual(
          data.yuzhong.nodes.map((a) => a.id),
          ['A-CTM', 'A-JFB'],
        );
        assert.deepEqual(
          data.street.nodes.map((a) => a.id),
          ['A-GYQ'],
        );
        assert.deepEqual(data.grid, {
          totalCount: 1,
          nodes: [{ id: 'A-G07' }],
        });
        const next = await query<{ crowdAreas: Page<{ id: string }> }>(
          post,
          `query($a: String) { crowdAreas(first: 3, after: $a) { nodes { id } } }`,
          { a: data.all.pageInfo.endCursor },
        );
        assert.deepEqual(
          next.crowdAreas.nodes.map((a) => a.id),
          ['A-G03', 'A-G04', 'A-G05'],
        );
      });
    });

    describe('_entities', () => {
      it('resolves Region references to the crowd areas under them', async () => {
        const data = await query<{
          _entities: Array<{ code: string; crowdAreas: Page<{ id: string }> }>;
        }>(
          post,
          `{ _entities(representations: [
             { __typename: "Region", code: "500000" },
             { __typename: "Region", code: "500103" },
             { __typename: "Region", code: "500199" }]) {
             ... on Region { code crowdAreas(first: 2) { totalCount nodes { id } } } } }`,
        );
        assert.deepEqual(
          data._entities.map((r) => [
            r.code,
            r.crowdAreas.totalCount,
            r.crowdAreas.nodes.map((a) => a.id),
          ]),
          [
            ['500000', 23, ['A-CTM', 'A-G01']],
            ['500103', 2, ['A-CTM', 'A-JFB']],
            ['500199', 0, []],
          ],
        );
      });
    });
  },
);
