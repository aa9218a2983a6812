// What a data officer writes into an entry version, checked: the shape, the
// names against the current supergraph (with the nearest existing name for
// an unknown one) and the rules between fields.
import { nearestName } from '../../../policies/src/document/validateAgainstSupergraph.js';
import { RowFilterSchema } from '../../../policies/src/document/policySchemas.js';
import type {
  EntryConditions,
  EntryExceptions,
  EntrySelector,
  MaskKind,
  RowFilter,
  ShareClass,
} from '../../../policies/src/index.js';
import { isStorableText, parseTimestamp } from '../../kit/src/arguments.js';
import type { EntryContent } from '../../../policies/store/src/administration/index.js';
import type { SupergraphInfo } from '../../../policies/store/src/supergraphInfo.js';

/** The content of an entry as the GraphQL input gives it. */
export interface EntryContentInput {
  readonly selector: {
    readonly coordinates?: readonly string[] | null;
    readonly types?: readonly string[] | null;
    readonly tags?: readonly string[] | null;
  };
  readonly shareClass: ShareClass;
  readonly legalBasis: string;
  readonly reason: string;
  readonly conditions?: {
    readonly consumers?: readonly string[] | null;
    readonly purposes?: readonly string[] | null;
    readonly scenarios?: readonly string[] | null;
    readonly rowFilter?: string | null;
    readonly masks?: readonly { coordinate: string; mask: MaskKind }[] | null;
  } | null;
  readonly exceptions?: {
    readonly consumers?: readonly string[] | null;
    readonly purposes?: readonly string[] | null;
  } | null;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
  readonly priority?: number | null;
}

/** One thing wrong with an input, named by the input field at fault. */
export interface EntryProblem {
  readonly field: string;
  readonly message: string;
  /** The unknown name, when the problem is one. */
  readonly name?: string;
  /** The nearest existing name. */
  readonly suggestion?: string;
}

/** The longest text a field of an entry takes. */
const MAX_TEXT = 4000;
/** Department and purpose names: lower case words with hyphens. */
const NAME = /^[a-z][a-z0-9-]{0,63}$/;
/** Scenario names: upper case words with underscores. */
const SCENARIO = /^[A-Z][A-Z0-9_]{0,63}$/;

function list(values: readonly string[] | null | undefined): string[] {
  return [...new Set(values ?? [])];
}

/** The problems of a piece of required text, if any. */
function text(
  field: string,
  value: string,
  what: string,
  problems: EntryProblem[],
): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    problems.push({ field, message: `${what} is required.` });
  } else if (!isStorableText(value) || value.length > MAX_TEXT) {
    problems.push({
      field,
      message: `${what} must be text of at most ${String(MAX_TEXT)} characters without NUL.`,
    });
  }
  return trimmed;
}

function names(
  field: string,
  values: readonly string[],
  pattern: RegExp,
  what: string,
  problems: EntryProblem[],
): void {
  for (const value of values) {
    if (!pattern.test(value)) {
      problems.push({
        field,
        message: `${JSON.stringify(value)} is not ${what}.`,
        name: value,
      });
    }
  }
}

/** A parsed instant, or a problem. */
function instant(
  field: string,
  value: string | null | undefined,
  problems: EntryProblem[],
): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  try {
    return parseTimestamp(value, field);
  } catch {
    problems.push({
      field,
      message: `${JSON.stringify(value)} is not an ISO 8601 instant with a time zone, e.g. 2027-01-01T00:00:00+08:00.`,
    });
    return undefined;
  }
}

/** The row filter given as JSON, parsed and checked, or a problem. */
export function parseRowFilter(
  field: string,
  json: string | null | undefined,
  problems: EntryProblem[],
): RowFilter | undefined {
  if (json === null || json === undefined || json.trim() === '') {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    problems.push({
      field,
      message:
        'The row filter must be JSON, e.g. {"op":"prefix","field":"regionCode","value":"500103"}.',
    });
    return undefined;
  }
  const parsed = RowFilterSchema.safeParse(value);
  if (!parsed.success) {
    problems.push({
      field,
      message: `The row filter is not one govgraph can apply: ${parsed.error.issues[0]?.message ?? 'invalid'} (README "Row scope" lists its forms).`,
    });
    return undefined;
  }
  return parsed.data;
}

/** Which names of the supergraph and stored classifications exist. */
export interface KnownNames {
  readonly info: SupergraphInfo;
  /** Every tag in use: SDL `class:` tags and stored ones. */
  readonly tags: ReadonlySet<string>;
  /** The tags stored per coordinate (on top of the SDL's). */
  readonly stored: Readonly<Record<string, readonly string[]>>;
}

/** Checks that `owner` resolves `coordinate`, or says who does. */
function ownedBy(
  info: SupergraphInfo,
  coordinate: string,
  owner: string,
): string | null {
  const owners = info.ownership.get(coordinate)?.owners ?? [];
  if (owners.includes(owner)) return null;
  return `${coordinate} is resolved by ${owners.join(', ') || 'no department'}, not ${owner}: a department lists only its own data.`;
}

/** A name of the supergraph, or a problem with the nearest existing one. */
function known(
  field: string,
  kind: string,
  name: string,
  all: ReadonlySet<string>,
  problems: EntryProblem[],
): boolean {
  if (all.has(name)) return true;
  const suggestion = nearestName(name, all);
  problems.push({
    field,
    message: `Unknown ${kind} ${name} in the current supergraph${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}.`,
    name,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
  return false;
}

/**
 * Parses an entry's content for `owner` and checks it whole: required
 * legal basis and reason; a selector that names coordinates, types and tags
 * the current supergraph has (each unknown one with the nearest existing
 * name), and only fields `owner` resolves; conditions only on a
 * `CONDITIONAL` entry, masks only on covered fields, a row filter
 * govgraph can apply; a validity window that ends after it starts.
 *
 * @returns the content, and every problem found (the content is unusable
 * when there is any)
 */
export function parseEntryContent(
  input: EntryContentInput,
  owner: string,
  knownNames: KnownNames,
): { content: EntryContent; problems: EntryProblem[] } {
  const { info } = knownNames;
  const problems: EntryProblem[] = [];
  const legalBasis = text(
    'legalBasis',
    input.legalBasis,
    'A legal basis (法律依据: the law, regulation or document the restriction rests on)',
    problems,
  );
  const reason = text('reason', input.reason, 'A reason', problems);

  const coordinates = list(input.selector.coordinates);
  const types = list(input.selector.types);
  const tags = list(input.selector.tags);
  if (coordinates.length + types.length + tags.length === 0) {
    problems.push({
      field: 'selector',
      message:
        'The selector is empty: name coordinates (Person.mobile), whole types (DischargeRecord) or classification tags (PERSONAL_SENSITIVE).',
    });
  }
  for (const c of coordinates) {
    if (
      known(
        'selector.coordinates',
        'coordinate',
        c,
        info.names.coordinates,
        problems,
      )
    ) {
      const notOwned = ownedBy(info, c, owner);
      if (notOwned !== null) {
        problems.push({
          field: 'selector.coordinates',
          message: notOwned,
          name: c,
        });
      }
    }
  }
  for (const t of types) {
    if (known('selector.types', 'type', t, info.names.types, problems)) {
      const owns = [...info.ownership].some(
        ([coordinate, o]) =>
          coordinate.startsWith(`${t}.`) && o.owners.includes(owner),
      );
      if (!owns) {
        problems.push({
          field: 'selector.types',
          message: `${owner} resolves no field of ${t}: a department lists only its own data.`,
          name: t,
        });
      }
    }
  }
  for (const t of tags) {
    known('selector.tags', 'classification tag', t, knownNames.tags, problems);
  }
  const selector: EntrySelector = {
    ...(coordinates.length > 0 ? { coordinates } : {}),
    ...(types.length > 0 ? { types } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };

  let conditions: EntryConditions | undefined;
  const c = input.conditions;
  if (c !== null && c !== undefined) {
    if (input.shareClass === 'NOT_SHARED') {
      problems.push({
        field: 'conditions',
        message:
          'Conditions apply only to CONDITIONAL entries: NOT_SHARED data is never shared.',
      });
    }
    const masks: Record<string, MaskKind> = {};
    for (const m of c.masks ?? []) {
      if (
        known(
          'conditions.masks',
          'coordinate',
          m.coordinate,
          info.names.coordinates,
          problems,
        )
      ) {
        const notOwned = ownedBy(info, m.coordinate, owner);
        if (notOwned !== null) {
          problems.push({
            field: 'conditions.masks',
            message: notOwned,
            name: m.coordinate,
          });
        }
      }
      masks[m.coordinate] = m.mask;
    }
    const consumers =
      c.consumers === null || c.consumers === undefined
        ? undefined
        : list(c.consumers);
    const purposes =
      c.purposes === null || c.purposes === undefined
        ? undefined
        : list(c.purposes);
    const scenarios =
      c.scenarios === null || c.scenarios === undefined
        ? undefined
        : list(c.scenarios);
    names(
      'conditions.consumers',
      consumers ?? [],
      NAME,
      'a department name like enforcement',
      problems,
    );
    names(
      'conditions.purposes',
      purposes ?? [],
      NAME,
      'a purpose like complaint-handling',
      problems,
    );
    names(
      'conditions.scenarios',
      scenarios ?? [],
      SCENARIO,
      'a scenario like FLOOD_EMERGENCY',
      problems,
    );
    const rowFilter = parseRowFilter(
      'conditions.rowFilter',
      c.rowFilter,
      problems,
    );
    conditions = {
      ...(consumers === undefined ? {} : { consumers }),
      ...(purposes === undefined ? {} : { purposes }),
      ...(scenarios === undefined ? {} : { scenarios }),
      ...(rowFilter === undefined ? {} : { rowFilter }),
      ...(Object.keys(masks).length > 0 ? { masks } : {}),
    };
  }

  let exceptions: EntryExceptions | undefined;
  const x = input.exceptions;
  if (x !== null && x !== undefined) {
    const consumers = list(x.consumers);
    const purposes = list(x.purposes);
    names(
      'exceptions.consumers',
      consumers,
      NAME,
      'a department name like enforcement',
      problems,
    );
    names(
      'exceptions.purposes',
      purposes,
      NAME,
      'a purpose like complaint-handling',
      problems,
    );
    if (consumers.length + purposes.length > 0) {
      exceptions = {
        ...(consumers.length > 0 ? { consumers } : {}),
        ...(purposes.length > 0 ? { purposes } : {}),
      };
    }
  }

  const validFrom = instant('validFrom', input.validFrom, problems);
  const validUntil = instant('validUntil', input.validUntil, problems);
  if (
    validFrom !== undefined &&
    validUntil !== undefined &&
    Date.parse(validUntil) <= Date.parse(validFrom)
  ) {
    problems.push({
      field: 'validUntil',
      message: `The validity window ends (${validUntil}) before or when it starts (${validFrom}).`,
    });
  }
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000) {
    problems.push({
      field: 'priority',
      message: 'The priority must be a whole number from -1000000 to 1000000.',
    });
  }

  const content: EntryContent = {
    selector,
    shareClass: input.shareClass,
    legalBasis,
    reason,
    ...(conditions === undefined ? {} : { conditions }),
    ...(exceptions === undefined ? {} : { exceptions }),
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
    priority,
  };

  // Masks only on fields the entry covers.
  const masked = Object.keys(conditions?.masks ?? {});
  if (masked.length > 0) {
    const coveredCoordinates = new Set(coordinates);
    const coveredTypes = new Set(types);
    for (const coordinate of masked) {
      const typeName = coordinate.slice(0, coordinate.indexOf('.'));
      const fieldTags = [
        ...(info.ownership.get(coordinate)?.classification ?? []),
        ...(Object.hasOwn(knownNames.stored, coordinate)
          ? (knownNames.stored[coordinate] ?? [])
          : []),
      ];
      if (
        !coveredCoordinates.has(coordinate) &&
        !coveredTypes.has(typeName) &&
        !tags.some((t) => fieldTags.includes(t))
      ) {
        problems.push({
          field: 'conditions.masks',
          message: `${coordinate} is masked but not selected by the entry.`,
          name: coordinate,
        });
      }
    }
  }
  return { content, problems };
}
