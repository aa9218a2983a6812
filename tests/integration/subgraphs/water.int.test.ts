import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { Database } from '../../../subgraphs/kit/src/index.js';
import { waterSubgraph } from '../../../subgraphs/water/src/waterSubgraph.js';
import { describeDepartment } from './departmentConformance.js';

interface Page<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// 嘉陵江 with two tributaries; on 濑溪河 (R-PUHE) stations at km 10 (with
// flow readings, latest velocity 0.5 m/s) and 40 (none), intakes at km 5, 25
// and 60. R-CMAIN has 20 tributaries for the statement-count test.
async function insertFixtures(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO water.rivers VALUES
     ('R-JIALING', '嘉陵江', 1120, '长江', '500105', NULL, NULL),
     ('R-PUHE', '濑溪河', 80, '长江', '500151001', 'R-JIALING', 50),
     ('R-FUJIANG', '涪江', 700, '长江', '500117', 'R-JIALING', 20)`,
  );
  await db.query(
    `INSERT INTO water.stations VALUES
     ('HS-1', '濑溪河上游站', 'R-PUHE', 10, '500151001'),
     ('HS-2', '濑溪河下游站', 'R-PUHE', 40, '500151002'),
     ('HS-3', '嘉陵江站', 'R-JIALING', 60, '500105')`,
  );
  await db.query(
    `INSERT INTO water.flow_readings VALUES
     ('HS-1', '2025-06-01T00:00:00Z', 12, 3.1, 0.4),
     ('HS-1', '2025-06-02T00:00:00Z', 15, 3.3, 0.5),
     ('HS-3', '2025-06-02T00:00:00Z', 900, 8.2, 1.2)`,
  );
  await db.query(
    `INSERT INTO water.intakes VALUES
     ('WI-0', '源头取水口', 'R-PUHE', 5, '500151001', 8000),
     ('WI-1', '城区取水口', 'R-PUHE', 25, '500151001', 50000),
     ('WI-2', '下游取水口', 'R-PUHE', 60, '500151002', 120000),
     ('WI-3', '嘉陵江取水口', 'R-JIALING', 70, '500105', 300000)`,
  );
  await db.query(
    `INSERT INTO water.rivers VALUES ('R-CMAIN', '计数干流', 500, '长江', '500199', NULL, NULL)`,
  );
  await db.query(
    `INSERT INTO water.rivers
     SELECT 'R-C' || lpad(n::text, 2, '0'), '计数支流' || n, 30, '长江',
            '5001990' || lpad(n::text, 2, '0'), 'R-CMAIN', n * 10
       FROM generate_series(1, 20) AS n`,
  );
  await db.query(
    `INSERT INTO water.stations
     SELECT 'HS-C' || lpad(n::text, 2, '0'), '计数站' || n,
            'R-C' || lpad(n::text, 2, '0'), 10, '500199'
       FROM generate_series(1, 20) AS n`,
  );
  await db.query(
    `INSERT INTO water.flow_readings
     SELECT 'HS-C' || lpad(n::text, 2, '0'), '2025-06-01T00:00:00Z', 5, 2, 1
       FROM generate_series(1, 20) AS n`,
  );
  await db.query(
    `INSERT INTO water.intakes
     SELECT 'WI-C' || lpad(n::text, 2, '0'), '计数取水口' || n,
            'R-C' || lpad(n::text, 2, '0'), 20, '500199', 1000
       FROM generate_series(1, 20) AS n`,
  );
}

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on MonitoringSection {
      id
      nearbyHydrologicalStations { totalCount nodes { station { id } offsetKm } }
      wider: nearbyHydrologicalStations(withinKm: 30) { totalCount nodes { station { id } offsetKm } }
      downstreamIntakes { totalCount nodes { intake { id populationServed } distanceKm travelHours } }
    } } }`;

interface SectionHydrology {
  id: string;
  nearbyHydrologicalStations: Page<{
    station: { id: string };
    offsetKm: number;
  }>;
  wider: Page<{ station: { id: string }; offsetKm: number }>;
  downstreamIntakes: Page<{
    intake: { id: string; populationServed: number };
    distanceKm: number;
    travelHours: number | null;
  }>;
}

function section(id: string, riverId: string, riverKm: number) {
  return {
    __typename: 'MonitoringSection',
    id,
    river: { __typename: 'River', id: riverId },
    riverKm,
  };
}

// The counting rivers: R-CMAIN and R-C01…R-C20 lie in 500199.
const LISTING = `query($n: Int) { rivers(regionCode: "500199", first: $n) { nodes {
      id
      parent { name }
      tributaries { totalCount }
      hydrologicalStations { nodes {
        river { name }
        latestFlow { velocity }
        flowReadings(since: "2025-01-01") { totalCount nodes { velocity } } } }
      drinkingWaterIntakes { nodes { id river { id } } }
    } } }`;
const COUNTING_RIVERS = Array.from(
  { length: 20 },
  (_, i) => `R-C${String(i + 1).padStart(2, '0')}`,
);
const COUNTED_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on MonitoringSection {
        nearbyHydrologicalStations { nodes { station { id latestFlow { velocity } } offsetKm } }
        downstreamIntakes { nodes { intake { id } distanceKm travelHours } } }
      ... on River { tributaries { totalCount } }
      ... on Region { rivers { nodes { id } } } } }`;
const countedReferences = (n: number) =>
  COUNTING_RIVERS.slice(0, n).flatMap((river, i) => [
    section(`MS-${river}`, river, 5),
    { __typename: 'River', id: river },
    {
      __typename: 'Region',
      code: `5001990${String(i + 1).padStart(2, '0')}`,
    },
  ]);

describeDepartment(
  {
    subgraph: waterSubgraph,
    fixtures: insertFixtures,
    notFound: ['river', 'hydrologicalStation'].map((field) => ({
      query: `{ ${field}(id: "NOPE") { id } }`,
      field,
    })),
    badUserInput: [
      { query: `{ rivers(regionCode: "510000") { totalCount } }` },
      { query: `{ rivers(after: "bad") { totalCount } }` },
      { query: `{ rivers(first: 101) { totalCount } }` },
      {
        query: `{ river(id: "R-JIALING") { tributaries(after: "${Buffer.from('o:99999999999').toString('base64url')}") { totalCount } } }`,
      },
      { query: `{ river(id: "R\\u0000") { id } }` },
      { query: `{ rivers(nameContains: "\\u0000") { totalCount } }` },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on MonitoringSection { downstreamIntakes { totalCount } } } }`,
        variables: { r: [section('MS-1', 'R\u0000', 12)] },
      },
      {
        query: `{ hydrologicalStation(id: "HS-1") { flowReadings(since: "last week") { totalCount } } }`,
      },
      {
        query: `{ hydrologicalStation(id: "HS-1") { flowReadings(since: "2025-06-31T00:00:00Z") { totalCount } } }`,
      },
      {
        query: `{ river(id: "R-JIALING") { tributaries(after: "Zm9v") { totalCount } } }`,
      },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on MonitoringSection { nearbyHydrologicalStations(withinKm: 0) { totalCount } } } }`,
        variables: { r: [section('MS-1', 'R-PUHE', 12)] },
      },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on MonitoringSection { nearbyHydrologicalStations(withinKm: -5) { totalCount } } } }`,
        variables: { r: [section('MS-1', 'R-PUHE', 12)] },
      },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on MonitoringSection { downstreamIntakes { totalCount } } } }`,
        variables: { r: [{ __typename: 'MonitoringSection', id: 'MS-1' }] },
      },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on MonitoringSection { downstreamIntakes { totalCount } } } }`,
        variables: {
          r: [
            {
              __typename: 'MonitoringSection',
              id: 'MS-1',
              river: { id: 'R-PUHE' },
              riverKm: 'twelve',
            },
          ],
        },
      },
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { rivers { totalCount } } } }`,
        variables: { r: [{ __typename: 'Region', code: '50' }] },
      },
    ],
    references: [
      {
        title: 'resolves entity references, and null for unknown keys',
        query: `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on River { id name parent { id } }
          ... on HydrologicalStation { id name latestFlow { velocity } }
          ... on DrinkingWaterIntake { id name river { id } }
          ... on MonitoringSection { id river { id } riverKm }
          ... on Region { code rivers { totalCount nodes { id } } } } }`,
        variables: {
          r: [
            { __typename: 'River', id: 'R-PUHE' },
            { __typename: 'River', id: 'R-NOPE' },
            { __typename: 'HydrologicalStation', id: 'HS-3' },
            { __typename: 'HydrologicalStation', id: 'HS-NOPE' },
            { __typename: 'DrinkingWaterIntake', id: 'WI-3' },
            { __typename: 'DrinkingWaterIntake', id: 'WI-NOPE' },
            { __typename: 'HydrologicalStation', id: 'HS\u0000' },
            { __typename: 'River', id: 42 },
            section('MS-1', 'R-PUHE', 12),
            { __typename: 'Region', code: '500105' },
          ],
        },
        expected: [
          { id: 'R-PUHE', name: '濑溪河', parent: { id: 'R-JIALING' } },
          null,
          { id: 'HS-3', name: '嘉陵江站', latestFlow: { velocity: 1.2 } },
          null,
          { id: 'WI-3', name: '嘉陵江取水口', river: { id: 'R-JIALING' } },
          null,
          null,
          null,
          { id: 'MS-1', river: { id: 'R-PUHE' }, riverKm: 12 },
          {
            code: '500105',
            rivers: { totalCount: 1, nodes: [{ id: 'R-JIALING' }] },
          },
        ],
      },
    ],
    statementCounts: [
      {
        title: 'uses as many statements for 21 rivers as for 2',
        query: LISTING,
        variables: (n) => ({ n }),
        parents: [2, 21],
        length: (n) => n,
      },
      {
        title:
          'uses as many statements for 20 references of each kind as for 2',
        query: COUNTED_ENTITIES,
        variables: (n) => ({ r: countedReferences(n) }),
        length: (n) => 3 * n,
      },
    ],
  },
  ({ post }) => {
    it('resolves a river with its topology, stations and intakes', async () => {
      const res = await post<{
        river: Record<string, unknown>;
      }>(`{ river(id: "R-PUHE") { id name lengthKm basin region { code } confluenceKm
          parent { id name parent { id } confluenceKm tributaries { totalCount nodes { id confluenceKm } } }
          tributaries { totalCount nodes { id } }
          hydrologicalStations { totalCount nodes { id name riverKm region { code } river { id name } } }
          drinkingWaterIntakes { totalCount nodes { id name riverKm populationServed region { code } river { name } } } } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?.river, {
        id: 'R-PUHE',
        name: '濑溪河',
        lengthKm: 80,
        basin: '长江',
        region: { code: '500151001' },
        confluenceKm: 50,
        parent: {
          id: 'R-JIALING',
          name: '嘉陵江',
          parent: null,
          confluenceKm: null,
          tributaries: {
            totalCount: 2,
            nodes: [
              { id: 'R-FUJIANG', confluenceKm: 20 },
              { id: 'R-PUHE', confluenceKm: 50 },
            ],
          },
        },
        tributaries: { totalCount: 0, nodes: [] },
        hydrologicalStations: {
          totalCount: 2,
          nodes: [
            {
              id: 'HS-1',
              name: '濑溪河上游站',
              riverKm: 10,
              region: { code: '500151001' },
              river: { id: 'R-PUHE', name: '濑溪河' },
            },
            {
              id: 'HS-2',
              name: '濑溪河下游站',
              riverKm: 40,
              region: { code: '500151002' },
              river: { id: 'R-PUHE', name: '濑溪河' },
            },
          ],
        },
        drinkingWaterIntakes: {
          totalCount: 3,
          nodes: [
            {
              id: 'WI-0',
              name: '源头取水口',
              riverKm: 5,
              populationServed: 8000,
              region: { code: '500151001' },
              river: { name: '濑溪河' },
            },
            {
              id: 'WI-1',
              name: '城区取水口',
              riverKm: 25,
              populationServed: 50000,
              region: { code: '500151001' },
              river: { name: '濑溪河' },
            },
            {
              id: 'WI-2',
              name: '下游取水口',
              riverKm: 60,
              populationServed: 120000,
              region: { code: '500151002' },
              river: { name: '濑溪河' },
            },
          ],
        },
      });
    });
    it('resolves a station’s flow readings, newest first, since a time, and its latest flow', async () => {
      const res = await post<{
        hydrologicalStation: {
          flowReadings: Page<{
            measuredAt: string;
            flowRate: number;
            waterLevel: number;
            velocity: number;
          }>;
          recent: Page<{ measuredAt: string }>;
          latestFlow: { measuredAt: string; velocity: number } | null;
        };
        quiet: { latestFlow: null; flowReadings: Page<unknown> };
      }>(`{ hydrologicalStation(id: "HS-1") {
          flowReadings { totalCount nodes { measuredAt flowRate waterLevel velocity } }
          recent: flowReadings(since: "2025-06-01T20:00:00+08:00") { totalCount nodes { measuredAt } }
          latestFlow { measuredAt velocity } }
         quiet: hydrologicalStation(id: "HS-2") { latestFlow { velocity } flowReadings { totalCount nodes { velocity } } } }`);
      assert.equal(res.errors, undefined, res.text);
      const station = res.data?.hydrologicalStation;
      assert.deepEqual(station?.flowReadings, {
        totalCount: 2,
        nodes: [
          {
            measuredAt: '2025-06-02T00:00:00.000Z',
            flowRate: 15,
            waterLevel: 3.3,
            velocity: 0.5,
          },
          {
            measuredAt: '2025-06-01T00:00:00.000Z',
            flowRate: 12,
            waterLevel: 3.1,
            velocity: 0.4,
          },
        ],
      });
      // 20:00 at +08:00 is 12:00 UTC: only the reading of 06-02.
      assert.deepEqual(
        station?.recent.nodes.map((n) => n.measuredAt),
        ['2025-06-02T00:00:00.000Z'],
      );
      assert.deepEqual(station?.latestFlow, {
        measuredAt: '2025-06-02T00:00:00.000Z',
        velocity: 0.5,
      });
      assert.equal(res.data?.quiet.latestFlow, null);
      assert.equal(res.data?.quiet.flowReadings.totalCount, 0);
    });
    it('lists rivers by region and name, paging with cursors', async () => {
      const first = await post<{ rivers: Page<{ id: string }> }>(
        `{ rivers(nameContains: "江", first: 1) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
      );
      assert.equal(first.errors, undefined, first.text);
      assert.equal(first.data?.rivers.totalCount, 2);
      assert.deepEqual(
        first.data?.rivers.nodes.map((n) => n.id),
        ['R-FUJIANG'],
      );
      assert.equal(first.data?.rivers.pageInfo.hasNextPage, true);
      const second = await post<{ rivers: Page<{ id: string }> }>(
        `query($a: String) { rivers(nameContains: "江", first: 1, after: $a) { nodes { id } pageInfo { hasNextPage } } }`,
        { a: first.data?.rivers.pageInfo.endCursor },
      );
      assert.deepEqual(
        second.data?.rivers.nodes.map((n) => n.id),
        ['R-JIALING'],
      );
      assert.equal(second.data?.rivers.pageInfo.hasNextPage, false);
      const region = await post<{
        rivers: Page<{ id: string }>;
        city: Page<{ id: string }>;
      }>(`{ rivers(regionCode: "500151") { totalCount nodes { id } }
         city: rivers(regionCode: "500000", first: 1) { totalCount } }`);
      assert.equal(region.errors, undefined, region.text);
      assert.deepEqual(
        region.data?.rivers.nodes.map((n) => n.id),
        ['R-PUHE'],
      );
      assert.equal(region.data?.city.totalCount, 24);
    });
    it('pages a river’s intakes with cursors', async () => {
      const query = `query($a: String) { river(id: "R-PUHE") {
        drinkingWaterIntakes(first: 2, after: $a) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`;
      const first = await post<{
        river: { drinkingWaterIntakes: Page<{ id: string }> };
      }>(query, { a: null });
      assert.equal(first.errors, undefined, first.text);
      const page1 = first.data?.river.drinkingWaterIntakes;
      assert.deepEqual(
        page1?.nodes.map((n) => n.id),
        ['WI-0', 'WI-1'],
      );
      assert.equal(page1?.pageInfo.hasNextPage, true);
      const second = await post<{
        river: { drinkingWaterIntakes: Page<{ id: string }> };
      }>(query, { a: page1?.pageInfo.endCursor });
      const page2 = second.data?.river.drinkingWaterIntakes;
      assert.deepEqual(
        page2?.nodes.map((n) => n.id),
        ['WI-2'],
      );
      assert.equal(page2?.totalCount, 3);
      assert.equal(page2?.pageInfo.hasNextPage, false);
    });
    it('resolves a monitoring section’s hydrology from its @requires fields', async () => {
      const res = await post<{ _entities: SectionHydrology[] }>(ENTITIES, {
        r: [
          section('MS-1', 'R-PUHE', 12),
          section('MS-2', 'R-PUHE', 38),
          section('MS-3', 'R-NOWHERE', 1),
        ],
      });
      assert.equal(res.errors, undefined, res.text);
      const [near, far, nowhere] = res.data?._entities ?? [];
      const stations = (p: SectionHydrology['wider'] | undefined) =>
        p?.nodes.map((n) => [n.station.id, n.offsetKm]);
      const intakes = (p: SectionHydrology['downstreamIntakes'] | undefined) =>
        p?.nodes.map((n) => [n.intake.id, n.distanceKm, n.travelHours]);

      assert.equal(near?.id, 'MS-1');
      // Within 20 km of km 12: HS-1 at km 10; HS-2 at km 40 is 28 km down.
      assert.deepEqual(stations(near?.nearbyHydrologicalStations), [
        ['HS-1', -2],
      ]);
      assert.deepEqual(stations(near?.wider), [
        ['HS-1', -2],
        ['HS-2', 28],
      ]);
      // Downstream of km 12 only (not WI-0 at km 5); the nearest station is
      // HS-1, whose latest velocity is 0.5 m/s = 1.8 km/h.
      assert.equal(near?.downstreamIntakes.totalCount, 2);
      const [wi1, wi2] = near?.downstreamIntakes.nodes ?? [];
      assert.deepEqual(wi1?.intake, { id: 'WI-1', populationServed: 50000 });
      assert.equal(wi1?.distanceKm, 13);
      // Hours are rounded to the hundredth.
      assert.equal(wi1?.travelHours, 7.22);
      assert.equal(wi2?.intake.id, 'WI-2');
      assert.equal(wi2?.distanceKm, 48);
      assert.equal(wi2?.travelHours, 26.67);

      // At km 38 the nearest station is HS-2, which has no flow reading.
      assert.deepEqual(stations(far?.nearbyHydrologicalStations), [
        ['HS-2', 2],
      ]);
      assert.deepEqual(stations(far?.wider), [
        ['HS-2', 2],
        ['HS-1', -28],
      ]);
      assert.deepEqual(intakes(far?.downstreamIntakes), [['WI-2', 22, null]]);

      assert.equal(nowhere?.nearbyHydrologicalStations.totalCount, 0);
      assert.equal(nowhere?.downstreamIntakes.totalCount, 0);
    });
    it('pages a section’s downstream intakes with cursors', async () => {
      const query = `query($r: [_Any!]!, $a: String) { _entities(representations: $r) {
        ... on MonitoringSection { downstreamIntakes(first: 1, after: $a) {
          totalCount nodes { intake { id } } pageInfo { hasNextPage endCursor } } } } }`;
      type Res = {
        _entities: Array<{
          downstreamIntakes: Page<{ intake: { id: string } }>;
        }>;
      };
      const r = [section('MS-1', 'R-PUHE', 12)];
      const first = await post<Res>(query, { r, a: null });
      assert.equal(first.errors, undefined, first.text);
      const page1 = first.data?._entities[0]?.downstreamIntakes;
      assert.deepEqual(
        page1?.nodes.map((n) => n.intake.id),
        ['WI-1'],
      );
      assert.equal(page1?.pageInfo.hasNextPage, true);
      const second = await post<Res>(query, {
        r,
        a: page1?.pageInfo.endCursor,
      });
      const page2 = second.data?._entities[0]?.downstreamIntakes;
      assert.deepEqual(
        page2?.nodes.map((n) => n.intake.id),
        ['WI-2'],
      );
      assert.equal(page2?.totalCount, 2);
      assert.equal(page2?.pageInfo.hasNextPage, false);
    });
  },
);
