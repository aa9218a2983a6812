// DDL of the PostgreSQL backend: the pointer table, a generation's table and
// its indexes, and the view searches read.
import type { CollectionSpec } from '../SearchBackend.js';
import {
  dateColumn,
  ident,
  keywordColumn,
  numericColumn,
  regionColumn,
  SCHEMA,
  tableBase,
  tableName,
  typedColumns,
  viewName,
} from './sql.js';

/**
 * The schema and its pointer table: per collection, the spec and generation
 * searches use, and the generation (with its spec) a running reindex builds.
 */
export const POINTER_DDL = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.collections (
  name text PRIMARY KEY,
  spec jsonb NOT NULL,
  generation integer NOT NULL,
  building integer,
  building_spec jsonb,
  swapped_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE ${SCHEMA}.collections ADD COLUMN IF NOT EXISTS seq bigint NOT NULL DEFAULT 0`;

/**
 * A generation's table with its primary key only (secondary indexes come
 * after a reindex's bulk load). `deleted` rows are tombstones that keep the
 * version of a delete so that an older upsert replayed later is ignored.
 */
export function createTableSql(
  spec: CollectionSpec,
  generation: number,
): string {
  const columns = typedColumns(spec)
    .map((c) => `  ${c.name} ${c.type},\n`)
    .join('');
  return `CREATE TABLE ${tableName(spec.name, generation)} (
  id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
${columns}  terms text[] NOT NULL DEFAULT '{}',
  doc jsonb
)`;
}

/**
 * Secondary indexes, all partial on live rows: GIN on `terms` (text terms
 * and keyword values), and a btree per keyword (facets by index-only scan),
 * region (prefix filters: the C collation makes LIKE 'p%' a range), date and
 * numeric field (ranges, sort).
 */
export function createIndexesSql(
  spec: CollectionSpec,
  generation: number,
): string[] {
  const table = tableName(spec.name, generation);
  const base = tableBase(spec.name, generation);
  const live = 'WHERE NOT deleted';
  const statements = [
    `CREATE INDEX IF NOT EXISTS ${ident(`${base}_terms`)} ON ${table} USING gin (terms) ${live}`,
    `CREATE INDEX IF NOT EXISTS ${ident(`${base}_live`)} ON ${table} (id) ${live}`,
  ];
  const btree = (column: string, suffix: string, where = live): void => {
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${ident(`${base}_${suffix}`)} ON ${table} (${column}) ${where}`.trimEnd(),
    );
  };
  spec.keyword.forEach((f, i) => btree(keywordColumn(f), `k${i}`));
  // Not partial (tombstones have no region): the first one is also the
  // index a reindex clusters on, see clusterIndexSql.
  spec.region.forEach((f, i) => btree(regionColumn(f), `r${i}`, ''));
  spec.date.forEach((f, i) => btree(dateColumn(f), `d${i}`));
  spec.numeric.forEach((f, i) => btree(numericColumn(f), `n${i}`));
  return statements;
}

/** Points the collection's view at a generation (drop and create: specs may differ). */
export function pointViewSql(collection: string, generation: number): string[] {
  return [
    `DROP VIEW IF EXISTS ${viewName(collection)}`,
    `CREATE VIEW ${viewName(collection)} AS SELECT * FROM ${tableName(collection, generation)}`,
  ];
}

/**
 * The index of the first region field, which a reindex clusters the new
 * table on (the same index createIndexesSql makes, `IF NOT EXISTS`).
 */
export function clusterIndexSql(
  spec: CollectionSpec,
  generation: number,
): { name: string; create: string } {
  const field = spec.region[0] ?? '';
  const name = ident(`${tableBase(spec.name, generation)}_r0`);
  return {
    name,
    create: `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(spec.name, generation)} (${regionColumn(field)})`,
  };
}
