// Internal to decide/: not part of the public API.
import { type FieldInfo } from '../model/FieldInfo.js';
import { type PolicySet } from '../model/PolicySet.js';

/**
 * The field with its whole classification: the tags its SDL declares and
 * those stored in the policy set, without duplicates. The same object when
 * nothing is stored for it.
 */
export function classifiedField(
  field: FieldInfo,
  policy: PolicySet,
): FieldInfo {
  const stored = policy.classifications;
  if (stored === undefined || !Object.hasOwn(stored, field.coordinate)) {
    return field;
  }
  const tags = stored[field.coordinate] ?? [];
  if (tags.every((tag) => field.classification.includes(tag))) return field;
  return {
    ...field,
    classification: [...new Set([...field.classification, ...tags])],
  };
}
