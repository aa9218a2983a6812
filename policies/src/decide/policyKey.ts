import { type Principal } from '../model/Principal.js';
import { type Purpose } from '../model/Purpose.js';

/** Sorted, without duplicates (code-unit order, independent of locale). */
function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * A string equal for two (principal, purpose) pairs whenever {@link decide}
 * must give them equal decisions for every field under the same policy set:
 * the decision cache keys on (operation hash, policy key, policy version).
 *
 * It holds the department, the roles (sorted, deduplicated), level, region
 * code, the purpose and whether the principal may declare it, and for an
 * algorithm identity its filing id, filing state and filed inputs (sorted):
 * a filing's state change or amended inputs must take effect at once, even
 * under an unchanged policy version. The subject is not part of it, so
 * principals of one department and role share cache entries.
 *
 * The key is a JSON array, so no value can forge a separator.
 */
export function policyKey(principal: Principal, purpose: Purpose): string {
  const algorithm = principal.algorithm;
  return JSON.stringify([
    principal.department,
    sortedSet(principal.roles),
    principal.level,
    principal.regionCode,
    purpose,
    principal.purposes.includes(purpose),
    algorithm === undefined
      ? null
      : [algorithm.filingId, algorithm.state, sortedSet(algorithm.inputs)],
  ]);
}
