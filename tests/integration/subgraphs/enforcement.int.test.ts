import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { enforcementSubgraph } from '../../../subgraphs/enforcement/src/enforcementSubgraph.js';
import { describeDepartment, query } from './departmentConformance.js';

// Squads near 解放碑 / 朝天门 / 观音桥, and one far out to the north.
const SQUADS = {
  'SQ-JFB': { latitude: 29.5575, longitude: 106.577 },
  'SQ-CTM': { latitude: 29.565, longitude: 106.588 },
  'SQ-GYQ': { latitude: 29.575, longitude: 106.533 },
  'SQ-FAR': { latitude: 30.5, longitude: 106.5 },
} as const;

const FIXTURES = `
INSERT INTO enforcement.regions VALUES
  ('500000', '重庆市', '重庆市', 'CITY', '市', NULL, 29.563, 106.551),
  ('500103', '渝中区', '重庆市渝中区', 'DISTRICT', '区', '500000', 29.556, 106.569),
  ('500105', '江北区', '重庆市江北区', 'DISTRICT', '区', '500000', 29.606, 106.574),
  ('500106', '沙坪坝区', '重庆市沙坪坝区', 'DISTRICT', '区', '500000', 29.541, 106.458),
  ('500103001', '解放碑街道', '重庆市渝中区解放碑街道', 'STREET', '街道', '500103', 29.557, 106.577),
  ('500103002', '朝天门街道', '重庆市渝中区朝天门街道', 'STREET', '街道', '500103', 29.565, 106.588),
  ('500105001', '观音桥街道', '重庆市江北区观音桥街道', 'STREET', '街道', '500105', 29.575, 106.533),
  ('500106001', '小龙坎街道', '重庆市沙坪坝区小龙坎街道', 'STREET', '街道', '500106', 29.551, 106.461),
  ('500103001001', '解放碑第一网格', '重庆市渝中区解放碑街道解放碑第一网格', 'GRID', '网格', '500103001', 29.558, 106.576),
  ('500103001002', '解放碑第二网格', '重庆市渝中区解放碑街道解放碑第二网格', 'GRID', '网格', '500103001', 29.556, 106.578);

-- 20 grids under 小龙坎街道, for the statement-count test.
INSERT INTO enforcement.regions
SELECT '500106001' || lpad(g::text, 3, '0'), '小龙坎第' || g || '网格',
       '重庆市沙坪坝区小龙坎街道小龙坎第' || g || '网格', 'GRID', '网格',
       '500106001', 29.55 + g / 1000.0, 106.46
  FROM generate_series(1, 20) AS g;

INSERT INTO enforcement.squads VALUES
  ('SQ-JFB', '解放碑中队', '500103001', ${SQUADS['SQ-JFB'].latitude}, ${SQUADS['SQ-JFB'].longitude}, 12, 'P-00000000000a', '023-63800001'),
  ('SQ-CTM', '朝天门中队', '500103002', ${SQUADS['SQ-CTM'].latitude}, ${SQUADS['SQ-CTM'].longitude}, 8, 'P-00000000000b', '023-63800002'),
  ('SQ-GYQ', '观音桥中队', '500105001', ${SQUADS['SQ-GYQ'].latitude}, ${SQUADS['SQ-GYQ'].longitude}, 10, 'P-00000000000c', '023-67800003'),
  ('SQ-FAR', '远郊中队', '500105001', ${SQUADS['SQ-FAR'].latitude}, ${SQUADS['SQ-FAR'].longitude}, 5, 'P-00000000000d', '023-67800004');

INSERT INTO enforcement.complaints VALUES
  ('C1', '渝快办', '夜市烧烤油烟扰民', '2025-05-01 22:30:00+08', '解放碑步行街1号', 29.558, 106.5765,
   '500103001001', 'P-0000000000c1', 'DISPATCHED', 'SQ-JFB', '2025-05-01 22:45:00+08', NULL, NULL),
  ('C2', '12345热线', '占道经营', '2025-05-02 09:00:00+08', '观音桥步行街8号', 29.5745, 106.5335,
   '500105001', 'P-0000000000c2', 'RECEIVED', NULL, NULL, NULL, NULL),
  ('C3', '渝快办', '噪音扰民', '2025-05-03 20:00:00+08', '朝天门码头3号', 29.5648, 106.5879,
   '500103002', 'P-0000000000c3', 'RESOLVED', 'SQ-CTM', '2025-05-03 20:10:00+08', '2025-05-03 21:00:00+08', '已劝导整改');

-- 20 older complaints in 沙坪坝区, each about two merchants.
INSERT INTO enforcement.complaints
SELECT 'G' || lpad(g::text, 2, '0'), '12345热线', '批量投诉' || g,
       timestamptz '2025-01-01 00:00:00+08' + g * interval '1 hour', '小龙坎' || g || '号',
       29.55 + g / 1000.0, 106.46, '500106001' || lpad(g::text, 3, '0'),
       'P-0000000000' || lpad(g::text, 2, '0'), 'DISPATCHED', 'SQ-GYQ',
       timestamptz '2025-01-01 01:00:00+08' + g * interval '1 hour', NULL, NULL
  FROM generate_series(1, 20) AS g;

INSERT INTO enforcement.complaint_merchants VALUES
  ('C1', '92500103MA5U1A2B4X'), ('C1', '91500103MA5U1A2B3Y');
INSERT INTO enforcement.complaint_merchants
SELECT 'G' || lpad(g::text, 2, '0'), m || '1500106MA5U00' || lpad(g::text, 4, '0')
  FROM generate_series(1, 20) AS g, generate_series(1, 2) AS m;

INSERT INTO enforcement.inspections VALUES
  ('I1', '92500103MA5U1A2B4X', '2025-03-01', 'SQ-JFB', 'RECTIFICATION_ORDERED', '油烟净化器未开启'),
  ('I2', '92500103MA5U1A2B4X', '2025-06-01', 'SQ-JFB', 'COMPLIANT', '已整改'),
  ('I3', '91500103MA5U1A2B3Y', '2025-04-01', 'SQ-CTM', 'PENALTY_REFERRED', '无证经营');
INSERT INTO enforcement.inspections
SELECT 'IG' || g, '11500106MA5U00' || lpad(g::text, 4, '0'), date '2025-01-01' + g,
       'SQ-GYQ', 'COMPLIANT', '例行检查'
  FROM generate_series(1, 20) AS g;
`;

/** Reference great-circle distance (haversine, R = 6371000 m). */
function haversineMeters(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const rad = (d: number): number => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) *
      Math.cos(rad(b.latitude)) *
      Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Page<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface SquadDistance {
  distanceMeters: number;
  squad: { id: string };
}

const countedReferences = (n: number): Array<Record<string, string>> =>
  Array.from({ length: n }, (_, i) => {
    const g = String(i + 1);
    return [
      { __typename: 'Region', code: `500106001${g.padStart(3, '0')}` },
      {
        __typename: 'Enterprise',
        creditCode: `11500106MA5U00${g.padStart(4, '0')}`,
      },
    ];
  }).flat();

describeDepartment(
  {
    subgraph: enforcementSubgraph,
    fixtures: (db) => db.exec(FIXTURES),
    notFound: [
      { query: `{ region(code: "500199") { name } }`, field: 'region' },
      { query: `{ complaint(id: "C404") { id } }`, field: 'complaint' },
      {
        query: `{ enforcementSquad(id: "SQ-404") { id } }`,
        field: 'enforcementSquad',
      },
    ],
    badUserInput: [
      // Malformed region codes.
      { query: `{ region(code: "abc") { name } }` },
      { query: `{ region(code: "5001") { name } }` },
      { query: `{ region(code: "510103") { name } }` },
      { query: `{ regions(parentCode: "x'; DROP TABLE") { totalCount } }` },
      { query: `{ complaints(regionCode: "50") { totalCount } }` },
      // Bad page arguments.
      { query: `{ complaints(first: 101) { totalCount } }` },
      { query: `{ complaints(first: 0) { totalCount } }` },
      { query: `{ complaints(after: "not-a-cursor") { totalCount } }` },
      {
        query: `{ complaint(id: "C1") { merchants(first: 1000) { totalCount } } }`,
      },
      // Points off the globe and bad counts.
      ...[
        'latitude: 90.5, longitude: 106',
        'latitude: -91, longitude: 106',
        'latitude: 29, longitude: 180.01',
        'latitude: 29, longitude: -181',
        'latitude: 29, longitude: 106, first: 0',
        'latitude: 29, longitude: 106, first: 101',
      ].map((args) => ({
        query: `{ nearestEnforcementSquads(${args}) { distanceMeters } }`,
      })),
      {
        query: `{ complaint(id: "C1") { nearestSquads(first: 0) { distanceMeters } } }`,
      },
      {
        query: `{ complaint(id: "C1") { nearestSquads(first: 101) { distanceMeters } } }`,
      },
    ],
    references: [
      {
        title: 'resolves Region references and answers null for unknown codes',
        query: `{ _entities(representations: [
             { __typename: "Region", code: "500103" },
             { __typename: "Region", code: "500199" },
             { __typename: "Region", code: "not-a-code" },
             { __typename: "Region", code: "500105001" }]) {
             ... on Region { name level } } }`,
        expected: [
          { name: '渝中区', level: 'DISTRICT' },
          null,
          null,
          { name: '观音桥街道', level: 'STREET' },
        ],
      },
      {
        title: 'resolves EnforcementSquad and Complaint references',
        query: `{ _entities(representations: [
             { __typename: "EnforcementSquad", id: "SQ-CTM" },
             { __typename: "EnforcementSquad", id: "SQ-404" },
             { __typename: "Complaint", id: "C2" },
             { __typename: "Complaint", id: "C404" }]) {
             ... on EnforcementSquad { name }
             ... on Complaint { summary } } }`,
        expected: [{ name: '朝天门中队' }, null, { summary: '占道经营' }, null],
      },
    ],
    statementCounts: [
      {
        title: 'does not grow with the number of complaints',
        query: `query($n: Int!) { complaints(regionCode: "500106", first: $n) { nodes {
          id receivedAt region { name fullName parent { name } }
          complainant { id }
          merchants { totalCount nodes { creditCode } }
          assignedSquad { name region { name } }
          nearestSquads(first: 2) { distanceMeters squad { name } } } } }`,
        variables: (n) => ({ n }),
      },
      {
        title: 'does not grow with the number of regions',
        query: `query($n: Int!) { regions(parentCode: "500106001", first: $n) { nodes {
          name parent { name }
          children { totalCount }
          enforcementSquads { totalCount }
          complaints { totalCount nodes { id } }
          resolved: complaints(status: RESOLVED) { totalCount } } } }`,
        variables: (n) => ({ n }),
      },
      {
        title: 'does not grow with the number of entity references',
        query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
          ... on Region { name enforcementSquads { totalCount } }
          ... on Enterprise { inspections { totalCount nodes { squad { name } } } } } }`,
        variables: (n) => ({ reps: countedReferences(n) }),
      },
    ],
    pglite: {
      title:
        'answers the same as PostgreSQL for distances, prefixes and timestamps',
      async check(post) {
        const data = await query<{
          complaints: Page<{
            id: string;
            receivedAt: string;
            merchants: Page<{ creditCode: string }>;
            nearestSquads: SquadDistance[];
          }>;
          region: {
            complaints: Page<{ id: string }>;
            children: Page<{ code: string }>;
          };
          far: SquadDistance[];
        }>(
          post,
          `{ complaints(regionCode: "500103") { totalCount nodes { id receivedAt merchants { totalCount nodes { creditCode } } nearestSquads { distanceMeters squad { id } } } }
         region(code: "500106001") { complaints(first: 2) { totalCount nodes { id } } children(first: 2, after: "bzox") { nodes { code } } }
         far: nearestEnforcementSquads(latitude: 31.5, longitude: 106.5, first: 1) { distanceMeters squad { id } } }`,
        );
        assert.deepEqual(
          data.complaints.nodes.map((c) => [
            c.id,
            c.receivedAt,
            c.merchants.totalCount,
            c.nearestSquads[0]?.squad.id,
          ]),
          [
            ['C3', '2025-05-03T12:00:00.000Z', 0, 'SQ-CTM'],
            ['C1', '2025-05-01T14:30:00.000Z', 2, 'SQ-JFB'],
          ],
        );
        assert.deepEqual(
          data.region.complaints.nodes.map((c) => c.id),
          ['G20', 'G19'],
        );
        assert.equal(data.region.complaints.totalCount, 20);
        // "bzox" is the cursor of position 1, so the page starts at the third.
        assert.deepEqual(
          data.region.children.nodes.map((r) => r.code),
          ['500106001003', '500106001004'],
        );
        assert.deepEqual(data.far, [
          { distanceMeters: 111195, squad: { id: 'SQ-FAR' } },
        ]);
      },
    },
  },
  ({ post }) => {
    describe('regions', () => {
      it('resolves a region with its parent and scalar fields', async () => {
        const data = await query<{
          region: {
            code: string;
            name: string;
            fullName: string;
            level: string;
            kind: string;
            parent: { code: string; name: string; parent: { code: string } };
          };
        }>(
          post,
          `{ region(code: "500103001") { code name fullName level kind parent { code name parent { code } } } }`,
        );
        assert.deepEqual(data.region, {
          code: '500103001',
          name: '解放碑街道',
          fullName: '重庆市渝中区解放碑街道',
          level: 'STREET',
          kind: '街道',
          parent: {
            code: '500103',
            name: '渝中区',
            parent: { code: '500000' },
          },
        });
      });

      it('gives the city no parent', async () => {
        const data = await query<{ region: { parent: null; level: string } }>(
          post,
          `{ region(code: "500000") { level parent { code } } }`,
        );
        assert.deepEqual(data.region, { level: 'CITY', parent: null });
      });

      it('lists the districts of the city by default, ordered by code', async () => {
        const data = await query<{ regions: Page<{ code: string }> }>(
          post,
          `{ regions { totalCount nodes { code } } }`,
        );
        assert.deepEqual(
          data.regions.nodes.map((r) => r.code),
          ['500103', '500105', '500106'],
        );
        assert.equal(data.regions.totalCount, 3);
      });

      it('lists every region of a level when no parent is given', async () => {
        const data = await query<{ regions: Page<{ code: string }> }>(
          post,
          `{ regions(level: STREET) { nodes { code } } }`,
        );
        assert.deepEqual(
          data.regions.nodes.map((r) => r.code),
          ['500103001', '500103002', '500105001', '500106001'],
        );
      });

      it('lists the children of a parent, optionally of one level', async () => {
        const data = await query<{
          all: Page<{ code: string }>;
          grids: Page<{ code: string }>;
          streets: Page<{ code: string }>;
        }>(
          post,
          `{ all: regions(parentCode: "500103") { nodes { code } }
           grids: regions(parentCode: "500103001", level: GRID) { nodes { code } }
           streets: regions(parentCode: "500103001", level: STREET) { totalCount nodes { code } } }`,
        );
        assert.deepEqual(
          data.all.nodes.map((r) => r.code),
          ['500103001', '500103002'],
        );
        assert.deepEqual(
          data.grids.nodes.map((r) => r.code),
          ['500103001001', '500103001002'],
        );
        assert.deepEqual(data.streets, { totalCount: 0, nodes: [] });
      });

      it('pages the children of a region with cursors', async () => {
        const first = await query<{
          region: { children: Page<{ code: string }> };
        }>(
          post,
          `{ region(code: "500106001") { children(first: 15) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } } }`,
        );
        const page1 = first.region.children;
        assert.equal(page1.totalCount, 20);
        assert.equal(page1.nodes.length, 15);
        assert.equal(page1.nodes[0]?.code, '500106001001');
        assert.equal(page1.pageInfo.hasNextPage, true);
        const second = await query<{
          region: { children: Page<{ code: string }> };
        }>(
          post,
          `query($a: String) { region(code: "500106001") { children(first: 15, after: $a) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } } }`,
          { a: page1.pageInfo.endCursor },
        );
        const page2 = second.region.children;
        assert.equal(page2.totalCount, 20);
        assert.deepEqual(
          page2.nodes.map((r) => r.code),
          ['016', '017', '018', '019', '020'].map((g) => `500106001${g}`),
        );
        assert.equal(page2.pageInfo.hasNextPage, false);
        // A cursor past the end still reports the total.
        const beyond = await query<{
          region: { children: Page<{ code: string }> };
        }>(
          post,
          `query($a: String) { region(code: "500106001") { children(first: 15, after: $a) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } } }`,
          { a: page2.pageInfo.endCursor },
        );
        assert.deepEqual(beyond.region.children, {
          totalCount: 20,
          nodes: [],
          pageInfo: { hasNextPage: false, endCursor: null },
        });
      });

      it('counts squads and complaints of a region by code prefix', async () => {
        const data = await query<{
          city: {
            enforcementSquads: Page<{ id: string }>;
            complaints: Page<{ id: string }>;
          };
          district: {
            enforcementSquads: Page<{ id: string }>;
            complaints: Page<{ id: string }>;
            resolved: Page<{ id: string }>;
          };
          grid: { complaints: Page<{ id: string }> };
          street: {
            enforcementSquads: Page<{ id: string }>;
            complaints: Page<{ id: string }>;
          };
        }>(
          post,
          `{ city: region(code: "500000") { enforcementSquads { totalCount nodes { id } } complaints(first: 1) { totalCount nodes { id } } }
           district: region(code: "500103") {
             enforcementSquads { totalCount nodes { id } }
             complaints { totalCount nodes { id } }
             resolved: complaints(status: RESOLVED) { totalCount nodes { id } } }
           grid: region(code: "500103001001") { complaints { totalCount nodes { id } } }
           street: region(code: "500105001") { enforcementSquads { totalCount nodes { id } } complaints { totalCount nodes { id } } } }`,
        );
        assert.deepEqual(
          data.city.enforcementSquads.nodes.map((s) => s.id),
          ['SQ-CTM', 'SQ-FAR', 'SQ-GYQ', 'SQ-JFB'],
        );
        assert.equal(data.city.complaints.totalCount, 23);
        assert.deepEqual(
          data.city.complaints.nodes.map((c) => c.id),
          ['C3'],
        );
        assert.deepEqual(
          data.district.enforcementSquads.nodes.map((s) => s.id),
          ['SQ-CTM', 'SQ-JFB'],
        );
        assert.deepEqual(
          data.district.complaints.nodes.map((c) => c.id),
          ['C3', 'C1'],
        );
        assert.deepEqual(
          data.district.resolved.nodes.map((c) => c.id),
          ['C3'],
        );
        assert.deepEqual(
          data.grid.complaints.nodes.map((c) => c.id),
          ['C1'],
        );
        assert.deepEqual(
          data.street.enforcementSquads.nodes.map((s) => s.id),
          ['SQ-FAR', 'SQ-GYQ'],
        );
        assert.deepEqual(
          data.street.complaints.nodes.map((c) => c.id),
          ['C2'],
        );
      });
    });

    describe('complaints', () => {
      it('resolves every field of a complaint', async () => {
        const data = await query<{ complaint: Record<string, unknown> }>(
          post,
          `{ complaint(id: "C1") {
             id channel summary receivedAt address latitude longitude
             region { code name fullName }
             complainant { id }
             merchants { totalCount nodes { creditCode } pageInfo { hasNextPage } }
             status
             assignedSquad { id name memberCount dutyPhone leader { id } region { code name } latitude longitude }
             nearestSquads { distanceMeters squad { id } }
             dispatchedAt resolvedAt resolution } }`,
        );
        assert.deepEqual(data.complaint, {
          id: 'C1',
          channel: '渝快办',
          summary: '夜市烧烤油烟扰民',
          receivedAt: '2025-05-01T14:30:00.000Z',
          address: '解放碑步行街1号',
          latitude: 29.558,
          longitude: 106.5765,
          region: {
            code: '500103001001',
            name: '解放碑第一网格',
            fullName: '重庆市渝中区解放碑街道解放碑第一网格',
          },
          complainant: { id: 'P-0000000000c1' },
          merchants: {
            totalCount: 2,
            nodes: [
              { creditCode: '91500103MA5U1A2B3Y' },
              { creditCode: '92500103MA5U1A2B4X' },
            ],
            pageInfo: { hasNextPage: false },
          },
          status: 'DISPATCHED',
          assignedSquad: {
            id: 'SQ-JFB',
            name: '解放碑中队',
            memberCount: 12,
            dutyPhone: '023-63800001',
            leader: { id: 'P-00000000000a' },
            region: { code: '500103001', name: '解放碑街道' },
            latitude: 29.5575,
            longitude: 106.577,
          },
          nearestSquads: [
            {
              distanceMeters: Math.round(
                haversineMeters(
                  { latitude: 29.558, longitude: 106.5765 },
                  SQUADS['SQ-JFB'],
                ),
              ),
              squad: { id: 'SQ-JFB' },
            },
          ],
          dispatchedAt: '2025-05-01T14:45:00.000Z',
          resolvedAt: null,
          resolution: null,
        });
      });

      it('returns nulls for an unassigned complaint and timestamps of a resolved one', async () => {
        const data = await query<{
          c2: {
            assignedSquad: null;
            dispatchedAt: null;
            merchants: Page<unknown>;
          };
          c3: { resolvedAt: string; resolution: string; status: string };
        }>(
          post,
          `{ c2: complaint(id: "C2") { assignedSquad { id } dispatchedAt merchants { totalCount nodes { creditCode } pageInfo { hasNextPage endCursor } } }
           c3: complaint(id: "C3") { resolvedAt resolution status } }`,
        );
        assert.deepEqual(data.c2, {
          assignedSquad: null,
          dispatchedAt: null,
          merchants: {
            totalCount: 0,
            nodes: [],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        });
        assert.deepEqual(data.c3, {
          resolvedAt: '2025-05-03T13:00:00.000Z',
          resolution: '已劝导整改',
          status: 'RESOLVED',
        });
      });

      it('lists complaints newest first, filtered by region prefix and status', async () => {
        const data = await query<{
          all: Page<{ id: string }>;
          yuzhong: Page<{ id: string }>;
          received: Page<{ id: string }>;
          dispatched: Page<{ id: string }>;
        }>(
          post,
          `{ all: complaints(first: 4) { totalCount nodes { id } }
           yuzhong: complaints(regionCode: "500103") { totalCount nodes { id } }
           received: complaints(status: RECEIVED) { totalCount nodes { id } }
           dispatched: complaints(regionCode: "500106", status: DISPATCHED, first: 2) { totalCount nodes { id } } }`,
        );
        assert.deepEqual(
          data.all.nodes.map((c) => c.id),
          ['C3', 'C2', 'C1', 'G20'],
        );
        assert.equal(data.all.totalCount, 23);
        assert.deepEqual(
          data.yuzhong.nodes.map((c) => c.id),
          ['C3', 'C1'],
        );
        assert.deepEqual(
          data.received.nodes.map((c) => c.id),
          ['C2'],
        );
        assert.equal(data.dispatched.totalCount, 20);
        assert.deepEqual(
          data.dispatched.nodes.map((c) => c.id),
          ['G20', 'G19'],
        );
      });

      it('pages complaints with cursors', async () => {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const data: { complaints: Page<{ id: string }> } = await query(
            post,
            `query($a: String) { complaints(regionCode: "500106", first: 7, after: $a) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
            { a: after },
          );
          assert.equal(data.complaints.totalCount, 20);
          seen.push(...data.complaints.nodes.map((c) => c.id));
          if (!data.complaints.pageInfo.hasNextPage) break;
          after = data.complaints.pageInfo.endCursor;
        }
        assert.equal(seen.length, 20);
        assert.equal(new Set(seen).size, 20);
        assert.equal(seen[0], 'G20');
        assert.equal(seen[19], 'G01');
      });
    });

    describe('squads and distances', () => {
      it('resolves a squad by id', async () => {
        const data = await query<{ enforcementSquad: Record<string, unknown> }>(
          post,
          `{ enforcementSquad(id: "SQ-GYQ") { id name region { code fullName } latitude longitude memberCount leader { id } dutyPhone } }`,
        );
        assert.deepEqual(data.enforcementSquad, {
          id: 'SQ-GYQ',
          name: '观音桥中队',
          region: { code: '500105001', fullName: '重庆市江北区观音桥街道' },
          latitude: 29.575,
          longitude: 106.533,
          memberCount: 10,
          leader: { id: 'P-00000000000c' },
          dutyPhone: '023-67800003',
        });
      });

      it('orders squads by great-circle distance, nearest first', async () => {
        const point = { latitude: 29.5745, longitude: 106.5335 };
        const data = await query<{ nearestEnforcementSquads: SquadDistance[] }>(
          post,
          `query($lat: Float!, $lng: Float!) { nearestEnforcementSquads(latitude: $lat, longitude: $lng, first: 10) { distanceMeters squad { id name } } }`,
          { lat: point.latitude, lng: point.longitude },
        );
        const expected = Object.entries(SQUADS)
          .map(([id, at]) => ({ id, distance: haversineMeters(point, at) }))
          .sort((a, b) => a.distance - b.distance);
        assert.deepEqual(
          data.nearestEnforcementSquads.map((d) => d.squad.id),
          expected.map((e) => e.id),
        );
        assert.equal(data.nearestEnforcementSquads[0]?.squad.id, 'SQ-GYQ');
        for (const [i, d] of data.nearestEnforcementSquads.entries()) {
          assert.equal(
            d.distanceMeters,
            Math.round(expected[i]?.distance ?? -1),
          );
        }
      });

      it('defaults to three squads and measures a degree of latitude as 111195 m', async () => {
        const data = await query<{
          near: SquadDistance[];
          far: SquadDistance[];
          onTop: SquadDistance[];
        }>(
          post,
          `{ near: nearestEnforcementSquads(latitude: 29.5575, longitude: 106.577) { distanceMeters squad { id } }
           far: nearestEnforcementSquads(latitude: 31.5, longitude: 106.5, first: 1) { distanceMeters squad { id } }
           onTop: nearestEnforcementSquads(latitude: 29.5575, longitude: 106.577, first: 1) { distanceMeters squad { id } } }`,
        );
        assert.equal(data.near.length, 3);
        assert.deepEqual(data.onTop, [
          { distanceMeters: 0, squad: { id: 'SQ-JFB' } },
        ]);
        // 2πR / 360 = 111194.93 m.
        assert.deepEqual(data.far, [
          { distanceMeters: 111195, squad: { id: 'SQ-FAR' } },
        ]);
      });

      it('gives each complaint its own nearest squads', async () => {
        const data = await query<{
          complaints: Page<{
            id: string;
            latitude: number;
            longitude: number;
            nearestSquads: SquadDistance[];
          }>;
        }>(
          post,
          `{ complaints(first: 3) { nodes { id latitude longitude nearestSquads(first: 2) { distanceMeters squad { id } } } } }`,
        );
        const nearest = Object.fromEntries(
          data.complaints.nodes.map((c) => [
            c.id,
            c.nearestSquads.map((d) => d.squad.id),
          ]),
        );
        assert.deepEqual(nearest['C1']?.[0], 'SQ-JFB');
        assert.deepEqual(nearest['C2']?.[0], 'SQ-GYQ');
        assert.deepEqual(nearest['C3']?.[0], 'SQ-CTM');
        for (const c of data.complaints.nodes) {
          const expected = Object.entries(SQUADS)
            .map(([id, at]) => ({ id, distance: haversineMeters(c, at) }))
            .sort((a, b) => a.distance - b.distance)
            .slice(0, 2);
          assert.deepEqual(
            c.nearestSquads,
            expected.map((e) => ({
              distanceMeters: Math.round(e.distance),
              squad: { id: e.id },
            })),
          );
        }
      });

      it('accepts the edges of the globe', async () => {
        const data = await query<{ a: SquadDistance[]; b: SquadDistance[] }>(
          post,
          `{ a: nearestEnforcementSquads(latitude: -90, longitude: -180, first: 100) { distanceMeters }
           b: nearestEnforcementSquads(latitude: -29.5575, longitude: -73.423, first: 4) { distanceMeters squad { id } } }`,
        );
        assert.equal(data.a.length, 4);
        // From the antipode of SQ-JFB, SQ-JFB is the farthest squad at half
        // the circumference (no asin domain error on the way).
        assert.deepEqual(data.b[3], {
          distanceMeters: Math.round(Math.PI * 6371000),
          squad: { id: 'SQ-JFB' },
        });
      });
    });

    describe('inspections', () => {
      it('lists the inspections of an enterprise, newest first', async () => {
        const data = await query<{
          _entities: Array<{
            creditCode: string;
            inspections: Page<{
              id: string;
              inspectedOn: string;
              result: string;
              findings: string;
              squad: { id: string; name: string };
            }>;
          }>;
        }>(
          post,
          `{ _entities(representations: [
             { __typename: "Enterprise", creditCode: "92500103MA5U1A2B4X" },
             { __typename: "Enterprise", creditCode: "91500000MA5U0000X1" }]) {
             ... on Enterprise { creditCode inspections { totalCount nodes { id inspectedOn result findings squad { id name } } } } } }`,
        );
        assert.deepEqual(data._entities[0], {
          creditCode: '92500103MA5U1A2B4X',
          inspections: {
            totalCount: 2,
            nodes: [
              {
                id: 'I2',
                inspectedOn: '2025-06-01',
                result: 'COMPLIANT',
                findings: '已整改',
                squad: { id: 'SQ-JFB', name: '解放碑中队' },
              },
              {
                id: 'I1',
                inspectedOn: '2025-03-01',
                result: 'RECTIFICATION_ORDERED',
                findings: '油烟净化器未开启',
                squad: { id: 'SQ-JFB', name: '解放碑中队' },
              },
            ],
          },
        });
        assert.deepEqual(data._entities[1], {
          creditCode: '91500000MA5U0000X1',
          inspections: { totalCount: 0, nodes: [] },
        });
      });
    });
  },
);
