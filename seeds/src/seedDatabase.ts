import { copyLine } from '../../subgraphs/kit/src/db/copyText.js';
import type {
  Database,
  Queryable,
} from '../../subgraphs/kit/src/db/Database.js';
import { assertSeedOptions, generateWorld } from './generateWorld.js';
import { SeedError } from './SeedError.js';
import type { SeedOptions } from './SeedOptions.js';
import {
  DEPARTMENT_SCHEMAS,
  JSON_COLUMNS,
  TABLE_COLUMNS,
  TABLE_ORDER,
  type TableName,
} from './tables.js';

/** PostgreSQL's limit on the parameters of one statement. */
export const MAX_PARAMETERS = 65_535;

/**
 * Parameters per INSERT: well under {@link MAX_PARAMETERS}; mid-sized
 * statements were the fastest on both adapters when measured.
 */
export const PARAMETERS_PER_STATEMENT = 16_000;

/** Options of {@link seedDatabase}. */
export interface SeedDatabaseOptions extends SeedOptions {
  /**
   * Empty the six departments' tables first (in the same transaction).
   * Without it, seeding a database that holds data is refused.
   * @defaultValue false
   */
  reset?: boolean;
  /**
   * Told after each table is written (rows of that table; tables done of
   * all): progress for the city scale, which takes a minute or more.
   */
  onTable?: (progress: {
    table: TableName;
    rows: number;
    done: number;
    tables: number;
  }) => void;
}

/** What {@link seedDatabase} wrote. */
export interface SeedReport {
  /** Rows inserted per table. */
  counts: Record<TableName, number>;
}

/**
 * True when the database has been seeded: `enforcement.regions` exists and
 * has rows. Works on any connection, inside a transaction or not.
 */
export async function isSeeded(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('enforcement.regions') IS NOT NULL AS present`,
  );
  if (!rows[0]?.present) return false;
  const seeded = await db.query<{ seeded: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM enforcement.regions) AS seeded',
  );
  return seeded.rows[0]?.seeded === true;
}

/**
 * Generates the world of `options` and writes it in one transaction —
 * nothing is left half-written if anything fails — in batches of COPY (or
 * of multi-row INSERTs, see {@link insertRows}), parents before children.
 * The risk inventory is generated chunk by chunk while it is written, so
 * memory stays bounded at city scale. The same SQL runs on `pg` and PGlite.
 *
 * Refuses ({@link SeedError}) a database whose department tables hold rows,
 * unless `reset` empties them first, and a database without the tables.
 */
export async function seedDatabase(
  db: Database,
  options: SeedDatabaseOptions,
): Promise<SeedReport> {
  assertSeedOptions(options);
  return db.transaction(async (tx) => {
    const missing = await missingTables(tx);
    if (missing.length > 0) throw SeedError.notMigrated(missing);
    if (options.reset) {
      await truncateDepartments(tx);
    } else {
      const populated = await populatedTables(tx);
      if (populated.length > 0) throw SeedError.notEmpty(populated);
    }
    // Generated only once the database is known to accept it.
    const world = generateWorld(options);
    const counts = {} as Record<TableName, number>;
    for (const [i, table] of TABLE_ORDER.entries()) {
      counts[table] = await insertRows(tx, table, world.tables[table]);
      options.onTable?.({
        table,
        rows: counts[table],
        done: i + 1,
        tables: TABLE_ORDER.length,
      });
    }
    return { counts };
  });
}

async function missingTables(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) AS t(name) WHERE to_regclass(name) IS NULL`,
    [TABLE_ORDER],
  );
  return rows.map((r) => r.name);
}

async function populatedTables(tx: Queryable): Promise<string[]> {
  // Table names come from TABLE_ORDER, never from input.
  const checks = TABLE_ORDER.map(
    (t) => `SELECT '${t}' AS name WHERE EXISTS (SELECT 1 FROM ${t})`,
  ).join(' UNION ALL ');
  const { rows } = await tx.query<{ name: string }>(checks);
  return rows.map((r) => r.name);
}

/** Empties every table of the six department schemas but their migration logs. */
async function truncateDepartments(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name
       FROM information_schema.tables
      WHERE table_schema = ANY($1::text[])
        AND table_type = 'BASE TABLE'
        AND table_name <> 'schema_migrations'
      ORDER BY 1`,
    [DEPARTMENT_SCHEMAS],
  );
  if (rows.length > 0) {
    await tx.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')}`);
  }
}

/** Rows per COPY when the database takes COPY (Queryable.copyRows). */
export const ROWS_PER_COPY = 10_000;

/**
 * Writes `rows` into `table` and returns how many were written: with COPY in
 * batches of {@link ROWS_PER_COPY} rows where the database takes it (both
 * adapters do; twice as fast as INSERTs on PGlite), else in batches of
 * multi-row INSERTs. `jsonb` columns go as JSON text (a null value stays SQL
 * NULL), `text[]` columns as arrays.
 */
export async function insertRows<T extends TableName>(
  tx: Queryable,
  table: T,
  rows: Iterable<object>,
): Promise<number> {
  const columns: readonly string[] = TABLE_COLUMNS[table];
  const json = columns.map((c) => JSON_COLUMNS.has(`${table}.${c}`));
  const valuesOf = (row: object): unknown[] => {
    const record = row as Record<string, unknown>;
    return columns.map((column, c) => {
      const value = record[column];
      return json[c] && value !== null && value !== undefined
        ? JSON.stringify(value)
        : value;
    });
  };
  return tx.copyRows
    ? copyBatches(tx.copyRows.bind(tx), table, columns, rows, valuesOf)
    : insertBatches(tx, table, columns, json, rows, valuesOf);
}

async function copyBatches(
  copyRows: NonNullable<Queryable['copyRows']>,
  table: TableName,
  columns: readonly string[],
  rows: Iterable<object>,
  valuesOf: (row: object) => unknown[],
): Promise<number> {
  let lines = '';
  let pending = 0;
  let written = 0;
  for (const row of rows) {
    lines += copyLine(valuesOf(row));
    pending += 1;
    if (pending === ROWS_PER_COPY) {
      await copyRows(table, columns, lines);
      written += pending;
      lines = '';
      pending = 0;
    }
  }
  if (pending > 0) {
    await copyRows(table, columns, lines);
    written += pending;
  }
  return written;
}

async function insertBatches(
  tx: Queryable,
  table: TableName,
  columns: readonly string[],
  json: readonly boolean[],
  rows: Iterable<object>,
  valuesOf: (row: object) => unknown[],
): Promise<number> {
  const perStatement = Math.max(
    1,
    Math.floor(
      Math.min(PARAMETERS_PER_STATEMENT, MAX_PARAMETERS) / columns.length,
    ),
  );
  const sqlFor = new Map<number, string>();
  const statement = (count: number): string => {
    let sql = sqlFor.get(count);
    if (!sql) {
      const tuples: string[] = [];
      for (let r = 0; r < count; r += 1) {
        const base = r * columns.length;
        tuples.push(
          `(${columns.map((_, c) => `$${base + c + 1}${json[c] ? '::text::jsonb' : ''}`).join(', ')})`,
        );
      }
      sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`;
      sqlFor.set(count, sql);
    }
    return sql;
  };
  let values: unknown[] = [];
  let pending = 0;
  let written = 0;
  const flush = async (): Promise<void> => {
    if (pending === 0) return;
    await tx.query(statement(pending), values);
    written += pending;
    values = [];
    pending = 0;
  };
  for (const row of rows) {
    values.push(...valuesOf(row));
    pending += 1;
    if (pending === perStatement) await flush();
  }
  await flush();
  return written;
}
