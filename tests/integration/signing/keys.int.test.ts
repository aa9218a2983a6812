import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { exportJWK } from 'jose';

import { signingKeyFromEnv } from '../../../gateway/src/signing/index.js';
import {
  CallScopeError,
  RedisReplayCache,
  ReplayCheckUnavailableError,
  CallSignatureError,
  CallVerifier,
  createHmacKey,
  createJwksVerificationKey,
  EMPTY_CALL_CONTEXT,
  importPrivateKeyPem,
  importPublicKeyPem,
  readVerificationKeyFile,
  ReplayCache,
  ReplayWindowFullError,
  signCall,
  SigningKeyError,
  verificationKeyFromEnv,
  type SigningKey,
  type VerificationKey,
} from '../../../subgraphs/kit/src/index.js';

const BODY = '{"query":"{ __typename }"}';

function pems(type: 'ec' | 'rsa' | 'ed25519', bits = 2048) {
  const { privateKey, publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: bits })
        : generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
  };
}

/** A principal as the gateway signs it into calls. */
const U1 = {
  subject: 'u1',
  department: 'market',
  roles: ['reader'],
  level: 'DISTRICT',
  regionCode: '500103',
  purposes: ['market-supervision'],
  purpose: 'market-supervision',
} as const;

async function roundTrip(
  signing: SigningKey,
  verification: VerificationKey,
): Promise<void> {
  const verifier = new CallVerifier({ key: verification, audience: 'market' });
  const token = await signCall(signing, {
    audience: 'market',
    body: BODY,
    context: { principal: U1, scope: { region: '500103' } },
  });
  assert.deepEqual(await verifier.verify(token, Buffer.from(BODY)), {
    principal: U1,
    scope: { region: '500103' },
  });
}

describe('SigningKey and VerificationKey', () => {
  it('HS256: one secret signs and verifies; short secrets are refused', async () => {
    const key = createHmacKey('0123456789abcdef0123456789abcdef');
    assert.equal(key.alg, 'HS256');
    await roundTrip(key, key);
    assert.throws(() => createHmacKey('too short'), SigningKeyError);
    assert.throws(() => createHmacKey(new Uint8Array(31)), /at least 32 bytes/);
  });

  it('ES256 and RS256 follow from the PEM key type', async () => {
    const ec = pems('ec');
    const ecSigning = await importPrivateKeyPem(ec.privatePem);
    const ecVerification = await importPublicKeyPem(ec.publicPem);
    assert.equal(ecSigning.alg, 'ES256');
    assert.equal(ecVerification.alg, 'ES256');
    await roundTrip(ecSigning, ecVerification);
    const rsa = pems('rsa');
    const rsaSigning = await importPrivateKeyPem(rsa.privatePem);
    assert.equal(rsaSigning.alg, 'RS256');
    await roundTrip(rsaSigning, await importPublicKeyPem(rsa.publicPem));
  });

  it('refuses unsupported, weak, private-where-public and non-PEM keys', async () => {
    await assert.rejects(
      importPrivateKeyPem(pems('ed25519').privatePem),
      /unsupported key/,
    );
    await assert.rejects(
      importPrivateKeyPem(pems('rsa', 1024).privatePem),
      /unsupported key/,
    );
    await assert.rejects(
      importPublicKeyPem(pems('ec').privatePem),
      /give subgraphs the public key only/,
    );
    await assert.rejects(importPrivateKeyPem('hello'), /not a PEM private key/);
    await assert.rejects(importPublicKeyPem('hello'), /not a PEM public key/);
  });

  it('JWKS: one algorithm, public keys only', async () => {
    const ec = pems('ec');
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1' };
    const key = createJwksVerificationKey({ keys: [jwk] });
    assert.equal(key.alg, 'ES256');
    await roundTrip(await importPrivateKeyPem(ec.privatePem), key);
    const rsaJwk = await exportJWK(pems('rsa').publicKey);
    assert.throws(
      () => createJwksVerificationKey({ keys: [jwk, rsaJwk] }),
      /same algorithm/,
    );
    assert.throws(
      () => createJwksVerificationKey({ keys: [{ ...jwk, d: 'secret' }] }),
      /public keys only/,
    );
    assert.throws(() => createJwksVerificationKey({ keys: [] }), /no keys/);
  });

  describe('key files and the environment', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'govgraph-keys-'));
    });
    after(async () => {
      await rm(dir, { recursive: true });
    });

    it('reads a PEM public key or a JWKS file on subgraphs, a PEM private key on the gateway', async () => {
      const ec = pems('ec');
      await writeFile(join(dir, 'gateway.pem'), ec.privatePem);
      await writeFile(join(dir, 'public.pem'), ec.publicPem);
      await writeFile(
        join(dir, 'jwks.json'),
        JSON.stringify({ keys: [await exportJWK(ec.publicKey)] }),
      );
      const signing = await signingKeyFromEnv({
        GATEWAY_SIGNING_PRIVATE_KEY_FILE: join(dir, 'gateway.pem'),
      });
      assert.ok(signing);
      for (const file of ['public.pem', 'jwks.json']) {
        const key = await verificationKeyFromEnv({
          GATEWAY_SIGNING_PUBLIC_KEY_FILE: join(dir, file),
        });
        assert.ok(key);
        await roundTrip(signing, key);
      }
      await assert.rejects(
        readVerificationKeyFile(join(dir, 'missing.pem')),
        /cannot read key file/,
      );
    });

    it('wants exactly one key source', async () => {
      const secret = 'x'.repeat(32);
      assert.equal(await verificationKeyFromEnv({}), null);
      assert.equal(await signingKeyFromEnv({}), null);
      await assert.rejects(
        verificationKeyFromEnv({
          GATEWAY_SIGNING_SECRET: secret,
          GATEWAY_SIGNING_PUBLIC_KEY_FILE: join(dir, 'public.pem'),
        }),
        /not both/,
      );
      await assert.rejects(
        signingKeyFromEnv({
          GATEWAY_SIGNING_SECRET: secret,
          GATEWAY_SIGNING_PRIVATE_KEY_FILE: join(dir, 'gateway.pem'),
        }),
        /not both/,
      );
    });
  });
});

describe('CallVerifier clock and replay window', () => {
  const key = createHmacKey('0123456789abcdef0123456789abcdef');

  it('accepts small clock skew, and forgets an id only after its signature expired', async () => {
    let now = Date.parse('2025-09-15T12:00:00Z');
    const verifier = new CallVerifier({
      key,
      audience: 'market',
      now: () => now,
    });
    const sign = (at: number) =>
      signCall(key, {
        audience: 'market',
        body: BODY,
        context: EMPTY_CALL_CONTEXT,
        now: at,
      });
    // Signed 3 s in the gateway's future: within the 5 s tolerance.
    await verifier.verify(await sign(now + 3_000), Buffer.from(BODY));
    const token = await sign(now);
    await verifier.verify(token, Buffer.from(BODY));
    now += 34_000; // 30 s validity + 5 s tolerance not yet over
    await assert.rejects(verifier.verify(token, Buffer.from(BODY)), {
      name: 'CallSignatureError',
      failure: 'REPLAYED',
    });
    now += 2_000;
    await assert.rejects(
      verifier.verify(token, Buffer.from(BODY)),
      (error: unknown) =>
        error instanceof CallSignatureError && error.failure === 'EXPIRED',
    );
    // Signed a minute in the future: refused, not cached.
    await assert.rejects(
      verifier.verify(await sign(now + 60_000), Buffer.from(BODY)),
      /"iat" failed its check/,
    );
  });

  it('refuses a call whose row scope is malformed, whole, with the rule, and remembers nothing of it', async () => {
    const verifier = new CallVerifier({ key, audience: 'market' });
    for (const scope of [
      { region: 'not-a-code' },
      { regionPrefix: '500103' },
      { types: { Enterprise: { op: 'like', field: 'name', value: '%' } } },
      'everything',
    ]) {
      const token = await signCall(key, {
        audience: 'market',
        body: BODY,
        context: { principal: U1, scope: scope as never },
      });
      await assert.rejects(
        verifier.verify(token, Buffer.from(BODY)),
        (error: unknown) =>
          error instanceof CallScopeError &&
          error.status === 403 &&
          error.code === 'FORBIDDEN' &&
          error.extensions['rule'] === 'row-scope-malformed',
      );
    }
    // A sound scope arrives parsed.
    const token = await signCall(key, {
      audience: 'market',
      body: BODY,
      context: { principal: U1, scope: { region: '500103001' } },
    });
    assert.deepEqual(await verifier.verify(token, Buffer.from(BODY)), {
      principal: U1,
      scope: { region: '500103001' },
    });
  });

  it('ReplayCache is bounded and refuses rather than forgets live ids', () => {
    let now = 0;
    const cache = new ReplayCache({ maxEntries: 3, now: () => now });
    assert.equal(cache.remember('a', 10_000), true);
    assert.equal(cache.remember('a', 10_000), false);
    assert.equal(cache.remember('b', 20_000), true);
    assert.equal(cache.remember('c', 30_000), true);
    assert.throws(() => cache.remember('d', 40_000), ReplayWindowFullError);
    now = 10_000; // 'a' has expired
    assert.equal(cache.remember('d', 40_000), true);
    assert.equal(cache.size, 3);
    now = 20_000; // 'b' has expired; 'a' may be used again
    assert.equal(cache.remember('a', 50_000), true);
    assert.equal(cache.remember('d', 40_000), false);
    assert.equal(cache.size, 3);
  });
});

describe('replay protection shared by replicas through Redis', () => {
  const key = createHmacKey('0123456789abcdef0123456789abcdef');

  it('refuses at a second replica a call the first one accepted', async () => {
    // A subgraph name of this run's own: no keys of another run collide.
    const audience = `market-${randomUUID()}`;
    const replicas = [1, 2].map(
      () => new RedisReplayCache({ url: 'redis://127.0.0.1:6379', audience }),
    );
    try {
      const [a, b] = replicas.map(
        (replayCache) => new CallVerifier({ key, audience, replayCache }),
      );
      const token = await signCall(key, {
        audience,
        body: BODY,
        context: EMPTY_CALL_CONTEXT,
      });
      await a?.verify(token, Buffer.from(BODY));
      for (const replica of [b, a]) {
        await assert.rejects(
          replica?.verify(token, Buffer.from(BODY)) ?? Promise.resolve(),
          {
            name: 'CallSignatureError',
            failure: 'REPLAYED',
          },
        );
      }
      // Another call passes at either.
      const other = await signCall(key, {
        audience,
        body: BODY,
        context: EMPTY_CALL_CONTEXT,
      });
      await b?.verify(other, Buffer.from(BODY));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('refuses a call (503) rather than accept it unchecked when Redis does not answer', async () => {
    const audience = 'market';
    const replayCache = new RedisReplayCache({
      url: 'redis://127.0.0.1:9',
      audience,
      timeoutMs: 300,
    });
    try {
      const verifier = new CallVerifier({ key, audience, replayCache });
      const token = await signCall(key, {
        audience,
        body: BODY,
        context: EMPTY_CALL_CONTEXT,
      });
      const started = Date.now();
      await assert.rejects(
        verifier.verify(token, Buffer.from(BODY)),
        (error: unknown) =>
          error instanceof ReplayCheckUnavailableError &&
          error.status === 503 &&
          error.code === 'UPSTREAM_UNAVAILABLE',
      );
      assert.ok(Date.now() - started < 3_000);
    } finally {
      await replayCache.close();
    }
  });
});
