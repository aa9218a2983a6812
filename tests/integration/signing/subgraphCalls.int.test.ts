import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { base64url, SignJWT } from 'jose';

import {
  bodyHash,
  countStatements,
  createHmacKey,
  signCall,
  SIGNATURE_HEADER,
  SIGNATURE_TYPE,
} from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import {
  postBody,
  postGraphQL,
  signedPostGraphQL,
  startSubgraph,
  TEST_SIGNING_SECRET,
  testSigningKey,
  type GraphQLResponse,
  type TestSubgraph,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';

const QUERY = '{ enterprises { totalCount } }';
const BODY = JSON.stringify({ query: QUERY });
const CONTEXT = { principal: null, scope: null };

/** Asserts a 401 UNAUTHENTICATED whose message matches `reason`. */
function assertRefused(res: GraphQLResponse, reason: RegExp): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.errors?.length, 1, res.text);
  assert.equal(res.errors[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  assert.match(res.errors[0]?.message ?? '', reason);
  assert.equal(res.data, undefined, res.text);
  assert.ok(!res.text.includes(TEST_SIGNING_SECRET), 'the secret leaked');
}

/** Claims as the gateway signs them, for tokens built by hand. */
function claims(overrides: Record<string, unknown> = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: 'govgraph-gateway',
    aud: 'market',
    iat,
    exp: iat + 30,
    jti: randomUUID(),
    bh: bodyHash(BODY),
    ctx: CONTEXT,
    ...overrides,
  };
}

describe('signed subgraph calls: a real subgraph answers only the gateway', () => {
  let tdb: TestDatabase;
  let counter: ReturnType<typeof countStatements>;
  let subgraph: TestSubgraph;
  let url: string;

  before(async () => {
    tdb = await createTestDatabase();
    counter = countStatements(tdb.db);
    subgraph = await startSubgraph(marketSubgraph, counter.db);
    url = subgraph.url;
  });
  after(async () => {
    await subgraph.close();
    await tdb.drop();
  });

  /** POSTs `body` with `signature` and checks that no SQL ran if refused. */
  async function send(
    signature: string | undefined,
    body = BODY,
  ): Promise<GraphQLResponse> {
    counter.reset();
    const res = await postBody(
      url,
      body,
      signature === undefined ? {} : { [SIGNATURE_HEADER]: signature },
    );
    if (res.status !== 200) {
      assert.equal(counter.count, 0, 'a refused call reached the resolvers');
    }
    return res;
  }

  it('answers a direct, unsigned call with 401', async () => {
    assertRefused(
      await postGraphQL(url, QUERY),
      /^Missing x-govgraph-signature header/,
    );
    assertRefused(await send(''), /^Missing x-govgraph-signature header/);
  });

  it('keeps /health open', async () => {
    const res = await fetch(new URL('/health', url));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  it('answers a valid signed call with 200', async () => {
    const res = await subgraph.post(QUERY);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.data, { enterprises: { totalCount: 0 } });
  });

  it('refuses a replayed signed call', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'market',
      body: BODY,
      context: CONTEXT,
    });
    const first = await send(signature);
    assert.equal(first.status, 200, first.text);
    assertRefused(await send(signature), /already used \(replayed call\)/);
  });

  it('refuses an altered body sent with the original signature', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'market',
      body: BODY,
      context: CONTEXT,
    });
    const altered = JSON.stringify({
      query: '{ enterprises(first: 100) { totalCount nodes { name } } }',
    });
    assertRefused(
      await send(signature, altered),
      /body does not match its call signature/,
    );
    // One byte of whitespace is an alteration too.
    assertRefused(
      await send(signature, `${BODY} `),
      /body does not match its call signature/,
    );
  });

  it('refuses a signature made for another subgraph', async () => {
    const res = await signedPostGraphQL(url, { audience: 'water' }, QUERY);
    assertRefused(res, /for another subgraph/);
  });

  it('refuses an expired signature', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'market',
      body: BODY,
      context: CONTEXT,
      now: Date.now() - 40_000,
    });
    assertRefused(await send(signature), /has expired/);
  });

  it('refuses a signature valid for longer than a call needs', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'market',
      body: BODY,
      context: CONTEXT,
      ttlSeconds: 3600,
    });
    assertRefused(await send(signature), /valid for longer/);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const header = base64url.encode(
      JSON.stringify({ alg: 'none', typ: SIGNATURE_TYPE }),
    );
    const payload = base64url.encode(JSON.stringify(claims()));
    assertRefused(await send(`${header}.${payload}.`), /alg "none"/);
    const upper = base64url.encode(
      JSON.stringify({ alg: 'NONE', typ: SIGNATURE_TYPE }),
    );
    assertRefused(await send(`${upper}.${payload}.`), /alg "none"/);
  });

  it('refuses any algorithm other than the configured one', async () => {
    const secret = new TextEncoder().encode(TEST_SIGNING_SECRET);
    const hs512 = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS512', typ: SIGNATURE_TYPE })
      .sign(secret);
    assertRefused(await send(hs512), /algorithm is not accepted/);
  });

  it('refuses a signature made with another key', async () => {
    const res = await signedPostGraphQL(
      url,
      {
        audience: 'market',
        key: createHmacKey('another secret that is 32 bytes or longer'),
      },
      QUERY,
    );
    assertRefused(res, /made with another key, or altered/);
  });

  it('refuses a tampered token: claims changed after signing', async () => {
    const signature = await signCall(testSigningKey, {
      audience: 'water',
      body: BODY,
      context: CONTEXT,
    });
    const [header, , sig] = signature.split('.');
    const forged = base64url.encode(JSON.stringify(claims()));
    assertRefused(
      await send(`${header}.${forged}.${sig}`),
      /made with another key, or altered/,
    );
  });

  it('refuses other tokens signed with the same key', async () => {
    const secret = new TextEncoder().encode(TEST_SIGNING_SECRET);
    const identity = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secret);
    assertRefused(await send(identity), /not a govgraph call signature/);
    const foreignIssuer = await new SignJWT(claims({ iss: 'someone-else' }))
      .setProtectedHeader({ alg: 'HS256', typ: SIGNATURE_TYPE })
      .sign(secret);
    assertRefused(await send(foreignIssuer), /not issued by the gateway/);
  });

  it('refuses signatures that lack a claim or carry a malformed one', async () => {
    const secret = new TextEncoder().encode(TEST_SIGNING_SECRET);
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: SIGNATURE_TYPE })
        .sign(secret);
    const { bh: _bh, ...noHash } = claims();
    assertRefused(await send(await sign(noHash)), /"bh" is missing/);
    const { jti: _jti, ...noId } = claims();
    assertRefused(await send(await sign(noId)), /"jti" is missing/);
    const { ctx: _ctx, ...noContext } = claims();
    assertRefused(await send(await sign(noContext)), /"ctx" is missing/);
    assertRefused(
      await send(await sign(claims({ ctx: 'admin' }))),
      /"ctx" must be an object/,
    );
    // The principal is the gateway's wire contract, parsed where the call
    // arrives: a signed call carrying anything else is refused.
    assertRefused(
      await send(
        await sign(
          claims({ ctx: { principal: { sub: 'admin' }, scope: null } }),
        ),
      ),
      /"ctx.principal" is not a request principal/,
    );
    assertRefused(
      await send(await sign(claims({ aud: ['water', 'market'] }))),
      /for another subgraph|claims are invalid/,
    );
  });

  it('refuses garbage in the signature header', async () => {
    assertRefused(await send('not-a-token'), /not a compact JWS|malformed/);
    assertRefused(await send('a.b.c'), /not a compact JWS|malformed/);
  });

  it('serves signed calls by POST only, and never a GET unsigned', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent(QUERY)}`);
    assert.equal(get.status, 401);
    const signature = await signCall(testSigningKey, {
      audience: 'market',
      body: '',
      context: CONTEXT,
    });
    const signedGet = await fetch(`${url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { [SIGNATURE_HEADER]: signature },
    });
    assert.equal(signedGet.status, 405);
  });
});
