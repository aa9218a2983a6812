// A collection's pointer row (`search.collections`: spec, current and
// building generation, write sequence) and the DDL of its generations.
import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import type { CollectionSpec } from '../SearchBackend.js';
import {
  createCountsSql,
  createIndexesSql,
  createTableSql,
  dropGenerationSql,
  populateCountsSql,
} from './schemaSql.js';
import { countsTableName, SCHEMA, tableName } from './sql.js';

/** Serialises DDL of the backend across processes (pg_advisory_xact_lock key). */
export const DDL_LOCK = 0x5ea2c4;

/** A collection's row of `search.collections`. */
export interface PointerRow {
  spec: CollectionSpec;
  seq: string;
  generation: number;
  building: number | null;
  building_spec: CollectionSpec | null;
}

/**
 * The pointer row of `collection`, optionally locked (`lock`: `FOR UPDATE`,
 * `FOR NO KEY UPDATE`); throws when the collection does not exist.
 */
export async function readPointer(
  q: Queryable,
  collection: string,
  lock = '',
): Promise<PointerRow> {
  const { rows } = await q.query<PointerRow>(
    `SELECT spec, generation, building, building_spec, seq::text AS seq FROM ${SCHEMA}.collections WHERE name = $1 ${lock}`,
    [collection],
  );
  const row = rows[0];
  if (!row) {
    throw new Error(
      `search collection "${collection}" does not exist: call ensureCollection first`,
    );
  }
  return row;
}

/**
 * Creates generation `generation` of a collection afresh (dropping any
 * leftover): its table, side tables and counts; its secondary indexes too
 * when `withIndexes` (a reindex adds them once loaded).
 */
export async function createGeneration(
  q: Queryable,
  spec: CollectionSpec,
  generation: number,
  withIndexes: boolean,
): Promise<void> {
  for (const s of dropGenerationSql(spec.name, generation)) await q.query(s);
  for (const s of createTableSql(spec, generation)) await q.query(s);
  for (const s of createCountsSql(spec, generation)) await q.query(s);
  if (withIndexes)
    for (const s of createIndexesSql(spec, generation)) await q.query(s);
}

/**
 * Gives a generation made before the backend kept counts its counts
 * table, triggers and current counts (writes wait meanwhile).
 */
export async function ensureCounts(
  q: Queryable,
  spec: CollectionSpec,
  generation: number,
): Promise<void> {
  const { rows } = await q.query<{ t: string | null }>(
    'SELECT to_regclass($1)::text AS t',
    [countsTableName(spec.name, generation)],
  );
  if (rows[0]?.t != null) return;
  await q.query(
    `LOCK TABLE ${tableName(spec.name, generation)} IN SHARE ROW EXCLUSIVE MODE`,
  );
  for (const s of createCountsSql(spec, generation)) await q.query(s);
  await q.query(populateCountsSql(spec, generation));
}
