import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

import { LRUCache } from 'lru-cache';

import { AuthenticationError } from './AuthenticationError.js';
import { TokenClaimsSchema, type TokenClaims } from './TokenClaims.js';

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
  /** Seconds of clock skew tolerated. @defaultValue 30 */
  clockToleranceSeconds?: number;
  /**
   * Most verified tokens remembered, so that a caller's next requests skip
   * the signature check until the token's `exp` (0: verify every time).
   * Only tokens that verified are remembered, by their exact text.
   * @defaultValue 10000
   */
  cacheSize?: number;
}

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
 */
export function createTokenVerifier(
  config: TokenVerifierConfig,
): TokenVerifier {
  const issuer = config.issuer ?? 'govgraph';
  const audience = config.audience ?? 'govgraph-gateway';
  const clockTolerance = config.clockToleranceSeconds ?? 30;
  const algorithms =
    config.keys.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'];
  let key: Uint8Array | JWTVerifyGetKey;
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
  const cacheSize = config.cacheSize ?? 10_000;
  const verified =
    cacheSize > 0
      ? new LRUCache<string, { claims: TokenClaims; expiresAt: number }>({
          max: cacheSize,
        })
      : null;
  return async (authorization) => {
    if (!authorization) throw AuthenticationError.missing();
    const remembered = verified?.get(authorization);
    if (remembered !== undefined) {
      if (Date.now() < remembered.expiresAt) return copy(remembered.claims);
      verified?.delete(authorization);
    }
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
      requiredClaims: ['exp'],
    };
    let payload: unknown;
    try {
      const result =
        typeof key === 'function'
          ? await jwtVerify(match[1], key, options)
          : await jwtVerify(match[1], key, options);
      payload = result.payload;
    } catch (error) {
      throw AuthenticationError.rejected(describe(error));
    }
    const claims = TokenClaimsSchema.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw AuthenticationError.rejected(
        `claim "${issue?.path.join('.') ?? '?'}" is missing or invalid`,
      );
    }
    const exp = (payload as { exp: number }).exp;
    verified?.set(authorization, {
      claims: claims.data,
      // Remembered no longer than the token is valid (without the skew
      // tolerance): an expired token is checked, and refused, again.
      expiresAt: exp * 1000,
    });
    return copy(claims.data);
  };
}

/** A copy of remembered claims: no request can change what the next one is told. */
function copy(claims: TokenClaims): TokenClaims {
  return {
    ...claims,
    roles: [...claims.roles],
    purposes: [...claims.purposes],
  };
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
    return `claim "${error.claim}" is not valid here`;
  }
  if (error instanceof errors.JOSEError) return 'it is malformed';
  return 'it could not be verified';
}
