// Bearer tokens through the gateway (issue 12, finding 7): an algorithm
// role without its filing claim, a maximum lifetime, revocation by jti and
// by subject — in force at the gateway that served the revocation and, by
// the policy store's LISTEN/NOTIFY, at a second gateway over the same
// database, within a bound — and the clock tolerance. Tokens are signed
// here with jose (not mintToken), so that the test states every claim it
// sends; expired tokens are minted with `exp` in the past instead of
// waiting. How fast a revocation reaches another gateway, over many rounds,
// is `npm run bench:propagation` (docs/benchmarks.md#policy-propagation).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { SignJWT } from 'jose';

import { createGateway } from '../../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import {
  createPolicyStore,
  type PolicyStore,
} from '../../policies/store/src/policy/index.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/index.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import {
  createLogger,
  openDatabase,
  type Database,
  type ServedGraphQL,
} from '../../subgraphs/kit/src/index.js';
import { testGovernance } from '../utils/governance.js';
import {
  postGraphQL,
  TEST_TOKEN_SECRET,
  testIdentity,
  testSigningKey,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { LAUNCHER } from '../utils/processes.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const PURPOSE = 'x-govgraph-purpose';
const QUERY = `{ region(code: "500103") { name } }`;
const HOUR = 3_600;
/** How long a second gateway may take to refuse a revoked token (README). */
const OTHER_GATEWAY_BOUND_MS = 2_000;

let t: TestHub;
let second: { db: Database; store: PolicyStore; served: ServedGraphQL };
/** The hub's gateway (serves the revocations) and the second one. */
let gateways: Array<{ name: string; url: string }>;

before(async () => {
  t = await startTestHub({ replayScenarios: false });
  const db = await openDatabase({ kind: 'pg', connectionString: t.tdb.url });
  const logger = createLogger('gateway-b', 'silent');
  // An hour: only a notification explains a reload within the test.
  const store = createPolicyStore({ db, logger, refreshIntervalMs: 3_600_000 });
  await store.start();
  const gateway = createGateway(
    {
      supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
      subgraphUrls: Object.fromEntries(
        t.hub.subgraphs.map((s) => [s.name, s.url]),
      ),
      signing: testSigningKey,
      identity: testIdentity,
      governance: testGovernance({ policy: store }),
    },
    { logger },
  );
  second = { db, store, served: await gateway.listen({ port: 0 }) };
  gateways = [
    { name: 'serving gateway', url: t.hub.gatewayUrl },
    { name: 'second gateway', url: second.served.url },
  ];
});
after(async () => {
  await second?.served.close();
  await second?.store.close();
  await second?.db.close();
  await t?.[Symbol.asyncDispose]();
});

/** A token for a demo user's claims (or others), with exactly these times. */
async function sign(
  userId: string,
  times: { iat?: number; exp: number; jti?: string },
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const user = findDemoUser(userId);
  assert.ok(user, userId);
  const { sub, ...claims } = user.claims;
  const jwt = new SignJWT({ ...claims, ...overrides })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer('govgraph')
    .setAudience('govgraph-gateway')
    .setExpirationTime(times.exp)
    .setJti(times.jti ?? randomUUID());
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  return jwt.sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A token valid for an hour from now. */
function fresh(userId: string, jti?: string): Promise<string> {
  const iat = nowSeconds();
  return sign(userId, { iat, exp: iat + HOUR, ...(jti ? { jti } : {}) });
}

function ask(
  url: string,
  token: string,
  purpose: string,
  query = QUERY,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<any>> {
  return postGraphQL<any>(url, query, variables, {
    authorization: `Bearer ${token}`,
    [PURPOSE]: purpose,
  });
}

function assertServed(res: GraphQLResponse<any>): void {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.errors, undefined, res.text);
  assert.equal(res.data?.region?.name, '渝中区', res.text);
}

function assertRefused(
  res: GraphQLResponse<any>,
  message: RegExp,
  rule?: string,
): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.data, undefined, res.text);
  assert.equal(res.errors?.length, 1, res.text);
  const [error] = res.errors ?? [];
  assert.equal(error?.extensions?.['code'], 'UNAUTHENTICATED', res.text);
  assert.match(error?.message ?? '', message);
  if (rule !== undefined) assert.equal(error?.extensions?.['rule'], rule);
}

const REVOKE = `mutation Revoke($input: TokenRevocationInput!) {
  revokeTokens(input: $input) { id jti subject issuedBefore reason revokedBy revokedAt }
}`;

/**
 * Revokes through the serving gateway as the city data authority and
 * answers the revocation. The gateway answers a policy write once its own
 * policy store has reloaded (read-your-writes): nothing is refreshed here.
 */
async function revoke(input: Record<string, unknown>): Promise<any> {
  const res = await ask(
    t.hub.gatewayUrl,
    await fresh('city-data-authority'),
    'data-governance',
    REVOKE,
    { input },
  );
  assert.equal(res.status, 200, res.text);
  assert.equal(res.errors, undefined, res.text);
  // The version the serving gateway decides from after the write.
  assert.equal(typeof (res as any).extensions?.policyVersion, 'string');
  return res.data.revokeTokens;
}

/** Asks the second gateway until it refuses `token`; the delay in ms. */
async function refusedBySecondWithin(
  token: string,
  purpose: string,
  since: number,
): Promise<number> {
  for (;;) {
    const res = await ask(second.served.url, token, purpose);
    const elapsed = performance.now() - since;
    if (res.status === 401) {
      assertRefused(res, /has been revoked/, 'token-revoked');
      return elapsed;
    }
    assertServed(res);
    assert.ok(
      elapsed < OTHER_GATEWAY_BOUND_MS,
      `the second gateway still served the revoked token after ${String(Math.round(elapsed))} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('bearer tokens at the gateway', () => {
  it('refuses an algorithm identity without its filing claim (401)', async () => {
    const iat = nowSeconds();
    // algo-ruxi-oil's claims without `filing`: role `algorithm`, which the
    // demo policy lets read everything — as an ordinary user it would.
    const noFiling = await sign(
      'algo-ruxi-oil',
      { iat, exp: iat + HOUR },
      { filing: undefined },
    );
    for (const { url } of gateways) {
      assertRefused(
        await ask(url, noFiling, 'water-pollution-tracing'),
        /an algorithm identity must carry its filing claim/,
        'algorithm-filing-required',
      );
    }
    // With its filing, the same identity is limited to its filed inputs.
    const filed = await fresh('algo-ruxi-oil');
    const res = await ask(
      t.hub.gatewayUrl,
      filed,
      'water-pollution-tracing',
      `{ pollutionIncident(id: "INC-RUXI-OIL") { id } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.pollutionIncident.id, 'INC-RUXI-OIL');
  });

  it('refuses a token that lives longer than the 12 h maximum, or has no iat', async () => {
    const iat = nowSeconds();
    const century = await sign('env-analyst', {
      iat,
      exp: iat + 100 * 365 * 24 * HOUR,
    });
    const justOver = await sign('env-analyst', {
      iat: iat - HOUR,
      exp: iat - HOUR + 12 * HOUR + 1,
    });
    const noIat = await sign('env-analyst', { exp: iat + HOUR });
    const future = await sign('env-analyst', {
      iat: iat + HOUR,
      exp: iat + 2 * HOUR,
    });
    const twelveHours = await sign('env-analyst', {
      iat,
      exp: iat + 12 * HOUR,
    });
    for (const { url } of gateways) {
      for (const token of [century, justOver]) {
        assertRefused(
          await ask(url, token, 'water-pollution-tracing'),
          /its lifetime exceeds the 12 h maximum/,
          'token-max-lifetime',
        );
      }
      assertRefused(
        await ask(url, noIat, 'water-pollution-tracing'),
        /claim "iat" is missing/,
      );
      assertRefused(
        await ask(url, future, 'water-pollution-tracing'),
        /issued in the future/,
        'token-max-lifetime',
      );
      assertServed(await ask(url, twelveHours, 'water-pollution-tracing'));
    }
  });

  it('accepts a token expired within the 5 s clock tolerance and refuses one beyond it', async () => {
    const now = nowSeconds();
    const within = await sign('env-analyst', { iat: now - HOUR, exp: now - 1 });
    const beyond = await sign('env-analyst', { iat: now - HOUR, exp: now - 8 });
    for (const { url } of gateways) {
      assertServed(await ask(url, within, 'water-pollution-tracing'));
      assertRefused(
        await ask(url, beyond, 'water-pollution-tracing'),
        /it has expired/,
      );
    }
  });

  it('refuses a token revoked by its jti at once, at the second gateway within the bound, and only that token', async (ctx) => {
    const jti = randomUUID();
    const revoked = await fresh('env-analyst', jti);
    const sibling = await fresh('env-analyst');
    // Both gateways have verified (and remembered) both tokens.
    for (const { url } of gateways) {
      assertServed(await ask(url, revoked, 'water-pollution-tracing'));
      assertServed(await ask(url, sibling, 'water-pollution-tracing'));
    }
    const revocation = await revoke({ jti, reason: 'laptop lost' });
    const started = performance.now();
    assert.equal(revocation.jti, jti);
    assert.equal(revocation.subject, null);
    assert.equal(revocation.issuedBefore, null);
    assert.equal(revocation.reason, 'laptop lost');
    assert.equal(revocation.revokedBy, 'city-data-authority');
    assertRefused(
      await ask(t.hub.gatewayUrl, revoked, 'water-pollution-tracing'),
      /The bearer token was rejected: it has been revoked\./,
      'token-revoked',
    );
    const delay = await refusedBySecondWithin(
      revoked,
      'water-pollution-tracing',
      started,
    );
    ctx.diagnostic(
      `second gateway refused the revoked jti ${String(Math.round(delay))} ms after the mutation answered`,
    );
    for (const { url } of gateways) {
      assertServed(await ask(url, sibling, 'water-pollution-tracing'));
    }
  });

  it('refuses every token of a subject issued up to its revocation, and serves one issued after', async () => {
    const user = 'police-crowd-yuzhong';
    const purpose = 'crowd-management';
    const now = nowSeconds();
    const earlier = [
      await sign(user, { iat: now - 2 * HOUR, exp: now + HOUR }),
      await fresh(user),
    ];
    const bystander = await fresh('env-analyst');
    for (const { url } of gateways) {
      for (const token of earlier) assertServed(await ask(url, token, purpose));
    }
    const revocation = await revoke({
      subject: 'police-crowd-yuzhong',
      reason: 'left the department',
    });
    const started = performance.now();
    assert.equal(revocation.subject, user);
    assert.equal(revocation.jti, null);
    const issuedBefore = Date.parse(revocation.issuedBefore);
    assert.ok(issuedBefore <= Date.now() && issuedBefore >= now * 1000);
    for (const token of earlier) {
      assertRefused(
        await ask(t.hub.gatewayUrl, token, purpose),
        /has been revoked/,
        'token-revoked',
      );
    }
    for (const token of earlier) {
      await refusedBySecondWithin(token, purpose, started);
    }
    // `iat` has whole seconds: a token issued in the second after the
    // revocation's instant is a later one.
    const iat = Math.floor(issuedBefore / 1000) + 1;
    const later = await sign(user, { iat, exp: iat + HOUR });
    for (const { url } of gateways) {
      assertServed(await ask(url, later, purpose));
      assertServed(await ask(url, bystander, 'water-pollution-tracing'));
    }
  });

  it('lets only the city data authority revoke, and refuses bad input', async () => {
    const officer = await fresh('market-data-officer');
    const res = await ask(
      t.hub.gatewayUrl,
      officer,
      'data-governance',
      REVOKE,
      { input: { subject: 'env-analyst', reason: 'not mine to revoke' } },
    );
    assert.equal(res.errors?.[0]?.extensions?.['code'], 'FORBIDDEN', res.text);
    assert.equal(
      res.errors?.[0]?.extensions?.['rule'],
      'governance:token-revocation',
    );
    assert.match(res.errors?.[0]?.message ?? '', /city data authority/);

    const authority = await fresh('city-data-authority');
    for (const [input, message] of [
      [{ reason: 'nothing named' }, /exactly one of them/],
      [{ jti: 'a', subject: 'b', reason: 'both' }, /exactly one of them/],
      [{ jti: 'a', reason: '  ' }, /reason is required/],
      [
        { subject: 'b', issuedBefore: '2999-01-01T00:00:00Z', reason: 'x' },
        /not in the future/,
      ],
      [
        { jti: 'a', issuedBefore: '2025-01-01', reason: 'x' },
        /goes with a subject/,
      ],
    ] as const) {
      const bad = await ask(
        t.hub.gatewayUrl,
        authority,
        'data-governance',
        REVOKE,
        { input },
      );
      assert.equal(
        bad.errors?.[0]?.extensions?.['code'],
        'BAD_USER_INPUT',
        bad.text,
      );
      assert.match(bad.errors?.[0]?.message ?? '', message);
    }
    // Nothing was written by any of these: env-analyst's tokens still work.
    assertServed(
      await ask(
        t.hub.gatewayUrl,
        await fresh('env-analyst'),
        'water-pollution-tracing',
      ),
    );
    const listed = await ask(
      t.hub.gatewayUrl,
      authority,
      'data-governance',
      `{ tokenRevocations(subject: "env-analyst") { totalCount } }`,
    );
    assert.equal(listed.errors, undefined, listed.text);
    assert.equal(listed.data.tokenRevocations.totalCount, 0);
  });

  it('lists the revocations, newest first, to the city data authority', async () => {
    const res = await ask(
      t.hub.gatewayUrl,
      await fresh('city-data-authority'),
      'data-governance',
      `{ tokenRevocations(first: 10) { totalCount nodes { jti subject reason revokedBy } } }`,
    );
    assert.equal(res.errors, undefined, res.text);
    const nodes = res.data.tokenRevocations.nodes as any[];
    assert.ok(res.data.tokenRevocations.totalCount >= 2, res.text);
    const reasons = nodes.map((n) => n.reason);
    assert.ok(
      reasons.indexOf('left the department') < reasons.indexOf('laptop lost'),
      res.text,
    );
  });
});

describe('npm run token and the maximum lifetime', () => {
  it('refuses a --ttl above GOVGRAPH_MAX_TOKEN_TTL with a clear error', async () => {
    const result = await new Promise<{ code: number; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [LAUNCHER, 'hub/tokenMain.ts', 'env-analyst', '--ttl', '24h'],
          {
            cwd: new URL('../..', import.meta.url),
            env: { ...process.env, GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET },
          },
          (error, _stdout, stderr) =>
            resolve({
              code: error?.code === undefined ? 0 : Number(error.code),
              stderr,
            }),
        );
      },
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /--ttl 24h exceeds the maximum token lifetime of 12 h \(GOVGRAPH_MAX_TOKEN_TTL\)/,
    );
  });
});
