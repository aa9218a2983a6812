import { type Decision } from '../model/Decision.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type PolicySet } from '../model/PolicySet.js';
import { type AlgorithmState, type Principal } from '../model/Principal.js';
import { type Purpose } from '../model/Purpose.js';
import { checkRoles } from './checkRoles.js';
import { decideSharing } from './decideSharing.js';
import { classifiedField } from './classifiedField.js';
import { ruleId } from './ruleId.js';

/**
 * Filing states in which an algorithm may read its filed inputs. A change
 * filing (CHANGE_PENDING) keeps the service running on the inputs of its
 * approved revision: a change widens the inputs only once approved.
 */
const SERVING_STATES: ReadonlySet<AlgorithmState> = new Set([
  'PILOT',
  'IN_SERVICE',
  'CHANGE_PENDING',
]);

/**
 * Decides whether `principal`, declaring `purpose`, may read `field`, in the
 * order docs/design.md ("The gateway's decision, per request") fixes:
 *
 * 0. The purpose must be one the principal may declare; else `DENY`
 *    `FORBIDDEN` (`purpose-not-declarable`).
 * 1. The principal's own department's data is shareable (`own-department`).
 *    When the city withholds unclassified fields
 *    (`policy.settings.withholdUnclassified`), another department's field
 *    with no classification — no `class:` tag in its SDL, none stored in
 *    `policy.classifications` — is `DENY FIELD_NOT_CLASSIFIED`
 *    (`unclassified-field`) until a data officer classifies it.
 * 2. Otherwise the strongest matching negative-list entry — `ACTIVE`, of the
 *    field's owner department, in its validity window, selecting the field by
 *    coordinate, type or tag, and not exempting the consumer or purpose;
 *    highest priority wins, `NOT_SHARED` wins a tie — decides:
 *    `NOT_SHARED` → `DENY FORBIDDEN_BY_NEGATIVE_LIST`; `CONDITIONAL` →
 *    `FORBIDDEN_BY_NEGATIVE_LIST` when its conditions exclude the consumer or
 *    purpose, else shareable only under an active grant for (consumer
 *    department, purpose) covering the coordinate (`grant:<id>`, with the
 *    entry's and grant's masks and row filters), else `GRANT_REQUIRED`.
 *    With no entry the field is shared (`no-entry`).
 * 3. Then the principal's roles (CASL, deny by default): `DENY FORBIDDEN`
 *    naming the role (`casl:role:<role>`) or `casl:no-rule`.
 * 4. Then, for an algorithm identity, only its filed inputs while the filing
 *    is `PILOT`, `IN_SERVICE` or `CHANGE_PENDING` (still serving its approved
 *    revision): else `DENY ALGORITHM_INPUT_NOT_FILED`.
 *
 * A field's classification is its SDL tags and the tags stored for it in
 * the policy set; entries that select by tag see both.
 *
 * An allowed field is `MASK` when the entry or grant masks its coordinate,
 * else `ALLOW`; its `rule` is the rule that made it shareable, and `trail`
 * lists every rule consulted. Pure: the same inputs give the same decision.
 *
 * @param now - the instant validity windows and expiries are judged at
 */
export function decide(
  principal: Principal,
  purpose: Purpose,
  declared: FieldInfo,
  policy: PolicySet,
  now: Date,
): Decision {
  const field = classifiedField(declared, policy);
  const { coordinate } = field;
  if (!principal.purposes.includes(purpose)) {
    return {
      effect: 'DENY',
      coordinate,
      rule: ruleId.purposeNotDeclarable,
      code: 'FORBIDDEN',
      reason: `Purpose "${purpose}" is not one the principal may declare.`,
      trail: [ruleId.purposeNotDeclarable],
    };
  }

  const sharing = decideSharing(
    principal,
    purpose,
    field,
    policy,
    now.getTime(),
  );
  if (sharing.effect === 'DENY') return sharing;

  const roles = checkRoles(principal.roles, field, policy);
  const trail = [...sharing.trail, roles.rule];
  if (!roles.allowed) {
    return {
      effect: 'DENY',
      coordinate,
      rule: roles.rule,
      code: 'FORBIDDEN',
      reason: roles.reason,
      trail,
    };
  }

  const algorithm = principal.algorithm;
  if (algorithm !== undefined) {
    const filing = ruleId.algorithmFiling(algorithm.filingId);
    trail.push(filing);
    if (!SERVING_STATES.has(algorithm.state)) {
      return {
        effect: 'DENY',
        coordinate,
        rule: filing,
        code: 'ALGORITHM_INPUT_NOT_FILED',
        reason: `Algorithm filing ${algorithm.filingId} is ${algorithm.state}; only filings in PILOT, IN_SERVICE or CHANGE_PENDING may read.`,
        trail,
      };
    }
    if (!algorithm.inputs.includes(coordinate)) {
      return {
        effect: 'DENY',
        coordinate,
        rule: filing,
        code: 'ALGORITHM_INPUT_NOT_FILED',
        reason: `${coordinate} is not among the inputs filed for algorithm ${algorithm.filingId}.`,
        trail,
      };
    }
  }

  return { ...sharing, trail };
}
