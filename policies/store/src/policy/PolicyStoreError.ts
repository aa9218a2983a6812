/** What went wrong with the policy store; see {@link PolicyStoreError}. */
export type PolicyStoreErrorCode =
  'INVALID_ROW' | 'INVALID_DOCUMENT' | 'NOT_MIGRATED' | 'NOT_LOADED' | 'CLOSED';

/**
 * Raised when the policy cannot be loaded or written as a whole. The store
 * never hands out part of a policy: a load that raises this leaves the last
 * snapshot in place.
 */
export class PolicyStoreError extends Error {
  constructor(
    message: string,
    readonly code: PolicyStoreErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = this.constructor.name;
  }

  /** A stored row that is not a valid part of a policy. */
  static invalidRow(row: string, problem: string): PolicyStoreError {
    return new PolicyStoreError(
      `policy store: ${row} is invalid: ${problem}; the policy was not loaded`,
      'INVALID_ROW',
    );
  }

  /** A policy document that cannot be written as given. */
  static invalidDocument(item: string, problem: string): PolicyStoreError {
    return new PolicyStoreError(
      `policy document: ${item} is invalid: ${problem}; nothing was written`,
      'INVALID_DOCUMENT',
    );
  }

  /** The `policy` schema's tables do not exist: run `migratePolicyStore`. */
  static notMigrated(cause: unknown): PolicyStoreError {
    return new PolicyStoreError(
      'policy store: the policy tables do not exist; run migratePolicyStore first',
      'NOT_MIGRATED',
      { cause },
    );
  }

  /** `current()` before the first successful load. */
  static notLoaded(): PolicyStoreError {
    return new PolicyStoreError(
      'policy store: no policy loaded yet; await start() first',
      'NOT_LOADED',
    );
  }

  /** `start()` or `refresh()` after `close()`. */
  static closed(): PolicyStoreError {
    return new PolicyStoreError('policy store: closed', 'CLOSED');
  }
}
