// Internal to decide/: not part of the public API.
import { type Department } from '../model/Department.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';
import { type Purpose } from '../model/Purpose.js';
import { coordinateParts } from './coordinateParts.js';
import { isInEffect } from './isInEffect.js';

/**
 * The negative-list outcome for one field and request:
 * `applies` — the winning entry; `exempt` — entries matched but the request is
 * exempt from all of them (the strongest one named); `none` — no entry.
 */
export type EntrySelection =
  | { readonly kind: 'applies'; readonly entry: NegativeListEntry }
  | { readonly kind: 'exempt'; readonly entry: NegativeListEntry }
  | { readonly kind: 'none' };

/**
 * Orders entries strongest first: higher priority; at equal priority
 * `NOT_SHARED` before `CONDITIONAL`; then by id and newest version, so the
 * outcome never depends on the order of the policy set.
 */
function strongestFirst(a: NegativeListEntry, b: NegativeListEntry): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.shareClass !== b.shareClass)
    return a.shareClass === 'NOT_SHARED' ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return b.version - a.version;
}

/**
 * True when the entry's selector covers the field (exact coordinate, whole
 * type or one of the field's classification tags). Ownership is not
 * checked here: an entry decides only its owner department's fields.
 */
export function entrySelects(
  entry: Pick<NegativeListEntry, 'selector'>,
  field: FieldInfo,
): boolean {
  const { coordinates, types, tags } = entry.selector;
  if (coordinates?.includes(field.coordinate) === true) return true;
  if (types?.includes(coordinateParts(field.coordinate).typeName) === true) {
    return true;
  }
  return tags?.some((tag) => field.classification.includes(tag)) === true;
}

/** True when the consumer or the purpose is exempt from the entry. */
function exempts(
  entry: NegativeListEntry,
  consumer: Department,
  purpose: Purpose,
): boolean {
  const exceptions = entry.exceptions;
  return (
    exceptions?.consumers?.includes(consumer) === true ||
    exceptions?.purposes?.includes(purpose) === true
  );
}

/**
 * Finds the negative-list entry that governs `field` for a consumer and
 * purpose: among `ACTIVE` entries of the field's owner department that are
 * in their validity window and select the field, the strongest one the
 * request is not exempt from.
 */
export function selectEntry(
  entries: readonly NegativeListEntry[],
  field: FieldInfo,
  consumer: Department,
  purpose: Purpose,
  now: number,
): EntrySelection {
  const matching = entries
    .filter(
      (entry) =>
        entry.status === 'ACTIVE' &&
        entry.ownerDepartment === field.ownerDepartment &&
        isInEffect(now, entry.validFrom, entry.validUntil, 'applies') &&
        entrySelects(entry, field),
    )
    .sort(strongestFirst);
  const applying = matching.find((entry) => !exempts(entry, consumer, purpose));
  if (applying !== undefined) return { kind: 'applies', entry: applying };
  const [strongest] = matching;
  return strongest === undefined
    ? { kind: 'none' }
    : { kind: 'exempt', entry: strongest };
}
