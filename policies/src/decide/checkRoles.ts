// Internal to decide/: not part of the public API.
import {
  createMongoAbility,
  type MongoAbility,
  type RawRuleOf,
} from '@casl/ability';

import { type FieldInfo } from '../model/FieldInfo.js';
import { type PolicySet } from '../model/PolicySet.js';
import { type RoleRule } from '../model/RoleRule.js';
import { coordinateParts } from './coordinateParts.js';
import { ruleId } from './ruleId.js';

/** The CASL action every field read is checked with. */
export const READ_ACTION = 'read';

/** The outcome of the role (CASL) stage for one field. */
export type RoleCheck =
  | { readonly allowed: true; readonly rule: string }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

/** Abilities built per policy set and role; a policy set is immutable. */
const abilities = new WeakMap<PolicySet, Map<string, MongoAbility | null>>();

/** A {@link RoleRule} as the mutable raw rule `createMongoAbility` takes. */
function toRawRule(rule: RoleRule): RawRuleOf<MongoAbility> {
  const { action, subject, fields, conditions, inverted, reason } = rule;
  return {
    action: typeof action === 'string' ? action : [...action],
    subject: typeof subject === 'string' ? subject : [...subject],
    ...(fields === undefined
      ? {}
      : { fields: typeof fields === 'string' ? fields : [...fields] }),
    ...(conditions === undefined ? {} : { conditions }),
    ...(inverted === undefined ? {} : { inverted }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** The CASL ability of one role of a policy set, or null for an unknown role. */
function abilityOf(policy: PolicySet, role: string): MongoAbility | null {
  let perRole = abilities.get(policy);
  if (perRole === undefined) {
    perRole = new Map();
    abilities.set(policy, perRole);
  }
  const cached = perRole.get(role);
  if (cached !== undefined) return cached;
  const rules = Object.hasOwn(policy.roles, role)
    ? policy.roles[role]
    : undefined;
  const ability =
    rules === undefined ? null : createMongoAbility(rules.map(toRawRule));
  perRole.set(role, ability);
  return ability;
}

/** What one role says about a field. */
type RoleVerdict =
  | { readonly verdict: 'allow' }
  | { readonly verdict: 'deny'; readonly reason: string | undefined }
  | { readonly verdict: 'none' };

/**
 * Checks one role against a field from both subjects a rule may name: the
 * field's type with the field name (`Person`, `idNumber`) and the owner
 * department with the coordinate (`publicsecurity`, `Person.idNumber`).
 * Within each subject CASL's own precedence holds (the later rule wins); a
 * `cannot` relevant under either subject denies.
 */
function checkRole(ability: MongoAbility, field: FieldInfo): RoleVerdict {
  const { typeName, fieldName } = coordinateParts(field.coordinate);
  const relevant = [
    ability.relevantRuleFor(READ_ACTION, typeName, fieldName),
    ability.relevantRuleFor(
      READ_ACTION,
      field.ownerDepartment,
      field.coordinate,
    ),
  ];
  const denying = relevant.find((rule) => rule?.inverted === true);
  if (denying) return { verdict: 'deny', reason: denying.reason };
  return relevant.some((rule) => rule !== null)
    ? { verdict: 'allow' }
    : { verdict: 'none' };
}

/**
 * The role stage of a decision. Roles are evaluated one by one, in sorted
 * order, and combined deny-overrides: a role whose rules forbid the field
 * denies it even when another role allows it; otherwise any role that allows
 * it allows; a principal none of whose roles has a rule for the field is
 * denied (`casl:no-rule`: deny by default). Unknown role names contribute
 * nothing. The result does not depend on the order of `roles`.
 */
export function checkRoles(
  roles: readonly string[],
  field: FieldInfo,
  policy: PolicySet,
): RoleCheck {
  const sorted = [...new Set(roles)].sort();
  let allowedBy: string | undefined;
  for (const role of sorted) {
    const ability = abilityOf(policy, role);
    if (ability === null) continue;
    const verdict = checkRole(ability, field);
    if (verdict.verdict === 'deny') {
      return {
        allowed: false,
        rule: ruleId.caslRole(role),
        reason:
          verdict.reason ??
          `Role "${role}" forbids reading ${field.coordinate}.`,
      };
    }
    if (verdict.verdict === 'allow') allowedBy ??= role;
  }
  if (allowedBy !== undefined) {
    return { allowed: true, rule: ruleId.caslRole(allowedBy) };
  }
  return {
    allowed: false,
    rule: ruleId.caslNoRule,
    reason:
      sorted.length === 0
        ? `The principal has no role, and no role permits reading ${field.coordinate}.`
        : `No role of the principal (${sorted.join(', ')}) permits reading ${field.coordinate}.`,
  };
}
