// The gateway's and a department's own mains as processes: any
// Federation 2 supergraph file for the gateway, a subgraph that migrates,
// serves and stops on SIGTERM, and one-line failures.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  migratePolicyStore,
  writePolicyDocument,
} from '../../policies/store/src/policy/index.js';
import { composeSupergraph } from '../../subgraphs/composeSupergraph.js';
import { departmentSubgraphs } from '../../subgraphs/index.js';
import {
  demoHeaders,
  postGraphQL,
  signedPostGraphQL,
  TEST_SIGNING_SECRET,
  TEST_TOKEN_SECRET,
} from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { collect, run, waitFor } from '../utils/processes.js';
import { createTestDatabase } from '../utils/testDatabase.js';

// Independent cases, each with its own process: they run side by side.
describe('gateway/src/main.ts', { concurrency: true }, () => {
  it('serves any Federation 2 supergraph file named on the command line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-supergraph-'));
    const port = await freePort();
    const file = join(dir, 'market-only.graphql');
    await writeFile(
      file,
      composeSupergraph(departmentSubgraphs.filter((d) => d.name === 'market')),
    );
    // The policy store and the access log live in this database; the
    // gateway migrates both. With an empty policy no role permits
    // anything, so this test seeds one role that reads everything.
    await using tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    await writePolicyDocument(tdb.db, {
      entries: [],
      grants: [],
      roles: { 'data-officer': [{ action: 'read', subject: 'all' }] },
      algorithms: [],
    });
    const child = run('gateway/src/main.ts', [file], {
      PORT: String(port),
      LOG_LEVEL: 'silent',
      GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
      GATEWAY_MASK_SECRET: TEST_SIGNING_SECRET,
      DATABASE_URL: tdb.url,
    });
    const io = collect(child);
    const headers = await demoHeaders('market-data-officer');
    try {
      await waitFor(async () => {
        try {
          const res = await postGraphQL(
            `http://127.0.0.1:${port}/graphql`,
            '{ __typename }',
            undefined,
            headers,
          );
          return res.status === 200;
        } catch {
          return false;
        }
      }, 30_000);
      // The market-only graph has enterprises but no complaints.
      const res = await postGraphQL(
        `http://127.0.0.1:${port}/graphql`,
        '{ complaint(id: "x") { id } }',
        undefined,
        headers,
      );
      assert.equal(
        res.errors?.[0]?.extensions?.['code'],
        'GRAPHQL_VALIDATION_FAILED',
        res.text,
      );
      child.kill('SIGTERM');
      assert.equal(await io.exit, 0, io.err());
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true });
    }
  });

  it('exits 1 with one line for a file that is not a supergraph', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-supergraph-'));
    try {
      const file = join(dir, 'plain.graphql');
      await writeFile(file, 'type Query { hello: String }');
      const io = collect(
        run('gateway/src/main.ts', [file], {
          PORT: '0',
          GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
          GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
          GATEWAY_MASK_SECRET: TEST_SIGNING_SECRET,
          DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
        }),
      );
      assert.equal(await io.exit, 1);
      assert.match(io.err(), /is not a valid Federation 2 supergraph/);
      assert.equal(io.err().trim().split('\n').length, 1, io.err());
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe(
  'a subgraph as its own process (subgraphs/<name>/src/main.ts)',
  { concurrency: true },
  () => {
    it('migrates its schema on a real PostgreSQL, serves, and stops on SIGTERM', async () => {
      await using tdb = await createTestDatabase();
      const port = await freePort();
      const child = run('subgraphs/market/src/main.ts', [], {
        DATABASE_URL: tdb.url,
        PORT: String(port),
        LOG_LEVEL: 'silent',
        GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      });
      const io = collect(child);
      try {
        let res: Awaited<ReturnType<typeof postGraphQL>> | undefined;
        await waitFor(async () => {
          try {
            res = await signedPostGraphQL(
              `http://127.0.0.1:${port}/graphql`,
              { audience: 'market' },
              '{ enterprises { totalCount } }',
            );
            return res.status === 200;
          } catch {
            return false;
          }
        }, 30_000);
        assert.deepEqual(res?.data, { enterprises: { totalCount: 0 } });
        const { rows } = await tdb.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM market.schema_migrations',
        );
        assert.equal(rows[0]?.n, 1);
        child.kill('SIGTERM');
        assert.equal(await io.exit, 0, io.err());
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('exits 1 with one line when DATABASE_URL is missing', async () => {
      const io = collect(
        run('subgraphs/water/src/main.ts', [], {
          PORT: '0',
          GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
        }),
      );
      assert.equal(await io.exit, 1);
      assert.match(
        io.err(),
        /^govgraph: DATABASE_URL is required to run the water subgraph on its own/,
      );
      assert.equal(io.err().trim().split('\n').length, 1, io.err());
    });
  },
);
