import { type Department } from '../model/Department.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';
import { type SchemaCoordinate } from '../model/SchemaCoordinate.js';
import { entryCoverage } from './entryCoverage.js';

/** One field's classification as a data officer asks to change it. */
export interface ClassificationChangeInput {
  /** The field, `Type.field`. */
  readonly coordinate: SchemaCoordinate;
  /** Departments whose subgraphs resolve it (several for entity keys). */
  readonly owners: readonly Department[];
  /** The `class:` tags its SDL declares (no officer changes these). */
  readonly sdlTags: readonly string[];
  /** The tags stored for it now (empty when none). */
  readonly storedBefore: readonly string[];
  /** The tags to store instead. */
  readonly storedAfter: readonly string[];
}

/** A department whose data officer must approve a change, and why. */
export interface AffectedDepartment {
  readonly department: Department;
  /** Why, one line each (co-owner; an entry that selects a changed tag). */
  readonly reasons: readonly string[];
}

/** What a classification change does beyond the proposer's own department. */
export interface ClassificationEffect {
  readonly coordinate: SchemaCoordinate;
  /** Tags the field gains (SDL and stored tags together), sorted. */
  readonly added: readonly string[];
  /** Tags the field loses, sorted. */
  readonly removed: readonly string[];
  /**
   * `ACTIVE` entries of other departments whose coverage of the field
   * changes (`NL-PS-001@1`), sorted: the decisions that change.
   */
  readonly coverageChanges: readonly string[];
  /**
   * Departments other than the proposer's that must approve, sorted; empty
   * when the change may apply at once.
   */
  readonly affected: readonly AffectedDepartment[];
}

/** What {@link classificationEffect} needs. */
export interface ClassificationEffectInput {
  readonly change: ClassificationChangeInput;
  /** Every entry version of the policy (only `ACTIVE` ones count). */
  readonly entries: readonly NegativeListEntry[];
  /**
   * The proposer's department: its own stake needs no one else's approval.
   * The city data authority's department owns no field, so every owner and
   * every entry's department is another one.
   */
  readonly proposerDepartment: Department;
}

function sortedSet(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort();
}

/**
 * Who, besides the proposer's department, a change of one field's stored
 * classification tags affects — and so must approve it (four eyes across
 * departments) before it applies. Tags are the field's, not one owner's:
 * every department that resolves the field decides it by the same tags, and
 * a tag-selecting entry switches on or off with them. So, when the field's
 * tags (SDL and stored together) change at all:
 *
 * - every other department that resolves the field (a co-owner) is
 *   affected;
 * - every other department with an `ACTIVE` entry whose selector names a
 *   tag being added or removed is affected, whether or not the entry's
 *   coverage of this field changes (an entry decides only its owner's
 *   fields; the reason says which it is, computed with
 *   {@link entryCoverage}).
 *
 * A change that leaves the field's tags as they are, or that touches only a
 * field the proposer's department resolves alone and no tag another
 * department's active entry selects, affects nobody: it applies at once.
 * Pure.
 */
export function classificationEffect(
  input: ClassificationEffectInput,
): ClassificationEffect {
  const { change, entries, proposerDepartment } = input;
  const before = sortedSet([...change.sdlTags, ...change.storedBefore]);
  const after = sortedSet([...change.sdlTags, ...change.storedAfter]);
  const added = after.filter((t) => !before.includes(t));
  const removed = before.filter((t) => !after.includes(t));
  const { coordinate } = change;
  if (added.length === 0 && removed.length === 0) {
    return { coordinate, added, removed, coverageChanges: [], affected: [] };
  }
  const reasons = new Map<Department, string[]>();
  const because = (department: Department, reason: string): void => {
    if (department === proposerDepartment) return;
    const list = reasons.get(department) ?? [];
    list.push(reason);
    reasons.set(department, list);
  };
  for (const owner of sortedSet(change.owners)) {
    because(owner, `resolves ${coordinate} too (co-owner)`);
  }
  const changed = [...added, ...removed];
  const coverageChanges: string[] = [];
  const selectedBy = entries
    .filter(
      (e) =>
        e.status === 'ACTIVE' &&
        e.selector.tags?.some((t) => changed.includes(t)) === true,
    )
    .sort((a, b) =>
      a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1,
    );
  for (const entry of selectedBy) {
    const key = `${entry.id}@${String(entry.version)}`;
    const selects = entry.selector.tags ?? [];
    const what = [
      ['adds', added.filter((t) => selects.includes(t))],
      ['removes', removed.filter((t) => selects.includes(t))],
    ] as const;
    const tags = what
      .filter(([, list]) => list.length > 0)
      .map(([verb, list]) => `${verb} ${list.join(', ')}`)
      .join(' and ');
    const field = (classification: readonly string[]) => ({
      coordinate,
      ownerDepartment: entry.ownerDepartment,
      classification,
    });
    const coveredBefore =
      change.owners.includes(entry.ownerDepartment) &&
      entryCoverage(entry, [field(before)]).length > 0;
    const coveredAfter =
      change.owners.includes(entry.ownerDepartment) &&
      entryCoverage(entry, [field(after)]).length > 0;
    let effect: string;
    if (coveredBefore === coveredAfter) {
      effect = `its coverage of ${coordinate} does not change`;
    } else {
      if (entry.ownerDepartment !== proposerDepartment) {
        coverageChanges.push(key);
      }
      effect = coveredAfter
        ? `it would start deciding ${coordinate}`
        : `it would stop deciding ${coordinate}`;
    }
    because(
      entry.ownerDepartment,
      `${key} selects by tag and the change ${tags}: ${effect}`,
    );
  }
  const affected = [...reasons]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([department, why]) => ({ department, reasons: why }));
  return {
    coordinate,
    added,
    removed,
    coverageChanges: sortedSet(coverageChanges),
    affected,
  };
}

/**
 * The departments several effects need, each with every reason, sorted:
 * the approvals one proposal of several fields waits for.
 */
export function affectedDepartments(
  effects: Iterable<Pick<ClassificationEffect, 'coordinate' | 'affected'>>,
): AffectedDepartment[] {
  const reasons = new Map<Department, string[]>();
  for (const effect of effects) {
    for (const { department, reasons: why } of effect.affected) {
      const list = reasons.get(department) ?? [];
      for (const reason of why) {
        const line = reason.includes(effect.coordinate)
          ? reason
          : `${effect.coordinate}: ${reason}`;
        if (!list.includes(line)) list.push(line);
      }
      reasons.set(department, list);
    }
  }
  return [...reasons]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([department, why]) => ({ department, reasons: why }));
}
