/** What went wrong with the access log; see {@link AccessLogError}. */
export type AccessLogErrorCode =
  | 'WRITE_FAILED'
  | 'CLOSED'
  | 'OVERLOADED'
  | 'INVALID_RECORD'
  | 'INVALID_CONFIG'
  | 'NOT_MIGRATED';

/**
 * Raised (or the rejection of `append`) when the access log cannot record
 * an operation. With fail-closed logging the gateway refuses the
 * cross-department read that caused it.
 */
export class AccessLogError extends Error {
  constructor(
    message: string,
    readonly code: AccessLogErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = this.constructor.name;
  }

  /** A batch could not be written; none of its records were. */
  static writeFailed(records: number, cause: unknown): AccessLogError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new AccessLogError(
      `access log: a batch of ${String(records)} record(s) could not be written: ${reason}`,
      'WRITE_FAILED',
      { cause },
    );
  }

  /** `append` after `close()`. */
  static closed(): AccessLogError {
    return new AccessLogError(
      'access log: closed, no more records are accepted',
      'CLOSED',
    );
  }

  /** Too many records wait to be written (the database is slow or down). */
  static overloaded(pending: number): AccessLogError {
    return new AccessLogError(
      `access log: ${String(pending)} records already wait to be written`,
      'OVERLOADED',
    );
  }

  /** A record field that cannot be stored as given. */
  static invalidRecord(field: string, expected: string): AccessLogError {
    return new AccessLogError(
      `access log: record field ${field} must be ${expected}`,
      'INVALID_RECORD',
    );
  }

  /** A configuration value out of range. */
  static invalidConfig(name: string, expected: string): AccessLogError {
    return new AccessLogError(
      `access log: ${name} must be ${expected}`,
      'INVALID_CONFIG',
    );
  }

  /** The table does not exist: the audit migrations were not applied. */
  static notMigrated(): AccessLogError {
    return new AccessLogError(
      'access log: table audit.access_log does not exist; apply the audit migrations (policies/store/migrations/audit) first',
      'NOT_MIGRATED',
    );
  }
}
