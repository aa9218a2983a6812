import { createHash, randomUUID } from 'node:crypto';

import { TRACEPARENT } from '../tracing/tracing.js';
import type { SigningKey } from './keys.js';
import {
  SIGNATURE_ISSUER,
  SIGNATURE_TTL_SECONDS,
  SIGNATURE_TYPE,
  type SignedCallContext,
} from './SignedCallContext.js';

/** The claims of a call signature. */
export interface CallClaims {
  /** Always {@link SIGNATURE_ISSUER}. */
  iss: string;
  /** Name of the subgraph the call is for; no other subgraph accepts it. */
  aud: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** Random id; a subgraph accepts each id once. */
  jti: string;
  /** Base64url SHA-256 of the exact request body bytes. */
  bh: string;
  /** On whose behalf, and within which rows, the gateway calls. */
  ctx: SignedCallContext;
  /**
   * The W3C `traceparent` of the gateway's span of this call, when the
   * gateway traces: the subgraph continues that trace, and only it (never
   * a `traceparent` header, which anyone on the way could set).
   */
  tp?: string;
}

/** One call to sign with {@link signCall}. */
export interface CallToSign {
  /** Name of the subgraph called (the `aud` claim). */
  audience: string;
  /** The exact request body that will be sent; strings count as UTF-8. */
  body: Uint8Array | string;
  context: SignedCallContext;
  /**
   * Milliseconds since the epoch to sign at.
   * @defaultValue Date.now()
   */
  now?: number;
  /** @defaultValue {@link SIGNATURE_TTL_SECONDS} */
  ttlSeconds?: number;
  /**
   * The W3C `traceparent` to sign as the `tp` claim; ignored unless it is
   * a valid version-00 traceparent.
   */
  traceparent?: string | undefined;
}

/** Base64url (no padding) SHA-256 of `body`: the `bh` claim. */
export function bodyHash(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * The call context as it goes into every signature of a request: JSON of
 * `{ principal, scope }`, encoded once and reused by
 * {@link signEncodedCall} for each of the request's subgraph calls.
 */
export function encodeCallContext(context: SignedCallContext): string {
  return JSON.stringify({ principal: context.principal, scope: context.scope });
}

/** One call to sign with {@link signEncodedCall}. */
export interface EncodedCallToSign extends Omit<CallToSign, 'context'> {
  /** The call context from {@link encodeCallContext}. */
  context: string;
}

/**
 * {@link signCall}, synchronously, with a context encoded beforehand: the
 * same claims and token (node:crypto signs; about 10 µs for HS256).
 */
export function signEncodedCall(
  key: SigningKey,
  call: EncodedCallToSign,
): string {
  const iat = Math.floor((call.now ?? Date.now()) / 1000);
  const exp = iat + (call.ttlSeconds ?? SIGNATURE_TTL_SECONDS);
  // The claims of CallClaims, in its order; every value but ctx is a
  // string or number serialised here, ctx is JSON already.
  // A traceparent is lower-case hex and dashes (checked): no escaping.
  const tp =
    call.traceparent !== undefined && TRACEPARENT.test(call.traceparent)
      ? `,"tp":"${call.traceparent}"`
      : '';
  const payload = `{"iss":${JSON.stringify(SIGNATURE_ISSUER)},"aud":${JSON.stringify(call.audience)},"iat":${String(iat)},"exp":${String(exp)},"jti":"${randomUUID()}","bh":"${bodyHash(call.body)}","ctx":${call.context}${tp}}`;
  return key.signJson(payload, { typ: SIGNATURE_TYPE });
}

/**
 * Signs one subgraph call: a compact JWS over issuer, audience, a short
 * validity, a fresh id, the body hash and the call context, to be sent in
 * the `x-govgraph-signature` header with exactly `call.body`.
 */
export function signCall(key: SigningKey, call: CallToSign): Promise<string> {
  try {
    return Promise.resolve(
      signEncodedCall(key, {
        ...call,
        context: encodeCallContext(call.context),
      }),
    );
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
