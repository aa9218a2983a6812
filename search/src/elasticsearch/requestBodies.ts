// Every Elasticsearch request body the backend sends, built by pure
// functions (unit-tested body for body): the index template, bulk operations,
// the alias swap and the search.
import type { estypes } from '@elastic/elasticsearch';

import { textFieldWeight } from '../model/spec.js';
import type {
  NormalizedRequest,
  NormalizedSortKey,
} from '../model/validateRequest.js';
import type {
  CollectionSpec,
  SearchDocument,
  SearchFilter,
} from '../SearchBackend.js';

/** Names of a collection's Elasticsearch objects. */
export interface IndexNames {
  /** The alias searches and writes use: `<prefix><collection>`. */
  readonly alias: string;
  /** Alias on the index a running reindex builds: `<alias>-building`. */
  readonly buildingAlias: string;
  /** The index template's name (same as the alias). */
  readonly template: string;
  /** Pattern of the collection's generation indices: `<alias>-g*`. */
  readonly pattern: string;
}

/** The names for `collection` under `prefix` (e.g. `govgraph-`). */
export function indexNames(prefix: string, collection: string): IndexNames {
  const alias = `${prefix}${collection}`;
  return {
    alias,
    buildingAlias: `${alias}-building`,
    template: alias,
    pattern: `${alias}-g*`,
  };
}

/** A generation index: `<alias>-g<generation>` (generation: a time-ordered number). */
export function generationIndex(
  prefix: string,
  collection: string,
  generation: number,
): string {
  return `${indexNames(prefix, collection).alias}-g${generation}`;
}

/** The stored field of a region's district (first 6 characters). */
export const districtField = (field: string): string => `${field}__district`;
/** The stored field of a region's street (first 9 characters). */
export const streetField = (field: string): string => `${field}__street`;

/** Name of the analyzer of text fields. */
export const CJK_ANALYZER = 'cjk_text';

/**
 * The index template of a collection: CJK bigram analysis for text fields
 * (standard tokenizer, `cjk_width`, `lowercase`, `cjk_bigram` — the built-in
 * `cjk` analyzer without its English stop words), `keyword` for keyword and
 * region fields and their stored district/street prefixes, `date`, `double`;
 * strict mappings; the spec in `_meta`. Deletes are remembered for a day
 * (`gc_deletes`) so a late, older upsert cannot resurrect a document.
 */
export function indexTemplateBody(
  prefix: string,
  spec: CollectionSpec,
): estypes.IndicesPutIndexTemplateRequest {
  const names = indexNames(prefix, spec.name);
  const properties: Record<string, estypes.MappingProperty> = {
    id: { type: 'keyword' },
  };
  for (const f of spec.text)
    properties[f] = { type: 'text', analyzer: CJK_ANALYZER };
  for (const f of spec.keyword) properties[f] = { type: 'keyword' };
  for (const f of spec.region) {
    properties[f] = { type: 'keyword' };
    properties[districtField(f)] = { type: 'keyword' };
    properties[streetField(f)] = { type: 'keyword' };
  }
  for (const f of spec.date) properties[f] = { type: 'date' };
  for (const f of spec.numeric) properties[f] = { type: 'double' };
  return {
    name: names.template,
    index_patterns: [names.pattern],
    priority: 100,
    template: {
      settings: {
        number_of_shards: 1,
        gc_deletes: '1d',
        analysis: {
          analyzer: {
            [CJK_ANALYZER]: {
              type: 'custom',
              tokenizer: 'standard',
              filter: ['cjk_width', 'lowercase', 'cjk_bigram'],
            },
          },
        },
      },
      mappings: {
        dynamic: 'strict',
        _meta: {
          spec: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
        },
        properties,
      },
    },
  };
}

/** The `_source` of a document: its fields, `id`, and the region prefixes. */
export function documentSource(
  spec: CollectionSpec,
  doc: SearchDocument,
): Record<string, unknown> {
  const source: Record<string, unknown> = { id: doc.id };
  const known = new Set([
    ...spec.text,
    ...spec.keyword,
    ...spec.region,
    ...spec.date,
    ...spec.numeric,
  ]);
  for (const [field, value] of Object.entries(doc.fields)) {
    if (!known.has(field) || value === null) continue;
    source[field] = value;
  }
  for (const f of spec.region) {
    const value = doc.fields[f];
    if (typeof value === 'string') {
      source[districtField(f)] = value.slice(0, 6);
      source[streetField(f)] = value.slice(0, 9);
    }
  }
  return source;
}

/** One write of a bulk request. */
export type BulkWrite =
  | { readonly kind: 'upsert'; readonly doc: SearchDocument }
  | { readonly kind: 'delete'; readonly id: string; readonly version: number };

/**
 * Bulk operations (action and source lines) for `index`: external versions
 * with `external_gte`, so a replay of the same version is harmless and an
 * older version is refused with a conflict (which the backend ignores).
 */
export function bulkOperations(
  spec: CollectionSpec,
  index: string,
  writes: readonly BulkWrite[],
): estypes.BulkRequest['operations'] {
  const ops: NonNullable<estypes.BulkRequest['operations']> = [];
  for (const w of writes) {
    if (w.kind === 'upsert') {
      ops.push({
        index: {
          _index: index,
          _id: w.doc.id,
          version: w.doc.version,
          version_type: 'external_gte',
        },
      });
      ops.push(documentSource(spec, w.doc));
    } else {
      ops.push({
        delete: {
          _index: index,
          _id: w.id,
          version: w.version,
          version_type: 'external_gte',
        },
      });
    }
  }
  return ops;
}

/** Creates a generation index, marked as the building one. */
export function createIndexBody(
  index: string,
  names: IndexNames,
): estypes.IndicesCreateRequest {
  return { index, aliases: { [names.buildingAlias]: {} } };
}

/**
 * The atomic swap of a reindex, one `updateAliases` call: the alias moves from
 * the old indices to the new one and the building alias goes.
 */
export function swapAliasesBody(
  names: IndexNames,
  oldIndices: readonly string[],
  newIndex: string,
): estypes.IndicesUpdateAliasesRequest {
  return {
    actions: [
      ...oldIndices.map((index) => ({ remove: { index, alias: names.alias } })),
      { add: { index: newIndex, alias: names.alias, is_write_index: true } },
      { remove: { index: newIndex, alias: names.buildingAlias } },
    ],
  };
}

/** A query DSL object (typed loosely: the client's union types fight `exactOptionalPropertyTypes`). */
export type Query = Readonly<Record<string, unknown>>;

/** The body of a search request. */
export interface SearchBody {
  size: number;
  track_total_hits: true;
  track_scores: boolean;
  _source: false;
  query: Query;
  sort: Query[];
  search_after?: (string | number | null)[];
  aggs?: Record<string, Query>;
  highlight?: Query;
}

function filterQuery(spec: CollectionSpec, filter: SearchFilter): Query {
  switch (filter.op) {
    case 'and':
      return {
        bool: { filter: filter.filters.map((f) => filterQuery(spec, f)) },
      };
    case 'or':
      return {
        bool: {
          should: filter.filters.map((f) => filterQuery(spec, f)),
          minimum_should_match: 1,
        },
      };
    case 'in':
      return { terms: { [filter.field]: [...filter.values] } };
    case 'prefix':
      return filter.values.length === 1
        ? { prefix: { [filter.field]: filter.values[0] ?? '' } }
        : {
            bool: {
              should: filter.values.map((v) => ({
                prefix: { [filter.field]: v },
              })),
              minimum_should_match: 1,
            },
          };
    case 'range': {
      const range: Record<string, string | number> = {};
      if (filter.gte !== undefined) range['gte'] = filter.gte;
      if (filter.lt !== undefined) range['lt'] = filter.lt;
      return { range: { [filter.field]: range } };
    }
  }
}

/**
 * The query: every term of the text in one of the requested text fields
 * (`match` with operator `and` per field, boosted like the PostgreSQL score:
 * the name 2, others 1) and the filter as non-scoring clauses.
 */
export function searchQuery(
  spec: CollectionSpec,
  request: NormalizedRequest,
  text: string | undefined,
): Query {
  const filter: Query[] = [];
  if (request.filter) filter.push(filterQuery(spec, request.filter));
  const must: Query[] = [];
  if (request.terms !== null) {
    if (
      request.terms.length === 0 ||
      request.textFields.length === 0 ||
      !text
    ) {
      return { match_none: {} };
    }
    must.push({
      bool: {
        should: request.textFields.map((field) => ({
          match: {
            [field]: {
              query: text,
              operator: 'and',
              boost: textFieldWeight(spec, field),
            },
          },
        })),
        minimum_should_match: 1,
      },
    });
  }
  if (must.length === 0 && filter.length === 0) return { match_all: {} };
  return {
    bool: {
      ...(must.length > 0 ? { must } : {}),
      ...(filter.length > 0 ? { filter } : {}),
    },
  };
}

function sortClause(key: NormalizedSortKey): Query {
  switch (key.kind) {
    case 'score':
      return { _score: { order: key.order } };
    case 'id':
      return { id: { order: key.order } };
    case 'date':
      // Formatted so that sort values (and a missing value's) are strings a
      // cursor carries exactly.
      return {
        [key.field]: {
          order: key.order,
          missing: '_last',
          format: 'strict_date_optional_time_nanos',
        },
      };
    default:
      return {
        [key.field]: { order: key.order, missing: '_last', mode: 'min' },
      };
  }
}

/** The search request (without `index`) of a validated request. */
export function searchBody(
  spec: CollectionSpec,
  request: NormalizedRequest,
  text: string | undefined,
): SearchBody {
  const aggs: Record<string, Query> = {};
  for (const facet of request.facets) {
    const field =
      facet.kind === 'keyword'
        ? facet.field
        : facet.prefixLength === 9
          ? streetField(facet.field)
          : districtField(facet.field);
    aggs[facet.key] = {
      terms: {
        field,
        size: facet.size,
        order: [{ _count: 'desc' }, { _key: 'asc' }],
      },
    };
  }
  const body: SearchBody = {
    size: request.size + 1,
    track_total_hits: true,
    track_scores: request.terms !== null,
    _source: false,
    query: searchQuery(spec, request, text),
    sort: request.sort.map(sortClause),
  };
  if (request.after) body.search_after = [...request.after];
  if (request.facets.length > 0) body.aggs = aggs;
  if (request.highlight.length > 0 && request.terms !== null) {
    body.highlight = {
      pre_tags: ['<em>'],
      post_tags: ['</em>'],
      encoder: 'html',
      require_field_match: true,
      fields: Object.fromEntries(
        request.highlight.map((f) => [
          f,
          { fragment_size: 100, number_of_fragments: 3 },
        ]),
      ),
    };
  }
  return body;
}
