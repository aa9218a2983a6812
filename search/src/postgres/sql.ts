// Small SQL helpers: identifiers, parameters and the names of a collection's
// tables, columns and view.
import type { CollectionSpec } from '../SearchBackend.js';

/** The schema everything of the PostgreSQL backend lives in. */
export const SCHEMA = 'search';

/** Double-quotes an identifier (names are checked by assertCollectionSpec). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The stable view searches read: `search."risk-items"`. */
export function viewName(collection: string): string {
  return `${SCHEMA}.${ident(collection)}`;
}

/** The table of one generation: `search.c_risk_items_g3`. */
export function tableName(collection: string, generation: number): string {
  return `${SCHEMA}.${ident(tableBase(collection, generation))}`;
}

/** The side table of a generation holding the text fields (`doc`), read for the page of hits only. */
export function docsTableName(collection: string, generation: number): string {
  return `${SCHEMA}.${ident(`${tableBase(collection, generation)}_docs`)}`;
}

/**
 * The stable view over the current generation's side table:
 * `search."risk-items/docs"`.
 */
export function docsViewName(collection: string): string {
  return `${SCHEMA}.${ident(`${collection}/docs`)}`;
}

/**
 * The side table of a generation holding live-document counts per district
 * (the first 6 digits of the first region field) and facet value: the
 * totals and facets of a search without text whose only filters are
 * district-level region prefixes (city-wide and district dashboards) are
 * summed from it instead of counted over the rows.
 */
export function countsTableName(
  collection: string,
  generation: number,
): string {
  return `${SCHEMA}.${ident(`${tableBase(collection, generation)}_counts`)}`;
}

/** The stable view over the current generation's counts: `search."risk-items/counts"`. */
export function countsViewName(collection: string): string {
  return `${SCHEMA}.${ident(`${collection}/counts`)}`;
}

/** The function keeping a generation's counts (statement-level triggers). */
export function countsFunctionName(
  collection: string,
  generation: number,
): string {
  return `${SCHEMA}.${ident(`${tableBase(collection, generation)}_count`)}`;
}

/** Counts-table key of the total of live documents. */
export const TOTAL_KEY = '#';
/** Counts-table key of a keyword field's values: `k:level`. */
export const keywordCountKey = (field: string): string => `k:${field}`;
/** Counts-table key of a region field's prefixes of one length: `r9:regionCode`. */
export const regionCountKey = (field: string, length: number): string =>
  `r${length}:${field}`;
/** Region prefix lengths the counts keep (district, street). */
export const COUNTED_PREFIXES = [6, 9] as const;

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The term dictionary of a collection (all generations): `search.t_risk_items`,
 * term text to a small integer, so that rows store `int4[]` terms.
 */
export function dictionaryName(collection: string): string {
  return `${SCHEMA}.${ident(`t_${collection.replaceAll('-', '_')}`)}`;
}

/** Unqualified table name of a generation, also the prefix of its index names. */
export function tableBase(collection: string, generation: number): string {
  return `c_${collection.replaceAll('-', '_')}_g${generation}`;
}

/** Column of a keyword field (text[]). */
export const keywordColumn = (field: string): string => ident(`k_${field}`);
/** Column of a region field (text). */
export const regionColumn = (field: string): string => ident(`r_${field}`);
/** Column of a date field (timestamptz). */
export const dateColumn = (field: string): string => ident(`d_${field}`);
/** Column of a numeric field (double precision). */
export const numericColumn = (field: string): string => ident(`n_${field}`);

/** The typed columns of a spec with their SQL types, in a fixed order. */
export function typedColumns(
  spec: CollectionSpec,
): { name: string; type: string }[] {
  return [
    ...spec.keyword.map((f) => ({
      name: keywordColumn(f),
      type: 'text[] COLLATE "C"',
    })),
    ...spec.region.map((f) => ({
      name: regionColumn(f),
      type: 'text COLLATE "C"',
    })),
    ...spec.date.map((f) => ({ name: dateColumn(f), type: 'timestamptz' })),
    ...spec.numeric.map((f) => ({
      name: numericColumn(f),
      type: 'double precision',
    })),
  ];
}

/** Collects positional parameters while a statement is built. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, with a cast when given. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The term stored for a text field's term: `name:危化`. */
export const textTerm = (field: string, term: string): string =>
  `${field}:${term}`;
/** The term stored for a keyword value: `level=MAJOR`. */
export const keywordTerm = (field: string, value: string): string =>
  `${field}=${value}`;
