import { timingSafeEqual } from 'node:crypto';

import { errors, type JWTPayload, type JWTVerifyOptions } from 'jose';

/** The claim checks of {@link verifyHmacJwt}: those the call verifier asks jose for. */
export type HmacJwtClaimOptions = Pick<
  JWTVerifyOptions,
  | 'issuer'
  | 'audience'
  | 'clockTolerance'
  | 'maxTokenAge'
  | 'requiredClaims'
  | 'currentDate'
>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a compact JWS made with an HMAC key, synchronously with
 * node:crypto, and validates its claims as jose's `jwtVerify` does for the
 * same options (same checks, same order, jose's own error classes, so that
 * callers tell failures apart exactly as before). The protected header
 * (algorithm, `typ`) is the caller's to check before; a header with `crit`
 * or `b64` is refused here, as no govgraph signature has one.
 * @param hmac the key's HMAC-SHA256 over `header.payload` (ASCII)
 * @throws jose's `errors.*` on any failure
 */
export function verifyHmacJwt(
  token: string,
  hmac: (input: string) => Buffer,
  options: HmacJwtClaimOptions,
): JWTPayload {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new errors.JWSInvalid('Invalid Compact JWS');
  }
  const header = parseObject(token.slice(0, first), 'protected header');
  if ('crit' in header || 'b64' in header) {
    throw new errors.JOSENotSupported('JWS extensions are not supported');
  }
  const signingInput = token.slice(0, second);
  const expected = hmac(signingInput).toString('base64url');
  const given = token.slice(second + 1);
  if (!isBase64url(given)) {
    throw new errors.JWSInvalid('Failed to base64url decode the signature');
  }
  if (!sameAscii(given, expected)) {
    throw new errors.JWSSignatureVerificationFailed();
  }
  let claims: Record<string, unknown>;
  try {
    claims = parseObject(token.slice(first + 1, second), 'claims');
  } catch (cause) {
    throw new errors.JWTInvalid(
      'JWT Claims Set must be a top-level JSON object',
      { cause },
    );
  }
  return validateClaims(claims, options);
}

/** Decodable base64url without padding (a length of 4n + 1 is not). */
function isBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(segment) && segment.length % 4 !== 1;
}

function parseObject(segment: string, what: string): Record<string, unknown> {
  if (!isBase64url(segment)) {
    throw new errors.JWSInvalid(`JWS ${what} is not base64url`);
  }
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(Buffer.from(segment, 'base64url')));
  } catch (cause) {
    throw new errors.JWSInvalid(`JWS ${what} is not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new errors.JWSInvalid(`JWS ${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function sameAscii(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function failed(
  message: string,
  claims: Record<string, unknown>,
  claim: string,
  reason: string,
): errors.JWTClaimValidationFailed {
  return new errors.JWTClaimValidationFailed(message, claims, claim, reason);
}

function numericDate(
  claims: Record<string, unknown>,
  claim: string,
  required = false,
): number | undefined {
  const value = claims[claim];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number') {
    throw failed(`"${claim}" claim must be a number`, claims, claim, 'invalid');
  }
  return value;
}

/** jose's claim-set validation (lib/jwt_claims_set.js) for numeric options. */
function validateClaims(
  claims: Record<string, unknown>,
  options: HmacJwtClaimOptions,
): JWTPayload {
  const { requiredClaims = [], issuer, audience, maxTokenAge } = options;
  const presence = [...requiredClaims];
  if (maxTokenAge !== undefined) presence.push('iat');
  if (audience !== undefined) presence.push('aud');
  if (issuer !== undefined) presence.push('iss');
  for (const claim of new Set(presence.reverse())) {
    if (!Object.hasOwn(claims, claim)) {
      throw failed(
        `missing required "${claim}" claim`,
        claims,
        claim,
        'missing',
      );
    }
  }
  if (
    issuer !== undefined &&
    !(Array.isArray(issuer) ? issuer : [issuer]).includes(
      claims['iss'] as string,
    )
  ) {
    throw failed('unexpected "iss" claim value', claims, 'iss', 'check_failed');
  }
  if (audience !== undefined) {
    const wanted = typeof audience === 'string' ? [audience] : audience;
    const aud = claims['aud'];
    const present =
      typeof aud === 'string'
        ? wanted.includes(aud)
        : Array.isArray(aud) && wanted.some((a) => aud.includes(a));
    if (!present) {
      throw failed(
        'unexpected "aud" claim value',
        claims,
        'aud',
        'check_failed',
      );
    }
  }
  const tolerance = options.clockTolerance ?? 0;
  if (
    typeof tolerance !== 'number' ||
    !Number.isFinite(tolerance) ||
    tolerance < 0
  ) {
    throw new TypeError('Invalid clockTolerance option input');
  }
  const now = Math.floor((options.currentDate ?? new Date()).getTime() / 1000);
  const iat = numericDate(claims, 'iat', maxTokenAge !== undefined);
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) {
    throw failed(
      '"nbf" claim timestamp check failed',
      claims,
      'nbf',
      'check_failed',
    );
  }
  const exp = numericDate(claims, 'exp');
  if (exp !== undefined && exp <= now - tolerance) {
    throw new errors.JWTExpired(
      '"exp" claim timestamp check failed',
      claims,
      'exp',
      'check_failed',
    );
  }
  if (maxTokenAge !== undefined) {
    if (typeof maxTokenAge !== 'number' || !(maxTokenAge >= 0)) {
      throw new TypeError('Invalid maxTokenAge option input');
    }
    const age = now - (iat as number);
    if (age - tolerance > maxTokenAge) {
      throw new errors.JWTExpired(
        '"iat" claim timestamp check failed (too far in the past)',
        claims,
        'iat',
        'check_failed',
      );
    }
    if (age < -tolerance) {
      throw failed(
        '"iat" claim timestamp check failed (it should be in the past)',
        claims,
        'iat',
        'check_failed',
      );
    }
  }
  return claims as JWTPayload;
}
