import { timingSafeEqual } from 'node:crypto';

import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';

import { parseRowScope, RowScopeError } from '../rowScope/RowScope.js';
import { TRACEPARENT } from '../tracing/tracing.js';
import {
  CallScopeError,
  CallSignatureError,
  type CallSignatureFailure,
} from './errors.js';
import type { HmacKey, VerificationKey } from './keys.js';
import { RequestPrincipalSchema } from './principal.js';
import { ReplayCache } from './ReplayCache.js';
import type { CallIdStore } from './RedisReplayCache.js';
import { bodyHash } from './signCall.js';
import {
  SIGNATURE_HEADER,
  SIGNATURE_ISSUER,
  SIGNATURE_TTL_SECONDS,
  SIGNATURE_TYPE,
  type SignedCallContext,
} from './SignedCallContext.js';

/** Options of {@link CallVerifier}. */
export interface CallVerifierOptions {
  /** The gateway's verification key. */
  key: VerificationKey;
  /** This subgraph's name: the `aud` every accepted signature must carry. */
  audience: string;
  /**
   * Seconds of clock difference tolerated between gateway and subgraph.
   * @defaultValue 5
   */
  clockToleranceSeconds?: number;
  /**
   * Longest validity (`exp - iat`, and age since `iat`) accepted, in seconds.
   * @defaultValue twice {@link SIGNATURE_TTL_SECONDS}
   */
  maxLifetimeSeconds?: number;
  /**
   * Where accepted call ids are kept: a {@link RedisReplayCache} shared by
   * every replica of the subgraph, or this process's memory.
   * @defaultValue a new {@link ReplayCache} on the same clock
   */
  replayCache?: CallIdStore;
  /**
   * Clock in milliseconds since the epoch.
   * @defaultValue Date.now
   */
  now?: () => number;
}

const REQUIRED_CLAIMS = ['iss', 'aud', 'iat', 'exp', 'jti', 'bh', 'ctx'];

/** Most verified call contexts (and headers) a verifier remembers. */
const REMEMBERED = 1_000;

/** The verified part of a call context, shared (frozen) by equal ones. */
type VerifiedContext = Readonly<Pick<SignedCallContext, 'principal' | 'scope'>>;

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * A subgraph's check of the gateway's call signature, run on the raw
 * request before anything parses it: the signature must be a compact JWS of
 * the configured algorithm and type, made with the gateway's key, issued by
 * the gateway for this subgraph, unexpired and short-lived, over exactly
 * these body bytes, and not seen before within its validity.
 */
export class CallVerifier {
  readonly #key: VerificationKey;
  readonly #audience: string;
  readonly #tolerance: number;
  readonly #maxLifetime: number;
  readonly #replay: CallIdStore;
  readonly #now: () => number;
  /**
   * Call contexts verified lately, by their JSON: a request's calls carry
   * the same context (the gateway encodes it once per request), and so do
   * one caller's requests, so it is validated once and the same frozen
   * value is handed on. Validation is a function of the context alone;
   * the signature, claims, body hash and call id are checked on every call.
   */
  readonly #contexts = new Map<string, VerifiedContext>();
  /** Protected headers (their base64url) {@link #checkHeader} accepted. */
  readonly #headers = new Set<string>();

  constructor(options: CallVerifierOptions) {
    this.#key = options.key;
    this.#audience = options.audience;
    this.#tolerance = options.clockToleranceSeconds ?? 5;
    this.#maxLifetime = options.maxLifetimeSeconds ?? 2 * SIGNATURE_TTL_SECONDS;
    this.#now = options.now ?? Date.now;
    this.#replay = options.replayCache ?? new ReplayCache({ now: this.#now });
  }

  /**
   * Checks the signature header of a call against its raw body and returns
   * the verified call context.
   * @param signature the `x-govgraph-signature` header as node:http gives it
   * @param body the exact request body bytes
   * @throws CallSignatureError saying why the call is refused
   * @throws ReplayWindowFullError when too many calls are in flight to check
   */
  async verify(
    signature: string | readonly string[] | undefined,
    body: Uint8Array,
  ): Promise<SignedCallContext> {
    if (signature === undefined || signature === '') {
      throw new CallSignatureError(
        'MISSING',
        `Missing ${SIGNATURE_HEADER} header: this subgraph answers only calls signed by the gateway.`,
      );
    }
    if (typeof signature !== 'string') {
      throw new CallSignatureError(
        'MALFORMED',
        `More than one ${SIGNATURE_HEADER} header.`,
      );
    }
    this.#checkHeader(signature);
    const now = this.#now();
    let payload: JWTPayload;
    const options = {
      issuer: SIGNATURE_ISSUER,
      audience: this.#audience,
      clockTolerance: this.#tolerance,
      maxTokenAge: this.#maxLifetime,
      requiredClaims: REQUIRED_CLAIMS,
      currentDate: new Date(now),
    };
    try {
      // An HS256 key checks synchronously (the header's typ was checked
      // above); other keys through jose.
      payload =
        'verifySync' in this.#key
          ? (this.#key as HmacKey).verifySync(signature, options)
          : await this.#key.verify(signature, {
              ...options,
              typ: SIGNATURE_TYPE,
            });
    } catch (error) {
      throw toSignatureError(error);
    }
    const { aud, iat, exp, jti, bh, ctx, tp } = payload;
    if (aud !== this.#audience) {
      // jose accepts an audience list that contains ours; a call signature
      // must name one subgraph only.
      throw new CallSignatureError(
        'AUDIENCE',
        'Call signature is for another subgraph (or for several).',
      );
    }
    if (typeof iat !== 'number' || typeof exp !== 'number') {
      throw claimsError('"iat" and "exp" must be numbers');
    }
    if (exp - iat > this.#maxLifetime) {
      throw new CallSignatureError(
        'LIFETIME',
        'Call signature is valid for longer than this subgraph accepts.',
      );
    }
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 128) {
      throw claimsError('"jti" must be a string of 1 to 128 characters');
    }
    if (typeof bh !== 'string' || !sameText(bh, bodyHash(body))) {
      throw new CallSignatureError(
        'BODY_HASH',
        'Request body does not match its call signature (the body was altered).',
      );
    }
    if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
      throw claimsError('"ctx" must be an object');
    }
    const verified = this.#context(ctx as Record<string, unknown>);
    const keepUntil = (exp + this.#tolerance + 1) * 1000;
    if (!(await this.#replay.remember(jti, keepUntil))) {
      throw new CallSignatureError(
        'REPLAYED',
        'Call signature was already used (replayed call).',
      );
    }
    return {
      principal: verified.principal,
      scope: verified.scope,
      // Telemetry only: a malformed one is ignored, never a reason to refuse.
      ...(typeof tp === 'string' && TRACEPARENT.test(tp)
        ? { traceparent: tp }
        : {}),
    };
  }

  /**
   * The principal and row scope of a signed `ctx`, validated (or as
   * validated for an equal one before), frozen.
   * @throws CallSignatureError for a malformed principal
   * @throws CallScopeError for a malformed row scope
   */
  #context(context: Record<string, unknown>): VerifiedContext {
    const key = JSON.stringify(context);
    const known = this.#contexts.get(key);
    if (known !== undefined) return known;
    const rawPrincipal = context['principal'] ?? null;
    const principal =
      rawPrincipal === null
        ? null
        : RequestPrincipalSchema.safeParse(rawPrincipal);
    if (principal !== null && !principal.success) {
      throw claimsError('"ctx.principal" is not a request principal');
    }
    let scope: SignedCallContext['scope'];
    try {
      scope = parseRowScope(context['scope'] ?? null);
    } catch (error) {
      if (!(error instanceof RowScopeError)) throw error;
      throw new CallScopeError(error.reason, { cause: error });
    }
    const verified: VerifiedContext = deepFreeze({
      principal: principal === null ? null : principal.data,
      scope,
    });
    if (this.#contexts.size >= REMEMBERED) this.#contexts.clear();
    this.#contexts.set(key, verified);
    return verified;
  }

  /** Refuses unsigned, foreign-algorithm and foreign-type tokens early. */
  #checkHeader(signature: string): void {
    // The header is a function of its base64url alone: one accepted is
    // accepted again without decoding it.
    const dot = signature.indexOf('.');
    const second = dot > 0 ? signature.indexOf('.', dot + 1) : -1;
    // A compact JWS (three parts) only, as jose decodes.
    const segment =
      second > 0 && signature.indexOf('.', second + 1) < 0
        ? signature.slice(0, dot)
        : null;
    if (segment !== null && this.#headers.has(segment)) return;
    this.#checkHeaderOnce(signature);
    if (segment !== null) {
      if (this.#headers.size >= REMEMBERED) this.#headers.clear();
      this.#headers.add(segment);
    }
  }

  #checkHeaderOnce(signature: string): void {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(signature);
    } catch {
      throw new CallSignatureError(
        'MALFORMED',
        'Call signature is not a compact JWS.',
      );
    }
    if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
      throw new CallSignatureError(
        'ALGORITHM',
        'Unsigned call signatures (alg "none") are not accepted.',
      );
    }
    if (header.alg !== this.#key.alg) {
      throw new CallSignatureError(
        'ALGORITHM',
        `Call signature algorithm is not accepted: this subgraph expects ${this.#key.alg}.`,
      );
    }
    if (header.typ !== SIGNATURE_TYPE) {
      throw new CallSignatureError(
        'TYPE',
        `Token is not a govgraph call signature (typ must be "${SIGNATURE_TYPE}").`,
      );
    }
  }
}

function claimsError(detail: string): CallSignatureError {
  return new CallSignatureError(
    'CLAIMS',
    `Call signature claims are invalid: ${detail}.`,
  );
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const CLAIM_FAILURES: Readonly<
  Record<string, { failure: CallSignatureFailure; message: string }>
> = {
  aud: {
    failure: 'AUDIENCE',
    message: 'Call signature is for another subgraph.',
  },
  iss: {
    failure: 'ISSUER',
    message: 'Call signature was not issued by the gateway.',
  },
  typ: {
    failure: 'TYPE',
    message: 'Token is not a govgraph call signature.',
  },
};

/** Translates jose's verification errors; anything else is rethrown as is. */
function toSignatureError(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'exp'
      ? new CallSignatureError('EXPIRED', 'Call signature has expired.', {
          cause: error,
        })
      : new CallSignatureError(
          'LIFETIME',
          'Call signature was issued too long ago.',
          { cause: error },
        );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const known = CLAIM_FAILURES[error.claim];
    if (known) {
      return new CallSignatureError(known.failure, known.message, {
        cause: error,
      });
    }
    const claim = REQUIRED_CLAIMS.includes(error.claim)
      ? `"${error.claim}"`
      : 'a claim';
    return new CallSignatureError(
      'CLAIMS',
      error.reason === 'missing'
        ? `Call signature claims are invalid: ${claim} is missing.`
        : `Call signature claims are invalid: ${claim} failed its check.`,
      { cause: error },
    );
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new CallSignatureError(
      'SIGNATURE',
      'Call signature is invalid: made with another key, or altered.',
      { cause: error },
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new CallSignatureError(
      'ALGORITHM',
      'Call signature algorithm is not accepted.',
      { cause: error },
    );
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new CallSignatureError('MALFORMED', 'Call signature is malformed.', {
      cause: error,
    });
  }
  return error;
}
