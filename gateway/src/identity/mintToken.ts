import { SignJWT } from 'jose';

import type { TokenClaims } from './TokenClaims.js';

/** Options of {@link mintToken}. */
export interface MintTokenOptions {
  /** Seconds until it expires. @defaultValue 28800 (a working day) */
  ttlSeconds?: number;
  /** @defaultValue 'govgraph' */
  issuer?: string;
  /** @defaultValue 'govgraph-gateway' */
  audience?: string;
}

/**
 * Signs a development token (HS256, shared secret) for `claims`. Production
 * tokens come from the city's identity provider, verified through its JWKS.
 */
export async function mintToken(
  claims: TokenClaims,
  secret: Uint8Array,
  options: MintTokenOptions = {},
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? 'govgraph')
    .setAudience(options.audience ?? 'govgraph-gateway')
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 28_800}s`)
    .sign(secret);
}
