// Request validation: the shape with zod (unknown properties refused), then
// every field name against the collection's spec, then the cursor against the
// request. Backends only ever see a NormalizedRequest.
import { z } from 'zod';

import type {
  CollectionSpec,
  SearchFilter,
  SearchRequest,
} from '../SearchBackend.js';
import { queryTerms } from './analyze.js';
import {
  canonicalJson,
  decodeCursor,
  hashString,
  type SortValue,
} from './cursor.js';
import { SearchRequestError } from './SearchRequestError.js';

/** Most values of one `in` or `prefix` filter. */
export const MAX_FILTER_VALUES = 1000;
/** Deepest nesting of `and`/`or`. */
export const MAX_FILTER_DEPTH = 8;
/** Longest query text, in characters. */
export const MAX_TEXT_LENGTH = 200;

/** What kind of field a name is in a spec. */
export type FieldKind = 'text' | 'keyword' | 'region' | 'date' | 'numeric';

/** A sort key with its kind resolved; the last one is always `id` ascending. */
export interface NormalizedSortKey {
  readonly field: string;
  readonly kind: 'score' | 'id' | 'keyword' | 'date' | 'numeric';
  readonly order: 'asc' | 'desc';
}

/** A facet with its defaults applied and the key of its result. */
export interface NormalizedFacet {
  /** Key in `SearchResult.facets`: the field, or `field.district|street` when a level was given. */
  readonly key: string;
  readonly field: string;
  readonly kind: 'keyword' | 'region';
  /** Characters of the region code grouped on (6 district, 9 street); null for keywords. */
  readonly prefixLength: number | null;
  readonly size: number;
}

/** A request checked against its collection's spec. */
export interface NormalizedRequest {
  /** The query's terms (see `analyze`); null when the text is absent or blank (match all). */
  readonly terms: readonly string[] | null;
  readonly textFields: readonly string[];
  readonly filter: SearchFilter | undefined;
  readonly facets: readonly NormalizedFacet[];
  readonly sort: readonly NormalizedSortKey[];
  readonly size: number;
  /** Sort values of the previous page's last hit (one per sort key). */
  readonly after: readonly SortValue[] | undefined;
  readonly highlight: readonly string[];
  /** Hash of what decides the order and the hits: text, fields, filter, sort. */
  readonly hash: string;
}

const fieldName = z.string().min(1).max(100);
// Typed loosely (exactOptionalPropertyTypes), the parsed value is a SearchFilter.
const filterSchema: z.ZodType = z.lazy(() =>
  z.union([
    z.strictObject({
      op: z.literal('in'),
      field: fieldName,
      values: z.array(z.string().max(500)).min(1).max(MAX_FILTER_VALUES),
    }),
    z.strictObject({
      op: z.literal('prefix'),
      field: fieldName,
      values: z.array(z.string().min(1).max(500)).min(1).max(MAX_FILTER_VALUES),
    }),
    z.strictObject({
      op: z.literal('range'),
      field: fieldName,
      gte: z.union([z.string().max(40), z.number()]).optional(),
      lt: z.union([z.string().max(40), z.number()]).optional(),
    }),
    z.strictObject({
      op: z.literal('and'),
      filters: z.array(filterSchema).min(1).max(100),
    }),
    z.strictObject({
      op: z.literal('or'),
      filters: z.array(filterSchema).min(1).max(100),
    }),
  ]),
);

const requestSchema = z.strictObject({
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  textFields: z.array(fieldName).max(50),
  filter: filterSchema.optional(),
  facets: z
    .array(
      z.strictObject({
        field: fieldName,
        regionLevel: z.enum(['district', 'street']).optional(),
        size: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .max(20)
    .optional(),
  sort: z
    .array(z.strictObject({ field: fieldName, order: z.enum(['asc', 'desc']) }))
    .max(5)
    .optional(),
  size: z.number().int().min(1).max(100),
  after: z.string().min(1).max(4000).optional(),
  highlight: z.array(fieldName).max(50).optional(),
});

/** The kind of `field` in `spec`, or null when the spec has no such field. */
export function kindOf(spec: CollectionSpec, field: string): FieldKind | null {
  if (spec.text.includes(field)) return 'text';
  if (spec.keyword.includes(field)) return 'keyword';
  if (spec.region.includes(field)) return 'region';
  if (spec.date.includes(field)) return 'date';
  if (spec.numeric.includes(field)) return 'numeric';
  return null;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return `${path ? `${path}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  }
  if (issue.code === 'invalid_union' && issue.path.length > 0) {
    return `${path}: not a valid filter (in, prefix, range, and, or with their fields)`;
  }
  return `${path || 'request'}: ${issue.message}`;
}

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function checkFilter(
  spec: CollectionSpec,
  filter: SearchFilter,
  path: string,
  depth: number,
): void {
  if (depth > MAX_FILTER_DEPTH) {
    throw new SearchRequestError(
      `${path}: filters nest deeper than ${MAX_FILTER_DEPTH}`,
    );
  }
  switch (filter.op) {
    case 'and':
    case 'or':
      filter.filters.forEach((f, i) =>
        checkFilter(spec, f, `${path}.filters.${i}`, depth + 1),
      );
      return;
    case 'in':
    case 'prefix': {
      const kind = kindOf(spec, filter.field);
      if (kind !== 'keyword' && kind !== 'region') {
        throw new SearchRequestError(
          `${path}: cannot filter "${filter.field}" with ${filter.op}: not a keyword or region field of ${spec.name}`,
        );
      }
      return;
    }
    case 'range': {
      const kind = kindOf(spec, filter.field);
      if (kind !== 'date' && kind !== 'numeric') {
        throw new SearchRequestError(
          `${path}: cannot filter "${filter.field}" by range: not a date or numeric field of ${spec.name}`,
        );
      }
      if (filter.gte === undefined && filter.lt === undefined) {
        throw new SearchRequestError(
          `${path}: a range on "${filter.field}" needs gte, lt or both`,
        );
      }
      const bounds: number[] = [];
      for (const [name, bound] of [
        ['gte', filter.gte],
        ['lt', filter.lt],
      ] as const) {
        if (bound === undefined) continue;
        if (kind === 'date') {
          const ms = typeof bound === 'string' ? Date.parse(bound) : NaN;
          if (
            typeof bound !== 'string' ||
            !ISO_DATE.test(bound) ||
            Number.isNaN(ms)
          ) {
            throw new SearchRequestError(
              `${path}.${name}: "${String(bound)}" is not an ISO 8601 date`,
            );
          }
          bounds.push(ms);
        } else {
          if (typeof bound !== 'number' || !Number.isFinite(bound)) {
            throw new SearchRequestError(
              `${path}.${name}: a range on numeric field "${filter.field}" needs a finite number`,
            );
          }
          bounds.push(bound);
        }
      }
      const [gte, lt] = bounds;
      if (
        bounds.length === 2 &&
        gte !== undefined &&
        lt !== undefined &&
        gte >= lt
      ) {
        throw new SearchRequestError(
          `${path}: empty range on "${filter.field}" (gte must be below lt)`,
        );
      }
      return;
    }
  }
}

/**
 * Checks `request` against `spec` and applies the defaults. Throws
 * {@link SearchRequestError} (code `BAD_USER_INPUT`) naming the first
 * problem found.
 */
export function validateRequest(
  spec: CollectionSpec,
  request: SearchRequest,
): NormalizedRequest {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new SearchRequestError(
      first ? describeIssue(first) : 'invalid search request',
    );
  }
  const r = parsed.data;
  const filter = r.filter as SearchFilter | undefined;
  for (const f of r.textFields) {
    if (!spec.text.includes(f)) {
      throw new SearchRequestError(
        `textFields: "${f}" is not a text field of ${spec.name}`,
      );
    }
  }
  const highlight = r.highlight ?? [];
  for (const f of highlight) {
    if (!r.textFields.includes(f)) {
      throw new SearchRequestError(
        `highlight: "${f}" is not one of the request's textFields`,
      );
    }
  }
  if (filter) checkFilter(spec, filter, 'filter', 1);

  const facets: NormalizedFacet[] = (r.facets ?? []).map((f, i) => {
    const kind = kindOf(spec, f.field);
    if (kind !== 'keyword' && kind !== 'region') {
      throw new SearchRequestError(
        `facets.${i}: cannot facet on "${f.field}": not a keyword or region field of ${spec.name}`,
      );
    }
    if (kind === 'keyword' && f.regionLevel !== undefined) {
      throw new SearchRequestError(
        `facets.${i}: regionLevel applies to region fields only, "${f.field}" is a keyword field`,
      );
    }
    return {
      key: f.regionLevel ? `${f.field}.${f.regionLevel}` : f.field,
      field: f.field,
      kind,
      prefixLength:
        kind === 'region' ? (f.regionLevel === 'street' ? 9 : 6) : null,
      size: f.size ?? 20,
    };
  });
  const keys = new Set<string>();
  for (const f of facets) {
    if (keys.has(f.key))
      throw new SearchRequestError(`facets: "${f.key}" is asked twice`);
    keys.add(f.key);
  }

  const text = r.text?.trim() ?? '';
  const terms = text === '' ? null : queryTerms(text);
  const sort: NormalizedSortKey[] = [];
  const given =
    r.sort ??
    (terms !== null ? [{ field: '_score', order: 'desc' as const }] : []);
  for (const [i, key] of given.entries()) {
    if (key.field === 'id') {
      sort.push({ field: 'id', kind: 'id', order: key.order });
      break; // id is unique: later keys could never matter.
    }
    if (key.field === '_score') {
      sort.push({ field: '_score', kind: 'score', order: key.order });
      continue;
    }
    const kind = kindOf(spec, key.field);
    if (kind !== 'keyword' && kind !== 'date' && kind !== 'numeric') {
      throw new SearchRequestError(
        `sort.${i}: cannot sort on "${key.field}": not a keyword, date or numeric field of ${spec.name} (or _score, id)`,
      );
    }
    sort.push({ field: key.field, kind, order: key.order });
  }
  if (sort[sort.length - 1]?.kind !== 'id')
    sort.push({ field: 'id', kind: 'id', order: 'asc' });

  const hash = hashString(
    canonicalJson({
      c: spec.name,
      t: terms,
      f: r.textFields,
      w: filter ?? null,
      s: sort.map((k) => [k.field, k.order]),
    }),
  );
  const after =
    r.after === undefined
      ? undefined
      : decodeCursor(r.after, hash, sort.length);
  if (after) {
    after.forEach((v, i) => {
      const key = sort[i];
      const ok =
        key === undefined
          ? false
          : key.kind === 'id' || key.kind === 'keyword'
            ? typeof v === 'string' || (v === null && key.kind === 'keyword')
            : key.kind === 'date'
              ? v === null || typeof v === 'string' || typeof v === 'number'
              : v === null || typeof v === 'number';
      if (!ok) throw new SearchRequestError('after: malformed cursor');
    });
  }
  return {
    terms,
    textFields: r.textFields,
    filter,
    facets,
    sort,
    size: r.size,
    after,
    highlight,
    hash,
  };
}
