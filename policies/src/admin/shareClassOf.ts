import { selectEntry } from '../decide/selectEntry.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type PolicySet } from '../model/PolicySet.js';
import { classifiedField } from '../decide/classifiedField.js';

/** A field's standing on the negative list, whoever asks. */
export interface ShareStanding {
  /** `UNCONDITIONAL` (on no entry), `CONDITIONAL` or `NOT_SHARED`. */
  readonly shareClass: 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';
  /** The governing entry, `NL-PS-002@2`; absent when on no entry. */
  readonly entry?: string;
}

/**
 * The share class of a field for the data directory: the strongest
 * `ACTIVE` entry of its owner in force that selects it (exceptions, which
 * depend on who asks, are not applied), or `UNCONDITIONAL`.
 */
export function shareClassOf(
  field: FieldInfo,
  policy: PolicySet,
  now: Date,
): ShareStanding {
  const selection = selectEntry(
    policy.entries,
    classifiedField(field, policy),
    '',
    '',
    now.getTime(),
  );
  if (selection.kind === 'none') return { shareClass: 'UNCONDITIONAL' };
  const { entry } = selection;
  return {
    shareClass: entry.shareClass,
    entry: `${entry.id}@${String(entry.version)}`,
  };
}
