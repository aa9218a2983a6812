import assert from 'node:assert/strict';
import { it } from 'node:test';

import { environmentSubgraph } from '../../../subgraphs/environment/src/environmentSubgraph.js';
import {
  creditCodeCheckChar,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import type { GraphQLResponse } from '../../utils/graphql.js';
import { describeDepartment } from './departmentConformance.js';

function code(body: string): string {
  return body + creditCodeCheckChar(body);
}

const CHEMICAL = code('91500103MA5U1A2B3');
const PLANT = code('91500104MA5U1A2B4');
// A well-formed cursor whose position overflows SQL's int4 row numbers.
const HUGE_CURSOR = Buffer.from('o:99999999999').toString('base64url');

interface Page<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// River R-PUHE, from its source: sections at km 10 (A), 30 (B), 50 (C);
// sources at km 5, 20, 28, 30, 45, 60. R-OTHER has one section and one
// source. R-COUNT has 20 sections for the statement-count test.
async function insertFixtures(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO environment.sections VALUES
     ('MS-A', '上游断面', 'R-PUHE', 10, '500103001', 29.50, 106.50, 'III'),
     ('MS-B', '中游断面', 'R-PUHE', 30, '500103002', 29.55, 106.55, 'II'),
     ('MS-C', '下游断面', 'R-PUHE', 50, '500104001', 29.60, 106.60, 'III'),
     ('MS-X', '支流断面', 'R-OTHER', 5, '500104001', 29.70, 106.70, 'IV')`,
  );
  await db.query(
    `INSERT INTO environment.readings VALUES
     ('MS-B', 'DISSOLVED_OXYGEN', '2025-06-01T00:00:00Z', 4.5),
     ('MS-B', 'DISSOLVED_OXYGEN', '2025-06-02T00:00:00Z', 7.0),
     ('MS-B', 'AMMONIA_NITROGEN', '2025-06-02T00:00:00Z', 0.6),
     ('MS-B', 'PH', '2025-06-03T00:00:00Z', 9.5),
     ('MS-B', 'TOTAL_PHOSPHORUS', '2025-05-01T00:00:00Z', 0.1),
     ('MS-A', 'PH', '2025-06-03T00:00:00Z', 7.2)`,
  );
  await db.query(
    `INSERT INTO environment.pollution_sources VALUES
     ('PS-1', '源头养殖场', 'LIVESTOCK_FARM', $1, 'R-PUHE', 5, '500103001', 'P-1'),
     ('PS-2', '化工厂', 'INDUSTRIAL_ENTERPRISE', $1, 'R-PUHE', 20, '500103002', 'P-2'),
     ('PS-3', '电镀厂', 'INDUSTRIAL_ENTERPRISE', $2, 'R-PUHE', 28, '500103002', 'P-3'),
     ('PS-4', '城区污水厂', 'WASTEWATER_PLANT', $2, 'R-PUHE', 30, '500103002', 'P-4'),
     ('PS-5', '下游污水厂', 'WASTEWATER_PLANT', $2, 'R-PUHE', 45, '500104001', 'P-5'),
     ('PS-6', '河口码头', 'INDUSTRIAL_ENTERPRISE', $2, 'R-PUHE', 60, '500104001', 'P-6'),
     ('PS-7', '支流工厂', 'INDUSTRIAL_ENTERPRISE', $2, 'R-OTHER', 25, '500104001', 'P-7')`,
    [CHEMICAL, PLANT],
  );
  await db.query(
    `INSERT INTO environment.discharge_records VALUES
     ('D-1', 'PS-2', '2025-06-01T00:00:00Z', 'COD', 80, 'mg/L', 100),
     ('D-2', 'PS-2', '2025-06-02T00:00:00Z', 'COD', 120, 'mg/L', 100)`,
  );
  await db.query(
    `INSERT INTO environment.incidents VALUES
     ('INC-1', '油污', '河面油膜', 'R-PUHE', 32, '500103002', 1200, '2025-06-03T02:00:00Z'),
     ('INC-2', '死鱼', '支流死鱼', 'R-OTHER', 30, '500104001', 300, '2025-06-01T00:00:00Z')`,
  );
  await db.query(
    `INSERT INTO environment.sections
     SELECT 'MS-N' || lpad(n::text, 2, '0'), '计数断面' || n, 'R-COUNT', n * 10,
            '5001050' || lpad(n::text, 2, '0'), 29.0, 106.0, 'III'
       FROM generate_series(1, 20) AS n`,
  );
  await db.query(
    `INSERT INTO environment.readings
     SELECT 'MS-N' || lpad(n::text, 2, '0'), 'PH', '2025-06-01T00:00:00Z', 7
       FROM generate_series(1, 20) AS n`,
  );
  await db.query(
    `INSERT INTO environment.pollution_sources
     SELECT 'PS-N' || lpad(n::text, 2, '0'), '计数源' || n, 'WASTEWATER_PLANT', $1,
            'R-COUNT', n * 10 - 5, '500105001', 'P-N' || n
       FROM generate_series(1, 20) AS n`,
    [PLANT],
  );
}

// The counting sections: MS-N01…MS-N20 on R-COUNT, one per street of 500105.
const LISTING = `query($n: Int) { monitoringSections(riverId: "R-COUNT", first: $n) { nodes {
      id
      readings(parameter: PH, since: "2025-01-01") { totalCount nodes { value breachesStandard } }
      latestReading(parameter: PH) { value }
      upstreamSection { id }
      downstreamSection { id }
      suspectedSources { totalCount nodes { distanceKm source { id dischargeRecords { totalCount } } } }
    } } }`;
const COUNTING_SECTIONS = Array.from(
  { length: 20 },
  (_, i) => `MS-N${String(i + 1).padStart(2, '0')}`,
);
const COUNTED_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on MonitoringSection { suspectedSources { nodes { source { id } } } upstreamSection { id } }
      ... on Region { monitoringSections { nodes { id } } } } }`;
const countedReferences = (n: number) => [
  ...COUNTING_SECTIONS.slice(0, n).map((id) => ({
    __typename: 'MonitoringSection',
    id,
  })),
  ...COUNTING_SECTIONS.slice(0, n).map((_, i) => ({
    __typename: 'Region',
    code: `5001050${String(i + 1).padStart(2, '0')}`,
  })),
];

describeDepartment(
  {
    subgraph: environmentSubgraph,
    fixtures: insertFixtures,
    notFound: ['monitoringSection', 'pollutionSource', 'pollutionIncident'].map(
      (field) => ({ query: `{ ${field}(id: "NOPE") { id } }`, field }),
    ),
    badUserInput: [
      ...[
        `{ monitoringSections(regionCode: "110000") { totalCount } }`,
        `{ pollutionIncidents(regionCode: "5001") { totalCount } }`,
        `{ monitoringSection(id: "MS-B") { readings(since: "yesterday") { totalCount } } }`,
        `{ monitoringSection(id: "MS-B") { readings(since: "2025-02-30") { totalCount } } }`,
        `{ monitoringSection(id: "MS-B") { readings(since: "2025-06-01T08:00:00") { totalCount } } }`,
        `{ monitoringSection(id: "MS-B") { readings(until: "soon") { totalCount } } }`,
        `{ pollutionIncident(id: "INC-1") { candidateSources(withinKm: 0) { totalCount } } }`,
        `{ pollutionIncident(id: "INC-1") { candidateSources(withinKm: -3) { totalCount } } }`,
        `{ monitoringSections(after: "not-a-cursor") { totalCount } }`,
        `{ monitoringSection(id: "MS-B") { suspectedSources(after: "bm9wZQ") { totalCount } } }`,
        `{ monitoringSections(first: 1000) { totalCount } }`,
        `{ monitoringSection(id: "MS-B") { readings(after: "${HUGE_CURSOR}") { totalCount } } }`,
        `{ monitoringSection(id: "MS\\u0000") { id } }`,
        `{ pollutionSource(id: "\\u0000") { id } }`,
        `{ monitoringSections(riverId: "R\\u0000") { totalCount } }`,
        `{ monitoringSection(id: "MS-B") { readings(first: 0) { totalCount } } }`,
      ].map((query) => ({ query })),
      {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { monitoringSections { totalCount } } } }`,
        variables: { r: [{ __typename: 'Region', code: 'nowhere' }] },
      },
    ],
    references: [
      {
        title: 'resolves entity references, and null for unknown keys',
        query: `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on MonitoringSection { id name riverKm upstreamSection { id } }
          ... on PollutionSource { id name }
          ... on PollutionIncident { id kind }
          ... on Enterprise { creditCode pollutionSources { totalCount nodes { id } } }
          ... on River { id monitoringSections { totalCount nodes { id } } }
          ... on Region { code monitoringSections { totalCount nodes { id } } } } }`,
        variables: {
          r: [
            { __typename: 'MonitoringSection', id: 'MS-C' },
            { __typename: 'MonitoringSection', id: 'MS-NOPE' },
            { __typename: 'PollutionSource', id: 'PS-3' },
            { __typename: 'PollutionSource', id: 'PS-NOPE' },
            { __typename: 'PollutionIncident', id: 'INC-2' },
            { __typename: 'PollutionIncident', id: 'INC-NOPE' },
            { __typename: 'PollutionIncident', id: 'INC\u0000' },
            { __typename: 'Enterprise', creditCode: CHEMICAL },
            { __typename: 'River', id: 'R-PUHE' },
            { __typename: 'Region', code: '500104' },
          ],
        },
        expected: [
          {
            id: 'MS-C',
            name: '下游断面',
            riverKm: 50,
            upstreamSection: { id: 'MS-B' },
          },
          null,
          { id: 'PS-3', name: '电镀厂' },
          null,
          { id: 'INC-2', kind: '死鱼' },
          null,
          null,
          {
            creditCode: CHEMICAL,
            pollutionSources: {
              totalCount: 2,
              nodes: [{ id: 'PS-1' }, { id: 'PS-2' }],
            },
          },
          {
            id: 'R-PUHE',
            monitoringSections: {
              totalCount: 3,
              nodes: [{ id: 'MS-A' }, { id: 'MS-B' }, { id: 'MS-C' }],
            },
          },
          {
            code: '500104',
            monitoringSections: {
              totalCount: 2,
              // By river, then from the source downwards.
              nodes: [{ id: 'MS-X' }, { id: 'MS-C' }],
            },
          },
        ],
      },
    ],
    statementCounts: [
      {
        title: 'uses as many statements for 20 sections as for 2',
        query: LISTING,
        variables: (n) => ({ n }),
        length: (n) => n,
      },
      {
        title:
          'uses as many statements for 20 references of each kind as for 2',
        query: COUNTED_ENTITIES,
        variables: (n) => ({ r: countedReferences(n) }),
        length: (n) => 2 * n,
      },
    ],
  },
  ({ post }) => {
    it('resolves a section with its stubs and its neighbours on the river', async () => {
      const res = await post<{
        monitoringSection: {
          id: string;
          name: string;
          riverKm: number;
          latitude: number;
          longitude: number;
          targetClass: string;
          river: { id: string };
          region: { code: string };
          upstreamSection: { id: string } | null;
          downstreamSection: { id: string } | null;
        };
      }>(`{ monitoringSection(id: "MS-B") { id name riverKm latitude longitude targetClass
          river { id } region { code }
          upstreamSection { id } downstreamSection { id } } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?.monitoringSection, {
        id: 'MS-B',
        name: '中游断面',
        riverKm: 30,
        latitude: 29.55,
        longitude: 106.55,
        targetClass: 'II',
        river: { id: 'R-PUHE' },
        region: { code: '500103002' },
        upstreamSection: { id: 'MS-A' },
        downstreamSection: { id: 'MS-C' },
      });
      const ends = await post<{
        a: { upstreamSection: null; downstreamSection: { id: string } };
        c: { upstreamSection: { id: string }; downstreamSection: null };
      }>(`{ a: monitoringSection(id: "MS-A") { upstreamSection { id } downstreamSection { id } }
         c: monitoringSection(id: "MS-C") { upstreamSection { id } downstreamSection { id } } }`);
      assert.equal(ends.errors, undefined, ends.text);
      assert.deepEqual(ends.data, {
        a: { upstreamSection: null, downstreamSection: { id: 'MS-B' } },
        c: { upstreamSection: { id: 'MS-B' }, downstreamSection: null },
      });
    });
    it('judges readings against the section’s target class, newest first', async () => {
      const res = await post<{
        monitoringSection: {
          readings: Page<{
            parameter: string;
            value: number;
            unit: string;
            measuredAt: string;
            breachesStandard: boolean;
          }>;
          latestReading: { value: number; breachesStandard: boolean } | null;
          latestPh: { value: number; unit: string } | null;
          latestPetroleum: null;
        };
      }>(`{ monitoringSection(id: "MS-B") {
          readings { totalCount nodes { parameter value unit measuredAt breachesStandard } }
          latestReading(parameter: DISSOLVED_OXYGEN) { value breachesStandard }
          latestPh: latestReading(parameter: PH) { value unit }
          latestPetroleum: latestReading(parameter: PETROLEUM) { value } } }`);
      assert.equal(res.errors, undefined, res.text);
      const section = res.data?.monitoringSection;
      assert.equal(section?.readings.totalCount, 5);
      assert.deepEqual(section?.readings.nodes, [
        {
          parameter: 'PH',
          value: 9.5,
          unit: '无量纲',
          measuredAt: '2025-06-03T00:00:00.000Z',
          breachesStandard: true,
        },
        {
          parameter: 'AMMONIA_NITROGEN',
          value: 0.6,
          unit: 'mg/L',
          measuredAt: '2025-06-02T00:00:00.000Z',
          breachesStandard: true,
        },
        {
          parameter: 'DISSOLVED_OXYGEN',
          value: 7,
          unit: 'mg/L',
          measuredAt: '2025-06-02T00:00:00.000Z',
          breachesStandard: false,
        },
        {
          parameter: 'DISSOLVED_OXYGEN',
          value: 4.5,
          unit: 'mg/L',
          measuredAt: '2025-06-01T00:00:00.000Z',
          breachesStandard: true,
        },
        {
          parameter: 'TOTAL_PHOSPHORUS',
          value: 0.1,
          unit: 'mg/L',
          measuredAt: '2025-05-01T00:00:00.000Z',
          breachesStandard: false,
        },
      ]);
      assert.deepEqual(section?.latestReading, {
        value: 7,
        breachesStandard: false,
      });
      assert.deepEqual(section?.latestPh, { value: 9.5, unit: '无量纲' });
      assert.equal(section?.latestPetroleum, null);
    });
    it('filters readings by parameter and by `since`', async () => {
      const res = await post<{
        monitoringSection: {
          oxygen: Page<{ value: number }>;
          recent: Page<{ parameter: string }>;
        };
      }>(`{ monitoringSection(id: "MS-B") {
          oxygen: readings(parameter: DISSOLVED_OXYGEN) { totalCount nodes { value } }
          recent: readings(since: "2025-06-02T08:00:00+08:00") { totalCount nodes { parameter } } } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(
        res.data?.monitoringSection.oxygen.nodes.map((n) => n.value),
        [7, 4.5],
      );
      // 08:00 at +08:00 is midnight UTC: the readings of 06-02 are included.
      assert.deepEqual(
        res.data?.monitoringSection.recent.nodes.map((n) => n.parameter),
        ['PH', 'AMMONIA_NITROGEN', 'DISSOLVED_OXYGEN'],
      );
    });
    it('bounds readings above by `until` (exclusive)', async () => {
      const res = await post<{
        monitoringSection: { before: Page<{ measuredAt: string }> };
      }>(`{ monitoringSection(id: "MS-B") {
          before: readings(until: "2025-06-02T08:00:00+08:00") { totalCount nodes { measuredAt } } } }`);
      assert.equal(res.errors, undefined, res.text);
      const nodes = res.data?.monitoringSection.before.nodes ?? [];
      assert.ok(nodes.length > 0);
      for (const n of nodes) {
        assert.ok(n.measuredAt < '2025-06-02T00:00:00.000Z', n.measuredAt);
      }
    });
    it('pages a section’s readings with cursors', async () => {
      const query = `query($a: String) { monitoringSection(id: "MS-B") {
        readings(first: 2, after: $a) { totalCount nodes { value } pageInfo { hasNextPage endCursor } } } }`;
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 3; i += 1) {
        const res: GraphQLResponse<{
          monitoringSection: { readings: Page<{ value: number }> };
        }> = await post(query, { a: cursor });
        assert.equal(res.errors, undefined, res.text);
        const page = res.data?.monitoringSection.readings;
        assert.equal(page?.totalCount, 5);
        seen.push(...(page?.nodes.map((n) => n.value) ?? []));
        assert.equal(page?.pageInfo.hasNextPage, i < 2);
        cursor = page?.pageInfo.endCursor ?? null;
      }
      assert.deepEqual(seen, [9.5, 0.6, 7, 4.5, 0.1]);
    });
    it('suspects exactly the sources on the reach above a section, nearest first', async () => {
      const res = await post<{
        a: {
          suspectedSources: Page<{
            source: { id: string };
            distanceKm: number;
          }>;
        };
        b: {
          suspectedSources: Page<{
            source: { id: string };
            distanceKm: number;
          }>;
        };
        c: {
          suspectedSources: Page<{
            source: { id: string };
            distanceKm: number;
          }>;
        };
      }>(`fragment S on MonitoringSection { suspectedSources { totalCount nodes { source { id } distanceKm } } }
       { a: monitoringSection(id: "MS-A") { ...S }
         b: monitoringSection(id: "MS-B") { ...S }
         c: monitoringSection(id: "MS-C") { ...S } }`);
      assert.equal(res.errors, undefined, res.text);
      const suspects = (
        key: 'a' | 'b' | 'c',
      ): Array<[string, number]> | undefined =>
        res.data?.[key].suspectedSources.nodes.map((n) => [
          n.source.id,
          n.distanceKm,
        ]);
      // From the river's source (km 0) to MS-A at km 10.
      assert.deepEqual(suspects('a'), [['PS-1', 5]]);
      // From MS-A (km 10) to MS-B (km 30), both ends included.
      assert.deepEqual(suspects('b'), [
        ['PS-4', 0],
        ['PS-3', 2],
        ['PS-2', 10],
      ]);
      // From MS-B (km 30) to MS-C (km 50); PS-6 (km 60) is below every section.
      assert.deepEqual(suspects('c'), [
        ['PS-5', 5],
        ['PS-4', 20],
      ]);
      assert.equal(res.data?.b.suspectedSources.totalCount, 3);
    });
    it('resolves a pollution source with its enterprise and discharge records', async () => {
      const res = await post<{
        pollutionSource: {
          id: string;
          name: string;
          kind: string;
          riverKm: number;
          permitNumber: string;
          enterprise: { creditCode: string };
          river: { id: string };
          region: { code: string };
          dischargeRecords: Page<{
            id: string;
            recordedAt: string;
            pollutant: string;
            concentration: number;
            unit: string;
            permittedLimit: number;
            exceedsPermit: boolean;
          }>;
        };
      }>(`{ pollutionSource(id: "PS-2") { id name kind riverKm permitNumber
          enterprise { creditCode } river { id } region { code }
          dischargeRecords { totalCount nodes { id recordedAt pollutant concentration unit permittedLimit exceedsPermit } } } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data?.pollutionSource, {
        id: 'PS-2',
        name: '化工厂',
        kind: 'INDUSTRIAL_ENTERPRISE',
        riverKm: 20,
        permitNumber: 'P-2',
        enterprise: { creditCode: CHEMICAL },
        river: { id: 'R-PUHE' },
        region: { code: '500103002' },
        dischargeRecords: {
          totalCount: 2,
          nodes: [
            {
              id: 'D-2',
              recordedAt: '2025-06-02T00:00:00.000Z',
              pollutant: 'COD',
              concentration: 120,
              unit: 'mg/L',
              permittedLimit: 100,
              exceedsPermit: true,
            },
            {
              id: 'D-1',
              recordedAt: '2025-06-01T00:00:00.000Z',
              pollutant: 'COD',
              concentration: 80,
              unit: 'mg/L',
              permittedLimit: 100,
              exceedsPermit: false,
            },
          ],
        },
      });
    });
    it('finds an incident’s candidate sources within `withinKm` upstream', async () => {
      const res = await post<{
        pollutionIncident: {
          id: string;
          kind: string;
          description: string;
          riverKm: number;
          areaSquareMeters: number;
          detectedAt: string;
          river: { id: string };
          region: { code: string };
          near: Page<{ source: { id: string }; distanceKm: number }>;
          wide: Page<{ source: { id: string }; distanceKm: number }>;
          none: Page<{ source: { id: string } }>;
        };
      }>(`{ pollutionIncident(id: "INC-1") { id kind description riverKm areaSquareMeters detectedAt
          river { id } region { code }
          near: candidateSources(withinKm: 5) { totalCount nodes { source { id } distanceKm } }
          wide: candidateSources { totalCount nodes { source { id } distanceKm } }
          none: candidateSources(withinKm: 1) { totalCount nodes { source { id } } } } }`);
      assert.equal(res.errors, undefined, res.text);
      const incident = res.data?.pollutionIncident;
      assert.equal(incident?.kind, '油污');
      assert.equal(incident?.description, '河面油膜');
      assert.equal(incident?.riverKm, 32);
      assert.equal(incident?.areaSquareMeters, 1200);
      assert.equal(incident?.detectedAt, '2025-06-03T02:00:00.000Z');
      assert.deepEqual(incident?.river, { id: 'R-PUHE' });
      assert.deepEqual(incident?.region, { code: '500103002' });
      const pairs = (p: Page<{ source: { id: string }; distanceKm: number }>) =>
        p.nodes.map((n) => [n.source.id, n.distanceKm]);
      assert.ok(incident);
      // Within 5 km upstream of km 32: km 27–32. PS-5 (km 45) is downstream.
      assert.deepEqual(pairs(incident.near), [
        ['PS-4', 2],
        ['PS-3', 4],
      ]);
      // The default, 30 km: km 2–32; PS-7 is on another river.
      assert.deepEqual(pairs(incident.wide), [
        ['PS-4', 2],
        ['PS-3', 4],
        ['PS-2', 12],
        ['PS-1', 27],
      ]);
      assert.equal(incident.none.totalCount, 0);
    });
    it('lists incidents in a region, newest first', async () => {
      const res = await post<{
        all: Page<{ id: string }>;
        yuzhong: Page<{ id: string }>;
      }>(`{ all: pollutionIncidents { totalCount nodes { id } }
         yuzhong: pollutionIncidents(regionCode: "500103") { totalCount nodes { id } } }`);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(
        res.data?.all.nodes.map((n) => n.id),
        ['INC-1', 'INC-2'],
      );
      assert.deepEqual(
        res.data?.yuzhong.nodes.map((n) => n.id),
        ['INC-1'],
      );
    });
    it('lists sections by river and by region, paging with cursors', async () => {
      const byRiver = await post<{
        monitoringSections: Page<{ id: string }>;
      }>(
        `{ monitoringSections(riverId: "R-PUHE") { totalCount nodes { id } } }`,
      );
      assert.equal(byRiver.errors, undefined, byRiver.text);
      assert.deepEqual(
        byRiver.data?.monitoringSections.nodes.map((n) => n.id),
        ['MS-A', 'MS-B', 'MS-C'],
      );
      const first = await post<{
        monitoringSections: Page<{ id: string }>;
      }>(
        `{ monitoringSections(regionCode: "500103", first: 1) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
      );
      assert.equal(first.errors, undefined, first.text);
      assert.equal(first.data?.monitoringSections.totalCount, 2);
      assert.deepEqual(
        first.data?.monitoringSections.nodes.map((n) => n.id),
        ['MS-A'],
      );
      assert.equal(first.data?.monitoringSections.pageInfo.hasNextPage, true);
      const second = await post<{
        monitoringSections: Page<{ id: string }>;
      }>(
        `query($a: String) { monitoringSections(regionCode: "500103", first: 1, after: $a) { nodes { id } pageInfo { hasNextPage } } }`,
        { a: first.data?.monitoringSections.pageInfo.endCursor },
      );
      assert.deepEqual(
        second.data?.monitoringSections.nodes.map((n) => n.id),
        ['MS-B'],
      );
      assert.equal(second.data?.monitoringSections.pageInfo.hasNextPage, false);
      const both = await post<{
        monitoringSections: Page<{ id: string }>;
      }>(
        `{ monitoringSections(regionCode: "500104", riverId: "R-OTHER") { totalCount nodes { id } } }`,
      );
      assert.deepEqual(
        both.data?.monitoringSections.nodes.map((n) => n.id),
        ['MS-X'],
      );
    });
  },
);
