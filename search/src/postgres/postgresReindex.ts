// A full reindex on the PostgreSQL backend: a new generation is loaded
// beside the current one (which `bulk` keeps writing to both), clustered,
// indexed and analysed, then swapped in behind the views in one
// transaction; a failed reindex drops what it built.
import { latestOps } from '../model/latestOps.js';
import { assertCollectionSpec } from '../model/spec.js';
import type {
  CollectionSpec,
  ReindexProgress,
  SearchDocument,
} from '../SearchBackend.js';
import { createGeneration, DDL_LOCK, readPointer } from './generations.js';
import {
  ensureCollection,
  rowsFor,
  writeRows,
  type WriteContext,
} from './postgresWrites.js';
import {
  clusterIndexSql,
  createIndexesSql,
  dropGenerationSql,
  pointViewSql,
} from './schemaSql.js';
import { countsTableName, docsTableName, SCHEMA, tableName } from './sql.js';

/** Rebuilds `spec`'s collection from `source` (see `SearchBackend.reindex`). */
export async function reindexCollection(
  context: WriteContext,
  spec: CollectionSpec,
  source: AsyncIterable<readonly SearchDocument[]>,
  options: { total: number; onProgress?: (p: ReindexProgress) => void },
): Promise<ReindexProgress> {
  const { db, batchSize, terms } = context;
  const { total, onProgress } = options;
  assertCollectionSpec(spec);
  await ensureCollection(db, spec);
  const generation = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
    const p = await readPointer(tx, spec.name, 'FOR UPDATE');
    const next = Math.max(p.generation, p.building ?? 0) + 1;
    if (p.building !== null)
      for (const s of dropGenerationSql(spec.name, p.building))
        await tx.query(s);
    // Primary key only while loading; the other indexes come after.
    await createGeneration(tx, spec, next, false);
    await tx.query(
      `UPDATE ${SCHEMA}.collections SET building = $2, building_spec = $3::jsonb WHERE name = $1`,
      [spec.name, next, JSON.stringify(spec)],
    );
    return next;
  });
  let indexed = 0;
  try {
    for await (const batch of source) {
      const latest = latestOps({ upserts: batch, deletes: [] });
      const rows = await terms.prepareRows(spec.name, rowsFor(spec, latest));
      // In turn with `bulk`, which writes to this generation too.
      await db.transaction(async (tx) => {
        await readPointer(tx, spec.name, 'FOR NO KEY UPDATE');
        await writeRows(tx, spec, generation, rows, batchSize);
      });
      indexed += batch.length;
      onProgress?.({ indexed, total });
    }
    const table = tableName(spec.name, generation);
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      const cluster = clusterIndexSql(spec, generation);
      if (cluster) {
        await tx.query(cluster.create);
        await tx.query(`CLUSTER ${table} USING ${cluster.name}`);
        await tx.query(`DROP INDEX ${SCHEMA}.${cluster.name}`);
      }
      for (const s of createIndexesSql(spec, generation)) await tx.query(s);
    });
    // Sets the visibility map (index-only scans for unfiltered facets
    // and totals) and the statistics.
    await db.query(`VACUUM (ANALYZE) ${table}`);
    for (const side of [docsTableName, countsTableName])
      await db.query(`VACUUM (ANALYZE) ${side(spec.name, generation)}`);
    await db.transaction(async (tx) => {
      const p = await readPointer(tx, spec.name, 'FOR UPDATE');
      if (p.building !== generation) {
        throw new Error(
          `reindex of ${spec.name} was superseded by another reindex (generation ${String(p.building)})`,
        );
      }
      for (const s of pointViewSql(spec.name, generation)) await tx.query(s);
      await tx.query(
        `UPDATE ${SCHEMA}.collections SET generation = $2, spec = $3::jsonb, building = NULL, building_spec = NULL, swapped_at = now() WHERE name = $1`,
        [spec.name, generation, JSON.stringify(spec)],
      );
      for (const s of dropGenerationSql(spec.name, p.generation))
        await tx.query(s);
    });
  } catch (error) {
    await db
      .transaction(async (tx) => {
        const p = await readPointer(tx, spec.name, 'FOR UPDATE');
        if (p.building !== generation) return;
        await tx.query(
          `UPDATE ${SCHEMA}.collections SET building = NULL, building_spec = NULL WHERE name = $1`,
          [spec.name],
        );
        for (const s of dropGenerationSql(spec.name, generation))
          await tx.query(s);
      })
      .catch(() => undefined);
    throw error;
  }
  const progress = { indexed, total };
  onProgress?.(progress);
  return progress;
}
