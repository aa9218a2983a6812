import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { decodeJwt, SignJWT } from 'jose';

import {
  readGatewayEnv,
  tokenVerifierConfigFromEnv,
} from '../../../gateway/src/env.js';
import {
  AuthenticationError,
  createTokenVerifier,
  formatDuration,
  mintToken,
  parseDuration,
  type TokenClaims,
  type TokenVerifier,
} from '../../../gateway/src/identity/index.js';
import {
  TokenRevocationList,
  type TokenRevocation,
} from '../../../policies/store/src/policy/index.js';

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
const HOUR = 3_600;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A token with exactly these registered times (no `iat` when absent). */
async function sign(
  times: { iat?: number; exp: number; jti?: string },
  payload: Record<string, unknown> = { ...claims },
): Promise<string> {
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('govgraph')
    .setAudience('govgraph-gateway')
    .setExpirationTime(times.exp);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.jti !== undefined) jwt.setJti(times.jti);
  return `Bearer ${await jwt.sign(secret)}`;
}

/** The refusal of `authorization`: its message and rule. */
async function refusal(
  verify: TokenVerifier,
  authorization: string,
): Promise<{ message: string; rule: unknown }> {
  try {
    await verify(authorization);
  } catch (error) {
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.equal(error.extensions['code'], 'UNAUTHENTICATED');
    assert.deepEqual(error.extensions['http'], { status: 401 });
    return { message: error.message, rule: error.extensions['rule'] };
  }
  assert.fail('the token was accepted');
}

describe('parseDuration and formatDuration', () => {
  it('reads seconds, minutes, hours and days, and nothing else', () => {
    assert.equal(parseDuration('900'), 900);
    assert.equal(parseDuration('900s'), 900);
    assert.equal(parseDuration('30m'), 1_800);
    assert.equal(parseDuration('12h'), 43_200);
    assert.equal(parseDuration('1d'), 86_400);
    for (const bad of ['', '12 hours', '-5s', '1.5h', 'h', '12w']) {
      assert.equal(parseDuration(bad), null, bad);
    }
  });

  it('writes a duration in its largest whole unit', () => {
    assert.equal(formatDuration(43_200), '12 h');
    assert.equal(formatDuration(5_400), '90 min');
    assert.equal(formatDuration(45), '45 s');
    assert.equal(formatDuration(172_800), '2 d');
  });
});

describe('createTokenVerifier: lifetime', () => {
  const verify = createTokenVerifier({ keys: { kind: 'secret', secret } });

  it('accepts a token of exactly the maximum lifetime (12 h by default)', async () => {
    const iat = now();
    const token = await sign({ iat, exp: iat + 12 * HOUR });
    assert.equal((await verify(token)).sub, claims.sub);
  });

  it('refuses a token that lives longer than the maximum, naming it', async () => {
    const iat = now() - HOUR;
    for (const exp of [iat + 12 * HOUR + 1, iat + 100 * 365 * 24 * HOUR]) {
      const { message, rule } = await refusal(verify, await sign({ iat, exp }));
      assert.equal(
        message,
        'The bearer token was rejected: its lifetime exceeds the 12 h maximum.',
      );
      assert.equal(rule, 'token-max-lifetime');
    }
  });

  it('refuses a token without iat, or issued in the future', async () => {
    const t = now();
    assert.match(
      (await refusal(verify, await sign({ exp: t + HOUR }))).message,
      /claim "iat" is missing/,
    );
    // An `iat` in the future would let `exp` lie further ahead than the
    // maximum while `exp − iat` stays within it.
    const { message, rule } = await refusal(
      verify,
      await sign({ iat: t + HOUR, exp: t + 2 * HOUR }),
    );
    assert.match(message, /issued in the future/);
    assert.equal(rule, 'token-max-lifetime');
  });

  it('takes its maximum from the configuration', async () => {
    const hourly = createTokenVerifier({
      keys: { kind: 'secret', secret },
      maxTokenTtlSeconds: HOUR,
    });
    const iat = now();
    assert.equal(
      (await hourly(await sign({ iat, exp: iat + HOUR }))).sub,
      claims.sub,
    );
    assert.match(
      (await refusal(hourly, await sign({ iat, exp: iat + HOUR + 60 })))
        .message,
      /lifetime exceeds the 1 h maximum/,
    );
  });
});

describe('createTokenVerifier: clock tolerance', () => {
  it('accepts a token expired within the tolerance (5 s by default) and refuses one beyond', async () => {
    const verify = createTokenVerifier({ keys: { kind: 'secret', secret } });
    const t = now();
    assert.equal(
      (await verify(await sign({ iat: t - HOUR, exp: t - 2 }))).sub,
      claims.sub,
    );
    assert.match(
      (await refusal(verify, await sign({ iat: t - HOUR, exp: t - 8 })))
        .message,
      /it has expired/,
    );
  });

  it('takes its tolerance from the configuration, at most 60 s', async () => {
    const strict = createTokenVerifier({
      keys: { kind: 'secret', secret },
      clockToleranceSeconds: 0,
    });
    const t = now();
    assert.match(
      (await refusal(strict, await sign({ iat: t - HOUR, exp: t - 2 })))
        .message,
      /it has expired/,
    );
    const lenient = createTokenVerifier({
      keys: { kind: 'secret', secret },
      clockToleranceSeconds: 60,
    });
    assert.equal(
      (await lenient(await sign({ iat: t - HOUR, exp: t - 30 }))).sub,
      claims.sub,
    );
    for (const clockToleranceSeconds of [61, -1, 1.5]) {
      assert.throws(
        () =>
          createTokenVerifier({
            keys: { kind: 'secret', secret },
            clockToleranceSeconds,
          }),
        RangeError,
      );
    }
    assert.throws(
      () =>
        createTokenVerifier({
          keys: { kind: 'secret', secret },
          maxTokenTtlSeconds: 0,
        }),
      RangeError,
    );
  });
});

describe('createTokenVerifier: algorithm identities', () => {
  const verify = createTokenVerifier({ keys: { kind: 'secret', secret } });

  it('refuses role algorithm without the filing claim', async () => {
    const iat = now();
    const { message, rule } = await refusal(
      verify,
      await sign(
        { iat, exp: iat + HOUR },
        { ...claims, sub: 'algo-x', roles: ['algorithm'] },
      ),
    );
    assert.equal(
      message,
      'The bearer token was rejected: an algorithm identity must carry its filing claim.',
    );
    assert.equal(rule, 'algorithm-filing-required');
  });

  it('accepts an algorithm identity with its filing', async () => {
    const iat = now();
    const verified = await verify(
      await sign(
        { iat, exp: iat + HOUR },
        {
          ...claims,
          sub: 'algo-x',
          roles: ['algorithm'],
          filing: 'ALG-2025-017',
        },
      ),
    );
    assert.equal(verified.filing, 'ALG-2025-017');
  });
});

describe('createTokenVerifier: revocations', () => {
  function revocation(
    fields: Partial<TokenRevocation> & { id: string },
  ): TokenRevocation {
    return {
      reason: 'test',
      revokedBy: 'city-data-authority',
      revokedAt: new Date().toISOString(),
      ...fields,
    };
  }

  it('refuses a remembered token once its jti is revoked, and nothing else', async () => {
    let list = TokenRevocationList.EMPTY;
    const verify = createTokenVerifier(
      { keys: { kind: 'secret', secret } },
      { revocations: () => list },
    );
    const iat = now();
    const jti = randomUUID();
    const token = await sign({ iat, exp: iat + HOUR, jti });
    const other = await sign({ iat, exp: iat + HOUR, jti: randomUUID() });
    assert.equal((await verify(token)).sub, claims.sub);
    list = new TokenRevocationList([revocation({ id: '1', jti })]);
    const { message, rule } = await refusal(verify, token);
    assert.equal(
      message,
      'The bearer token was rejected: it has been revoked.',
    );
    assert.equal(rule, 'token-revoked');
    assert.equal((await verify(other)).sub, claims.sub);
  });

  it('refuses a subject’s tokens issued up to the instant, not later ones', async () => {
    const t = now();
    const before = await sign({ iat: t - 10, exp: t + HOUR });
    const sameSecond = await sign({ iat: t, exp: t + HOUR });
    const later = await sign({ iat: t + 1, exp: t + HOUR });
    const list = new TokenRevocationList([
      revocation({
        id: '7',
        subject: claims.sub,
        issuedBefore: new Date(t * 1000 + 500).toISOString(),
      }),
    ]);
    const verify = createTokenVerifier(
      { keys: { kind: 'secret', secret } },
      { revocations: () => list },
    );
    assert.match((await refusal(verify, before)).message, /revoked/);
    assert.match((await refusal(verify, sameSecond)).message, /revoked/);
    assert.equal((await verify(later)).sub, claims.sub);
  });
});

describe('TokenRevocationList', () => {
  it('keeps the latest instant per subject and changes its key with its rows', () => {
    const base = {
      reason: 'r',
      revokedBy: 'city-data-authority',
      revokedAt: '2026-01-01T00:00:00.000Z',
    };
    const one = new TokenRevocationList([
      {
        id: '1',
        subject: 's',
        issuedBefore: '2026-01-01T10:00:00.000Z',
        ...base,
      },
    ]);
    const two = new TokenRevocationList([
      {
        id: '1',
        subject: 's',
        issuedBefore: '2026-01-01T10:00:00.000Z',
        ...base,
      },
      {
        id: '2',
        subject: 's',
        issuedBefore: '2026-01-01T12:00:00.000Z',
        ...base,
      },
    ]);
    const at = (iso: string): number => Date.parse(iso) / 1000;
    assert.equal(
      one.find({ sub: 's', iat: at('2026-01-01T11:00:00Z') }),
      undefined,
    );
    assert.equal(
      two.find({ sub: 's', iat: at('2026-01-01T11:00:00Z') })?.id,
      '2',
    );
    assert.equal(two.find({ sub: 'other', iat: 0 }), undefined);
    assert.notEqual(one.key, two.key);
    assert.notEqual(TokenRevocationList.EMPTY.key, one.key);
    assert.ok(Object.isFrozen(two));
  });
});

describe('mintToken', () => {
  it('gives every token a random jti and its iat', async () => {
    const issuedAt = new Date(Date.now() - 60_000);
    const a = decodeJwt(
      await mintToken(claims, secret, { issuedAt, ttlSeconds: 600 }),
    );
    const b = decodeJwt(await mintToken(claims, secret));
    assert.match(String(a.jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(a.jti, b.jti);
    assert.equal(a.iat, Math.floor(issuedAt.getTime() / 1000));
    assert.equal(a.exp, (a.iat ?? 0) + 600);
  });
});

describe('gateway environment: token settings', () => {
  it('defaults to a 12 h maximum and 5 s tolerance, and reads both', () => {
    const base = { GOVGRAPH_TOKEN_SECRET: 'x'.repeat(32) };
    const defaults = tokenVerifierConfigFromEnv(readGatewayEnv(base));
    assert.equal(defaults?.maxTokenTtlSeconds, 43_200);
    assert.equal(defaults?.clockToleranceSeconds, 5);
    const set = tokenVerifierConfigFromEnv(
      readGatewayEnv({
        ...base,
        GOVGRAPH_MAX_TOKEN_TTL: '1h',
        GOVGRAPH_CLOCK_TOLERANCE: '0',
      }),
    );
    assert.equal(set?.maxTokenTtlSeconds, 3_600);
    assert.equal(set?.clockToleranceSeconds, 0);
  });

  it('refuses a bad duration or a tolerance above 60 s with one line', () => {
    assert.throws(
      () => readGatewayEnv({ GOVGRAPH_MAX_TOKEN_TTL: '12 hours' }),
      /GOVGRAPH_MAX_TOKEN_TTL must be a duration such as 900s, 30m or 12h/,
    );
    assert.throws(
      () => readGatewayEnv({ GOVGRAPH_CLOCK_TOLERANCE: '2m' }),
      /GOVGRAPH_CLOCK_TOLERANCE must be at most 60 s/,
    );
  });
});
