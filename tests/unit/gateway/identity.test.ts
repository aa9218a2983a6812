import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';

import {
  AuthenticationError,
  createTokenVerifier,
  mintToken,
  secretKeyId,
  type TokenClaims,
} from '../../../gateway/src/identity/index.js';

const secret = new TextEncoder().encode(
  'a development secret of at least thirty-two bytes',
);
const claims: TokenClaims = {
  sub: 'env-analyst-01',
  dept: 'environment',
  roles: ['analyst'],
  level: 'CITY',
  region: '500000',
  purposes: ['water-pollution-tracing'],
};
const verify = createTokenVerifier({ keys: { kind: 'secret', secret } });

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function rejection(authorization: string | undefined): Promise<string> {
  try {
    await verify(authorization);
  } catch (error) {
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.equal(error.extensions['code'], 'UNAUTHENTICATED');
    assert.deepEqual(error.extensions['http'], { status: 401 });
    return error.message;
  }
  assert.fail('the token was accepted');
}

describe('createTokenVerifier', () => {
  it('accepts a token it signed and returns the govgraph claims', async () => {
    const token = await mintToken(claims, secret);
    assert.deepEqual(await verify(`Bearer ${token}`), claims);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    assert.match(await rejection(undefined), /Authentication required/);
    assert.match(await rejection('Basic dXNlcjpwYXNz'), /not "Bearer <JWT>"/);
    assert.match(await rejection('Bearer not-a-jwt'), /not "Bearer <JWT>"/);
    assert.match(await rejection('Bearer a.b.c'), /malformed/);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
      ...claims,
      iss: 'govgraph',
      aud: 'govgraph-gateway',
      iat: now,
      exp: now + 600,
    })}.`;
    assert.match(
      await rejection(`Bearer ${unsigned}`),
      /algorithm is not accepted/,
    );
  });

  it('refuses a token signed with another key', async () => {
    const other = new TextEncoder().encode(
      'another secret, also long enough to sign',
    );
    const token = await mintToken(claims, other);
    assert.match(
      await rejection(`Bearer ${token}`),
      /signature does not verify/,
    );
  });

  it('says when a refused signature comes from another secret (an earlier run)', async () => {
    const earlier = new TextEncoder().encode(
      'an earlier run secret, long enough to sign',
    );
    const message = await rejection(
      `Bearer ${await mintToken(claims, earlier)}`,
    );
    assert.match(
      message,
      new RegExp(
        `signature does not verify: it was signed with another secret \\(key id ${secretKeyId(earlier)}; this gateway's is ${secretKeyId(secret)}\\), such as that of an earlier run`,
      ),
    );
    // Without a key id (not minted here), nothing more is claimed.
    const bare = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(earlier);
    const plain = await rejection(`Bearer ${bare}`);
    assert.match(plain, /signature does not verify/);
    assert.doesNotMatch(plain, /another secret/);
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    assert.match(await rejection(`Bearer ${token}`), /expired/);
  });

  it('refuses a token for another audience or issuer, or without an expiry', async () => {
    const wrongAudience = await mintToken(claims, secret, {
      audience: 'elsewhere',
    });
    assert.match(await rejection(`Bearer ${wrongAudience}`), /claim "aud"/);
    const wrongIssuer = await mintToken(claims, secret, { issuer: 'someone' });
    assert.match(await rejection(`Bearer ${wrongIssuer}`), /claim "iss"/);
    const noExpiry = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .sign(secret);
    assert.match(await rejection(`Bearer ${noExpiry}`), /claim "exp"/);
  });

  it('refuses a validly signed token that lacks govgraph claims', async () => {
    const { dept: _dept, ...noDepartment } = claims;
    const token = await new SignJWT({ ...noDepartment })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(secret);
    assert.match(await rejection(`Bearer ${token}`), /claim "dept"/);
    const badRegion = await mintToken({ ...claims, region: '110000' }, secret);
    assert.match(await rejection(`Bearer ${badRegion}`), /claim "region"/);
  });

  it('verifies ES256 tokens against a JWKS and refuses HS256 there', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const verifyJwks = createTokenVerifier({
      keys: { kind: 'jwks', jwks: { keys: [jwk] } },
    });
    const signed = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    assert.equal((await verifyJwks(`Bearer ${signed}`)).dept, 'environment');
    const hs = await mintToken(claims, secret);
    await assert.rejects(verifyJwks(`Bearer ${hs}`), AuthenticationError);
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('govgraph')
      .setAudience('govgraph-gateway')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(stranger);
    await assert.rejects(
      verifyJwks(`Bearer ${forged}`),
      /signature does not verify/,
    );
  });
});

describe('createTokenVerifier: remembered tokens', () => {
  it('answers a token it verified before from memory, with a copy each time', async () => {
    const cached = createTokenVerifier({ keys: { kind: 'secret', secret } });
    const header = `Bearer ${await mintToken(claims, secret)}`;
    const first = await cached(header);
    first.roles.push('data-officer');
    const second = await cached(header);
    assert.deepEqual(second.roles, ['analyst']);
  });

  it('checks a remembered token again once it has expired, and refuses it', async () => {
    // The verifier's clock, moved by the test instead of waiting; it starts
    // at the token's `iat`, so that a mint that ends in a later second
    // than it began (a busy machine) is not "issued in the future".
    let clock = 0;
    const cached = createTokenVerifier(
      { keys: { kind: 'secret', secret }, clockToleranceSeconds: 0 },
      { now: () => clock },
    );
    // `exp` has whole seconds: a 1 s token minted late in a second may
    // expire a millisecond later, so the token lives 3 s and the clock
    // moves until its `exp` has passed.
    const token = await mintToken(claims, secret, { ttlSeconds: 3 });
    clock = (decodeJwt(token).iat ?? 0) * 1000;
    const header = `Bearer ${token}`;
    assert.equal((await cached(header)).sub, claims.sub);
    const exp = decodeJwt(token).exp ?? 0;
    clock = exp * 1000 - 1;
    assert.equal((await cached(header)).sub, claims.sub, 'not yet expired');
    clock = exp * 1000 + 1_100;
    await assert.rejects(cached(header), /expired/);
  });

  it('never remembers a token that failed', async () => {
    const cached = createTokenVerifier({ keys: { kind: 'secret', secret } });
    const forged = `Bearer ${await mintToken(claims, new TextEncoder().encode('another secret of at least thirty-two bytes!'))}`;
    await assert.rejects(cached(forged), AuthenticationError);
    await assert.rejects(cached(forged), AuthenticationError);
  });
});
