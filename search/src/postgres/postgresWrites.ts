// Writing documents to the PostgreSQL backend: creating a collection, and
// `bulk` writes (to the current generation and to the one a reindex builds).
import type {
  Database,
  Queryable,
} from '../../../subgraphs/kit/src/db/Database.js';
import { latestOps, type LatestOp } from '../model/latestOps.js';
import { assertCollectionSpec } from '../model/spec.js';
import type { CollectionSpec, SearchBackend } from '../SearchBackend.js';

/** The operations of a `bulk` call. */
type BulkOps = Parameters<SearchBackend['bulk']>[1];
import {
  createGeneration,
  DDL_LOCK,
  ensureCounts,
  readPointer,
} from './generations.js';
import { documentRow, tombstoneRow, upsertSql, type RowJson } from './rows.js';
import { createDictionarySql, pointViewSql } from './schemaSql.js';
import { countsViewName, SCHEMA } from './sql.js';
import type { TermDictionary } from './TermDictionary.js';

/** What writing documents uses. */
export interface WriteContext {
  readonly db: Database;
  /** Documents per statement. */
  readonly batchSize: number;
  readonly terms: TermDictionary;
}

/** The rows of the latest operations, for `spec`'s table. */
export function rowsFor(
  spec: CollectionSpec,
  ops: readonly LatestOp[],
): RowJson[] {
  return ops.map((op) =>
    op.kind === 'upsert'
      ? documentRow(spec, op.doc)
      : tombstoneRow(op.id, op.version),
  );
}

/** Upserts prepared rows into a generation, `batchSize` per statement. */
export async function writeRows(
  q: Queryable,
  spec: CollectionSpec,
  generation: number,
  rows: readonly RowJson[],
  batchSize: number,
): Promise<void> {
  const sql = upsertSql(spec, generation);
  for (let i = 0; i < rows.length; i += batchSize) {
    await q.query(sql, [JSON.stringify(rows.slice(i, i + batchSize))]);
  }
}

/**
 * Creates the collection (generation 1 behind its views) unless it exists;
 * an existing one keeps its spec and gets what later versions of the
 * backend added (counts, the counts view).
 */
export async function ensureCollection(
  db: Database,
  spec: CollectionSpec,
): Promise<void> {
  assertCollectionSpec(spec);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
    const { rows } = await tx.query(
      `SELECT 1 FROM ${SCHEMA}.collections WHERE name = $1`,
      [spec.name],
    );
    await tx.query(createDictionarySql(spec.name));
    // An existing collection keeps its spec; a changed spec takes effect
    // with the next reindex.
    if (rows.length > 0) {
      const p = await readPointer(tx, spec.name, 'FOR UPDATE');
      await ensureCounts(tx, p.spec, p.generation);
      const view = await tx.query<{ v: string | null }>(
        'SELECT to_regclass($1)::text AS v',
        [countsViewName(spec.name)],
      );
      if (view.rows[0]?.v == null)
        for (const s of pointViewSql(spec.name, p.generation))
          await tx.query(s);
      if (p.building !== null && p.building_spec !== null)
        await ensureCounts(tx, p.building_spec, p.building);
      return;
    }
    await createGeneration(tx, spec, 1, true);
    for (const s of pointViewSql(spec.name, 1)) await tx.query(s);
    await tx.query(
      `INSERT INTO ${SCHEMA}.collections (name, spec, generation) VALUES ($1, $2::jsonb, 1)`,
      [spec.name, JSON.stringify(spec)],
    );
  });
}

/**
 * Writes the latest of `ops` to the collection's current generation and,
 * while a reindex builds another, to that one too, in one transaction.
 */
export async function bulkWrite(
  context: WriteContext,
  collection: string,
  ops: BulkOps,
): Promise<void> {
  const { db, batchSize, terms } = context;
  const latest = latestOps(ops);
  if (latest.length === 0) return;
  // Rows of both specs (a reindex may be building with another), their
  // terms in the dictionary before the transaction.
  const before = await readPointer(db, collection);
  const prepared = new Map<string, RowJson[]>();
  const prepare = async (spec: CollectionSpec): Promise<RowJson[]> => {
    const key = JSON.stringify(spec);
    let rows = prepared.get(key);
    if (!rows) {
      rows = await terms.prepareRows(collection, rowsFor(spec, latest));
      prepared.set(key, rows);
    }
    return rows;
  };
  await prepare(before.spec);
  if (before.building_spec) await prepare(before.building_spec);
  await db.transaction(async (tx) => {
    // Writes of a collection take turns (the counts they add to, the
    // rows they replace), a reindex swap (FOR UPDATE) waits for this
    // write, and this write sees whether a reindex is building a new
    // generation.
    const p = await readPointer(tx, collection, 'FOR NO KEY UPDATE');
    // Invalidates cached counts, in every process (they read seq).
    await tx.query(
      `UPDATE ${SCHEMA}.collections SET seq = seq + 1 WHERE name = $1`,
      [collection],
    );
    await writeRows(tx, p.spec, p.generation, await prepare(p.spec), batchSize);
    if (p.building !== null && p.building_spec !== null) {
      await writeRows(
        tx,
        p.building_spec,
        p.building,
        await prepare(p.building_spec),
        batchSize,
      );
    }
  });
}
