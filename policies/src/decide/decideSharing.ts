// Internal to decide/: not part of the public API.
import { type Decision, type DenyDecision } from '../model/Decision.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';
import { type PolicySet } from '../model/PolicySet.js';
import { type Principal } from '../model/Principal.js';
import { type Purpose } from '../model/Purpose.js';
import { type RowFilter } from '../model/RowFilter.js';
import { findGrant } from './findGrant.js';
import { ruleId } from './ruleId.js';
import { selectEntry } from './selectEntry.js';

/** Both filters when both are present (AND), else the one that is. */
function bothFilters(
  a: RowFilter | undefined,
  b: RowFilter | undefined,
): RowFilter | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { op: 'and', filters: [a, b] };
}

/** `negative-list entry NL-12 v3 (<reason>; legal basis: <basis>)`. */
function cite(entry: NegativeListEntry): string {
  return `negative-list entry ${entry.id} v${String(entry.version)} (${entry.reason}; legal basis: ${entry.legalBasis})`;
}

/** A denial by `entry`. */
function deny(
  field: FieldInfo,
  entry: NegativeListEntry,
  code: DenyDecision['code'],
  reason: string,
): DenyDecision {
  const rule = ruleId.negativeList(entry);
  return {
    effect: 'DENY',
    coordinate: field.coordinate,
    rule,
    code,
    reason,
    trail: [rule],
  };
}

/**
 * The sharing stage of a decision: own department, then (when the city
 * withholds them) unclassified fields, then the negative list
 * (`NOT_SHARED`, `CONDITIONAL` with a grant, no entry). `field` carries its
 * whole classification (SDL and stored tags). Returns a denial or
 * the allow/mask decision that the role and algorithm stages may still turn
 * into a denial.
 */
export function decideSharing(
  principal: Principal,
  purpose: Purpose,
  field: FieldInfo,
  policy: PolicySet,
  now: number,
): Decision {
  const { coordinate, ownerDepartment } = field;
  const consumer = principal.department;
  if (ownerDepartment === consumer) {
    return {
      effect: 'ALLOW',
      coordinate,
      rule: ruleId.ownDepartment,
      reason: `${coordinate} belongs to ${ownerDepartment}, the principal's own department.`,
      trail: [ruleId.ownDepartment],
    };
  }

  if (
    policy.settings?.withholdUnclassified === true &&
    field.classification.length === 0
  ) {
    return {
      effect: 'DENY',
      coordinate,
      rule: ruleId.unclassifiedField,
      code: 'FIELD_NOT_CLASSIFIED',
      reason: `${coordinate} has not been classified by ${ownerDepartment} yet, and the city withholds unclassified fields from other departments until they are.`,
      trail: [ruleId.unclassifiedField],
    };
  }

  const selection = selectEntry(policy.entries, field, consumer, purpose, now);
  if (selection.kind === 'none') {
    return {
      effect: 'ALLOW',
      coordinate,
      rule: ruleId.noEntry,
      reason: `${coordinate} is on no negative-list entry of ${ownerDepartment}: shared.`,
      trail: [ruleId.noEntry],
    };
  }
  const { entry } = selection;
  if (selection.kind === 'exempt') {
    const rule = ruleId.negativeList(entry);
    return {
      effect: 'ALLOW',
      coordinate,
      rule,
      reason: `${consumer} reading for ${purpose} is exempt from ${cite(entry)}.`,
      trail: [rule],
    };
  }

  if (entry.shareClass === 'NOT_SHARED') {
    return deny(
      field,
      entry,
      'FORBIDDEN_BY_NEGATIVE_LIST',
      `${coordinate} is not shared (不予共享) under ${cite(entry)}.`,
    );
  }

  const conditions = entry.conditions;
  if (
    conditions?.consumers !== undefined &&
    !conditions.consumers.includes(consumer)
  ) {
    return deny(
      field,
      entry,
      'FORBIDDEN_BY_NEGATIVE_LIST',
      `${coordinate} is shared conditionally (有条件共享) only with ${conditions.consumers.join(', ') || 'no department'}, not with ${consumer}, under ${cite(entry)}.`,
    );
  }
  if (
    conditions?.purposes !== undefined &&
    !conditions.purposes.includes(purpose)
  ) {
    return deny(
      field,
      entry,
      'FORBIDDEN_BY_NEGATIVE_LIST',
      `${coordinate} is shared conditionally (有条件共享) only for ${conditions.purposes.join(', ') || 'no purpose'}, not for ${purpose}, under ${cite(entry)}.`,
    );
  }

  const grant = findGrant(
    policy.grants,
    entry.id,
    consumer,
    purpose,
    coordinate,
    now,
  );
  if (grant === undefined) {
    return deny(
      field,
      entry,
      'GRANT_REQUIRED',
      `${coordinate} is shared conditionally (有条件共享) under ${cite(entry)}; ${consumer} holds no active grant covering it for ${purpose}: apply to ${ownerDepartment}.`,
    );
  }

  const entryRule = ruleId.negativeList(entry);
  const rule = ruleId.grant(grant);
  const mask =
    (conditions?.masks !== undefined &&
    Object.hasOwn(conditions.masks, coordinate)
      ? conditions.masks[coordinate]
      : undefined) ??
    (grant.masks !== undefined && Object.hasOwn(grant.masks, coordinate)
      ? grant.masks[coordinate]
      : undefined);
  const rowFilter = bothFilters(conditions?.rowFilter, grant.rowFilter);
  const granted = `${coordinate} is shared with ${consumer} for ${purpose} under grant ${grant.id} of negative-list entry ${entry.id} v${String(entry.version)}`;
  const base = {
    coordinate,
    rule,
    trail: [entryRule, rule],
    ...(rowFilter === undefined ? {} : { rowFilter }),
  };
  return mask === undefined
    ? { ...base, effect: 'ALLOW', reason: `${granted}.` }
    : {
        ...base,
        effect: 'MASK',
        mask,
        reason: `${granted}, masked as ${mask}.`,
      };
}
