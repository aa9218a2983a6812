// DDL of the PostgreSQL backend: the pointer table, a generation's table and
// its indexes, and the view searches read.
import type { CollectionSpec } from '../SearchBackend.js';
import {
  COUNTED_PREFIXES,
  countsFunctionName,
  countsTableName,
  countsViewName,
  dateColumn,
  dictionaryName,
  docsTableName,
  docsViewName,
  ident,
  keywordColumn,
  keywordCountKey,
  literal,
  numericColumn,
  regionColumn,
  regionCountKey,
  SCHEMA,
  tableBase,
  tableName,
  TOTAL_KEY,
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
 * A generation's tables with their primary keys only (secondary indexes
 * come after a reindex's bulk load). The main table is narrow — typed
 * columns and `terms int4[]` (ids from the collection's term dictionary) —
 * so that the rows a search touches stay in shared buffers; the text fields
 * (`doc`, for highlighting) live in the side table `…_docs`, read for the
 * page of hits only. `deleted` rows are tombstones that keep the version of
 * a delete so that an older upsert replayed later is ignored.
 */
export function createTableSql(
  spec: CollectionSpec,
  generation: number,
): string[] {
  const columns = typedColumns(spec)
    .map((c) => `  ${c.name} ${c.type},\n`)
    .join('');
  return [
    `CREATE TABLE ${tableName(spec.name, generation)} (
  id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
${columns}  terms integer[] NOT NULL DEFAULT '{}'
)`,
    `CREATE TABLE ${docsTableName(spec.name, generation)} (
  id text COLLATE "C" PRIMARY KEY,
  doc jsonb NOT NULL
)`,
  ];
}

/** Drops a generation's tables. */
export function dropGenerationSql(
  collection: string,
  generation: number,
): string[] {
  return [
    `DROP TABLE IF EXISTS ${tableName(collection, generation)}`,
    `DROP TABLE IF EXISTS ${docsTableName(collection, generation)}`,
    `DROP TABLE IF EXISTS ${countsTableName(collection, generation)}`,
    `DROP FUNCTION IF EXISTS ${countsFunctionName(collection, generation)}() CASCADE`,
  ];
}

/**
 * The `(district, key, value, d)` rows a set of rows `source` contributes
 * to the counts, each with sign `d`: one per live row (the total), one per
 * keyword value, one per counted prefix of each region field. The district
 * is the first 6 digits of the spec's first region field ('' without one).
 */
function countContributions(
  spec: CollectionSpec,
  source: string,
  sign: 1 | -1,
): string {
  const region = spec.region[0];
  const district =
    region === undefined
      ? "''"
      : `coalesce(left(s.${regionColumn(region)}, 6), '')`;
  const from = `FROM ${source} AS s WHERE NOT s.deleted`;
  const parts = [
    `SELECT ${district} AS district, ${literal(TOTAL_KEY)} AS key, '' AS value, ${sign} AS d ${from}`,
    ...spec.keyword.map(
      (f) =>
        `SELECT ${district}, ${literal(keywordCountKey(f))}, v, ${sign} FROM ${source} AS s CROSS JOIN LATERAL unnest(s.${keywordColumn(f)}) AS v WHERE NOT s.deleted`,
    ),
    ...spec.region.flatMap((f) =>
      COUNTED_PREFIXES.map(
        (n) =>
          `SELECT ${district}, ${literal(regionCountKey(f, n))}, left(s.${regionColumn(f)}, ${n}), ${sign} ${from} AND s.${regionColumn(f)} IS NOT NULL`,
      ),
    ),
  ];
  return parts.join(' UNION ALL ');
}

/**
 * Adds the sums of `contributions` to the counts table, in key order (no
 * deadlock between writers). The primary key leads with the facet key, so
 * that a city-wide facet reads its key's range and a district's facet a
 * narrower one.
 */
function addCountsSql(table: string, contributions: string): string {
  return `INSERT INTO ${table} AS c (district, key, value, n) SELECT district, key, value, sum(d) FROM (${contributions}) AS x GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 1, 3 ON CONFLICT (key, district, value) DO UPDATE SET n = c.n + excluded.n`;
}

/**
 * A generation's counts table and the statement-level triggers (with
 * transition tables) that keep it exact in the writing transaction:
 * inserted live rows add, deleted or replaced ones subtract. Tombstones
 * count nothing.
 */
export function createCountsSql(
  spec: CollectionSpec,
  generation: number,
): string[] {
  const table = tableName(spec.name, generation);
  const counts = countsTableName(spec.name, generation);
  const fn = countsFunctionName(spec.name, generation);
  const base = tableBase(spec.name, generation);
  const added = addCountsSql(counts, countContributions(spec, 'new_rows', 1));
  const removed = addCountsSql(
    counts,
    countContributions(spec, 'old_rows', -1),
  );
  const changed = addCountsSql(
    counts,
    `${countContributions(spec, 'new_rows', 1)} UNION ALL ${countContributions(spec, 'old_rows', -1)}`,
  );
  const trigger = (event: string, referencing: string): string =>
    `CREATE TRIGGER ${ident(`${base}_count_${event.toLowerCase()}`)} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
  return [
    `CREATE TABLE IF NOT EXISTS ${counts} (
  district text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value text COLLATE "C" NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (key, district, value)
)`,
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $count$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${added};
  ELSIF TG_OP = 'DELETE' THEN
    ${removed};
  ELSE
    ${changed};
  END IF;
  RETURN NULL;
END
$count$`,
    trigger('INSERT', 'NEW TABLE AS new_rows'),
    trigger('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    trigger('DELETE', 'OLD TABLE AS old_rows'),
  ];
}

/**
 * Counts the rows a generation already holds (a generation made before
 * counts existed); run after {@link createCountsSql}, with writes locked out.
 */
export function populateCountsSql(
  spec: CollectionSpec,
  generation: number,
): string {
  return addCountsSql(
    countsTableName(spec.name, generation),
    countContributions(spec, tableName(spec.name, generation), 1),
  );
}

/**
 * The term dictionary of a collection, shared by its generations: a term's
 * id never changes and entries are never removed (an unused one is
 * harmless), so processes may cache them.
 */
export function createDictionarySql(collection: string): string {
  return `CREATE TABLE IF NOT EXISTS ${dictionaryName(collection)} (
  term text COLLATE "C" PRIMARY KEY,
  id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL
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
  // Not partial (tombstones have no region).
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
    `DROP VIEW IF EXISTS ${docsViewName(collection)}`,
    `CREATE VIEW ${docsViewName(collection)} AS SELECT * FROM ${docsTableName(collection, generation)}`,
    `DROP VIEW IF EXISTS ${countsViewName(collection)}`,
    `CREATE VIEW ${countsViewName(collection)} AS SELECT * FROM ${countsTableName(collection, generation)}`,
  ];
}

/**
 * The order a reindex writes the new table in (CLUSTER on a temporary
 * index): by district (first 6 digits of the first region field), then by
 * the first keyword field (the category), then id. A row-scoped search reads
 * one district's pages, and a word that goes with a category (危化 in the
 * names and category names of hazardous-chemicals items) finds its rows on
 * a few hundred contiguous pages instead of one page per row.
 */
export function clusterIndexSql(
  spec: CollectionSpec,
  generation: number,
): { name: string; create: string } | null {
  const region = spec.region[0];
  const keyword = spec.keyword[0];
  const parts = [
    ...(region !== undefined ? [`left(${regionColumn(region)}, 6)`] : []),
    ...(keyword !== undefined ? [`(${keywordColumn(keyword)}[1])`] : []),
  ];
  if (parts.length === 0) return null;
  const name = ident(`${tableBase(spec.name, generation)}_cluster`);
  return {
    name,
    create: `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(spec.name, generation)} (${[...parts, 'id'].join(', ')})`,
  };
}
