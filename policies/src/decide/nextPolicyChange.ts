import { type PolicySet } from '../model/PolicySet.js';

/**
 * The first instant after `now` at which a decision under `policy` may change
 * by the clock alone: an `ACTIVE` entry's `validFrom` or `validUntil`, or a
 * grant's `validFrom` or `expiresAt` (revoked grants excluded); `null` when
 * there is none.
 *
 * {@link decide} depends on `now`, but the decision cache keys on (operation
 * hash, policy key, policy version) only: cached decisions must not be used
 * at or after this instant (drop or recompute them then), or an expired
 * grant would go on granting. Unreadable instants are skipped: they never
 * change a decision (see the fail-closed rules of `decide`).
 */
export function nextPolicyChange(policy: PolicySet, now: Date): Date | null {
  const after = now.getTime();
  let next = Number.POSITIVE_INFINITY;
  const consider = (instant: string | undefined): void => {
    if (instant === undefined) return;
    const at = Date.parse(instant);
    if (at > after && at < next) next = at;
  };
  for (const entry of policy.entries) {
    if (entry.status !== 'ACTIVE') continue;
    consider(entry.validFrom);
    consider(entry.validUntil);
  }
  for (const grant of policy.grants) {
    if (grant.revoked) continue;
    consider(grant.validFrom);
    consider(grant.expiresAt);
  }
  return next === Number.POSITIVE_INFINITY ? null : new Date(next);
}
