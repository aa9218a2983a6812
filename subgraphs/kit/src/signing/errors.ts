import { ErrorCode } from '../errors/ErrorCode.js';

/** A signing or verification key that cannot be used (too short, unreadable, unsupported). */
export class SigningKeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

/**
 * A subgraph call refused before it reached Apollo. The message says why
 * and is safe to send to the caller: it never contains key material.
 */
export class CallRejectedError extends Error {
  /** HTTP status of the refusal. */
  readonly status: number;
  /** `extensions.code` of the refusal. */
  readonly code: ErrorCode;
  /** Further `extensions` of the refusal, e.g. the `rule` that decided it. */
  readonly extensions: Readonly<Record<string, string>>;

  constructor(
    message: string,
    status: number,
    code: ErrorCode,
    options?: ErrorOptions & { extensions?: Record<string, string> },
  ) {
    super(message, options);
    this.name = this.constructor.name;
    this.status = status;
    this.code = code;
    this.extensions = options?.extensions ?? {};
  }
}

/** Why a call signature was refused. */
export type CallSignatureFailure =
  | 'MISSING'
  | 'MALFORMED'
  | 'ALGORITHM'
  | 'TYPE'
  | 'SIGNATURE'
  | 'ISSUER'
  | 'AUDIENCE'
  | 'EXPIRED'
  | 'LIFETIME'
  | 'CLAIMS'
  | 'BODY_HASH'
  | 'REPLAYED';

/** A call whose signature is missing, invalid, expired, misdirected or replayed: HTTP 401. */
export class CallSignatureError extends CallRejectedError {
  /** Which check failed, for logs and tests. */
  readonly failure: CallSignatureFailure;

  constructor(
    failure: CallSignatureFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, 401, ErrorCode.UNAUTHENTICATED, options);
    this.failure = failure;
  }
}

/**
 * The replay window holds as many call ids as it may: the call is refused
 * (HTTP 429) rather than accepted unchecked.
 */
export class ReplayWindowFullError extends CallRejectedError {
  constructor() {
    super(
      'Too many signed calls within the replay window; retry shortly.',
      429,
      ErrorCode.RATE_LIMITED,
    );
  }
}

/**
 * A signed call whose row scope (`ctx.scope`) is malformed: HTTP 403 with
 * the rule `row-scope-malformed`, and no rows read. The signature was
 * valid, so only the gateway could have sent it; refusing the whole call
 * keeps a bad scope from ever reading unrestricted.
 */
export class CallScopeError extends CallRejectedError {
  constructor(reason: string, options?: ErrorOptions) {
    super(
      `The row scope of this call is malformed (${reason}); no rows are read.`,
      403,
      ErrorCode.FORBIDDEN,
      { ...options, extensions: { rule: 'row-scope-malformed' } },
    );
  }
}
