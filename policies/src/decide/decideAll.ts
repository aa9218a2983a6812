import { type Decision } from '../model/Decision.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type PolicySet } from '../model/PolicySet.js';
import { type Principal } from '../model/Principal.js';
import { type Purpose } from '../model/Purpose.js';
import { decide } from './decide.js';

/**
 * {@link decide} for every field of an operation at one instant: the result
 * is index-aligned with `fields` (a coordinate listed twice is decided twice,
 * identically).
 */
export function decideAll(
  principal: Principal,
  purpose: Purpose,
  fields: readonly FieldInfo[],
  policy: PolicySet,
  now: Date,
): Decision[] {
  return fields.map((field) => decide(principal, purpose, field, policy, now));
}
