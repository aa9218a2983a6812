import { createMongoAbility, type MongoAbility } from '@casl/ability';

import { type PolicySet } from '../model/PolicySet.js';
import { type Principal } from '../model/Principal.js';

/** The CASL action and subject that let a role introspect the schema. */
export const INTROSPECT_ACTION = 'introspect';
export const SCHEMA_SUBJECT = 'Schema';

const abilities = new WeakMap<PolicySet, Map<string, MongoAbility>>();

function abilityOf(policy: PolicySet, role: string): MongoAbility | null {
  if (!Object.hasOwn(policy.roles, role)) return null;
  let perRole = abilities.get(policy);
  if (perRole === undefined) {
    perRole = new Map();
    abilities.set(policy, perRole);
  }
  let ability = perRole.get(role);
  if (ability === undefined) {
    const rules = policy.roles[role] ?? [];
    ability = createMongoAbility<MongoAbility>(
      rules.map((rule) => ({
        action:
          typeof rule.action === 'string' ? rule.action : [...rule.action],
        subject:
          typeof rule.subject === 'string' ? rule.subject : [...rule.subject],
        ...(rule.inverted === undefined ? {} : { inverted: rule.inverted }),
      })),
    );
    perRole.set(role, ability);
  }
  return ability;
}

/**
 * Whether the principal may introspect the schema (`__schema`, `__type`):
 * some role grants `introspect` on `Schema` (CASL's `manage`/`all`
 * wildcards count) and none forbids it. Algorithm identities never
 * introspect: they read their filed inputs and nothing else.
 */
export function mayIntrospect(
  principal: Pick<Principal, 'roles' | 'algorithm'>,
  policy: PolicySet,
): boolean {
  if (principal.algorithm !== undefined) return false;
  let allowed = false;
  for (const role of new Set(principal.roles)) {
    const ability = abilityOf(policy, role);
    if (ability === null) continue;
    const rule = ability.relevantRuleFor(INTROSPECT_ACTION, SCHEMA_SUBJECT);
    if (rule === null) continue;
    if (rule.inverted) return false;
    allowed = true;
  }
  return allowed;
}
