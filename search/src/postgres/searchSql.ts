// The SQL of one search: the hits page (keyset), the exact total and one
// statement per facet, all over the same WHERE clause. Terms are matched by
// their dictionary ids (`ids`: the request's terms that exist; a term
// missing from the dictionary is in no document).
import type {
  NormalizedRequest,
  NormalizedSortKey,
} from '../model/validateRequest.js';
import { kindOf } from '../model/validateRequest.js';
import { textFieldWeight } from '../model/spec.js';
import type { CollectionSpec, SearchFilter } from '../SearchBackend.js';
import {
  countsViewName,
  dateColumn,
  escapeLike,
  keywordColumn,
  keywordCountKey,
  keywordTerm,
  numericColumn,
  Params,
  regionColumn,
  regionCountKey,
  textTerm,
  TOTAL_KEY,
  viewName,
} from './sql.js';

/** A statement and its parameters. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** The statements of one search. */
export interface SearchStatements {
  /** Rows `id, score, s0…sN (sort values)`; `size + 1` of them at most. */
  readonly hits: Statement;
  /** One row `total`. */
  readonly total: Statement;
  /** Per facet key: rows `value, count`. */
  readonly facets: readonly { key: string; statement: Statement }[];
}

/** Term texts to dictionary ids. */
export type TermIds = ReadonlyMap<string, number>;

/** The dictionary ids of terms that must all match; null when one is unknown (no match). */
function allIds(terms: readonly string[], ids: TermIds): number[] | null {
  const out: number[] = [];
  for (const t of terms) {
    const id = ids.get(t);
    if (id === undefined) return null;
    out.push(id);
  }
  return out;
}

function filterSql(
  spec: CollectionSpec,
  filter: SearchFilter,
  p: Params,
  ids: TermIds,
): string {
  switch (filter.op) {
    case 'and':
    case 'or': {
      const parts = filter.filters.map((f) => filterSql(spec, f, p, ids));
      return `(${parts.join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'in': {
      if (kindOf(spec, filter.field) === 'region') {
        return `${regionColumn(filter.field)} = ANY(${p.add(filter.values, 'text[]')})`;
      }
      // Keyword values are terms too: the GIN index answers `&&`.
      const known = filter.values.flatMap((v) => {
        const id = ids.get(keywordTerm(filter.field, v));
        return id === undefined ? [] : [id];
      });
      return known.length === 0
        ? 'false'
        : `terms && ${p.add(known, 'int4[]')}`;
    }
    case 'prefix': {
      const patterns = filter.values.map((v) => `${escapeLike(v)}%`);
      if (kindOf(spec, filter.field) === 'region') {
        const column = regionColumn(filter.field);
        // One LIKE per value: each is an index range under the C collation.
        return `(${patterns.map((pat) => `${column} LIKE ${p.add(pat, 'text')}`).join(' OR ')})`;
      }
      return `EXISTS (SELECT 1 FROM unnest(${keywordColumn(filter.field)}) AS v WHERE v LIKE ANY(${p.add(patterns, 'text[]')}))`;
    }
    case 'range': {
      const date = kindOf(spec, filter.field) === 'date';
      const column = date
        ? dateColumn(filter.field)
        : numericColumn(filter.field);
      const cast = date ? 'timestamptz' : 'float8';
      const parts: string[] = [];
      if (filter.gte !== undefined)
        parts.push(`${column} >= ${p.add(filter.gte, cast)}`);
      if (filter.lt !== undefined)
        parts.push(`${column} < ${p.add(filter.lt, cast)}`);
      return `(${parts.join(' AND ')})`;
    }
  }
}

/** Field-qualified query terms per text field the request may match. */
function fieldQueries(
  request: NormalizedRequest,
): { field: string; terms: string[] }[] {
  const terms = request.terms ?? [];
  return request.textFields.map((field) => ({
    field,
    terms: terms.map((t) => textTerm(field, t)),
  }));
}

/**
 * Per requested text field whose terms all exist: its weight and the ids
 * its value must contain. The relevance score of a row is the sum of the
 * weights of the fields that contain every query term (the spec's first
 * text field, the name, weighs 2, the others 1).
 */
function fieldMatches(
  spec: CollectionSpec,
  request: NormalizedRequest,
  ids: TermIds,
): { weight: number; ids: number[] }[] {
  return fieldQueries(request).flatMap((q) => {
    const known = q.terms.length === 0 ? null : allIds(q.terms, ids);
    return known === null
      ? []
      : [{ weight: textFieldWeight(spec, q.field), ids: known }];
  });
}

/** The conditions every hit and counted row meets (text match, filter). */
function whereSql(
  spec: CollectionSpec,
  request: NormalizedRequest,
  p: Params,
  ids: TermIds,
): string[] {
  const where = ['NOT deleted'];
  if (request.terms !== null) {
    const matches = fieldMatches(spec, request, ids);
    if (matches.length === 0) where.push('false');
    else
      where.push(
        `(${matches.map((m) => `terms @> ${p.add(m.ids, 'int4[]')}`).join(' OR ')})`,
      );
  }
  if (request.filter) where.push(filterSql(spec, request.filter, p, ids));
  return where;
}

/** The SQL expression of a sort key; `score` is the score expression. */
function sortExpression(key: NormalizedSortKey, score: string): string {
  switch (key.kind) {
    case 'score':
      return score;
    case 'id':
      return 'id';
    case 'keyword':
      return `${keywordColumn(key.field)}[1]`;
    case 'date':
      return dateColumn(key.field);
    case 'numeric':
      return numericColumn(key.field);
  }
}

/** How a sort value is selected so that it round-trips through a cursor. */
function selectSortValue(key: NormalizedSortKey, expression: string): string {
  // Dates as ISO 8601 text with microseconds: exact, castable back.
  return key.kind === 'date' ? `to_json(${expression}) #>> '{}'` : expression;
}

function castOf(key: NormalizedSortKey): string {
  switch (key.kind) {
    case 'score':
      return 'int';
    case 'numeric':
      return 'float8';
    case 'date':
      return 'timestamptz';
    default:
      return 'text';
  }
}

/**
 * The ORDER BY of a hits page (`NULLS LAST`, as {@link keysetSql} expects)
 * and its select list: `id`, the score and each sort value as `s<i>`.
 */
function orderedSelect(
  keys: readonly { key: NormalizedSortKey; expression: string }[],
  score: string,
): { orderBy: string; selects: string[] } {
  return {
    orderBy: keys
      .map(
        ({ key, expression }) =>
          `${expression} ${key.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`,
      )
      .join(', '),
    selects: [
      'id',
      score,
      ...keys.map(
        ({ key, expression }, i) =>
          `${selectSortValue(key, expression)} AS s${i}`,
      ),
    ],
  };
}

/**
 * Rows strictly after the cursor's sort values in the order `ORDER BY k1
 * [ASC|DESC] NULLS LAST, …, id ASC`: expanded as `k1 after v1 OR (k1 = v1
 * AND (…))`.
 */
function keysetSql(
  keys: readonly { key: NormalizedSortKey; expression: string }[],
  values: readonly unknown[],
  p: Params,
): string {
  const build = (i: number): string => {
    const entry = keys[i];
    if (!entry) return 'false';
    const { key, expression } = entry;
    const value = values[i];
    if (value === null) {
      // Nulls sort last: after a null only more nulls (then the next key).
      return `(${expression} IS NULL AND ${build(i + 1)})`;
    }
    const v = p.add(value, castOf(key));
    const after =
      key.order === 'asc'
        ? `(${expression} > ${v} OR ${expression} IS NULL)`
        : `(${expression} < ${v} OR ${expression} IS NULL)`;
    if (i === keys.length - 1) return after;
    return `(${after} OR (${expression} = ${v} AND ${build(i + 1)}))`;
  };
  return build(0);
}

/**
 * The hits of a text request sorted by score: one branch per matching text
 * field (a GIN bitmap scan of the narrow table, returning the row's id, its
 * non-score sort values and the field's weight), summed per row. No row's
 * terms are read: the score comes from which branches returned it.
 */
function scoredHits(
  spec: CollectionSpec,
  request: NormalizedRequest,
  matches: readonly { weight: number; ids: number[] }[],
  ids: TermIds,
): Statement {
  const p = new Params();
  const filter = request.filter
    ? ` AND ${filterSql(spec, request.filter, p, ids)}`
    : '';
  // Non-score, non-id sort values, computed in the branches.
  const carried = request.sort.flatMap((key, i) =>
    key.kind === 'score' || key.kind === 'id'
      ? []
      : [{ i, expression: sortExpression(key, '') }],
  );
  const carriedSelect = carried
    .map((c) => `, ${c.expression} AS c${c.i}`)
    .join('');
  const branches = matches.map(
    (m) =>
      `SELECT id${carriedSelect}, ${m.weight} AS w FROM ${viewName(spec.name)} WHERE NOT deleted AND terms @> ${p.add(m.ids, 'int4[]')}${filter}`,
  );
  const groupBy = ['id', ...carried.map((c) => `c${c.i}`)].join(', ');
  const keys = request.sort.map((key, i) => ({
    key,
    expression:
      key.kind === 'score' ? 'score' : key.kind === 'id' ? 'id' : `c${i}`,
  }));
  const where = request.after ? keysetSql(keys, request.after, p) : 'true';
  const { orderBy, selects } = orderedSelect(keys, 'score');
  return {
    text: `SELECT ${selects.join(', ')} FROM (SELECT ${groupBy}, sum(w)::int AS score FROM (${branches.join(' UNION ALL ')}) AS m GROUP BY ${groupBy}) AS g WHERE ${where} ORDER BY ${orderBy} LIMIT ${request.size + 1}`,
    values: p.values,
  };
}

/**
 * When the request's rows are whole districts — no text, and no filter but
 * prefixes of the first region field no longer than a district code (the
 * row scope of a city or district officer) — the conditions on the counts
 * table's `district` that select them; null otherwise.
 */
function districtScope(
  spec: CollectionSpec,
  request: NormalizedRequest,
): ((p: Params) => string[]) | null {
  if (request.terms !== null) return null;
  const region = spec.region[0];
  const prefixes: (readonly string[])[] = [];
  const visit = (f: SearchFilter): boolean => {
    if (f.op === 'and') return f.filters.every(visit);
    if (
      f.op === 'prefix' &&
      f.field === region &&
      f.values.every((v) => v.length > 0 && v.length <= 6)
    ) {
      prefixes.push(f.values);
      return true;
    }
    return false;
  };
  if (request.filter && !visit(request.filter)) return null;
  return (p) =>
    prefixes.map(
      (values) =>
        `(${values.map((v) => `district LIKE ${p.add(`${escapeLike(v)}%`, 'text')}`).join(' OR ')})`,
    );
}

/** Total and facets summed from the counts table (see {@link districtScope}). */
function countedStatements(
  spec: CollectionSpec,
  request: NormalizedRequest,
  scope: (p: Params) => string[],
): Pick<SearchStatements, 'total' | 'facets'> {
  const counts = countsViewName(spec.name);
  const where = (p: Params, key: string): string =>
    [`key = ${p.add(key, 'text')}`, ...scope(p)].join(' AND ');
  const tp = new Params();
  const total: Statement = {
    text: `SELECT coalesce(sum(n), 0)::int AS total FROM ${counts} WHERE ${where(tp, TOTAL_KEY)}`,
    values: tp.values,
  };
  const facets = request.facets.map((facet) => {
    const fp = new Params();
    const key =
      facet.kind === 'keyword'
        ? keywordCountKey(facet.field)
        : regionCountKey(facet.field, facet.prefixLength ?? 6);
    return {
      key: facet.key,
      statement: {
        text: `SELECT value, sum(n)::int AS count FROM ${counts} WHERE ${where(fp, key)} GROUP BY value HAVING sum(n) > 0 ORDER BY 2 DESC, 1 ASC LIMIT ${facet.size}`,
        values: fp.values,
      },
    };
  });
  return { total, facets };
}

/** Builds the statements of a validated request. */
export function searchStatements(
  spec: CollectionSpec,
  request: NormalizedRequest,
  ids: TermIds,
): SearchStatements {
  const view = viewName(spec.name);
  const matches =
    request.terms === null ? [] : fieldMatches(spec, request, ids);

  let hits: Statement;
  if (matches.length > 0) {
    hits = scoredHits(spec, request, matches, ids);
  } else {
    // No text (score 0) or a text no field can match (no rows).
    const hp = new Params();
    const where = whereSql(spec, request, hp, ids);
    const keys = request.sort.map((key) => ({
      key,
      expression: sortExpression(key, '0::int'),
    }));
    if (request.after) where.push(keysetSql(keys, request.after, hp));
    const { orderBy, selects } = orderedSelect(keys, '0 AS score');
    hits = {
      text: `SELECT ${selects.join(', ')} FROM ${view} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ${request.size + 1}`,
      values: hp.values,
    };
  }

  const scope = districtScope(spec, request);
  if (scope !== null)
    return { hits, ...countedStatements(spec, request, scope) };

  const tp = new Params();
  const totalWhere = whereSql(spec, request, tp, ids);
  const total: Statement = {
    text: `SELECT count(*)::int AS total FROM ${view} WHERE ${totalWhere.join(' AND ')}`,
    values: tp.values,
  };

  const facets = request.facets.map((facet) => {
    const fp = new Params();
    const fw = whereSql(spec, request, fp, ids);
    let text: string;
    if (facet.kind === 'keyword') {
      // Grouped by the whole array first (mostly one value: few groups,
      // and the btree on the column serves an unfiltered count), then per
      // value; values in an array are distinct, so sums count documents.
      text = `SELECT v AS value, sum(g.n)::int AS count FROM (SELECT ${keywordColumn(facet.field)} AS a, count(*) AS n FROM ${view} WHERE ${fw.join(' AND ')} GROUP BY 1) AS g CROSS JOIN LATERAL unnest(g.a) AS v GROUP BY v ORDER BY 2 DESC, 1 ASC LIMIT ${facet.size}`;
    } else {
      const column = regionColumn(facet.field);
      text = `SELECT left(${column}, ${facet.prefixLength ?? 6}) AS value, count(*)::int AS count FROM ${view} WHERE ${fw.join(' AND ')} AND ${column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 ASC LIMIT ${facet.size}`;
    }
    return { key: facet.key, statement: { text, values: fp.values } };
  });
  return { hits, total, facets };
}

/** Every term text a request may look up in the dictionary. */
export function requestTerms(
  spec: CollectionSpec,
  request: NormalizedRequest,
): string[] {
  const out = fieldQueries(request).flatMap((q) => q.terms);
  const visit = (f: SearchFilter): void => {
    if (f.op === 'and' || f.op === 'or') f.filters.forEach(visit);
    else if (f.op === 'in' && kindOf(spec, f.field) === 'keyword')
      for (const v of f.values) out.push(keywordTerm(f.field, v));
  };
  if (request.filter) visit(request.filter);
  return [...new Set(out)];
}
