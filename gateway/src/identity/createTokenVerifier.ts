import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

import { LRUCache } from 'lru-cache';
import { z } from 'zod';

import { AuthenticationError, TOKEN_RULES } from './AuthenticationError.js';
import { formatDuration } from './parseDuration.js';
import { secretKeyId } from './secretKeyId.js';
import { TokenClaimsSchema, type TokenClaims } from './TokenClaims.js';
import type { RevocableToken, TokenRevocations } from './TokenRevocations.js';

/** The longest lifetime (`exp − iat`) a token may have by default: 12 h. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 43_200;
/** The clock skew tolerated by default, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The most clock skew that may be configured, in seconds: an expired token
 * is never accepted longer than this after its `exp`.
 */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;

/** Where the keys that sign callers' tokens come from. */
export type TokenKeys =
  | {
      /** Development: one shared secret, HS256 only. */
      kind: 'secret';
      secret: Uint8Array;
      jwks?: undefined;
      jwksUrl?: undefined;
    }
  | {
      /** Production: public keys of the identity provider, RS256 or ES256. */
      kind: 'jwks';
      jwks: JSONWebKeySet;
      secret?: undefined;
      jwksUrl?: undefined;
    }
  | {
      /** Production: the identity provider's JWKS endpoint (cached by jose). */
      kind: 'jwksUrl';
      jwksUrl: URL;
      secret?: undefined;
      jwks?: undefined;
    };

/** Configuration of {@link createTokenVerifier}. */
export interface TokenVerifierConfig {
  keys: TokenKeys;
  /** Expected `iss`. @defaultValue 'govgraph' */
  issuer?: string;
  /** Expected `aud`. @defaultValue 'govgraph-gateway' */
  audience?: string;
  /**
   * Seconds of clock skew tolerated between the identity provider and the
   * gateway: a token is still accepted this long after its `exp`, before
   * its `nbf`, and with an `iat` this far in the future. At most
   * {@link MAX_CLOCK_TOLERANCE_SECONDS}.
   * @defaultValue 5
   */
  clockToleranceSeconds?: number;
  /**
   * The longest lifetime a token may have, in seconds: one whose `exp − iat`
   * exceeds it is refused, and so is one without `iat` or with an `iat` in
   * the future (beyond the clock tolerance) — so no accepted token expires
   * more than this (plus the tolerance) after the gateway first sees it.
   * @defaultValue 43200 (12 h)
   */
  maxTokenTtlSeconds?: number;
  /**
   * Most verified tokens remembered, so that a caller's next requests skip
   * the signature check until the token's `exp` (0: verify every time).
   * Only tokens that verified are remembered, by their exact text.
   * @defaultValue 10000
   */
  cacheSize?: number;
}

/** Dependencies of {@link createTokenVerifier}. */
export interface TokenVerifierDeps {
  /**
   * The revocations in force now, read on every request (the policy
   * store's current snapshot holds them); absent or `undefined`: none.
   */
  revocations?: () => TokenRevocations | undefined;
  /**
   * The clock tokens are checked against (`exp`, `nbf`, `iat` and when a
   * remembered token expires), in milliseconds since the epoch.
   * @defaultValue Date.now
   */
  now?: () => number;
}

/** The registered claims govgraph checks beside jose's own checks. */
const RegisteredClaimsSchema = z.object({
  exp: z.number(),
  iat: z.number(),
  jti: z.string().min(1).max(256).optional(),
});

/** Verifies an `Authorization` header; throws {@link AuthenticationError}. */
export type TokenVerifier = (
  authorization: string | undefined,
) => Promise<TokenClaims>;

/**
 * Builds the gateway's bearer-token check with jose
 * (https://github.com/panva/jose). Only the algorithms of the configured
 * key kind are accepted — HS256 for a shared secret, RS256/ES256 for public
 * keys — so `alg: none`, an HS256 token forged with a public key, or any
 * other algorithm is refused before its signature is even considered.
 * Beyond signature, issuer, audience and expiry, a token must carry `iat`
 * and live no longer than `maxTokenTtlSeconds`, an algorithm identity must
 * carry its filing, and the token must not be revoked — checked on every
 * request, for remembered tokens too.
 *
 * @throws RangeError for a tolerance or maximum lifetime out of range
 */
export function createTokenVerifier(
  config: TokenVerifierConfig,
  deps: TokenVerifierDeps = {},
): TokenVerifier {
  const issuer = config.issuer ?? 'govgraph';
  const audience = config.audience ?? 'govgraph-gateway';
  const clockTolerance = wholeSeconds(
    'clockToleranceSeconds',
    config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    0,
    MAX_CLOCK_TOLERANCE_SECONDS,
  );
  const maxTtl = wholeSeconds(
    'maxTokenTtlSeconds',
    config.maxTokenTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const algorithms =
    config.keys.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'];
  let key: Uint8Array | JWTVerifyGetKey;
  const ownKeyId =
    config.keys.kind === 'secret' ? secretKeyId(config.keys.secret) : null;
  switch (config.keys.kind) {
    case 'secret':
      key = config.keys.secret;
      break;
    case 'jwks':
      key = createLocalJWKSet(config.keys.jwks);
      break;
    case 'jwksUrl':
      key = createRemoteJWKSet(config.keys.jwksUrl);
      break;
  }
  const now = deps.now ?? ((): number => Date.now());
  const cacheSize = config.cacheSize ?? 10_000;
  const verified =
    cacheSize > 0
      ? new LRUCache<string, VerifiedToken>({ max: cacheSize })
      : null;

  async function verifyToken(authorization: string): Promise<VerifiedToken> {
    const match =
      /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(
        authorization.trim(),
      );
    if (!match?.[1]) {
      throw AuthenticationError.rejected(
        'the Authorization header is not "Bearer <JWT>"',
      );
    }
    const options = {
      algorithms,
      issuer,
      audience,
      clockTolerance,
      requiredClaims: ['exp', 'iat'],
      currentDate: new Date(now()),
    };
    let payload: unknown;
    try {
      const result =
        typeof key === 'function'
          ? await jwtVerify(match[1], key, options)
          : await jwtVerify(match[1], key, options);
      payload = result.payload;
    } catch (error) {
      throw AuthenticationError.rejected(
        describe(error) + otherSecret(error, match[1], ownKeyId),
      );
    }
    const registered = RegisteredClaimsSchema.safeParse(payload);
    if (!registered.success) {
      const issue = registered.error.issues[0];
      throw AuthenticationError.rejected(
        `claim "${issue?.path.join('.') ?? '?'}" is missing or invalid`,
      );
    }
    const { exp, iat, jti } = registered.data;
    if (iat > now() / 1000 + clockTolerance) {
      throw AuthenticationError.rejected(
        'it was issued in the future (claim "iat")',
        TOKEN_RULES.maxLifetime,
      );
    }
    if (exp - iat > maxTtl) {
      throw AuthenticationError.rejected(
        `its lifetime exceeds the ${formatDuration(maxTtl)} maximum`,
        TOKEN_RULES.maxLifetime,
      );
    }
    const claims = TokenClaimsSchema.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw issue?.code === 'custom'
        ? AuthenticationError.rejected(
            issue.message,
            TOKEN_RULES.algorithmFiling,
          )
        : AuthenticationError.rejected(
            `claim "${issue?.path.join('.') ?? '?'}" is missing or invalid`,
          );
    }
    const token: VerifiedToken = {
      claims: claims.data,
      registered: { sub: claims.data.sub, iat, ...(jti ? { jti } : {}) },
      // Remembered no longer than the token is valid (without the skew
      // tolerance): an expired token is checked, and refused, again.
      expiresAt: exp * 1000,
    };
    verified?.set(authorization, token);
    return token;
  }

  return async (authorization) => {
    if (!authorization) throw AuthenticationError.missing();
    let token = verified?.get(authorization);
    if (token !== undefined && now() >= token.expiresAt) {
      verified?.delete(authorization);
      token = undefined;
    }
    token ??= await verifyToken(authorization);
    // Every request, remembered tokens included: a revocation takes effect
    // on the next request, whatever the cache holds.
    if (deps.revocations?.()?.find(token.registered) !== undefined) {
      throw AuthenticationError.rejected(
        'it has been revoked',
        TOKEN_RULES.revoked,
      );
    }
    return copy(token.claims);
  };
}

/** A token that verified, as the verifier remembers it. */
interface VerifiedToken {
  readonly claims: TokenClaims;
  readonly registered: RevocableToken;
  /** When to verify it again (its `exp`), in milliseconds. */
  readonly expiresAt: number;
}

function wholeSeconds(
  name: string,
  value: number,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `token verifier: ${name} must be a whole number of seconds from ${String(min)} to ${String(max)}, not ${String(value)}`,
    );
  }
  return value;
}

/** A copy of remembered claims: no request can change what the next one is told. */
function copy(claims: TokenClaims): TokenClaims {
  return {
    ...claims,
    roles: [...claims.roles],
    purposes: [...claims.purposes],
  };
}

/**
 * Why a development token's signature did not verify, when its `kid` names
 * another secret than this gateway's (mintToken writes it): typically a
 * token printed by an earlier `npm start` that made its own secret.
 */
function otherSecret(
  error: unknown,
  token: string,
  ownKeyId: string | null,
): string {
  if (
    ownKeyId === null ||
    !(error instanceof errors.JWSSignatureVerificationFailed)
  ) {
    return '';
  }
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return '';
  }
  if (typeof kid !== 'string' || kid === ownKeyId) return '';
  return `: it was signed with another secret (key id ${kid.slice(0, 12)}; this gateway's is ${ownKeyId}), such as that of an earlier run; mint a new one (npm run token -- <user>)`;
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'its algorithm is not accepted here';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'its signature does not verify';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'no known key matches it';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === 'missing'
      ? `claim "${error.claim}" is missing`
      : `claim "${error.claim}" is not valid here`;
  }
  if (error instanceof errors.JOSEError) return 'it is malformed';
  return 'it could not be verified';
}
