import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { base64url, errors, jwtVerify, SignJWT } from 'jose';

import type { RequestPrincipal } from '../../../policies/src/index.js';
import {
  CallVerifier,
  createHmacKey,
  encodeCallContext,
  signCall,
  signEncodedCall,
  SIGNATURE_TYPE,
} from '../../../subgraphs/kit/src/index.js';

const SECRET = 'a unit-test secret that is at least 32 bytes long';
const key = createHmacKey(SECRET);
const secretBytes = new TextEncoder().encode(SECRET);
const NOW = 1_800_000_000;

/** The options the call verifier passes. */
const OPTIONS = {
  issuer: 'govgraph-gateway',
  audience: 'market',
  clockTolerance: 5,
  maxTokenAge: 60,
  requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti', 'bh', 'ctx'],
  currentDate: new Date(NOW * 1000),
};

function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: 'govgraph-gateway',
    aud: 'market',
    iat: NOW,
    exp: NOW + 30,
    jti: 'id-1',
    bh: 'hash',
    ctx: { principal: null, scope: null },
    ...overrides,
  };
}

function sign(payload: Record<string, unknown>): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: SIGNATURE_TYPE })
    .sign(secretBytes);
}

/** What a check ended with: the payload, or the error's class, claim and reason. */
async function outcome(check: () => unknown): Promise<unknown> {
  try {
    return { payload: await check() };
  } catch (error) {
    const e = error as {
      constructor: { name: string };
      claim?: string;
      reason?: string;
    };
    if (error instanceof errors.JOSEError) {
      // Malformed tokens: jose tells several classes apart that the call
      // verifier reports alike (MALFORMED); compare that they are malformed.
      const malformed =
        error instanceof errors.JWSInvalid ||
        error instanceof errors.JWTInvalid ||
        error instanceof errors.JOSENotSupported;
      return malformed
        ? { malformed: true }
        : { error: e.constructor.name, claim: e.claim, reason: e.reason };
    }
    throw error;
  }
}

async function assertSameAsJose(token: string): Promise<void> {
  const fast = await outcome(() => key.verifySync(token, OPTIONS));
  const jose = await outcome(
    async () =>
      (
        await jwtVerify(token, secretBytes, {
          ...OPTIONS,
          algorithms: ['HS256'],
        })
      ).payload,
  );
  assert.deepEqual(fast, jose, token);
}

describe('HS256 call signatures with node:crypto', () => {
  it('signs the token jose would verify, with the claims of signCall', async () => {
    const context = { principal: null, scope: { region: '500103' } };
    const token = signEncodedCall(key, {
      audience: 'market',
      body: '{"query":"{ a }"}',
      context: encodeCallContext(context),
      now: NOW * 1000,
    });
    const { payload, protectedHeader } = await jwtVerify(token, secretBytes, {
      ...OPTIONS,
      typ: SIGNATURE_TYPE,
      algorithms: ['HS256'],
    });
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: SIGNATURE_TYPE });
    assert.equal(payload.aud, 'market');
    assert.equal(payload.exp, NOW + 30);
    assert.deepEqual(payload['ctx'], context);
    const viaSignCall = await signCall(key, {
      audience: 'market',
      body: '{"query":"{ a }"}',
      context,
      now: NOW * 1000,
    });
    const other = await jwtVerify(viaSignCall, secretBytes, {
      ...OPTIONS,
      algorithms: ['HS256'],
    });
    assert.deepEqual(
      { ...other.payload, jti: '' },
      { ...payload, jti: '' },
      'the same claims but the id',
    );
    assert.notEqual(other.payload.jti, payload.jti);
  });

  it('accepts and refuses exactly what jose accepts and refuses', async () => {
    const tokens = [
      await sign(claims()),
      await sign(claims({ exp: NOW - 10 })),
      await sign(claims({ exp: NOW - 5 })),
      await sign(claims({ exp: NOW - 4 })),
      await sign(claims({ iat: NOW - 70 })),
      await sign(claims({ iat: NOW + 10 })),
      await sign(claims({ iat: 'now' })),
      await sign(claims({ exp: '1' })),
      await sign(claims({ nbf: NOW + 60 })),
      await sign(claims({ iss: 'someone-else' })),
      await sign(claims({ aud: 'water' })),
      await sign(claims({ aud: ['water', 'market'] })),
      await sign(claims({ aud: 7 })),
      ...['iss', 'aud', 'iat', 'exp', 'jti', 'bh', 'ctx'].map(async (claim) => {
        const { [claim as 'iss']: _dropped, ...rest } = claims();
        return sign(rest);
      }),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: SIGNATURE_TYPE })
        .sign(new TextEncoder().encode('another secret of 32 bytes or more!!')),
    ];
    for (const token of await Promise.all(tokens)) {
      await assertSameAsJose(token);
    }
  });

  it('refuses altered and malformed tokens as jose does', async () => {
    const token = await sign(claims());
    const [header = '', payload = '', signature = ''] = token.split('.');
    const forged = base64url.encode(JSON.stringify(claims({ aud: 'water' })));
    const cases = [
      `${header}.${forged}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -2)}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.x`,
      `${header}.${base64url.encode('[1,2]')}.${signature}`,
      `${header}.${base64url.encode('not json')}.${signature}`,
      'not.a.token',
      '',
    ];
    for (const candidate of cases) await assertSameAsJose(candidate);
    // A payload that is not a JSON object, properly signed.
    const input = `${header}.${base64url.encode('"text"')}`;
    const { createHmac } = await import('node:crypto');
    const signed = `${input}.${createHmac('sha256', secretBytes).update(input).digest('base64url')}`;
    await assertSameAsJose(signed);
  });
});

describe('the traceparent of a call', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const body = '{"query":"{ enterprises { totalCount } }"}';
  const context = encodeCallContext({ principal: null, scope: null });

  it('is signed as claim tp, and a subgraph takes it from there only', async () => {
    const verifier = new CallVerifier({ key, audience: 'market' });
    const token = signEncodedCall(key, {
      audience: 'market',
      body,
      context,
      traceparent,
    });
    const { payload } = await jwtVerify(token, secretBytes, {
      audience: 'market',
    });
    assert.equal(payload['tp'], traceparent);
    const call = await verifier.verify(token, Buffer.from(body));
    assert.equal(call.traceparent, traceparent);
    // Changing the claim breaks the signature.
    const [header, , signature] = token.split('.');
    const forged = `${header ?? ''}.${base64url.encode(
      JSON.stringify({
        ...payload,
        tp: '00-ffffffffffffffffffffffffffffffff-00f067aa0ba902b7-01',
      }),
    )}.${signature ?? ''}`;
    await assert.rejects(verifier.verify(forged, Buffer.from(body)), {
      failure: 'SIGNATURE',
    });
  });

  it('is left out when it is not a W3C traceparent', async () => {
    const verifier = new CallVerifier({ key, audience: 'market' });
    for (const bad of ['', 'x', `${traceparent}","ctx":{}`, undefined]) {
      const token = signEncodedCall(key, {
        audience: 'market',
        body,
        context,
        traceparent: bad,
      });
      const { payload } = await jwtVerify(token, secretBytes, {
        audience: 'market',
      });
      assert.equal('tp' in payload, false);
      const call = await verifier.verify(token, Buffer.from(body));
      assert.equal('traceparent' in call, false);
    }
  });
});

describe('the verified call context, remembered', () => {
  const body = '{"query":"{ enterprises { totalCount } }"}';
  const principal: RequestPrincipal = {
    subject: 'u-1',
    department: '市场监管局',
    roles: ['analyst'],
    level: 'DISTRICT',
    regionCode: '500103',
    purposes: ['market-supervision'],
    purpose: 'market-supervision',
  };
  const scope = { region: '500103' };

  it('hands equal contexts the same frozen value, and checks every call', async () => {
    const verifier = new CallVerifier({ key, audience: 'market' });
    const context = encodeCallContext({ principal, scope });
    const sign1 = (): string =>
      signEncodedCall(key, { audience: 'market', body, context });
    const first = await verifier.verify(sign1(), Buffer.from(body));
    const second = await verifier.verify(sign1(), Buffer.from(body));
    assert.deepEqual(first.principal, principal);
    assert.deepEqual(first.scope, scope);
    assert.equal(second.principal, first.principal);
    assert.equal(second.scope, first.scope);
    assert.equal(Object.isFrozen(first.principal), true);
    assert.equal(Object.isFrozen(first.principal?.roles), true);
    assert.equal(Object.isFrozen(first.scope), true);
    // What is checked per call still is: the body, the id, the audience.
    const token = sign1();
    await assert.rejects(verifier.verify(token, Buffer.from(`${body} `)), {
      failure: 'BODY_HASH',
    });
    await verifier.verify(token, Buffer.from(body));
    await assert.rejects(verifier.verify(token, Buffer.from(body)), {
      failure: 'REPLAYED',
    });
    const other = new CallVerifier({ key, audience: 'water' });
    await assert.rejects(other.verify(sign1(), Buffer.from(body)), {
      failure: 'AUDIENCE',
    });
  });

  it('still refuses a malformed principal or scope after a valid one, and a foreign header after an accepted one', async () => {
    const verifier = new CallVerifier({ key, audience: 'market' });
    const good = encodeCallContext({ principal, scope });
    await verifier.verify(
      signEncodedCall(key, { audience: 'market', body, context: good }),
      Buffer.from(body),
    );
    const badPrincipal = JSON.stringify({
      principal: { ...principal, regionCode: 'nowhere' },
      scope,
    });
    await assert.rejects(
      verifier.verify(
        signEncodedCall(key, {
          audience: 'market',
          body,
          context: badPrincipal,
        }),
        Buffer.from(body),
      ),
      { failure: 'CLAIMS' },
    );
    const badScope = JSON.stringify({ principal, scope: { region: 42 } });
    await assert.rejects(
      verifier.verify(
        signEncodedCall(key, { audience: 'market', body, context: badScope }),
        Buffer.from(body),
      ),
      (error: unknown) =>
        error instanceof Error && error.name === 'CallScopeError',
    );
    // A token whose header names another type is refused, though one with
    // the gateway's header was accepted just before.
    const foreign = await new SignJWT({
      ...claims({ jti: 'id-foreign' }),
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 30,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secretBytes);
    await assert.rejects(verifier.verify(foreign, Buffer.from(body)), {
      failure: 'TYPE',
    });
  });
});
