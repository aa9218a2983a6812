import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';

import { SignJWT } from 'jose';

import { exampleQueries } from '../../hub/exampleQueries.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const QUERY = `{ region(code: "500103") { name } }`;
const PURPOSE = 'x-govgraph-purpose';

let t: TestHub;
let url: string;

before(async () => {
  t = await startTestHub();
  url = t.hub.gatewayUrl;
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

/** Asks with `headers` and asserts that no SQL statement ran. */
async function refused(
  headers: Record<string, string>,
  query = QUERY,
): Promise<GraphQLResponse> {
  t.statements.reset();
  const res = await postGraphQL(url, query, undefined, headers);
  assert.equal(t.statements.count, 0, 'nothing reached a subgraph');
  assert.equal(res.data, undefined, res.text);
  assert.doesNotMatch(res.text, /stacktrace|\.ts:\d+/);
  return res;
}

function assertUnauthenticated(res: GraphQLResponse): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.errors?.length, 1, res.text);
  assert.equal(res.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  assert.deepEqual(Object.keys(res.errors?.[0]?.extensions ?? {}), ['code']);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('gateway identity: bearer tokens', () => {
  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const res = await refused({ [PURPOSE]: 'water-pollution-tracing' });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /Authorization: Bearer/);
  });

  it('answers 401 to an unsigned alg:none token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const user = findDemoUser('env-analyst');
    assert.ok(user);
    const { sub, ...claims } = user.claims;
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      ...claims,
      sub,
      iss: 'govgraph',
      aud: 'govgraph-gateway',
      iat: now,
      exp: now + 3600,
    })}.`;
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'water-pollution-tracing',
    });
    assertUnauthenticated(res);
  });

  it('answers 401 to a token signed with another key', async () => {
    const res = await refused(
      await demoHeaders('env-analyst', {
        secret: 'another secret, also at least 32 bytes long',
      }),
    );
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /signature/);
  });

  it('answers 401 to an expired token', async () => {
    const user = findDemoUser('env-analyst');
    assert.ok(user);
    const { sub, ...claims } = user.claims;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
    const res = await refused({
      authorization: `Bearer ${token}`,
      [PURPOSE]: 'water-pollution-tracing',
    });
    assertUnauthenticated(res);
    assert.match(res.errors?.[0]?.message ?? '', /expired/);
  });

  it('answers 400 BAD_USER_INPUT naming the header when no purpose is declared', async () => {
    const { authorization = '' } = await demoHeaders('env-analyst');
    const res = await refused({ authorization });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
    assert.match(res.errors?.[0]?.message ?? '', /x-govgraph-purpose/);
  });

  it('answers 403 FORBIDDEN with the rule for a purpose the token does not allow', async () => {
    const res = await refused(
      await demoHeaders('enforcement-jiefangbei', {
        purpose: 'water-pollution-tracing',
      }),
    );
    assert.equal(res.status, 403, res.text);
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    assert.equal(
      res.errors?.[0]?.extensions?.['rule'],
      'purpose-not-declarable',
    );
  });

  it('answers 200 with data for a valid token and a declarable purpose', async () => {
    const res = await postGraphQL<any>(
      url,
      QUERY,
      undefined,
      await demoHeaders('police-crowd-yuzhong'),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.region.name, '渝中区');
  });

  it('keeps GET /health open', async () => {
    const res = await fetch(new URL('/health', url));
    assert.equal(res.status, 200);
  });

  it('accepts a token printed by `npm run token`', async () => {
    const token = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'hub/tokenMain.ts',
          'algo-ruxi-oil',
          '--ttl',
          '10m',
        ],
        {
          cwd: new URL('../..', import.meta.url),
          env: { ...process.env, GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET },
        },
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
      );
    });
    // An algorithm identity reads only its filed inputs: the oil-slick
    // incident is one of them, regions are not.
    const res = await postGraphQL<any>(
      url,
      `{ pollutionIncident(id: "INC-RUXI-OIL") { id } }`,
      undefined,
      {
        authorization: `Bearer ${token}`,
        [PURPOSE]: 'water-pollution-tracing',
      },
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.pollutionIncident.id, 'INC-RUXI-OIL');
  });
});

describe('gateway limits', () => {
  let headers: Record<string, string>;
  before(async () => {
    headers = await demoHeaders('env-analyst');
  });

  async function rejected(query: string, message: RegExp): Promise<void> {
    const res = await refused(headers, query);
    assert.equal(res.status, 400, res.text);
    const error = res.errors?.find((e) => message.test(e.message));
    assert.ok(error, res.text);
    assert.equal(error.extensions?.['code'], 'GRAPHQL_VALIDATION_FAILED');
  }

  it('rejects a query deeper than the limit before any subgraph is asked', async () => {
    const deep = `{ region(code: "500103001") { ${'parent { '.repeat(14)}name${' }'.repeat(14)} } }`;
    await rejected(deep, /depth limit of 12/);
  });

  it('rejects an operation with too many aliases', async () => {
    const aliases = Array.from(
      { length: 16 },
      (_, i) => `r${i}: region(code: "500103") { name }`,
    ).join(' ');
    await rejected(`{ ${aliases} }`, /Aliases limit of 15/);
  });

  it('rejects an operation that costs too much', async () => {
    await rejected(
      `{ enterprises(first: 100) { nodes { violations(first: 100) { nodes { category } } inspections(first: 100) { nodes { id } } } } }`,
      /Cost limit of 200000/,
    );
  });

  it('hides field suggestions', async () => {
    const res = await postGraphQL(
      url,
      `{ region(code: "500103") { nam } }`,
      undefined,
      headers,
    );
    assert.equal(res.status, 400, res.text);
    assert.doesNotMatch(res.text, /Did you mean/);
  });

  it('lets every README example through', async () => {
    for (const example of exampleQueries) {
      const res = await postGraphQL(url, example.query, undefined, headers);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.errors, undefined, res.text);
    }
  });
});
