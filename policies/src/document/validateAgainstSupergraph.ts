import type { OwnershipCatalog } from '../govern/FieldOwnership.js';
import type { PolicyDocument } from './PolicyDocument.js';

/** The names a policy may refer to: what the supergraph has. */
export interface PolicyNames {
  /** Every `Type.field` coordinate. */
  readonly coordinates: ReadonlySet<string>;
  /** Every object and interface type with fields. */
  readonly types: ReadonlySet<string>;
  /** Every classification tag, without its `class:` prefix. */
  readonly tags: ReadonlySet<string>;
}

/** The coordinates, types and classification tags of an ownership catalog. */
export function policyNamesOf(ownership: OwnershipCatalog): PolicyNames {
  const coordinates = new Set<string>();
  const types = new Set<string>();
  const tags = new Set<string>();
  for (const [coordinate, { classification }] of ownership) {
    coordinates.add(coordinate);
    types.add(coordinate.slice(0, coordinate.indexOf('.')));
    for (const tag of classification) tags.add(tag);
  }
  return { coordinates, types, tags };
}

/** Levenshtein edit distance (insert, delete, substitute: 1 each). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] ?? 0) + 1,
          (current[j - 1] ?? 0) + 1,
          (previous[j - 1] ?? 0) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The existing name nearest to `name` (case-insensitive Levenshtein; ties
 * go to the alphabetically first), or undefined when none is within
 * reach: at most a third of the name's length, and at least 2 edits.
 */
export function nearestName(
  name: string,
  candidates: Iterable<string>,
): string | undefined {
  const wanted = name.toLowerCase();
  const reach = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    if (
      distance < bestDistance ||
      (distance === bestDistance && best !== undefined && candidate < best)
    ) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= reach ? best : undefined;
}

/**
 * Checks what a (structurally valid) document refers to against the
 * supergraph: every selector coordinate, type and tag, every masked
 * coordinate, every grant's and filing's coordinates must exist, each
 * unknown one reported with the nearest existing name (classified fields
 * too); and every grant
 * must be under an entry that exists and is `CONDITIONAL` (its `ACTIVE`
 * version, or its latest when none is active). Pure.
 *
 * @returns one line per problem; empty when the document is sound
 */
export function validateAgainstSupergraph(
  doc: PolicyDocument,
  names: PolicyNames,
): string[] {
  const problems: string[] = [];
  const unknown = (
    where: string,
    kind: 'coordinate' | 'type' | 'tag',
    name: string,
    known: ReadonlySet<string>,
  ): void => {
    if (known.has(name)) return;
    const nearest = nearestName(name, known);
    problems.push(
      `${where}: unknown ${kind} ${name} in the supergraph${nearest === undefined ? '' : ` (did you mean ${nearest}?)`}`,
    );
  };

  for (const entry of doc.entries) {
    const where = `entry ${entry.id}@${String(entry.version)}`;
    for (const c of entry.selector.coordinates ?? []) {
      unknown(`${where} selector`, 'coordinate', c, names.coordinates);
    }
    for (const t of entry.selector.types ?? []) {
      unknown(`${where} selector`, 'type', t, names.types);
    }
    for (const t of entry.selector.tags ?? []) {
      unknown(`${where} selector`, 'tag', t, names.tags);
    }
    for (const c of Object.keys(entry.conditions?.masks ?? {})) {
      unknown(`${where} conditions.masks`, 'coordinate', c, names.coordinates);
    }
  }

  for (const grant of doc.grants) {
    const where = `grant ${grant.id}`;
    const versions = doc.entries.filter((e) => e.id === grant.entryId);
    const governing =
      versions.find((e) => e.status === 'ACTIVE') ??
      versions.reduce<(typeof versions)[number] | undefined>(
        (latest, e) =>
          latest === undefined || e.version > latest.version ? e : latest,
        undefined,
      );
    if (governing === undefined) {
      problems.push(`${where}: entry ${grant.entryId} does not exist`);
    } else if (governing.shareClass !== 'CONDITIONAL') {
      problems.push(
        `${where}: entry ${grant.entryId}@${String(governing.version)} is ${governing.shareClass}; grants are issued only under CONDITIONAL entries`,
      );
    }
    for (const c of grant.coordinates) {
      unknown(`${where} coordinates`, 'coordinate', c, names.coordinates);
    }
    for (const c of Object.keys(grant.masks ?? {})) {
      unknown(`${where} masks`, 'coordinate', c, names.coordinates);
    }
  }

  for (const c of doc.classifications ?? []) {
    unknown('classification', 'coordinate', c.coordinate, names.coordinates);
  }

  for (const filing of doc.algorithms) {
    for (const c of filing.inputs) {
      unknown(
        `algorithm ${filing.filingId} inputs`,
        'coordinate',
        c,
        names.coordinates,
      );
    }
  }
  return problems;
}
