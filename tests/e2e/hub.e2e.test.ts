import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { createGateway } from '../../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/index.js';
import { exampleQueries } from '../../hub/exampleQueries.js';
import { createLogger, openDatabase } from '../../subgraphs/kit/src/index.js';
import { pino } from 'pino';
import {
  demoHeaders,
  fetchHealthAsOperator,
  postGraphQL,
  testIdentity,
  testSigningKey,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { testGovernance } from '../utils/governance.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- deep response walks */

let t: TestHub;
let headers: Record<string, string>;

/** POSTs to the gateway as the demo environment analyst. */
function post<T = any>(
  target: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(target, query, variables, headers);
}
let url: string;

before(async () => {
  t = await startTestHub();
  url = t.hub.gatewayUrl;
  headers = await demoHeaders('env-analyst');
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

function normalise(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}

describe('gateway: the README example queries', () => {
  it('quotes every example query exactly as the hub prints it', async () => {
    const readme = await readFile(
      new URL('../../README.md', import.meta.url),
      'utf8',
    );
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) =>
      normalise(m[1] ?? ''),
    );
    for (const example of exampleQueries) {
      assert.ok(
        blocks.includes(normalise(example.query)),
        `README.md lacks: ${example.title}`,
      );
    }
  });

  it('joins environment, water, enforcement, market and emergency for 蒲河寨溪大桥', async () => {
    const res = await post<any>(url, exampleQueries[0]!.query);
    assert.equal(res.errors, undefined, res.text);
    const section = res.data.monitoringSection;
    assert.equal(section.name, '寨溪大桥');
    assert.equal(section.river.name, '蒲河'); // water
    assert.match(section.region.fullName, /^重庆市綦江区/); // enforcement
    const breaches = section.readings.nodes.filter(
      (r: any) => r.breachesStandard,
    );
    assert.equal(breaches.length, 3, 'three days below standard'); // environment
    const sources = section.suspectedSources.nodes;
    assert.equal(sources.length, 2);
    for (const s of sources) {
      assert.equal(s.source.kind, 'WASTEWATER_PLANT');
      assert.ok(s.source.enterprise.name, 'market resolves the plant'); // market
      assert.ok(s.source.enterprise.licence.number);
    }
    assert.ok(section.alerts.nodes.length >= 1); // emergency
    assert.ok(section.alerts.nodes[0].notifiedParties.length >= 3);
  });

  it('matches the 较场口 complaint to 3 merchants and the nearest squad', async () => {
    const res = await post<any>(url, exampleQueries[1]!.query);
    assert.equal(res.errors, undefined, res.text);
    const complaint = res.data.complaint;
    assert.equal(complaint.merchants.nodes.length, 3);
    for (const m of complaint.merchants.nodes) {
      assert.ok(m.licence.number);
      assert.equal(typeof m.violations.totalCount, 'number');
    }
    assert.equal(complaint.nearestSquads[0].squad.name, '解放碑综合执法中队');
    assert.equal(complaint.status, 'RESOLVED');
  });
});

describe('gateway: entities across subgraphs', () => {
  it('traces the 汝溪河 oil slick to 17 enterprises and 3 plants with water data', async () => {
    const res = await post<any>(
      url,
      `{ pollutionIncident(id: "INC-RUXI-OIL") {
           areaSquareMeters
           river { name hydrologicalStations { totalCount } drinkingWaterIntakes { nodes { populationServed } } }
           candidateSources(withinKm: 30, first: 100) {
             totalCount
             nodes { distanceKm source { kind enterprise { industry } } }
           }
         } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const incident = res.data.pollutionIncident;
    assert.equal(incident.areaSquareMeters, 300);
    assert.equal(incident.river.hydrologicalStations.totalCount, 5);
    assert.ok(
      incident.river.drinkingWaterIntakes.nodes.some(
        (i: any) => i.populationServed === 120000,
      ),
    );
    const kinds = incident.candidateSources.nodes.map(
      (n: any) => n.source.kind,
    );
    assert.equal(
      kinds.filter((k: string) => k === 'INDUSTRIAL_ENTERPRISE').length,
      17,
    );
    assert.equal(
      kinds.filter((k: string) => k === 'WASTEWATER_PLANT').length,
      3,
    );
    const nearest = incident.candidateSources.nodes[0];
    assert.equal(nearest.distanceKm, 2.3);
    assert.equal(nearest.source.enterprise.industry, '食品加工');
  });

  it("resolves @requires fields: a section's hydrological stations and downstream intakes", async () => {
    const res = await post<any>(
      url,
      `{ monitoringSections(regionCode: "500155", first: 50) { nodes {
           id river { id } riverKm
           nearbyHydrologicalStations(withinKm: 50) { nodes { offsetKm station { river { id } } } }
           downstreamIntakes { nodes { distanceKm travelHours } }
         } } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const withStations = res.data.monitoringSections.nodes.filter(
      (s: any) => s.nearbyHydrologicalStations.nodes.length > 0,
    );
    assert.ok(withStations.length > 0);
    for (const s of withStations) {
      for (const n of s.nearbyHydrologicalStations.nodes) {
        assert.equal(
          n.station.river.id,
          s.river.id,
          'stations are on the same river',
        );
      }
    }
  });

  it('walks Person → enterprises (market) → risk items (emergency) → region (enforcement)', async () => {
    const list = await post<any>(
      url,
      `{ riskItems(first: 50) { nodes { enterprise { creditCode legalRepresentative { id } } } } }`,
    );
    assert.equal(list.errors, undefined, list.text);
    const withEnterprise = list.data.riskItems.nodes.find(
      (n: any) => n.enterprise,
    );
    assert.ok(withEnterprise, 'some risk item names an enterprise');
    const personId = withEnterprise.enterprise.legalRepresentative.id;
    const res = await post<any>(
      url,
      `query($id: ID!) { person(id: $id) {
         id
         legalRepresentativeOf { nodes { creditCode riskItems { nodes { id region { level } } } } }
         responsibleFor { totalCount }
       } }`,
      { id: personId },
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.person.id, personId);
    assert.ok(
      res.data.person.legalRepresentativeOf.nodes.some(
        (e: any) => e.creditCode === withEnterprise.enterprise.creditCode,
      ),
    );
  });

  it('gathers a district from five departments through Region', async () => {
    const res = await post<any>(
      url,
      `{ region(code: "500103") {
           name level children(first: 100) { totalCount }
           enterprises { totalCount }
           monitoringSections { totalCount }
           riskItems { totalCount }
           crowdAreas { nodes { name latestObservation { visitorsToday } } }
         } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const region = res.data.region;
    assert.equal(region.name, '渝中区');
    assert.equal(region.level, 'DISTRICT');
    assert.ok(region.enterprises.totalCount > 0);
    assert.ok(region.riskItems.totalCount > 0);
    assert.ok(
      region.crowdAreas.nodes.some((a: any) => a.name === '解放碑商圈'),
    );
  });
});

describe('gateway: SQL statements per request', () => {
  // Six departments, as the city's emergency duty officer (who may read
  // the names of risk items' responsible persons under grant G-2025-002).
  const query = `query($n: Int!) { enterprises(first: $n) { nodes {
      name region { name }
      violations { totalCount nodes { category } }
      inspections { totalCount }
      pollutionSources { totalCount }
      riskItems { totalCount nodes { category { name } responsiblePerson { name } } }
  } } }`;

  async function statementsFor(n: number): Promise<number> {
    const dutyHeaders = await demoHeaders('emergency-duty');
    t.statements.reset();
    const res = await postGraphQL<any>(url, query, { n }, dutyHeaders);
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.enterprises.nodes.length, n);
    return t.statements.count;
  }

  it('does not grow with the length of the list (10 vs 100 enterprises)', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    process.stdout.write(
      `# SQL statements: 10 enterprises → ${ten}, 100 enterprises → ${hundred}\n`,
    );
    assert.equal(hundred, ten);
  });
});

describe('gateway: bad input', () => {
  it('answers a malformed credit code with BAD_USER_INPUT and no stack', async () => {
    const res = await post(
      url,
      `{ enterprise(creditCode: "not-a-code") { name } }`,
    );
    assert.equal(res.status, 200);
    assert.equal(
      res.errors?.[0]?.extensions?.['code'],
      'BAD_USER_INPUT',
      res.text,
    );
    assert.doesNotMatch(res.text, /stacktrace|\.ts:\d+/);
  });

  it('answers unknown ids with NOT_FOUND', async () => {
    for (const q of [
      `{ complaint(id: "C-NOPE") { summary } }`,
      `{ monitoringSection(id: "MS-NOPE") { name } }`,
      `{ region(code: "500199") { name } }`,
    ]) {
      const res = await post(url, q);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'NOT_FOUND',
        res.text,
      );
    }
  });

  it('refuses oversized pages, malformed region codes and bad cursors', async () => {
    for (const q of [
      `{ enterprises(first: 1000) { totalCount } }`,
      `{ enterprises(regionCode: "110101") { totalCount } }`,
      `{ riskItems(after: "bogus") { totalCount } }`,
    ]) {
      const res = await post(url, q);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'BAD_USER_INPUT',
        `${q}: ${res.text}`,
      );
    }
  });

  it('answers malformed requests with 400 and a code, never a 500', async () => {
    const notJson = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"query": ',
    });
    assert.equal(notJson.status, 400);
    assert.equal(
      ((await notJson.json()) as any).errors[0].extensions.code,
      'BAD_USER_INPUT',
    );
    const syntax = await post(url, `{ enterprise(creditCode: ) }`);
    assert.equal(syntax.status, 400);
    assert.equal(
      syntax.errors?.[0]?.extensions?.['code'],
      'GRAPHQL_PARSE_FAILED',
    );
    const unknownField = await post(
      url,
      `{ enterprise(creditCode: "x") { shoeSize } }`,
    );
    assert.equal(unknownField.status, 400);
    assert.equal(
      unknownField.errors?.[0]?.extensions?.['code'],
      'GRAPHQL_VALIDATION_FAILED',
    );
  });
});

describe('gateway: a subgraph that is down', () => {
  it('returns partial data and an error naming the subgraph, and stays up', async () => {
    const urls = Object.fromEntries(
      t.hub.subgraphs.map((s) => [s.name, s.url]),
    );
    const gateway = createGateway(
      {
        supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
        // Nothing listens on port 9 (discard) here: market is "down".
        subgraphUrls: { ...urls, market: 'http://127.0.0.1:9/graphql' },
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance(),
      },
      { logger: createLogger('down-test', 'silent') },
    );
    const served = await gateway.listen({ port: 0 });
    try {
      const res = await post<any>(
        served.url,
        `{ complaint(id: "C-20250915-JCK") { summary merchants { nodes { creditCode name } } } }`,
      );
      assert.ok(res.data?.complaint?.summary, 'enforcement data still arrives');
      const error = res.errors?.find(
        (e) => e.extensions?.['code'] === 'UPSTREAM_UNAVAILABLE',
      );
      assert.ok(error, res.text);
      assert.equal(error.extensions?.['subgraph'], 'market');
      assert.doesNotMatch(res.text, /127\.0\.0\.1:9|ECONNREFUSED/);
      const again = await post<any>(
        served.url,
        `{ region(code: "500103") { name } }`,
      );
      assert.equal(again.data?.region?.name, '渝中区');
      const health = (await (
        await fetchHealthAsOperator(served.url)
      ).json()) as any;
      assert.equal(health.subgraphs.market, 'unavailable');
      assert.equal(health.subgraphs.enforcement, 'ok');
    } finally {
      await served.close();
    }
  });
});

/** The value of the sample of `name` whose labels include `labels`, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const labelText = match[3] ?? '';
    if (
      Object.entries(labels).every(([k, v]) =>
        labelText.includes(`${k}="${v}"`),
      )
    ) {
      return Number(match[4]);
    }
  }
  return undefined;
}

describe('operations: metrics, the request log and /ready', () => {
  const COMPLAINT = `query Complaint($id: ID!) {
    complaint(id: $id) { summary complainant { id name mobile idNumber } }
  }`;

  it('counts requests, withheld and masked fields by rule, logs one line per request without values, and flips /ready', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write(line: string) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    );
    // A database of the test's own behind /ready's check, to lose and get back.
    let database = await openDatabase({
      kind: 'pg',
      connectionString: t.tdb.url,
    });
    const gateway = createGateway(
      {
        supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
        subgraphUrls: Object.fromEntries(
          t.hub.subgraphs.map((sg) => [sg.name, sg.url]),
        ),
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance({ policy: t.hub.policy }),
      },
      {
        logger,
        database: {
          kind: 'pg',
          query: (sql: string) => database.query(sql),
        },
      },
    );
    const served = await gateway.listen({ port: 0 });
    try {
      const caller = await demoHeaders('enforcement-jiefangbei');
      const res = await postGraphQL<any>(
        served.url,
        COMPLAINT,
        { id: 'C-20250915-JCK' },
        caller,
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(
        res.errors?.[0]?.extensions?.['rule'],
        'negative-list:NL-PS-001@1',
      );
      const refused = await postGraphQL(served.url, '{ __typename }');
      assert.equal(refused.status, 401);

      // The request log: one line per request, who and what, no values.
      const logged = lines.filter((l) => l['msg'] === 'graphql request');
      assert.equal(logged.length, 2, JSON.stringify(lines));
      const [line, refusal] = logged;
      assert.deepEqual(
        {
          ...line,
          time: undefined,
          pid: undefined,
          hostname: undefined,
          durationMs: undefined,
          operationHash: undefined,
        },
        {
          level: 30,
          msg: 'graphql request',
          subject: 'enforcement-jiefangbei',
          department: 'enforcement',
          purpose: line?.['purpose'],
          operationName: 'Complaint',
          outcome: 'partial',
          status: 200,
          errors: 1,
          withheld: 1,
          masked: 2,
          time: undefined,
          pid: undefined,
          hostname: undefined,
          durationMs: undefined,
          operationHash: undefined,
        },
      );
      assert.equal(line?.['purpose'], caller['x-govgraph-purpose']);
      assert.match(String(line?.['operationHash']), /^[0-9a-f]{64}$/);
      assert.equal(typeof line?.['durationMs'], 'number');
      // No tracing SDK in this process: no trace id.
      assert.equal('traceId' in (line ?? {}), false);
      const text = JSON.stringify(logged);
      assert.equal(text.includes('C-20250915-JCK'), false, 'a variable');
      for (const value of [
        res.data?.complaint?.complainant?.name,
        res.data?.complaint?.summary,
      ]) {
        assert.ok(value);
        assert.equal(text.includes(String(value)), false, `logged ${value}`);
      }
      assert.equal(refusal?.['outcome'], 'refused');
      assert.equal(refusal?.['status'], 401);
      assert.equal(refusal?.['code'], 'UNAUTHENTICATED');

      // The metrics: only to an operator's token, like /health's details.
      const metricsUrl = new URL('/metrics', served.url);
      assert.equal((await fetch(metricsUrl)).status, 403);
      const { authorization } = await demoHeaders('hub-operator');
      const scraped = await fetch(metricsUrl, {
        headers: { authorization: authorization ?? '' },
      });
      assert.equal(scraped.status, 200);
      assert.match(scraped.headers.get('content-type') ?? '', /text\/plain/);
      const metrics = await scraped.text();
      const gw = { component: 'gateway' };
      assert.equal(
        sample(metrics, 'govgraph_graphql_requests_total', {
          ...gw,
          operation: 'Complaint',
          outcome: 'partial',
          status: '200',
        }),
        1,
      );
      assert.equal(
        sample(metrics, 'govgraph_graphql_requests_total', {
          ...gw,
          operation: 'anonymous',
          outcome: 'refused',
          status: '401',
        }),
        1,
      );
      assert.equal(
        sample(metrics, 'govgraph_graphql_request_duration_seconds_count', {
          ...gw,
          operation: 'Complaint',
        }),
        1,
      );
      assert.equal(
        sample(metrics, 'govgraph_gateway_withheld_fields_total', {
          ...gw,
          rule: 'negative-list:NL-PS-001@1',
          owner: 'publicsecurity',
          code: 'FORBIDDEN_BY_NEGATIVE_LIST',
        }),
        1,
      );
      const masks = metrics
        .split('\n')
        .filter((l) => l.startsWith('govgraph_gateway_masked_fields_total{'));
      assert.equal(masks.length, 2, masks.join('\n'));
      assert.ok(masks.every((l) => l.includes('owner="publicsecurity"')));
      assert.equal(
        sample(metrics, 'govgraph_gateway_plan_cache_lookups_total', {
          result: 'miss',
        }),
        1,
      );
      assert.equal(
        sample(metrics, 'govgraph_policy_info', {
          version: t.hub.policy.current().policy.version,
        }),
        1,
      );
      assert.equal(sample(metrics, 'govgraph_policy_store_connected'), 1);
      for (const subgraph of ['enforcement', 'publicsecurity']) {
        assert.ok(
          (sample(
            metrics,
            'govgraph_gateway_subgraph_request_duration_seconds_count',
            { subgraph, outcome: 'ok' },
          ) ?? 0) >= 1,
          subgraph,
        );
      }
      assert.ok((sample(metrics, 'process_cpu_user_seconds_total') ?? 0) > 0);
      assert.doesNotMatch(metrics, /C-20250915-JCK/);

      // Readiness: ready; the database lost: 503 naming it; back: ready.
      const readyUrl = new URL('/ready', served.url);
      const ready = await fetch(readyUrl);
      const readyBody = (await ready.json()) as any;
      assert.equal(ready.status, 200, JSON.stringify(readyBody));
      assert.equal(readyBody.checks.policy.status, 'ok');
      assert.equal(readyBody.checks.accessLog.status, 'disabled');
      assert.deepEqual(readyBody.checks.subgraphs.down, []);
      await database.close();
      const lost = await fetch(readyUrl);
      const lostBody = (await lost.json()) as any;
      assert.equal(lost.status, 503);
      assert.deepEqual(lostBody.reasons, [
        'database: the database does not answer',
      ]);
      database = await openDatabase({
        kind: 'pg',
        connectionString: t.tdb.url,
      });
      assert.equal((await fetch(readyUrl)).status, 200);
      // Liveness does not change with it.
      assert.equal((await fetch(new URL('/health', served.url))).status, 200);
    } finally {
      await served.close();
      await database.close();
    }
  });

  it("serves the hub's gateway metrics with the job queues' and the search index's, and each subgraph's own", async () => {
    const { authorization } = await demoHeaders('hub-operator');
    const metrics = await (
      await fetch(new URL('/metrics', url), {
        headers: { authorization: authorization ?? '' },
      })
    ).text();
    assert.equal(
      sample(metrics, 'govgraph_job_queue_jobs', {
        component: 'jobs',
        queue: 'govgraph-search',
        kind: 'in-process',
        state: 'failed',
      }),
      0,
    );
    assert.equal(sample(metrics, 'govgraph_search_outbox_pending'), 0);
    assert.equal(
      sample(metrics, 'govgraph_access_log_queue_depth', {
        component: 'gateway',
      }),
      0,
    );
    // The cross-department reads of the tests above were committed.
    assert.ok(
      (sample(metrics, 'govgraph_access_log_commit_duration_seconds_count', {
        component: 'gateway',
      }) ?? 0) >= 1,
    );
    assert.equal(
      sample(metrics, 'govgraph_access_log_write_failures_total', {
        component: 'gateway',
      }),
      0,
    );
    const enforcement = t.hub.subgraphs.find((sg) => sg.name === 'enforcement');
    const own = await (
      await fetch(new URL('/metrics', enforcement?.url))
    ).text();
    assert.ok(
      (sample(own, 'govgraph_graphql_requests_total', {
        component: 'enforcement',
        outcome: 'ok',
      }) ?? 0) >= 1,
      own,
    );
    assert.equal(
      sample(own, 'govgraph_gateway_withheld_fields_total'),
      undefined,
    );
    const ready = await fetch(new URL('/ready', enforcement?.url));
    assert.equal(ready.status, 200);
  });
});
