import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import { secretKeyId } from './secretKeyId.js';

import type { TokenClaims } from './TokenClaims.js';

/** Options of {@link mintToken}. */
export interface MintTokenOptions {
  /**
   * Seconds from `issuedAt` until it expires. The gateway refuses tokens
   * that live longer than its maximum (GOVGRAPH_MAX_TOKEN_TTL, 12 h by
   * default).
   * @defaultValue 28800 (a working day)
   */
  ttlSeconds?: number;
  /**
   * When it was issued (`iat`; whole seconds); `exp` is `ttlSeconds` later.
   * @defaultValue now
   */
  issuedAt?: Date;
  /** @defaultValue 'govgraph' */
  issuer?: string;
  /** @defaultValue 'govgraph-gateway' */
  audience?: string;
}

/**
 * Signs a development token (HS256, shared secret) for `claims`, with a
 * random `jti` (what `revokeTokens` names to revoke this one token) and its
 * `iat`. Production tokens come from the city's identity provider,
 * verified through its JWKS.
 */
export async function mintToken(
  claims: TokenClaims,
  secret: Uint8Array,
  options: MintTokenOptions = {},
): Promise<string> {
  const { sub, ...rest } = claims;
  const iat = Math.floor((options.issuedAt?.getTime() ?? Date.now()) / 1000);
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secretKeyId(secret) })
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuer(options.issuer ?? 'govgraph')
    .setAudience(options.audience ?? 'govgraph-gateway')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 28_800))
    .sign(secret);
}
