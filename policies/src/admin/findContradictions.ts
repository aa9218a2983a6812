import { isInEffect } from '../decide/isInEffect.js';
import { type FieldInfo } from '../model/FieldInfo.js';
import { type Grant } from '../model/Grant.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';
import { type SchemaCoordinate } from '../model/SchemaCoordinate.js';
import { entryCoverage } from './entryCoverage.js';

/**
 * What is wrong with an entry version among the others, without making it
 * invalid:
 *
 * - `COVERS_NOTHING`: the selector selects no field its owner resolves.
 * - `OPPOSITE_CLASS_AT_SAME_PRIORITY`: another `ACTIVE` entry covers some of
 *   the same fields at the same priority with the other share class; the
 *   tie goes to `NOT_SHARED`, which may not be what either author meant.
 * - `SHADOWED`: every field it covers is covered by a stronger `ACTIVE`
 *   `NOT_SHARED` entry without exceptions, so this version would never
 *   decide anything.
 * - `EXEMPT_AND_CONDITIONED`: a consumer or purpose is both among the
 *   conditions and exempt from the entry.
 * - `GRANTS_WOULD_LAPSE`: grants in force under the entry cover fields this
 *   version no longer covers, or this version is `NOT_SHARED`; or grants
 *   under a weaker `CONDITIONAL` entry cover fields this `NOT_SHARED`
 *   version withholds: they would stop working once it is published.
 */
export type ContradictionKind =
  | 'COVERS_NOTHING'
  | 'OPPOSITE_CLASS_AT_SAME_PRIORITY'
  | 'SHADOWED'
  | 'EXEMPT_AND_CONDITIONED'
  | 'GRANTS_WOULD_LAPSE';

/** One finding of {@link findContradictions}. */
export interface Contradiction {
  readonly kind: ContradictionKind;
  readonly message: string;
  /** The other entry involved (`id@version`), if any. */
  readonly otherEntry?: string;
  /** The grants involved, if any. */
  readonly grants?: readonly string[];
  /** The coordinates involved. */
  readonly coordinates: readonly SchemaCoordinate[];
}

/** What {@link findContradictions} looks at. */
export interface ContradictionInput {
  /** The version checked (a draft, or one in review or in force). */
  readonly entry: NegativeListEntry;
  /** Every entry version of the policy (only other entries' `ACTIVE` ones are compared). */
  readonly entries: readonly NegativeListEntry[];
  /** The grants of the policy. */
  readonly grants: readonly Grant[];
  /** Every field of the supergraph, with its whole classification. */
  readonly fields: readonly FieldInfo[];
  /** The instant grants are judged in force at. */
  readonly now: Date;
}

function key(entry: NegativeListEntry): string {
  return `${entry.id}@${String(entry.version)}`;
}

function hasExceptions(entry: NegativeListEntry): boolean {
  const e = entry.exceptions;
  return (e?.consumers?.length ?? 0) > 0 || (e?.purposes?.length ?? 0) > 0;
}

function both(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): string[] {
  return (a ?? []).filter((x) => b?.includes(x) === true);
}

/**
 * Finds the contradictions of one entry version with the policy around it
 * (see {@link ContradictionKind}): reported to the data officer and the
 * reviewer, never a reason by itself to refuse the version. Pure.
 */
export function findContradictions(input: ContradictionInput): Contradiction[] {
  const { entry } = input;
  const found: Contradiction[] = [];
  const covered = entryCoverage(entry, input.fields);
  if (covered.length === 0) {
    found.push({
      kind: 'COVERS_NOTHING',
      message: `${key(entry)} selects no field ${entry.ownerDepartment} resolves in the current supergraph.`,
      coordinates: [],
    });
  }
  const coveredSet = new Set(covered);

  const others = input.entries.filter(
    (e) =>
      e.id !== entry.id &&
      e.status === 'ACTIVE' &&
      e.ownerDepartment === entry.ownerDepartment,
  );
  const shadowedBy = new Map<SchemaCoordinate, string>();
  for (const other of others) {
    const overlap = entryCoverage(other, input.fields).filter((c) =>
      coveredSet.has(c),
    );
    if (overlap.length === 0) continue;
    if (
      other.priority === entry.priority &&
      other.shareClass !== entry.shareClass
    ) {
      found.push({
        kind: 'OPPOSITE_CLASS_AT_SAME_PRIORITY',
        message: `${key(other)} covers ${overlap.join(', ')} at the same priority (${String(entry.priority)}) as ${other.shareClass}; ${key(entry)} says ${entry.shareClass}. NOT_SHARED wins the tie: raise the priority of the one that should decide.`,
        otherEntry: key(other),
        coordinates: overlap,
      });
    }
    const stronger =
      other.priority > entry.priority ||
      (other.priority === entry.priority &&
        other.shareClass === 'NOT_SHARED' &&
        entry.shareClass === 'CONDITIONAL');
    if (
      stronger &&
      other.shareClass === 'NOT_SHARED' &&
      !hasExceptions(other)
    ) {
      for (const c of overlap) shadowedBy.set(c, key(other));
    }
  }
  if (covered.length > 0 && covered.every((c) => shadowedBy.has(c))) {
    const by = [...new Set(shadowedBy.values())].sort();
    found.push({
      kind: 'SHADOWED',
      message: `Every field ${key(entry)} covers is withheld by the stronger NOT_SHARED ${by.join(', ')}: this version would never decide.`,
      otherEntry: by[0] ?? '',
      coordinates: covered,
    });
  }

  const consumers = both(
    entry.conditions?.consumers,
    entry.exceptions?.consumers,
  );
  const purposes = both(entry.conditions?.purposes, entry.exceptions?.purposes);
  if (
    entry.shareClass === 'CONDITIONAL' &&
    (consumers.length > 0 || purposes.length > 0)
  ) {
    found.push({
      kind: 'EXEMPT_AND_CONDITIONED',
      message: `${[...consumers.map((c) => `consumer ${c}`), ...purposes.map((p) => `purpose ${p}`)].join(', ')} ${consumers.length + purposes.length === 1 ? 'is' : 'are'} both in the conditions and exempt: the exception wins and no grant is needed.`,
      coordinates: [],
    });
  }

  const now = input.now.getTime();
  const lapsing = input.grants.filter(
    (g) =>
      g.entryId === entry.id &&
      !g.revoked &&
      isInEffect(now, undefined, g.expiresAt, 'lapses') &&
      (entry.shareClass === 'NOT_SHARED' ||
        g.coordinates.some((c) => !coveredSet.has(c))),
  );
  if (lapsing.length > 0) {
    const lost = [
      ...new Set(
        lapsing.flatMap((g) =>
          entry.shareClass === 'NOT_SHARED'
            ? g.coordinates
            : g.coordinates.filter((c) => !coveredSet.has(c)),
        ),
      ),
    ].sort();
    found.push({
      kind: 'GRANTS_WOULD_LAPSE',
      message:
        entry.shareClass === 'NOT_SHARED'
          ? `${key(entry)} is NOT_SHARED: grants ${lapsing.map((g) => g.id).join(', ')} issued under ${entry.id} would stop working.`
          : `Grants ${lapsing.map((g) => g.id).join(', ')} cover ${lost.join(', ')}, which ${key(entry)} no longer covers: they would stop applying to them.`,
      grants: lapsing.map((g) => g.id),
      coordinates: lost,
    });
  }
  if (entry.shareClass === 'NOT_SHARED') {
    const weaker = new Map(
      others
        .filter(
          (o) => o.shareClass === 'CONDITIONAL' && o.priority <= entry.priority,
        )
        .map((o) => [o.id, o]),
    );
    const overridden = input.grants.filter(
      (g) =>
        weaker.has(g.entryId) &&
        !g.revoked &&
        isInEffect(now, undefined, g.expiresAt, 'lapses') &&
        g.coordinates.some((c) => coveredSet.has(c)),
    );
    if (overridden.length > 0) {
      const lost = [
        ...new Set(
          overridden.flatMap((g) =>
            g.coordinates.filter((c) => coveredSet.has(c)),
          ),
        ),
      ].sort();
      const under = [...new Set(overridden.map((g) => g.entryId))].sort();
      found.push({
        kind: 'GRANTS_WOULD_LAPSE',
        message: `Grants ${overridden.map((g) => g.id).join(', ')} under ${under.join(', ')} cover ${lost.join(', ')}, which ${key(entry)} withholds: they would stop applying to ${lost.length === 1 ? 'it' : 'them'}.`,
        otherEntry: under[0] ?? '',
        grants: overridden.map((g) => g.id),
        coordinates: lost,
      });
    }
  }
  return found;
}
