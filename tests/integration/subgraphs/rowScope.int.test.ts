// Row scope compiled into every department's SQL: the scope the gateway
// signs into a call (`ctx.call.scope`) hides rows outside it from lists,
// counts, paging, lookups by id and federation entity references alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { emergencySubgraph } from '../../../subgraphs/emergency/src/emergencySubgraph.js';
import { enforcementSubgraph } from '../../../subgraphs/enforcement/src/enforcementSubgraph.js';
import { environmentSubgraph } from '../../../subgraphs/environment/src/environmentSubgraph.js';
import {
  creditCodeCheckChar,
  type SubgraphDefinition,
} from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import { publicsecuritySubgraph } from '../../../subgraphs/publicsecurity/src/publicsecuritySubgraph.js';
import { waterSubgraph } from '../../../subgraphs/water/src/waterSubgraph.js';
import {
  startSubgraph,
  type GraphQLResponse,
  type PostGraphQL,
  type TestSubgraph,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';

// Two streets of 渝中区 and a town of 綦江区.
const DISTRICT = { region: '500103' };
const STREET = { region: '500103001' };

function code(body: string): string {
  return body + creditCodeCheckChar(body);
}
const E1 = code('91500103MA5U1A2B1'); // 500103001 餐饮 ACTIVE
const E2 = code('91500103MA5U1A2B2'); // 500103002 餐饮 SUSPENDED
const E3 = code('91500103MA5U1A2B3'); // 500103001 食品加工 ACTIVE
const E4 = code('91500110MA5U1A2B4'); // 500110001 污水处理 ACTIVE
const P1 = 'P-000000000001'; // lives in 500103001
const P2 = 'P-000000000002'; // lives in 500103002
const P3 = 'P-000000000003'; // lives in 500110001

async function seed(db: TestDatabase['db']): Promise<void> {
  const q = (sql: string, values: unknown[] = []) => db.query(sql, values);
  await q(
    `INSERT INTO market.enterprises VALUES
     ($1, '解放碑火锅', '餐饮', 'ACTIVE', 50, '2019-03-01', 'a', '500103001', 29.55, 106.57, $5, 'B', 'L1', '2019-03-01', NULL, 's', 'x'),
     ($2, '较场口烧烤', '餐饮', 'SUSPENDED', 10, '2021-06-01', 'b', '500103002', 29.55, 106.57, $6, 'C', 'L2', '2021-06-01', NULL, 's', 'x'),
     ($3, '渝中食品厂', '食品加工', 'ACTIVE', 500, '2010-01-01', 'c', '500103001', 29.55, 106.57, $5, 'A', 'L3', '2010-01-01', NULL, 's', 'x'),
     ($4, '三角镇污水处理厂', '污水处理', 'ACTIVE', 900, '2012-01-01', 'd', '500110001', 28.9, 106.6, $5, 'B', 'L4', '2012-01-01', NULL, 's', 'x')`,
    [E1, E2, E3, E4, P1, P2],
  );
  await q(
    `INSERT INTO market.violations VALUES
     ('V1', $1, '2024-05-01', '占道经营', 'd', '责令改正', 500, true),
     ('V2', $1, '2025-08-01', '油烟扰民', 'd', '罚款', 2000, false)`,
    [E1],
  );
  await q(
    `INSERT INTO environment.sections VALUES
     ('MS1', '解放碑断面', 'R1', 10, '500103001', 29.5, 106.5, 'III'),
     ('MS2', '较场口断面', 'R1', 20, '500103002', 29.5, 106.5, 'III'),
     ('MS3', '寨溪大桥', 'R1', 30, '500110001', 28.9, 106.6, 'III')`,
  );
  await q(
    `INSERT INTO environment.readings VALUES
     ('MS1', 'DISSOLVED_OXYGEN', '2025-08-12T06:00:00+08:00', 6.1),
     ('MS1', 'PH', '2025-08-12T06:00:00+08:00', 7.2),
     ('MS3', 'DISSOLVED_OXYGEN', '2025-08-12T06:00:00+08:00', 2.9)`,
  );
  await q(
    `INSERT INTO environment.pollution_sources VALUES
     ('PS1', '渝中食品厂排口', 'INDUSTRIAL_ENTERPRISE', $1, 'R1', 8, '500103001', 'PN1'),
     ('PS2', '三角镇污水处理厂', 'WASTEWATER_PLANT', $2, 'R1', 25, '500110001', 'PN2')`,
    [E3, E4],
  );
  await q(
    `INSERT INTO environment.incidents VALUES
     ('I1', 'OIL_SLICK', 'd', 'R1', 12, '500103001', 30, '2025-09-01T00:00:00Z'),
     ('I2', 'OIL_SLICK', 'd', 'R1', 32, '500110001', 300, '2025-09-02T00:00:00Z')`,
  );
  await q(
    `INSERT INTO water.rivers VALUES
     ('R1', '蒲河', 100, '长江', '500110', NULL, NULL),
     ('R2', '綦江', 200, '长江', '500110', NULL, NULL)`,
  );
  await q(
    `INSERT INTO water.stations VALUES
     ('ST1', '解放碑站', 'R1', 11, '500103001'),
     ('ST2', '较场口站', 'R1', 21, '500103002'),
     ('ST3', '三角站', 'R1', 31, '500110001')`,
  );
  await q(
    `INSERT INTO water.flow_readings VALUES
     ('ST1', '2025-08-12T00:00:00Z', 10, 2, 0.5),
     ('ST3', '2025-08-12T00:00:00Z', 30, 3, 0.8)`,
  );
  await q(
    `INSERT INTO water.intakes VALUES
     ('IN1', '解放碑取水口', 'R1', 15, '500103001', 120000),
     ('IN2', '较场口取水口', 'R1', 22, '500103002', 80000),
     ('IN3', '三角取水口', 'R1', 35, '500110001', 50000)`,
  );
  await q(
    `INSERT INTO enforcement.regions VALUES
     ('500000', '重庆市', '重庆市', 'CITY', '市', NULL, 29.5, 106.5),
     ('500103', '渝中区', '重庆市渝中区', 'DISTRICT', '区', '500000', 29.5, 106.5),
     ('500103001', '解放碑街道', '重庆市渝中区解放碑街道', 'STREET', '街道', '500103', 29.55, 106.57),
     ('500103002', '较场口街道', '重庆市渝中区较场口街道', 'STREET', '街道', '500103', 29.55, 106.57),
     ('500110', '綦江区', '重庆市綦江区', 'DISTRICT', '区', '500000', 29, 106.6),
     ('500110001', '三角镇', '重庆市綦江区三角镇', 'STREET', '镇', '500110', 28.9, 106.6)`,
  );
  await q(
    `INSERT INTO enforcement.squads VALUES
     ('SQ1', '解放碑中队', '500103001', 29.557, 106.577, 12, $1, '023-1'),
     ('SQ2', '较场口中队', '500103002', 29.552, 106.571, 10, $2, '023-2'),
     ('SQ3', '三角中队', '500110001', 28.9, 106.6, 8, $3, '023-3')`,
    [P1, P2, P3],
  );
  await q(
    `INSERT INTO enforcement.complaints VALUES
     ('C1', '渝快办', '烧烤油烟', '2025-09-15T20:00:00Z', 'a', 29.556, 106.576, '500103001', $1, 'RECEIVED', NULL, NULL, NULL, NULL),
     ('C2', '12345', '占道经营', '2025-09-14T20:00:00Z', 'b', 29.552, 106.571, '500103002', $2, 'RECEIVED', NULL, NULL, NULL, NULL),
     ('C3', '渝快办', '噪音', '2025-09-13T20:00:00Z', 'c', 29.556, 106.576, '500103001', $1, 'RESOLVED', 'SQ1', NULL, NULL, 'ok'),
     ('C4', '12345', '排污', '2025-09-12T20:00:00Z', 'd', 28.9, 106.6, '500110001', $3, 'RECEIVED', NULL, NULL, NULL, NULL)`,
    [P1, P2, P3],
  );
  await q(
    `INSERT INTO enforcement.inspections VALUES
     ('IS1', $1, '2025-01-01', 'SQ1', 'COMPLIANT', 'f'),
     ('IS2', $1, '2025-02-01', 'SQ2', 'RECTIFICATION_ORDERED', 'f'),
     ('IS3', $1, '2025-03-01', 'SQ3', 'COMPLIANT', 'f')`,
    [E1],
  );
  await q(
    `INSERT INTO emergency.risk_categories VALUES
     ('FIRE', '森林防火', '自然灾害'), ('CHEM', '危化品', '安全生产')`,
  );
  await q(
    `INSERT INTO emergency.risk_items VALUES
     ('RI1', '解放碑商圈', 'CHEM', 'MAJOR', '500103001', 'a', 29.5, 106.5, $1, NULL, '[]', '{}', $4, '2025-01-01T00:00:00Z'),
     ('RI2', '较场口加油站', 'CHEM', 'LOW', '500103002', 'b', 29.5, 106.5, NULL, NULL, '[]', '{}', $4, '2025-01-01T00:00:00Z'),
     ('RI3', '三角镇林区', 'FIRE', 'MAJOR', '500110001', 'c', 28.9, 106.6, $2, 'MS3', '[]', '{}', $4, '2025-01-01T00:00:00Z'),
     ('RI4', '解放碑林地', 'FIRE', 'HIGH', '500103001', 'd', 29.5, 106.5, NULL, NULL, '[]', '{}', $3, '2025-01-01T00:00:00Z')`,
    [E1, E4, P2, P1],
  );
  await q(
    `INSERT INTO emergency.alerts VALUES
     ('A1', 'RI1', 'ORANGE', 'NEW', 't', 'm', '2025-08-14T00:00:00Z', '500103001', NULL, '{}', '{}'),
     ('A2', 'RI2', 'BLUE', 'CLOSED', 't', 'm', '2025-08-13T00:00:00Z', '500103002', NULL, '{}', '{}'),
     ('A3', 'RI3', 'RED', 'NEW', 't', 'm', '2025-08-12T00:00:00Z', '500110001', 'MS3', '{}', '{}')`,
  );
  await q(
    `INSERT INTO publicsecurity.persons VALUES
     ($1, '张三', '500103199001011234', '13800000001', 'MALE', '1990-01-01', 'a', '500103001'),
     ($2, '李四', '500103199002021234', '13800000002', 'FEMALE', '1990-02-02', 'b', '500103002'),
     ($3, '王五', '500110199003031234', '13800000003', 'MALE', '1990-03-03', 'c', '500110001')`,
    [P1, P2, P3],
  );
  await q(
    `INSERT INTO publicsecurity.crowd_areas VALUES
     ('CA-JIEFANGBEI', '解放碑商圈', '500103001', 29.557, 106.577, 300000),
     ('CA-JIAOCHANGKOU', '较场口夜市', '500103002', 29.552, 106.571, 20000),
     ('CA-SANJIAO', '三角镇广场', '500110001', 28.9, 106.6, 5000)`,
  );
  await q(
    `INSERT INTO publicsecurity.crowd_observations VALUES
     ('CA-JIEFANGBEI', '2025-01-28T12:00:00Z', 200000, 1800000, '[]'),
     ('CA-SANJIAO', '2025-01-28T12:00:00Z', 100, 900, '[]')`,
  );
}

interface Page {
  totalCount: number;
  nodes: Array<Record<string, unknown> | null>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

function at(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined,
    data,
  );
}

function ok<T>(res: GraphQLResponse<T>): T {
  assert.equal(res.errors, undefined, res.text);
  assert.ok(res.data, res.text);
  return res.data;
}

/**
 * Walks a connection one row per page (`$first`/`$after` in `query`) and
 * returns the keys of all its rows, checking on every page that totalCount
 * stays the number of rows and that hasNextPage is true exactly until the
 * last one.
 */
async function walk(
  post: PostGraphQL,
  query: string,
  path: readonly string[],
  key: string,
  variables: Record<string, unknown> = {},
): Promise<string[]> {
  const keys: string[] = [];
  let after: string | null = null;
  let total: number | undefined;
  for (let guard = 0; guard < 20; guard += 1) {
    const page = at(
      ok(await post(query, { ...variables, first: 1, after })),
      path,
    ) as Page;
    total ??= page.totalCount;
    assert.equal(page.totalCount, total, 'totalCount changed between pages');
    for (const node of page.nodes) keys.push(String(node?.[key]));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.equal(keys.length, total, `walked ${keys.join()} of ${total}`);
  return keys;
}

/** The keys of one page of a connection, and its totalCount. */
async function firstPage(
  post: PostGraphQL,
  query: string,
  path: readonly string[],
  key: string,
  variables: Record<string, unknown> = {},
): Promise<{ keys: string[]; totalCount: number }> {
  const page = at(
    ok(await post(query, { first: 100, after: null, ...variables })),
    path,
  ) as Page;
  return {
    keys: page.nodes.map((n) => String(n?.[key])),
    totalCount: page.totalCount,
  };
}

/** `_entities` for one representation; returns the entity (or null). */
async function entity(
  post: PostGraphQL,
  representation: Record<string, unknown>,
  selection: string,
): Promise<Record<string, unknown> | null> {
  const res = await post<{ _entities: Array<Record<string, unknown> | null> }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${String(representation['__typename'])} { ${selection} } } }`,
    { r: [representation] },
  );
  return ok(res)._entities[0] ?? null;
}

function assertMalformedRefused(res: GraphQLResponse): void {
  assert.ok(res.errors && res.errors.length > 0, res.text);
  assert.equal(res.errors[0]?.extensions?.['code'], 'FORBIDDEN', res.text);
  assert.equal(
    res.errors[0]?.extensions?.['rule'],
    'row-scope-malformed',
    res.text,
  );
}

const MALFORMED: unknown[] = [
  { region: 'not-a-code' },
  { regionPrefix: '500103' },
  { types: { Enterprise: { op: 'like', field: 'name', value: '%' } } },
  'everything',
];

describe('row scope in every department', () => {
  let tdb: TestDatabase;
  const served = new Map<string, TestSubgraph>();
  const as = (name: string, scope: unknown): PostGraphQL => {
    const subgraph = served.get(name);
    assert.ok(subgraph, name);
    return subgraph.withScope(scope);
  };

  before(async () => {
    tdb = await createTestDatabase();
    const definitions: SubgraphDefinition[] = [
      marketSubgraph,
      environmentSubgraph,
      waterSubgraph,
      enforcementSubgraph,
      emergencySubgraph,
      publicsecuritySubgraph,
    ];
    for (const definition of definitions) {
      served.set(definition.name, await startSubgraph(definition, tdb.db));
    }
    await seed(tdb.db);
  });
  after(async () => {
    for (const subgraph of served.values()) await subgraph.close();
    await tdb.drop();
  });

  describe('market', () => {
    const LIST = `query($first: Int, $after: String) { enterprises(first: $first, after: $after) { totalCount nodes { creditCode } pageInfo { hasNextPage endCursor } } }`;
    const path = ['enterprises'];

    it('without a scope sees every row', async () => {
      const keys = await walk(as('market', null), LIST, path, 'creditCode');
      assert.deepEqual(keys, [E1, E2, E3, E4].sort());
    });

    it('a district and a street scope see only their rows, paged and counted', async () => {
      assert.deepEqual(
        await walk(as('market', DISTRICT), LIST, path, 'creditCode'),
        [E1, E2, E3].sort(),
      );
      assert.deepEqual(
        await walk(as('market', STREET), LIST, path, 'creditCode'),
        [E1, E3].sort(),
      );
      assert.deepEqual(
        await walk(
          as('market', { region: '500000' }),
          LIST,
          path,
          'creditCode',
        ),
        [E1, E2, E3, E4].sort(),
      );
    });

    it('lists hanging off a region or a person are scoped too', async () => {
      const region = await entity(
        as('market', STREET),
        { __typename: 'Region', code: '500103' },
        'enterprises { totalCount nodes { creditCode } }',
      );
      assert.deepEqual(region?.['enterprises'], {
        totalCount: 2,
        nodes: [{ creditCode: E1 }, { creditCode: E3 }].sort((a, b) =>
          a.creditCode.localeCompare(b.creditCode),
        ),
      });
      const person = await entity(
        as('market', DISTRICT),
        { __typename: 'Person', id: P1 },
        'legalRepresentativeOf { totalCount }',
      );
      // P1 represents E1, E3 (渝中) and E4 (綦江).
      assert.deepEqual(person?.['legalRepresentativeOf'], { totalCount: 2 });
    });

    it('an out-of-scope enterprise is null as a reference and NOT_FOUND by id', async () => {
      const post = as('market', STREET);
      assert.equal(
        await entity(
          post,
          { __typename: 'Enterprise', creditCode: E2 },
          'name',
        ),
        null,
      );
      assert.deepEqual(
        await entity(
          post,
          { __typename: 'Enterprise', creditCode: E1 },
          'name',
        ),
        { name: '解放碑火锅' },
      );
      const res = await post(
        `query($c: ID!) { enterprise(creditCode: $c) { name } }`,
        { c: E4 },
      );
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
      assert.equal(res.data?.['enterprise'], null);
    });

    it('grant row filters restrict rows: eq, in, prefix and and', async () => {
      const filtered = async (filter: unknown) =>
        walk(
          as('market', { types: { Enterprise: filter } }),
          LIST,
          path,
          'creditCode',
        );
      assert.deepEqual(
        await filtered({ op: 'eq', field: 'industry', value: '餐饮' }),
        [E1, E2].sort(),
      );
      assert.deepEqual(
        await filtered({ op: 'in', field: 'status', values: ['SUSPENDED'] }),
        [E2],
      );
      assert.deepEqual(
        await filtered({ op: 'prefix', field: 'regionCode', value: '500110' }),
        [E4],
      );
      assert.deepEqual(
        await filtered({
          op: 'and',
          filters: [
            { op: 'eq', field: 'status', value: 'ACTIVE' },
            { op: 'prefix', field: 'regionCode', value: '500103' },
          ],
        }),
        [E1, E3].sort(),
      );
      assert.deepEqual(
        await filtered({ op: 'in', field: 'status', values: [] }),
        [],
      );
    });

    it('a filter on an unknown attribute yields no rows', async () => {
      const post = as('market', {
        types: {
          Enterprise: { op: 'eq', field: 'legalRepIdNumber', value: 'x' },
        },
      });
      assert.deepEqual(await firstPage(post, LIST, path, 'creditCode'), {
        keys: [],
        totalCount: 0,
      });
      assert.equal(
        await entity(
          post,
          { __typename: 'Enterprise', creditCode: E1 },
          'name',
        ),
        null,
      );
    });

    it('a filter for another type does not restrict this one', async () => {
      const post = as('market', {
        types: { Person: { op: 'eq', field: 'gender', value: 'x' } },
      });
      assert.equal(
        (await firstPage(post, LIST, path, 'creditCode')).totalCount,
        4,
      );
    });

    it('a violation filter restricts the violations of an enterprise', async () => {
      const post = as('market', {
        region: '500103',
        types: { Violation: { op: 'eq', field: 'rectified', value: false } },
      });
      const e = await entity(
        post,
        { __typename: 'Enterprise', creditCode: E1 },
        'violations { totalCount nodes { id } }',
      );
      assert.deepEqual(e?.['violations'], {
        totalCount: 1,
        nodes: [{ id: 'V2' }],
      });
    });

    it('refuses a malformed scope with a code, never answering unrestricted', async () => {
      for (const scope of MALFORMED) {
        const res = await as('market', scope)(`{ enterprises { totalCount } }`);
        assertMalformedRefused(res);
        assert.equal(res.data ?? null, null, res.text);
      }
    });
  });

  describe('environment', () => {
    const LIST = `query($first: Int, $after: String) { monitoringSections(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const path = ['monitoringSections'];

    it('a district and a street scope see only their sections, paged and counted', async () => {
      assert.deepEqual(await walk(as('environment', null), LIST, path, 'id'), [
        'MS1',
        'MS2',
        'MS3',
      ]);
      assert.deepEqual(
        await walk(as('environment', DISTRICT), LIST, path, 'id'),
        ['MS1', 'MS2'],
      );
      assert.deepEqual(
        await walk(as('environment', STREET), LIST, path, 'id'),
        ['MS1'],
      );
    });

    it('scopes incidents, pollution sources, river and region lists', async () => {
      const post = as('environment', STREET);
      const INCIDENTS = `query($first: Int, $after: String) { pollutionIncidents(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
      assert.deepEqual(
        await walk(post, INCIDENTS, ['pollutionIncidents'], 'id'),
        ['I1'],
      );
      const river = await entity(
        post,
        { __typename: 'River', id: 'R1' },
        'monitoringSections { totalCount nodes { id } }',
      );
      assert.deepEqual(river?.['monitoringSections'], {
        totalCount: 1,
        nodes: [{ id: 'MS1' }],
      });
      const region = await entity(
        as('environment', DISTRICT),
        { __typename: 'Region', code: '500000' },
        'monitoringSections { totalCount }',
      );
      assert.deepEqual(region?.['monitoringSections'], { totalCount: 2 });
      const e4 = await entity(
        post,
        { __typename: 'Enterprise', creditCode: E4 },
        'pollutionSources { totalCount }',
      );
      assert.deepEqual(e4?.['pollutionSources'], { totalCount: 0 });
      // Candidate sources of I1 within 30 km upstream: PS1 only (PS2 is downstream).
      const res = await post(
        `{ pollutionIncident(id: "I1") { candidateSources(withinKm: 30) { totalCount nodes { source { id } } } } }`,
      );
      assert.deepEqual(ok(res)['pollutionIncident'], {
        candidateSources: { totalCount: 1, nodes: [{ source: { id: 'PS1' } }] },
      });
    });

    it('out-of-scope rows are null references, NOT_FOUND by id and skipped as neighbours', async () => {
      const post = as('environment', STREET);
      assert.equal(
        await entity(
          post,
          { __typename: 'MonitoringSection', id: 'MS3' },
          'name',
        ),
        null,
      );
      assert.equal(
        await entity(
          post,
          { __typename: 'PollutionIncident', id: 'I2' },
          'kind',
        ),
        null,
      );
      assert.equal(
        await entity(
          post,
          { __typename: 'PollutionSource', id: 'PS2' },
          'name',
        ),
        null,
      );
      const res = await post(`{ monitoringSection(id: "MS2") { name } }`);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
      const ms1 = ok(
        await as(
          'environment',
          DISTRICT,
        )(
          `{ monitoringSection(id: "MS1") { downstreamSection { id } upstreamSection { id } } }`,
        ),
      );
      assert.deepEqual(ms1['monitoringSection'], {
        downstreamSection: { id: 'MS2' },
        upstreamSection: null,
      });
      const ms1Street = ok(
        await post(
          `{ monitoringSection(id: "MS1") { downstreamSection { id } } }`,
        ),
      );
      assert.deepEqual(ms1Street['monitoringSection'], {
        downstreamSection: null,
      });
    });

    it('grant row filters restrict sections and readings; unknown attributes none', async () => {
      const filtered = (types: unknown) => as('environment', { types });
      assert.deepEqual(
        await walk(
          filtered({
            MonitoringSection: {
              op: 'in',
              field: 'id',
              values: ['MS2', 'MS3'],
            },
          }),
          LIST,
          path,
          'id',
        ),
        ['MS2', 'MS3'],
      );
      const readings = ok(
        await filtered({
          Reading: { op: 'eq', field: 'parameter', value: 'PH' },
        })(
          `{ monitoringSection(id: "MS1") { readings { totalCount } latestReading(parameter: DISSOLVED_OXYGEN) { value } } }`,
        ),
      );
      assert.deepEqual(readings['monitoringSection'], {
        readings: { totalCount: 1 },
        latestReading: null,
      });
      assert.deepEqual(
        await firstPage(
          filtered({
            MonitoringSection: { op: 'eq', field: 'secret', value: 'x' },
          }),
          LIST,
          path,
          'id',
        ),
        { keys: [], totalCount: 0 },
      );
    });

    it('refuses a malformed scope with a code', async () => {
      for (const scope of MALFORMED) {
        assertMalformedRefused(
          await as(
            'environment',
            scope,
          )(`{ monitoringSections { totalCount } }`),
        );
      }
    });
  });

  describe('water', () => {
    const STATIONS = `query($first: Int, $after: String) { river(id: "R1") { hydrologicalStations(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    const INTAKES = `query($first: Int, $after: String) { river(id: "R1") { drinkingWaterIntakes(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    const sPath = ['river', 'hydrologicalStations'];
    const iPath = ['river', 'drinkingWaterIntakes'];

    it('a district and a street scope see only their stations and intakes', async () => {
      assert.deepEqual(await walk(as('water', null), STATIONS, sPath, 'id'), [
        'ST1',
        'ST2',
        'ST3',
      ]);
      assert.deepEqual(
        await walk(as('water', DISTRICT), STATIONS, sPath, 'id'),
        ['ST1', 'ST2'],
      );
      assert.deepEqual(await walk(as('water', STREET), STATIONS, sPath, 'id'), [
        'ST1',
      ]);
      assert.deepEqual(
        await walk(as('water', DISTRICT), INTAKES, iPath, 'id'),
        ['IN1', 'IN2'],
      );
      assert.deepEqual(await walk(as('water', STREET), INTAKES, iPath, 'id'), [
        'IN1',
      ]);
    });

    it('rivers are shared topology: the region does not hide them', async () => {
      const LIST = `query($first: Int, $after: String) { rivers(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
      assert.deepEqual(
        await walk(as('water', STREET), LIST, ['rivers'], 'id'),
        ['R1', 'R2'],
      );
      assert.deepEqual(
        await walk(
          as('water', {
            types: { River: { op: 'eq', field: 'id', value: 'R2' } },
          }),
          LIST,
          ['rivers'],
          'id',
        ),
        ['R2'],
      );
    });

    it('scopes stations and intakes found from a monitoring section', async () => {
      const section = {
        __typename: 'MonitoringSection',
        id: 'MS1',
        river: { id: 'R1' },
        riverKm: 10,
      };
      const street = await entity(
        as('water', STREET),
        section,
        'nearbyHydrologicalStations(withinKm: 50) { totalCount nodes { station { id } } } downstreamIntakes { totalCount nodes { intake { id } } }',
      );
      assert.deepEqual(street, {
        nearbyHydrologicalStations: {
          totalCount: 1,
          nodes: [{ station: { id: 'ST1' } }],
        },
        downstreamIntakes: {
          totalCount: 1,
          nodes: [{ intake: { id: 'IN1' } }],
        },
      });
    });

    it('out-of-scope stations and intakes are null references', async () => {
      const post = as('water', STREET);
      assert.equal(
        await entity(
          post,
          { __typename: 'HydrologicalStation', id: 'ST3' },
          'name',
        ),
        null,
      );
      assert.equal(
        await entity(
          post,
          { __typename: 'DrinkingWaterIntake', id: 'IN2' },
          'name',
        ),
        null,
      );
      assert.deepEqual(
        await entity(
          post,
          { __typename: 'HydrologicalStation', id: 'ST1' },
          'name latestFlow { flowRate }',
        ),
        { name: '解放碑站', latestFlow: { flowRate: 10 } },
      );
    });

    it('grant row filters restrict rows; unknown attributes none', async () => {
      assert.deepEqual(
        await walk(
          as('water', {
            types: {
              HydrologicalStation: {
                op: 'and',
                filters: [
                  { op: 'prefix', field: 'regionCode', value: '5001' },
                  { op: 'in', field: 'id', values: ['ST2', 'ST3'] },
                ],
              },
            },
          }),
          STATIONS,
          sPath,
          'id',
        ),
        ['ST2', 'ST3'],
      );
      assert.deepEqual(
        await firstPage(
          as('water', {
            types: {
              DrinkingWaterIntake: { op: 'eq', field: 'operator', value: 'x' },
            },
          }),
          INTAKES,
          iPath,
          'id',
        ),
        { keys: [], totalCount: 0 },
      );
    });

    it('refuses a malformed scope with a code', async () => {
      for (const scope of MALFORMED) {
        assertMalformedRefused(
          await as(
            'water',
            scope,
          )(`{ hydrologicalStation(id: "ST1") { name } }`),
        );
      }
    });
  });

  describe('enforcement', () => {
    const LIST = `query($first: Int, $after: String) { complaints(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const path = ['complaints'];

    it('a district and a street scope see only their complaints, paged and counted', async () => {
      assert.deepEqual(await walk(as('enforcement', null), LIST, path, 'id'), [
        'C1',
        'C2',
        'C3',
        'C4',
      ]);
      assert.deepEqual(
        await walk(as('enforcement', DISTRICT), LIST, path, 'id'),
        ['C1', 'C2', 'C3'],
      );
      assert.deepEqual(
        await walk(as('enforcement', STREET), LIST, path, 'id'),
        ['C1', 'C3'],
      );
    });

    it('regions stay public; the lists hanging off them are scoped', async () => {
      const res = ok(
        await as('enforcement', STREET)(
          `query($first: Int, $after: String) { region(code: "500103") { fullName complaints(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } enforcementSquads { totalCount nodes { id } } children { totalCount } } }`,
          { first: 1, after: null },
        ),
      );
      assert.deepEqual(res['region'], {
        fullName: '重庆市渝中区',
        complaints: {
          totalCount: 2,
          nodes: [{ id: 'C1' }],
          pageInfo: {
            hasNextPage: true,
            endCursor:
              res['region'] &&
              (res['region'] as { complaints: Page }).complaints.pageInfo
                .endCursor,
          },
        },
        enforcementSquads: { totalCount: 1, nodes: [{ id: 'SQ1' }] },
        children: { totalCount: 2 },
      });
      assert.deepEqual(
        await walk(
          as('enforcement', STREET),
          `query($first: Int, $after: String) { region(code: "500103") { complaints(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`,
          ['region', 'complaints'],
          'id',
        ),
        ['C1', 'C3'],
      );
    });

    it('nearest squads and inspections see only squads in scope', async () => {
      const post = as('enforcement', STREET);
      const near = ok(
        await post(
          `{ nearestEnforcementSquads(latitude: 29.552, longitude: 106.571, first: 3) { squad { id } } }`,
        ),
      );
      assert.deepEqual(near['nearestEnforcementSquads'], [
        { squad: { id: 'SQ1' } },
      ]);
      const e1 = await entity(
        as('enforcement', DISTRICT),
        { __typename: 'Enterprise', creditCode: E1 },
        'inspections { totalCount nodes { id squad { id } } }',
      );
      assert.deepEqual(e1?.['inspections'], {
        totalCount: 2,
        nodes: [
          { id: 'IS2', squad: { id: 'SQ2' } },
          { id: 'IS1', squad: { id: 'SQ1' } },
        ],
      });
    });

    it('out-of-scope complaints and squads are null references', async () => {
      const post = as('enforcement', STREET);
      assert.equal(
        await entity(post, { __typename: 'Complaint', id: 'C2' }, 'summary'),
        null,
      );
      assert.equal(
        await entity(
          post,
          { __typename: 'EnforcementSquad', id: 'SQ3' },
          'name',
        ),
        null,
      );
      const res = await post(`{ complaint(id: "C4") { summary } }`);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
    });

    it('grant row filters restrict rows; unknown attributes none', async () => {
      assert.deepEqual(
        await walk(
          as('enforcement', {
            region: '500103',
            types: {
              Complaint: { op: 'eq', field: 'status', value: 'RESOLVED' },
            },
          }),
          LIST,
          path,
          'id',
        ),
        ['C3'],
      );
      assert.deepEqual(
        await firstPage(
          as('enforcement', {
            types: {
              Complaint: { op: 'eq', field: 'complainantId', value: P1 },
            },
          }),
          LIST,
          path,
          'id',
        ),
        { keys: [], totalCount: 0 },
      );
      const inspections = await entity(
        as('enforcement', {
          types: {
            Inspection: { op: 'eq', field: 'result', value: 'COMPLIANT' },
          },
        }),
        { __typename: 'Enterprise', creditCode: E1 },
        'inspections { totalCount nodes { id } }',
      );
      assert.deepEqual(inspections?.['inspections'], {
        totalCount: 2,
        nodes: [{ id: 'IS3' }, { id: 'IS1' }],
      });
    });

    it('refuses a malformed scope with a code', async () => {
      for (const scope of MALFORMED) {
        assertMalformedRefused(
          await as('enforcement', scope)(`{ complaints { totalCount } }`),
        );
      }
    });
  });

  describe('emergency', () => {
    const LIST = `query($first: Int, $after: String) { riskItems(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const ALERTS = `query($first: Int, $after: String) { alerts(first: $first, after: $after) { totalCount nodes { id riskItem { id } } pageInfo { hasNextPage endCursor } } }`;
    const path = ['riskItems'];

    it('a district and a street scope see only their risk items and alerts', async () => {
      assert.deepEqual(await walk(as('emergency', null), LIST, path, 'id'), [
        'RI1',
        'RI2',
        'RI3',
        'RI4',
      ]);
      assert.deepEqual(
        await walk(as('emergency', DISTRICT), LIST, path, 'id'),
        ['RI1', 'RI2', 'RI4'],
      );
      assert.deepEqual(await walk(as('emergency', STREET), LIST, path, 'id'), [
        'RI1',
        'RI4',
      ]);
      assert.deepEqual(
        await walk(as('emergency', DISTRICT), ALERTS, ['alerts'], 'id'),
        ['A1', 'A2'],
      );
      assert.deepEqual(
        await walk(as('emergency', STREET), ALERTS, ['alerts'], 'id'),
        ['A1'],
      );
    });

    it('counts per category, region, enterprise and person only rows in scope', async () => {
      const post = as('emergency', STREET);
      const categories = ok(
        await post(`{ riskCategories { nodes { code riskItemCount } } }`),
      );
      assert.deepEqual(categories['riskCategories'], {
        nodes: [
          { code: 'CHEM', riskItemCount: 1 },
          { code: 'FIRE', riskItemCount: 1 },
        ],
      });
      const region = await entity(
        post,
        { __typename: 'Region', code: '500000' },
        'riskItems { totalCount } alerts { totalCount }',
      );
      assert.deepEqual(region, {
        riskItems: { totalCount: 2 },
        alerts: { totalCount: 1 },
      });
      const person = await entity(
        as('emergency', DISTRICT),
        { __typename: 'Person', id: P1 },
        'responsibleFor { totalCount nodes { id } }',
      );
      // P1 is responsible for RI1, RI2 and RI3; RI3 is in 綦江.
      assert.deepEqual(person?.['responsibleFor'], {
        totalCount: 2,
        nodes: [{ id: 'RI1' }, { id: 'RI2' }],
      });
      const e4 = await entity(
        post,
        { __typename: 'Enterprise', creditCode: E4 },
        'riskItems { totalCount }',
      );
      assert.deepEqual(e4?.['riskItems'], { totalCount: 0 });
      const ms3 = await entity(
        post,
        { __typename: 'MonitoringSection', id: 'MS3' },
        'alerts { totalCount }',
      );
      assert.deepEqual(ms3?.['alerts'], { totalCount: 0 });
    });

    it('out-of-scope risk items and alerts are null references', async () => {
      const post = as('emergency', STREET);
      assert.equal(
        await entity(post, { __typename: 'RiskItem', id: 'RI2' }, 'name'),
        null,
      );
      assert.equal(
        await entity(post, { __typename: 'Alert', id: 'A3' }, 'title'),
        null,
      );
      const res = await post(`{ alert(id: "A2") { title } }`);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
    });

    it('grant row filters restrict rows; an alert follows its risk item', async () => {
      const major = as('emergency', {
        types: { RiskItem: { op: 'eq', field: 'level', value: 'MAJOR' } },
      });
      assert.deepEqual(await walk(major, LIST, path, 'id'), ['RI1', 'RI3']);
      // A2's risk item RI2 is LOW: the alert is hidden rather than answered
      // without its (non-null) risk item.
      assert.deepEqual(await walk(major, ALERTS, ['alerts'], 'id'), [
        'A1',
        'A3',
      ]);
      assert.deepEqual(
        await walk(
          as('emergency', {
            types: {
              RiskItem: { op: 'in', field: 'categoryCode', values: ['FIRE'] },
              Alert: { op: 'eq', field: 'status', value: 'NEW' },
            },
          }),
          ALERTS,
          ['alerts'],
          'id',
        ),
        ['A3'],
      );
      assert.deepEqual(
        await firstPage(
          as('emergency', {
            types: {
              RiskItem: { op: 'eq', field: 'responsiblePhone', value: 'x' },
            },
          }),
          LIST,
          path,
          'id',
        ),
        { keys: [], totalCount: 0 },
      );
    });

    it('refuses a malformed scope with a code', async () => {
      for (const scope of MALFORMED) {
        assertMalformedRefused(
          await as('emergency', scope)(`{ riskItems { totalCount } }`),
        );
      }
    });
  });

  describe('publicsecurity', () => {
    const LIST = `query($first: Int, $after: String) { crowdAreas(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const RECORDS = `query($first: Int, $after: String, $region: ID) { publicSecurityRecords(regionCode: $region, first: $first, after: $after) { totalCount nodes { __typename id name region { code } } pageInfo { hasNextPage endCursor } } }`;
    const path = ['crowdAreas'];

    it('a district and a street scope see only their crowd areas', async () => {
      assert.deepEqual(
        await walk(as('publicsecurity', DISTRICT), LIST, path, 'id'),
        ['CA-JIAOCHANGKOU', 'CA-JIEFANGBEI'],
      );
      assert.deepEqual(
        await walk(as('publicsecurity', STREET), LIST, path, 'id'),
        ['CA-JIEFANGBEI'],
      );
      const region = await entity(
        as('publicsecurity', STREET),
        { __typename: 'Region', code: '500103' },
        'crowdAreas { totalCount }',
      );
      assert.deepEqual(region?.['crowdAreas'], { totalCount: 1 });
    });

    it('public-security records (interface) are scoped per type, paged and counted', async () => {
      assert.deepEqual(
        await walk(
          as('publicsecurity', null),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
        ),
        ['CA-JIAOCHANGKOU', 'CA-JIEFANGBEI', 'CA-SANJIAO', P1, P2, P3],
      );
      assert.deepEqual(
        await walk(
          as('publicsecurity', DISTRICT),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
        ),
        ['CA-JIAOCHANGKOU', 'CA-JIEFANGBEI', P1, P2],
      );
      assert.deepEqual(
        await walk(
          as('publicsecurity', STREET),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
        ),
        ['CA-JIEFANGBEI', P1],
      );
      assert.deepEqual(
        await walk(
          as('publicsecurity', DISTRICT),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
          { region: '500103002' },
        ),
        ['CA-JIAOCHANGKOU', P2],
      );
      const page = ok(
        await as('publicsecurity', STREET)(RECORDS, { first: 10, after: null }),
      );
      assert.deepEqual((page['publicSecurityRecords'] as Page).nodes, [
        {
          __typename: 'CrowdArea',
          id: 'CA-JIEFANGBEI',
          name: '解放碑商圈',
          region: { code: '500103001' },
        },
        {
          __typename: 'Person',
          id: P1,
          name: '张三',
          region: { code: '500103001' },
        },
      ]);
    });

    it('the node union resolves both types and hides rows out of scope', async () => {
      const NODE = `query($id: ID!) { publicSecurityNode(id: $id) { __typename ... on Person { id gender } ... on CrowdArea { id safeCapacity } } }`;
      const post = as('publicsecurity', STREET);
      assert.deepEqual(ok(await post(NODE, { id: P1 }))['publicSecurityNode'], {
        __typename: 'Person',
        id: P1,
        gender: 'MALE',
      });
      assert.deepEqual(
        ok(await post(NODE, { id: 'CA-JIEFANGBEI' }))['publicSecurityNode'],
        { __typename: 'CrowdArea', id: 'CA-JIEFANGBEI', safeCapacity: 300000 },
      );
      assert.equal(
        ok(await post(NODE, { id: P2 }))['publicSecurityNode'],
        null,
      );
      assert.equal(
        ok(await post(NODE, { id: 'CA-SANJIAO' }))['publicSecurityNode'],
        null,
      );
      assert.equal(
        ok(await post(NODE, { id: 'nothing' }))['publicSecurityNode'],
        null,
      );
    });

    it('out-of-scope persons and crowd areas are null references', async () => {
      const post = as('publicsecurity', STREET);
      assert.equal(
        await entity(post, { __typename: 'Person', id: P3 }, 'name'),
        null,
      );
      assert.equal(
        await entity(
          post,
          { __typename: 'CrowdArea', id: 'CA-SANJIAO' },
          'name',
        ),
        null,
      );
      assert.deepEqual(
        await entity(
          post,
          { __typename: 'CrowdArea', id: 'CA-JIEFANGBEI' },
          'latestObservation { visitorsToday }',
        ),
        { latestObservation: { visitorsToday: 1800000 } },
      );
      const res = await post(`query($id: ID!) { person(id: $id) { name } }`, {
        id: P2,
      });
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
    });

    it('grant row filters restrict rows; unknown attributes none', async () => {
      assert.deepEqual(
        await walk(
          as('publicsecurity', {
            types: { Person: { op: 'eq', field: 'gender', value: 'MALE' } },
          }),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
        ),
        ['CA-JIAOCHANGKOU', 'CA-JIEFANGBEI', 'CA-SANJIAO', P1, P3],
      );
      assert.deepEqual(
        await walk(
          as('publicsecurity', {
            types: {
              Person: {
                op: 'eq',
                field: 'idNumber',
                value: '500103199001011234',
              },
              CrowdArea: { op: 'prefix', field: 'regionCode', value: '500110' },
            },
          }),
          RECORDS,
          ['publicSecurityRecords'],
          'id',
        ),
        ['CA-SANJIAO'],
      );
    });

    it('refuses a malformed scope with a code', async () => {
      for (const scope of MALFORMED) {
        assertMalformedRefused(
          await as(
            'publicsecurity',
            scope,
          )(`{ publicSecurityRecords { totalCount } }`),
        );
      }
    });
  });
});
