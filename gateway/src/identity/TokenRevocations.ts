/** The registered claims of a verified token a revocation is matched on. */
export interface RevocableToken {
  /** `sub`: whose token it is. */
  readonly sub: string;
  /** `jti`: the token's own id, when it has one. */
  readonly jti?: string | undefined;
  /** `iat`: when it was issued, in seconds since the epoch. */
  readonly iat: number;
}

/**
 * The revoked tokens a verifier checks every request against, cached
 * tokens included (policies/store/src/policy's `TokenRevocationList` is
 * one: revocations by `jti`, and by subject for every token issued at or
 * before an instant).
 */
export interface TokenRevocations {
  /** The revocation that covers `token`, or `undefined` when none does. */
  find(token: RevocableToken): object | undefined;
}
