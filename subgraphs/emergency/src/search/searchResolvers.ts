// Search of the risk inventory and of alerts (Query.searchRiskItems,
// Query.searchAlerts): GraphQL arguments → one backend request that holds
// the caller's row scope, searching only what the caller may read.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import type {
  CollectionSpec,
  FacetRequest,
  SearchBackend,
  SearchFilter,
  SearchRequest,
  SearchResult,
  SortKey,
} from '../../../../search/src/SearchBackend.js';
import type { SearchIndexState } from '../../../../search/src/pipeline/searchIndexState.js';
import {
  BadUserInputError,
  ForbiddenError,
  GraphQLErrorWithCode,
} from '../../../kit/src/errors/GraphQLErrorWithCode.js';
import { ErrorCode } from '../../../kit/src/errors/ErrorCode.js';
import { isRegionCode } from '../../../kit/src/regions.js';
import { isStorableText, parseTimestamp } from '../../../kit/src/arguments.js';
import { MAX_PAGE_SIZE } from '../../../kit/src/pagination.js';
import { rowScopeOf } from '../../../kit/src/rowScope/RowScope.js';
import type { RowFilter } from '../../../../policies/src/model/RowFilter.js';
import type { RowScope } from '../../../../policies/src/scope/RowScope.js';
import type { SubgraphContext } from '../../../kit/src/createSubgraph.js';
import { ALERTS, RISK_ITEMS } from './collections.js';

/** A field of the graph: type and field name. */
type Coordinate = readonly [type: string, field: string];

/** How a GraphQL search maps onto a collection. */
interface SearchMapping {
  readonly spec: CollectionSpec;
  /** The GraphQL type of the hits. */
  readonly type: string;
  /** Text field → the graph fields a caller must read to match it, and its name in highlights. */
  readonly text: Readonly<
    Record<string, { needs: readonly Coordinate[]; label: string }>
  >;
  /** Facet → document field and the graph fields it reveals. */
  readonly facets: Readonly<
    Record<
      SearchFacetField,
      {
        field: string;
        regionLevel?: 'district' | 'street';
        needs: readonly Coordinate[];
      }
    >
  >;
  /** Row-filter attribute of a scoped type → document field (others match nothing). */
  readonly attributes: Readonly<
    Record<string, Readonly<Record<string, string>>>
  >;
  readonly time: { field: string; needs: readonly Coordinate[] };
  readonly level: { needs: readonly Coordinate[] };
}

type SearchFacetField =
  | 'CATEGORY'
  | 'LEVEL'
  | 'DISTRICT'
  | 'STREET'
  | 'RESPONSIBLE_DEPARTMENT'
  | 'STATUS';

const RISK_ITEM_ATTRIBUTES = {
  regionCode: 'regionCode',
  level: 'level',
  categoryCode: 'categoryCode',
  creditCode: 'enterpriseCreditCode',
  sectionId: 'sectionId',
};

const RISK_ITEM_SEARCH: SearchMapping = {
  spec: RISK_ITEMS,
  type: 'RiskItem',
  text: {
    name: { needs: [['RiskItem', 'name']], label: 'name' },
    address: { needs: [['RiskItem', 'address']], label: 'address' },
    disposalMeasures: {
      needs: [['RiskItem', 'disposalMeasures']],
      label: 'disposalMeasures',
    },
    categoryName: {
      needs: [
        ['RiskItem', 'category'],
        ['RiskCategory', 'name'],
      ],
      label: 'category.name',
    },
  },
  facets: {
    CATEGORY: { field: 'categoryCode', needs: [['RiskItem', 'category']] },
    LEVEL: { field: 'level', needs: [['RiskItem', 'level']] },
    DISTRICT: {
      field: 'regionCode',
      regionLevel: 'district',
      needs: [['RiskItem', 'region']],
    },
    STREET: {
      field: 'regionCode',
      regionLevel: 'street',
      needs: [['RiskItem', 'region']],
    },
    RESPONSIBLE_DEPARTMENT: {
      field: 'responsibleDepartment',
      needs: [['RiskItem', 'responsibleDepartment']],
    },
    STATUS: { field: 'status', needs: [['RiskItem', 'status']] },
  },
  attributes: { RiskItem: RISK_ITEM_ATTRIBUTES },
  time: { field: 'updatedAt', needs: [['RiskItem', 'updatedAt']] },
  level: { needs: [['RiskItem', 'level']] },
};

const ALERT_SEARCH: SearchMapping = {
  spec: ALERTS,
  type: 'Alert',
  text: {
    title: { needs: [['Alert', 'title']], label: 'title' },
    message: { needs: [['Alert', 'message']], label: 'message' },
    riskItemName: {
      needs: [
        ['Alert', 'riskItem'],
        ['RiskItem', 'name'],
      ],
      label: 'riskItem.name',
    },
  },
  facets: {
    CATEGORY: {
      field: 'categoryCode',
      needs: [
        ['Alert', 'riskItem'],
        ['RiskItem', 'category'],
      ],
    },
    LEVEL: { field: 'level', needs: [['Alert', 'level']] },
    DISTRICT: {
      field: 'regionCode',
      regionLevel: 'district',
      needs: [
        ['Alert', 'riskItem'],
        ['RiskItem', 'region'],
      ],
    },
    STREET: {
      field: 'regionCode',
      regionLevel: 'street',
      needs: [
        ['Alert', 'riskItem'],
        ['RiskItem', 'region'],
      ],
    },
    RESPONSIBLE_DEPARTMENT: {
      field: 'responsibleDepartment',
      needs: [
        ['Alert', 'riskItem'],
        ['RiskItem', 'responsibleDepartment'],
      ],
    },
    STATUS: { field: 'status', needs: [['Alert', 'status']] },
  },
  // An alert is visible only with its risk item (as in the repository): the
  // item's filters apply to the alert's copy of the item's attributes that
  // mean the same on both (region, category); any other matches nothing.
  attributes: {
    Alert: {
      regionCode: 'regionCode',
      level: 'level',
      status: 'status',
      riskItemId: 'riskItemId',
    },
    RiskItem: {
      regionCode: 'regionCode',
      categoryCode: 'categoryCode',
      id: 'riskItemId',
    },
  },
  time: { field: 'raisedAt', needs: [['Alert', 'raisedAt']] },
  level: { needs: [['Alert', 'level']] },
};

/** Arguments common to both search fields. */
interface SearchArgs {
  text?: string | null;
  facets?: readonly SearchFacetField[] | null;
  sort?: {
    field: 'RELEVANCE' | 'LEVEL' | 'TIME';
    order?: 'ASC' | 'DESC' | null;
  } | null;
  first?: number | null;
  after?: string | null;
}

/** The filter argument of a search; `Time` names its time-range bounds. */
type FilterArgs<Time extends string> = {
  categoryCodes?: readonly string[] | null;
  levels?: readonly string[] | null;
  regionCodes?: readonly string[] | null;
  responsibleDepartments?: readonly string[] | null;
  statuses?: readonly string[] | null;
} & { [K in Time]?: string | null };

interface RiskItemSearchArgs extends SearchArgs {
  filter?: FilterArgs<'updatedSince' | 'updatedBefore'> | null;
}

interface AlertSearchArgs extends SearchArgs {
  filter?: FilterArgs<'raisedSince' | 'raisedBefore'> | null;
}

/** The normalized filter both searches share. */
interface CommonFilter {
  categoryCodes?: readonly string[] | null | undefined;
  levels?: readonly string[] | null | undefined;
  regionCodes?: readonly string[] | null | undefined;
  responsibleDepartments?: readonly string[] | null | undefined;
  statuses?: readonly string[] | null | undefined;
  since?: string | null | undefined;
  before?: string | null | undefined;
}

/** Most characters of search text. */
export const MAX_SEARCH_TEXT = 200;
/** Most values one filter list may hold. */
export const MAX_FILTER_VALUES = 100;

/** The fields of each type the caller may read unmasked; `null`: all. */
type Readable = ReadonlyMap<string, ReadonlySet<string>> | null;

function readableOf(scope: RowScope | null): Readable {
  if (scope?.search === undefined) return scope === null ? null : new Map();
  return new Map(
    Object.entries(scope.search).map(([type, fields]) => [
      type,
      new Set(fields),
    ]),
  );
}

function mayRead(readable: Readable, needs: readonly Coordinate[]): boolean {
  return (
    readable === null ||
    needs.every(([type, field]) => readable.get(type)?.has(field) === true)
  );
}

function requireReadable(
  readable: Readable,
  needs: readonly Coordinate[],
  what: string,
): void {
  if (mayRead(readable, needs)) return;
  const missing = needs
    .filter(([t, f]) => readable !== null && !readable.get(t)?.has(f))
    .map(([t, f]) => `${t}.${f}`);
  throw new ForbiddenError(
    `${what} needs ${missing.join(' and ')}, which you may not read (see the explain output for the rule that withholds it).`,
    'search-unreadable-field',
    { fields: missing },
  );
}

/** A row filter of the scope as a search filter; `null` when it can hold for no document. */
function toSearchFilter(
  filter: RowFilter,
  attributes: Readonly<Record<string, string>>,
): SearchFilter | null {
  if (filter.op === 'and') {
    const parts: SearchFilter[] = [];
    for (const f of filter.filters) {
      const part = toSearchFilter(f, attributes);
      if (part === null) return null;
      parts.push(part);
    }
    return { op: 'and', filters: parts };
  }
  const field = Object.hasOwn(attributes, filter.field)
    ? attributes[filter.field]
    : undefined;
  if (field === undefined) return null;
  switch (filter.op) {
    case 'eq':
      return { op: 'in', field, values: [String(filter.value)] };
    case 'in':
      return filter.values.length === 0
        ? null
        : { op: 'in', field, values: filter.values.map(String) };
    case 'prefix':
      return { op: 'prefix', field, values: [filter.value] };
  }
}

/** The row scope as a search filter; `null` when no document can be in scope. */
function scopeFilter(
  scope: RowScope | null,
  mapping: SearchMapping,
): SearchFilter[] | null {
  if (scope === null) return [];
  const filters: SearchFilter[] = [];
  if (scope.region !== undefined && scope.region !== '500000') {
    filters.push({ op: 'prefix', field: 'regionCode', values: [scope.region] });
  }
  for (const [type, attributes] of Object.entries(mapping.attributes)) {
    const filter =
      scope.types !== undefined && Object.hasOwn(scope.types, type)
        ? scope.types[type]
        : undefined;
    if (filter === undefined) continue;
    const converted = toSearchFilter(filter, attributes);
    if (converted === null) return null;
    filters.push(converted);
  }
  return filters;
}

function list(
  values: readonly string[] | null | undefined,
  argument: string,
  check?: (value: string) => boolean,
  expected?: string,
): readonly string[] | undefined {
  if (values === null || values === undefined) return undefined;
  if (values.length > MAX_FILTER_VALUES) {
    throw BadUserInputError.invalidArgument(
      argument,
      `${values.length} values`,
      `at most ${MAX_FILTER_VALUES} values`,
    );
  }
  for (const value of values) {
    if (!isStorableText(value) || (check !== undefined && !check(value))) {
      throw BadUserInputError.invalidArgument(
        argument,
        value,
        expected ?? 'text',
      );
    }
  }
  return [...new Set(values)];
}

/** Facet values are codes; names of categories come from the category table. */
async function checkKnown(
  ctx: SubgraphContext,
  codes: readonly string[] | undefined,
  sql: string,
  argument: string,
  what: string,
): Promise<void> {
  if (codes === undefined || codes.length === 0) return;
  const { rows } = await ctx.db.query<{ value: string }>(sql, [codes]);
  const known = new Set(rows.map((r) => r.value));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new BadUserInputError(
      `${argument}: unknown ${what} ${unknown.map((u) => JSON.stringify(u)).join(', ')}`,
      { argument, unknown },
    );
  }
}

/** Builds the backend request, checking every argument and permission. */
async function buildRequest(
  ctx: SubgraphContext,
  mapping: SearchMapping,
  args: SearchArgs,
  filterArgs: CommonFilter,
): Promise<{ request: SearchRequest; empty: boolean }> {
  const scope = rowScopeOf(ctx);
  const readable = readableOf(scope);
  const typeFields = readable?.get(mapping.type);
  if (
    readable !== null &&
    (typeFields === undefined || typeFields.size === 0)
  ) {
    throw new ForbiddenError(
      `You may read no field of ${mapping.type}, so you may not search it.`,
      'search-unreadable-type',
    );
  }

  const size = args.first ?? 20;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw BadUserInputError.invalidArgument(
      'first',
      String(size),
      `a page size from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  const text = args.text?.trim() ?? '';
  if (text.length > MAX_SEARCH_TEXT || !isStorableText(text)) {
    throw BadUserInputError.invalidArgument(
      'text',
      text.slice(0, 40),
      `text of at most ${MAX_SEARCH_TEXT} characters`,
    );
  }
  const textFields = Object.entries(mapping.text)
    .filter(([, t]) => mayRead(readable, t.needs))
    .map(([field]) => field);

  const filters: SearchFilter[] = [];
  const scoped = scopeFilter(scope, mapping);
  const categoryCodes = list(filterArgs.categoryCodes, 'filter.categoryCodes');
  const regionCodes = list(
    filterArgs.regionCodes,
    'filter.regionCodes',
    isRegionCode,
    'an administrative code of Chongqing: a district (6 digits), street (9) or grid (12)',
  );
  const departments = list(
    filterArgs.responsibleDepartments,
    'filter.responsibleDepartments',
  );
  const levels = list(filterArgs.levels, 'filter.levels');
  const statuses = list(filterArgs.statuses, 'filter.statuses');
  await checkKnown(
    ctx,
    categoryCodes,
    'SELECT code AS value FROM emergency.risk_categories WHERE code = ANY($1::text[])',
    'filter.categoryCodes',
    'category',
  );
  await checkKnown(
    ctx,
    departments,
    'SELECT DISTINCT responsible_department AS value FROM emergency.risk_categories WHERE responsible_department = ANY($1::text[])',
    'filter.responsibleDepartments',
    'department',
  );
  const facetOf = (f: SearchFacetField) => mapping.facets[f];
  if (categoryCodes !== undefined) {
    requireReadable(
      readable,
      facetOf('CATEGORY').needs,
      'Filtering by category',
    );
    filters.push({ op: 'in', field: 'categoryCode', values: categoryCodes });
  }
  if (levels !== undefined) {
    requireReadable(readable, facetOf('LEVEL').needs, 'Filtering by level');
    filters.push({ op: 'in', field: 'level', values: levels });
  }
  if (regionCodes !== undefined) {
    requireReadable(readable, facetOf('DISTRICT').needs, 'Filtering by region');
    filters.push({ op: 'prefix', field: 'regionCode', values: regionCodes });
  }
  if (departments !== undefined) {
    requireReadable(
      readable,
      facetOf('RESPONSIBLE_DEPARTMENT').needs,
      'Filtering by responsible department',
    );
    filters.push({
      op: 'in',
      field: 'responsibleDepartment',
      values: departments,
    });
  }
  if (statuses !== undefined) {
    requireReadable(readable, facetOf('STATUS').needs, 'Filtering by status');
    filters.push({ op: 'in', field: 'status', values: statuses });
  }
  const since =
    filterArgs.since == null
      ? undefined
      : parseTimestamp(filterArgs.since, 'filter.since');
  const before =
    filterArgs.before == null
      ? undefined
      : parseTimestamp(filterArgs.before, 'filter.before');
  if (since !== undefined || before !== undefined) {
    requireReadable(readable, mapping.time.needs, 'Filtering by time');
    if (since !== undefined && before !== undefined && since >= before) {
      throw new BadUserInputError(
        'The time range is empty: its start is not before its end.',
        { since, before },
      );
    }
    filters.push({
      op: 'range',
      field: mapping.time.field,
      ...(since === undefined ? {} : { gte: since }),
      ...(before === undefined ? {} : { lt: before }),
    });
  }

  const facets: FacetRequest[] = [];
  for (const f of [...new Set(args.facets ?? [])]) {
    const facet = facetOf(f);
    requireReadable(readable, facet.needs, `The ${f} facet`);
    facets.push({
      field: facet.field,
      ...(facet.regionLevel ? { regionLevel: facet.regionLevel } : {}),
      size: 50,
    });
  }

  const sort: SortKey[] = [];
  const order = args.sort?.order === 'ASC' ? 'asc' : 'desc';
  switch (args.sort?.field) {
    case undefined:
      break;
    case 'RELEVANCE':
      sort.push({ field: '_score', order });
      break;
    case 'LEVEL':
      requireReadable(readable, mapping.level.needs, 'Sorting by level');
      sort.push({ field: 'levelRank', order });
      break;
    case 'TIME':
      requireReadable(readable, mapping.time.needs, 'Sorting by time');
      sort.push({ field: mapping.time.field, order });
      break;
  }

  const request: SearchRequest = {
    ...(text === '' ? {} : { text }),
    textFields,
    ...(scoped === null || [...filters, ...scoped].length === 0
      ? {}
      : { filter: { op: 'and', filters: [...scoped, ...filters] } }),
    facets,
    ...(sort.length > 0 ? { sort } : {}),
    size,
    ...(args.after == null ? {} : { after: args.after }),
    highlight: textFields,
  };
  return { request, empty: scoped === null };
}

/** What a search field resolves to: hits, count, facets, page info. */
interface SearchPage {
  hits: {
    id: string;
    score: number;
    highlights: { field: string; fragments: readonly string[] }[];
  }[];
  totalCount: number;
  facets: {
    field: SearchFacetField;
    buckets: { value: string; count: number; facet: SearchFacetField }[];
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function runSearch(
  ctx: SubgraphContext,
  backend: SearchBackend,
  mapping: SearchMapping,
  args: SearchArgs,
  filter: CommonFilter,
): Promise<SearchPage> {
  const { request, empty } = await buildRequest(ctx, mapping, args, filter);
  const requested = [...new Set(args.facets ?? [])];
  let result: SearchResult;
  if (empty) {
    result = {
      hits: [],
      total: 0,
      facets: {},
      endCursor: null,
      hasNextPage: false,
    };
  } else {
    try {
      result = await backend.search(mapping.spec.name, request);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === ErrorCode.BAD_USER_INPUT && error instanceof Error) {
        throw new BadUserInputError(error.message);
      }
      if (error instanceof GraphQLErrorWithCode) throw error;
      throw error;
    }
  }
  return {
    hits: result.hits.map((hit) => ({
      id: hit.id,
      score: hit.score,
      highlights: Object.entries(hit.highlights)
        .filter(([field]) => request.textFields.includes(field))
        .map(([field, fragments]) => ({
          field: mapping.text[field]?.label ?? field,
          fragments,
        })),
    })),
    totalCount: result.total,
    facets: requested.map((f) => {
      const facet = mapping.facets[f];
      const key = facet.field;
      const buckets =
        result.facets[
          facet.regionLevel === undefined ? key : `${key}.${facet.regionLevel}`
        ] ??
        result.facets[key] ??
        [];
      return {
        field: f,
        buckets: buckets.map((b) => ({
          value: b.value,
          count: b.count,
          facet: f,
        })),
      };
    }),
    pageInfo: { hasNextPage: result.hasNextPage, endCursor: result.endCursor },
  };
}

/** What the search resolvers need from the rest of the subgraph. */
export interface SearchResolverDeps {
  /** The backend the department's documents are indexed in. */
  backendOf(ctx: SubgraphContext): Promise<SearchBackend>;
  /** Rows of risk items by id within the call's row scope (null when out of scope or gone). */
  riskItems(
    ctx: SubgraphContext,
    ids: readonly string[],
  ): Promise<readonly (object | null)[]>;
  alerts(
    ctx: SubgraphContext,
    ids: readonly string[],
  ): Promise<readonly (object | null)[]>;
  category(ctx: SubgraphContext, code: string): Promise<object | null>;
  /**
   * Whether the index holds every change yet: a search answered while it
   * is building says so in `extensions.searchIndex`. Optional.
   */
  indexStateOf?(ctx: SubgraphContext): Promise<SearchIndexState>;
}

/**
 * Adds `extensions.searchIndex` to the response when the index is still
 * building (changes not indexed yet): the answer may miss them.
 */
async function noteIndexState(
  ctx: SubgraphContext,
  deps: SearchResolverDeps,
): Promise<void> {
  if (deps.indexStateOf === undefined || ctx.extensions === undefined) return;
  const index = await deps.indexStateOf(ctx);
  if (index.state === 'building') ctx.extensions['searchIndex'] = index;
}

/**
 * Loads the hits' rows through the subgraph's scoped loaders: a hit the
 * index still holds but the caller may no longer see (or that is gone) is
 * dropped rather than answered.
 */
async function withRows(
  ctx: SubgraphContext,
  page: SearchPage,
  load: (
    ctx: SubgraphContext,
    ids: readonly string[],
  ) => Promise<readonly (object | null)[]>,
  key: 'item' | 'alert',
): Promise<SearchPage> {
  const rows = await load(
    ctx,
    page.hits.map((h) => h.id),
  );
  return {
    ...page,
    hits: page.hits.flatMap((hit, i) => {
      const row = rows[i];
      return row === null || row === undefined ? [] : [{ ...hit, [key]: row }];
    }),
  };
}

/** The search resolvers (Query.searchRiskItems, Query.searchAlerts and their result types). */
export function createSearchResolvers(
  deps: SearchResolverDeps,
): GraphQLResolverMap<SubgraphContext> {
  return {
    Query: {
      searchRiskItems: async (
        _: unknown,
        args: RiskItemSearchArgs,
        ctx: SubgraphContext,
      ) => {
        const [page] = await Promise.all([
          runSearch(ctx, await deps.backendOf(ctx), RISK_ITEM_SEARCH, args, {
            ...args.filter,
            since: args.filter?.updatedSince,
            before: args.filter?.updatedBefore,
          }),
          noteIndexState(ctx, deps),
        ]);
        return withRows(ctx, page, deps.riskItems, 'item');
      },
      searchAlerts: async (
        _: unknown,
        args: AlertSearchArgs,
        ctx: SubgraphContext,
      ) => {
        const [page] = await Promise.all([
          runSearch(ctx, await deps.backendOf(ctx), ALERT_SEARCH, args, {
            ...args.filter,
            since: args.filter?.raisedSince,
            before: args.filter?.raisedBefore,
          }),
          noteIndexState(ctx, deps),
        ]);
        return withRows(ctx, page, deps.alerts, 'alert');
      },
    },
    SearchFacetBucket: {
      category: (
        b: { value: string; facet: SearchFacetField },
        _: unknown,
        ctx: SubgraphContext,
      ) => (b.facet === 'CATEGORY' ? deps.category(ctx, b.value) : null),
      region: (b: { value: string; facet: SearchFacetField }) =>
        b.facet === 'DISTRICT' || b.facet === 'STREET'
          ? { code: b.value }
          : null,
    },
  };
}
