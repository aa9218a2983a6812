/**
 * The one vocabulary of `extensions.code` values that govgraph sends to
 * clients. Every value equals its name so that logs and clients read the same
 * string.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  /** A negative-list entry withholds the field from this consumer. */
  FORBIDDEN_BY_NEGATIVE_LIST = 'FORBIDDEN_BY_NEGATIVE_LIST',
  /** The field is shared only under a grant the consumer does not hold. */
  GRANT_REQUIRED = 'GRANT_REQUIRED',
  /** An algorithm read outside the inputs its filing declares. */
  ALGORITHM_INPUT_NOT_FILED = 'ALGORITHM_INPUT_NOT_FILED',
  /** The city withholds fields nobody has classified yet from other departments. */
  FIELD_NOT_CLASSIFIED = 'FIELD_NOT_CLASSIFIED',
  /** The access log cannot be written; cross-department reads and recorded mutations are refused (a mutation is then not run). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** An idempotency key sent again with another operation or other variables. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this idempotency key has not stored its answer. */
  IDEMPOTENCY_KEY_IN_PROGRESS = 'IDEMPOTENCY_KEY_IN_PROGRESS',
  /** Safelist mode: the operation is not a registered persisted query. */
  OPERATION_NOT_IN_SAFELIST = 'OPERATION_NOT_IN_SAFELIST',
  /** A batched HTTP request holds more operations than allowed. */
  BATCH_TOO_LARGE = 'BATCH_TOO_LARGE',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The server is at its bound of operations in flight: retry after `Retry-After` seconds. */
  SERVER_BUSY = 'SERVER_BUSY',
  /** The answer would exceed the server's bound on response size: ask for less (smaller pages). */
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}
