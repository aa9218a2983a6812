// The SQL of one search: the hits page (keyset), the exact total and one
// statement per facet, all over the same WHERE clause.
import type {
  NormalizedRequest,
  NormalizedSortKey,
} from '../model/validateRequest.js';
import { kindOf } from '../model/validateRequest.js';
import { textFieldWeight } from '../model/spec.js';
import type { CollectionSpec, SearchFilter } from '../SearchBackend.js';
import {
  dateColumn,
  escapeLike,
  keywordColumn,
  keywordTerm,
  numericColumn,
  Params,
  regionColumn,
  textTerm,
  viewName,
} from './sql.js';

/** A statement and its parameters. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** The statements of one search. */
export interface SearchStatements {
  /** Rows `id, score, s0…sN (sort values), doc`; `size + 1` of them at most. */
  readonly hits: Statement;
  /** One row `total`. */
  readonly total: Statement;
  /** Per facet key: rows `value, count`. */
  readonly facets: readonly { key: string; statement: Statement }[];
}

function filterSql(
  spec: CollectionSpec,
  filter: SearchFilter,
  p: Params,
): string {
  switch (filter.op) {
    case 'and':
    case 'or': {
      const parts = filter.filters.map((f) => filterSql(spec, f, p));
      return `(${parts.join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'in': {
      if (kindOf(spec, filter.field) === 'region') {
        return `${regionColumn(filter.field)} = ANY(${p.add(filter.values, 'text[]')})`;
      }
      // Keyword values are terms too: the GIN index answers `&&`.
      const terms = filter.values.map((v) => keywordTerm(filter.field, v));
      return `terms && ${p.add(terms, 'text[]')}`;
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
 * The relevance score: the sum of the weights of the requested text fields
 * that contain every query term (the spec's first text field, the name,
 * weighs 2, the others 1); 0 without text.
 */
function scoreSql(
  spec: CollectionSpec,
  request: NormalizedRequest,
  p: Params,
): string {
  if (request.terms === null || request.terms.length === 0) return '0::int';
  const parts = fieldQueries(request).map(
    (q) =>
      `(CASE WHEN terms @> ${p.add(q.terms, 'text[]')} THEN ${textFieldWeight(spec, q.field)} ELSE 0 END)`,
  );
  return parts.length === 0 ? '0::int' : `(${parts.join(' + ')})`;
}

function whereSql(
  spec: CollectionSpec,
  request: NormalizedRequest,
  p: Params,
): string[] {
  const where = ['NOT deleted'];
  if (request.terms !== null) {
    const queries = fieldQueries(request);
    if (request.terms.length === 0 || queries.length === 0) where.push('false');
    else
      where.push(
        `(${queries.map((q) => `terms @> ${p.add(q.terms, 'text[]')}`).join(' OR ')})`,
      );
  }
  if (request.filter) where.push(filterSql(spec, request.filter, p));
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

/** Builds the statements of a validated request. */
export function searchStatements(
  spec: CollectionSpec,
  request: NormalizedRequest,
): SearchStatements {
  const view = viewName(spec.name);

  const hp = new Params();
  const score = scoreSql(spec, request, hp);
  const where = whereSql(spec, request, hp);
  const keys = request.sort.map((key) => ({
    key,
    expression: sortExpression(key, score),
  }));
  if (request.after) where.push(keysetSql(keys, request.after, hp));
  const orderBy = keys
    .map(
      ({ key, expression }) =>
        `${expression} ${key.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`,
    )
    .join(', ');
  const selects = [
    'id',
    `${score} AS score`,
    ...keys.map(
      ({ key, expression }, i) =>
        `${selectSortValue(key, expression)} AS s${i}`,
    ),
    request.highlight.length > 0 ? 'doc' : 'NULL::jsonb AS doc',
  ];
  const hits: Statement = {
    text: `SELECT ${selects.join(', ')} FROM ${view} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ${request.size + 1}`,
    values: hp.values,
  };

  const tp = new Params();
  const totalWhere = whereSql(spec, request, tp);
  const total: Statement = {
    text: `SELECT count(*)::int AS total FROM ${view} WHERE ${totalWhere.join(' AND ')}`,
    values: tp.values,
  };

  const facets = request.facets.map((facet) => {
    const fp = new Params();
    const fw = whereSql(spec, request, fp);
    let text: string;
    if (facet.kind === 'keyword') {
      text = `SELECT v AS value, count(*)::int AS count FROM ${view} AS t CROSS JOIN LATERAL unnest(t.${keywordColumn(facet.field)}) AS v WHERE ${fw.join(' AND ')} GROUP BY v ORDER BY count(*) DESC, v ASC LIMIT ${facet.size}`;
    } else {
      const column = regionColumn(facet.field);
      text = `SELECT left(${column}, ${facet.prefixLength ?? 6}) AS value, count(*)::int AS count FROM ${view} WHERE ${fw.join(' AND ')} AND ${column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 ASC LIMIT ${facet.size}`;
    }
    return { key: facet.key, statement: { text, values: fp.values } };
  });
  return { hits, total, facets };
}
