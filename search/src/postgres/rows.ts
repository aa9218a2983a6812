// A document as the row the PostgreSQL backend stores, and the versioned
// upsert that writes a batch of them.
import { fieldTerms } from '../model/analyze.js';
import type { CollectionSpec, SearchDocument } from '../SearchBackend.js';
import {
  dateColumn,
  docsTableName,
  keywordColumn,
  keywordTerm,
  numericColumn,
  regionColumn,
  tableName,
  textTerm,
  typedColumns,
} from './sql.js';

/**
 * A row to write, keyed by column name (unquoted), for jsonb_to_recordset.
 * `terms` holds the term texts until the backend swaps in their dictionary
 * ids (see {@link withTermIds}).
 */
export type RowJson = Record<string, unknown>;

function strings(value: unknown, what: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return [...new Set(value as string[])];
  throw new RangeError(`${what}: expected a string or a list of strings`);
}

const unquote = (quoted: string): string => quoted.slice(1, -1);

/** The row of a live document: typed columns, field-qualified terms and the text fields as `doc`. */
export function documentRow(
  spec: CollectionSpec,
  doc: SearchDocument,
): RowJson {
  const f = doc.fields;
  const what = (field: string): string =>
    `${spec.name} document ${doc.id} field ${field}`;
  const row: RowJson = { id: doc.id, version: doc.version, deleted: false };
  const terms = new Set<string>();
  const text: Record<string, unknown> = {};
  for (const field of spec.text) {
    const value = f[field];
    if (value === undefined || value === null) continue;
    text[field] = value;
    for (const t of fieldTerms(value)) terms.add(textTerm(field, t));
  }
  for (const field of spec.keyword) {
    const values = strings(f[field], what(field));
    row[unquote(keywordColumn(field))] = values;
    for (const v of values) terms.add(keywordTerm(field, v));
  }
  for (const field of spec.region) {
    const value = f[field];
    if (value !== null && value !== undefined && typeof value !== 'string')
      throw new RangeError(`${what(field)}: expected a region code string`);
    row[unquote(regionColumn(field))] = value ?? null;
  }
  for (const field of spec.date) {
    const value = f[field];
    if (value === null || value === undefined) {
      row[unquote(dateColumn(field))] = null;
      continue;
    }
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw new RangeError(`${what(field)}: expected an ISO 8601 date`);
    row[unquote(dateColumn(field))] = value;
  }
  for (const field of spec.numeric) {
    const value = f[field];
    if (
      value !== null &&
      value !== undefined &&
      (typeof value !== 'number' || !Number.isFinite(value))
    )
      throw new RangeError(`${what(field)}: expected a finite number`);
    row[unquote(numericColumn(field))] = value ?? null;
  }
  row['terms'] = [...terms];
  row['doc'] = text;
  return row;
}

/** The row of a delete: a tombstone carrying the delete's version. */
export function tombstoneRow(id: string, version: number): RowJson {
  return { id, version, deleted: true, terms: [], doc: null };
}

/** The term texts of rows made by {@link documentRow}, distinct. */
export function termsOfRows(rows: readonly RowJson[]): string[] {
  const all = new Set<string>();
  for (const row of rows)
    for (const t of row['terms'] as readonly string[]) all.add(t);
  return [...all];
}

/** The rows with their term texts replaced by dictionary ids (all known). */
export function withTermIds(
  rows: readonly RowJson[],
  ids: ReadonlyMap<string, number>,
): RowJson[] {
  return rows.map((row) => ({
    ...row,
    terms: (row['terms'] as readonly string[]).map((t) => {
      const id = ids.get(t);
      if (id === undefined) throw new Error(`term ${t} has no dictionary id`);
      return id;
    }),
  }));
}

/**
 * The versioned upsert of a batch of rows (one jsonb parameter): a row
 * replaces the stored one when its version is higher, or equal and it is a
 * delete or the stored row is live (a replay rewrites the same content; a
 * delete wins a tie). The side table follows the rows actually written:
 * their text for live ones, nothing for tombstones.
 */
export function upsertSql(spec: CollectionSpec, generation: number): string {
  const typed = typedColumns(spec);
  const definitions = [
    'id text',
    'version bigint',
    'deleted boolean',
    ...typed.map((c) => `${c.name} ${c.type.replace(' COLLATE "C"', '')}`),
    'terms integer[]',
    'doc jsonb',
  ].join(', ');
  const names = [
    'id',
    'version',
    'deleted',
    ...typed.map((c) => c.name),
    'terms',
  ];
  const updates = names
    .filter((n) => n !== 'id')
    .map((n) => `${n} = excluded.${n}`)
    .join(', ');
  const docs = docsTableName(spec.name, generation);
  return `WITH x AS MATERIALIZED (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${definitions})
), w AS (
  INSERT INTO ${tableName(spec.name, generation)} AS t (${names.join(', ')})
  SELECT ${names.map((n) => `x.${n}`).join(', ')} FROM x
  ON CONFLICT (id) DO UPDATE SET ${updates}
  WHERE excluded.version > t.version
     OR (excluded.version = t.version AND (excluded.deleted OR NOT t.deleted))
  RETURNING t.id, t.deleted
), gone AS (
  DELETE FROM ${docs} AS d USING w WHERE w.deleted AND d.id = w.id
)
INSERT INTO ${docs} AS d (id, doc)
SELECT x.id, coalesce(x.doc, '{}'::jsonb) FROM x JOIN w ON w.id = x.id WHERE NOT w.deleted
ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`;
}
