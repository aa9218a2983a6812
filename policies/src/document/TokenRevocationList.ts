/**
 * One revocation of bearer tokens (a row of `policy.token_revocations`):
 * either one token by its `jti`, or every token of a `subject` issued (its
 * `iat`) at or before `issuedBefore`.
 */
export interface TokenRevocation {
  /** The revocation's number, in the order they were made. */
  readonly id: string;
  /** The revoked token's `jti`; absent for a revocation by subject. */
  readonly jti?: string;
  /** The subject (`sub`) whose tokens are revoked; absent for one by `jti`. */
  readonly subject?: string;
  /**
   * With `subject`: tokens issued at or before this instant are revoked
   * (ISO 8601); later ones are not.
   */
  readonly issuedBefore?: string;
  /** Why. */
  readonly reason: string;
  /** Who revoked (a subject). */
  readonly revokedBy: string;
  /** When (ISO 8601). */
  readonly revokedAt: string;
}

/** The registered claims of a token {@link TokenRevocationList.find} matches. */
export interface RevocationProbe {
  readonly sub: string;
  readonly jti?: string | undefined;
  /** Seconds since the epoch. */
  readonly iat: number;
}

/**
 * Every revocation in force, indexed for the check every request makes:
 * one map lookup by `jti` and one by subject. Immutable; the policy store
 * replaces it when a revocation is added.
 */
export class TokenRevocationList {
  /** No revocation at all. */
  static readonly EMPTY = new TokenRevocationList([]);

  readonly #byJti: ReadonlyMap<string, TokenRevocation>;
  /** Per subject, the revocation with the latest `issuedBefore`. */
  readonly #bySubject: ReadonlyMap<
    string,
    { readonly revocation: TokenRevocation; readonly beforeMs: number }
  >;

  /**
   * Changes whenever a revocation is added or removed (the count and the
   * highest id): the store compares it to know whether to swap lists.
   */
  readonly key: string;
  /** How many revocations there are. */
  readonly size: number;

  constructor(revocations: readonly TokenRevocation[]) {
    const byJti = new Map<string, TokenRevocation>();
    const bySubject = new Map<
      string,
      { revocation: TokenRevocation; beforeMs: number }
    >();
    let highest = 0;
    for (const revocation of revocations) {
      highest = Math.max(highest, Number(revocation.id) || 0);
      const frozen = Object.freeze({ ...revocation });
      if (frozen.jti !== undefined) byJti.set(frozen.jti, frozen);
      if (frozen.subject !== undefined && frozen.issuedBefore !== undefined) {
        const beforeMs = Date.parse(frozen.issuedBefore);
        const known = bySubject.get(frozen.subject);
        if (known === undefined || beforeMs > known.beforeMs) {
          bySubject.set(frozen.subject, { revocation: frozen, beforeMs });
        }
      }
    }
    this.#byJti = byJti;
    this.#bySubject = bySubject;
    this.size = revocations.length;
    this.key = `${String(revocations.length)}:${String(highest)}`;
    Object.freeze(this);
  }

  /**
   * The revocation covering a token: its `jti` revoked, or its subject
   * revoked at or after its `iat` (a token issued in the very second of a
   * revocation by subject counts as issued before it: `iat` has whole
   * seconds). `undefined` when none does.
   */
  find(token: RevocationProbe): TokenRevocation | undefined {
    if (token.jti !== undefined) {
      const byJti = this.#byJti.get(token.jti);
      if (byJti !== undefined) return byJti;
    }
    const bySubject = this.#bySubject.get(token.sub);
    if (bySubject !== undefined && token.iat * 1000 <= bySubject.beforeMs) {
      return bySubject.revocation;
    }
    return undefined;
  }
}
