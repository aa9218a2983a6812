import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createGateway } from '../../../gateway/src/createGateway.js';
import {
  DepartmentDataSource,
  type GraphQLDataSourceProcessOptions,
} from '../../../gateway/src/DepartmentDataSource.js';
import { composeSupergraph } from '../../../subgraphs/composeSupergraph.js';
import {
  createHmacKey,
  createLogger,
  createSubgraph,
  type ServedGraphQL,
  type SubgraphContext,
  type SubgraphDefinition,
} from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import {
  demoHeaders,
  postGraphQL,
  startSubgraph,
  testIdentity,
  testSigningKey,
  type TestSubgraph,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { testGovernance } from '../../utils/governance.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const ECHO_SDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type Query {
  "The call context this subgraph received, as JSON."
  call(note: String): String!
  "Answers after ms milliseconds."
  slow(ms: Int!): String!
  "A string of n characters."
  big(n: Int!): String!
}
`;

/** The principal of the i-th concurrent caller, as the gateway signs it. */
function userPrincipal(i: number) {
  return {
    subject: `user-${String(i)}`,
    department: 'market',
    roles: ['reader'],
    level: 'CITY',
    regionCode: '500000',
    purposes: ['market-supervision'],
    purpose: 'market-supervision',
  };
}

describe('the gateway signs every subgraph call', () => {
  let dir: string;
  let tdb: TestDatabase;
  let echo: SubgraphDefinition;
  let market: TestSubgraph;
  let echoServed: TestSubgraph;
  let supergraphSdl: string;
  let urls: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govgraph-signing-'));
    await writeFile(join(dir, 'schema.graphql'), ECHO_SDL);
    echo = {
      name: 'echo',
      department: 'test',
      schema: 'echo',
      schemaFile: join(dir, 'schema.graphql'),
      migrationsDir: dir,
      defaultPort: 4099,
      resolvers: {
        Query: {
          call: (_: unknown, __: unknown, ctx: SubgraphContext) =>
            JSON.stringify(ctx.call),
          slow: async (_: unknown, args: { ms: number }) => {
            await new Promise((r) => setTimeout(r, args.ms));
            return 'late';
          },
          big: (_: unknown, args: { n: number }) => 'x'.repeat(args.n),
        },
      },
    };
    tdb = await createTestDatabase();
    market = await startSubgraph(marketSubgraph, tdb.db);
    echoServed = await startSubgraph(echo, tdb.db);
    await tdb.db.query(
      `INSERT INTO market.enterprises VALUES
       ('91500103MA5U1A2B3X', '较场口老火锅🍲', '餐饮', 'ACTIVE', 50, '2019-03-01', '渝中区较场口1号', '500103001', 29.55, 106.57, 'P-1', 'B', 'L1', '2019-03-01', NULL, '餐饮服务', '渝中区市场监督管理局')`,
    );
    supergraphSdl = composeSupergraph([marketSubgraph, echo]);
    urls = { market: market.url, echo: echoServed.url };
  });
  after(async () => {
    await market.close();
    await echoServed.close();
    await tdb.drop();
    await rm(dir, { recursive: true });
  });

  async function gateway(
    signing: Parameters<typeof createGateway>[0]['signing'],
    bounds: Pick<
      Parameters<typeof createGateway>[0],
      'subgraphTimeoutMs' | 'maxConcurrent' | 'maxResponseBytes'
    > = {},
  ): Promise<ServedGraphQL> {
    return createGateway(
      {
        supergraphSdl,
        subgraphUrls: urls,
        signing,
        ...bounds,
        identity: testIdentity,
        governance: testGovernance(),
      },
      { logger: createLogger('signing-test', 'silent') },
    ).listen({ port: 0 });
  }

  it('reaches a subgraph that answers only signed calls, with non-ASCII variables intact', async () => {
    const served = await gateway(testSigningKey);
    try {
      const res = await postGraphQL<any>(
        served.url,
        `query($n: String) { enterprises(nameContains: $n) { nodes { name } } call(note: $n) }`,
        { n: '老火锅🍲' },
        await demoHeaders('market-data-officer'),
      );
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(res.data.enterprises.nodes, [
        { name: '较场口老火锅🍲' },
      ]);
      assert.deepEqual(JSON.parse(res.data.call), {
        principal: {
          subject: 'market-data-officer',
          department: 'market',
          roles: ['data-officer'],
          level: 'CITY',
          regionCode: '500000',
          purposes: ['market-supervision', 'data-governance'],
          purpose: 'market-supervision',
        },
        scope: null,
      });
    } finally {
      await served.close();
    }
  });

  it('gets nothing from subgraphs when it signs with another key', async () => {
    const served = await gateway(
      createHmacKey('a different secret, also 32 bytes long'),
    );
    try {
      const res = await postGraphQL<any>(
        served.url,
        `{ enterprises { totalCount } }`,
        undefined,
        await demoHeaders(),
      );
      assert.equal(res.data, null, res.text);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'UPSTREAM_UNAVAILABLE',
      );
      assert.equal(res.errors?.[0]?.extensions?.['subgraph'], 'market');
    } finally {
      await served.close();
    }
  });

  it("signs each call with its own request's principal and scope", async () => {
    const source = new DepartmentDataSource({
      name: 'echo',
      url: echoServed.url,
      signing: testSigningKey,
    });
    const ask = (i: number) =>
      source.process({
        kind: 'health check',
        request: { query: `{ call(note: "${i}") }` },
        context: {
          principal: userPrincipal(i),
          scope: { region: `500${100 + i}` },
        },
      } as GraphQLDataSourceProcessOptions);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ask(i)),
    );
    responses.forEach((res, i) => {
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      assert.deepEqual(JSON.parse(String(res.data?.['call'])), {
        principal: userPrincipal(i),
        scope: { region: `500${100 + i}` },
      });
    });
  });

  it('abandons a subgraph call that takes longer than the timeout, naming the subgraph', async () => {
    const served = await gateway(testSigningKey, { subgraphTimeoutMs: 300 });
    try {
      const started = performance.now();
      const res = await postGraphQL<any>(
        served.url,
        `{ slow(ms: 5000) enterprises { totalCount } }`,
        undefined,
        await demoHeaders('market-data-officer'),
      );
      const ms = performance.now() - started;
      assert.ok(ms < 3_000, `answered after ${String(Math.round(ms))} ms`);
      assert.equal(res.data, null, res.text);
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'UPSTREAM_UNAVAILABLE',
      );
      assert.equal(res.errors?.[0]?.extensions?.['subgraph'], 'echo');
      // A call within the bound is answered.
      const fast = await postGraphQL<any>(
        served.url,
        `{ slow(ms: 10) }`,
        undefined,
        await demoHeaders('market-data-officer'),
      );
      assert.equal(fast.data?.slow, 'late', fast.text);
    } finally {
      await served.close();
    }
  });

  it('sheds requests beyond the bound in flight with 503 SERVER_BUSY and Retry-After, and serves again after', async () => {
    const served = await gateway(testSigningKey, { maxConcurrent: 2 });
    try {
      const headers = await demoHeaders('market-data-officer');
      const slow = [1, 2].map(() =>
        postGraphQL<any>(served.url, `{ slow(ms: 1500) }`, undefined, headers),
      );
      // Both slow requests are in flight once the subgraph has them.
      await new Promise((r) => setTimeout(r, 500));
      const shed = await fetch(served.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ call }' }),
      });
      assert.equal(shed.status, 503);
      assert.equal(shed.headers.get('retry-after'), '1');
      const body = (await shed.json()) as any;
      assert.equal(body.errors[0].extensions.code, 'SERVER_BUSY');
      for (const res of await Promise.all(slow)) {
        assert.equal(res.data?.slow, 'late', res.text);
      }
      const after = await postGraphQL<any>(
        served.url,
        `{ slow(ms: 1) }`,
        undefined,
        headers,
      );
      assert.equal(after.data?.slow, 'late', after.text);
    } finally {
      await served.close();
    }
  });

  it('answers 503 RESPONSE_TOO_LARGE instead of an answer over the size bound', async () => {
    const served = await gateway(testSigningKey, { maxResponseBytes: 10_000 });
    try {
      const headers = await demoHeaders('market-data-officer');
      const large = await postGraphQL<any>(
        served.url,
        `{ big(n: 20000) }`,
        undefined,
        headers,
      );
      assert.equal(large.status, 503, large.text.slice(0, 300));
      assert.equal(
        large.errors?.[0]?.extensions?.['code'],
        'RESPONSE_TOO_LARGE',
      );
      assert.ok(large.text.length < 1_000, 'none of the answer is sent');
      const small = await postGraphQL<any>(
        served.url,
        `{ big(n: 100) }`,
        undefined,
        headers,
      );
      assert.equal(small.data?.big.length, 100, small.text);
    } finally {
      await served.close();
    }
  });

  it('answers partial data naming a subgraph that went down, and recovers when it is back, without a gateway restart', async () => {
    // A new instance for each start, as a restarted process is.
    const echoProcess = () =>
      createSubgraph(echo, {
        db: tdb.db,
        logger: createLogger('echo', 'silent'),
        callKey: testSigningKey,
      });
    let up = await echoProcess().listen({ port: 0 });
    const port = up.port;
    const served = await createGateway(
      {
        supergraphSdl,
        subgraphUrls: { market: market.url, echo: up.url },
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance(),
      },
      { logger: createLogger('signing-test', 'silent') },
    ).listen({ port: 0 });
    try {
      const headers = await demoHeaders('market-data-officer');
      const ask = () =>
        postGraphQL<any>(
          served.url,
          `{ enterprises { totalCount } call(note: "x") }`,
          undefined,
          headers,
        );
      assert.equal((await ask()).errors, undefined);
      await up.close();
      const down = await ask();
      assert.equal(down.status, 200, down.text);
      assert.equal(down.data, null, down.text);
      assert.equal(
        down.errors?.[0]?.extensions?.['code'],
        'UPSTREAM_UNAVAILABLE',
      );
      assert.equal(down.errors?.[0]?.extensions?.['subgraph'], 'echo');
      // The market half still answers on its own.
      const partial = await postGraphQL<any>(
        served.url,
        `{ enterprises { totalCount } }`,
        undefined,
        headers,
      );
      assert.equal(partial.data?.enterprises?.totalCount, 1, partial.text);
      up = await echoProcess().listen({ port });
      const back = await ask();
      assert.equal(back.errors, undefined, back.text);
      assert.equal(back.data?.enterprises?.totalCount, 1);
    } finally {
      await served.close();
      await up.close();
    }
  });
});
