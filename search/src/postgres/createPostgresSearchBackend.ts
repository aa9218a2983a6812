// The PostgreSQL search backend: schema `search`, one table per collection
// generation behind a view, CJK bigram terms in a GIN-indexed text[] column.
// Works on PostgreSQL 15 and on PGlite (no extensions); the layout is
// described on createPostgresSearchBackend below.
import { LRUCache } from 'lru-cache';

import type {
  Database,
  Queryable,
} from '../../../subgraphs/kit/src/db/Database.js';
import { encodeCursor, type SortValue } from '../model/cursor.js';
import { highlightValue } from '../model/highlight.js';
import { assertCollectionSpec } from '../model/spec.js';
import { validateRequest } from '../model/validateRequest.js';
import type {
  CollectionSpec,
  FacetBucket,
  SearchBackend,
  SearchHit,
  SearchRequest,
  SearchResult,
} from '../SearchBackend.js';
import { latestOps } from '../model/latestOps.js';
import {
  documentRow,
  termsOfRows,
  tombstoneRow,
  upsertSql,
  withTermIds,
  type RowJson,
} from './rows.js';
import {
  clusterIndexSql,
  createCountsSql,
  createDictionarySql,
  createIndexesSql,
  createTableSql,
  dropGenerationSql,
  POINTER_DDL,
  pointViewSql,
  populateCountsSql,
} from './schemaSql.js';
import { requestTerms, searchStatements, type Statement } from './searchSql.js';
import {
  countsTableName,
  countsViewName,
  dictionaryName,
  docsTableName,
  docsViewName,
  SCHEMA,
  tableName,
  viewName,
} from './sql.js';

/** Options of {@link createPostgresSearchBackend}. */
export interface PostgresSearchBackendOptions {
  /** The database holding schema `search`; the backend never closes it. */
  readonly db: Database;
  /**
   * Documents per statement when a reindex loads its source and when `bulk`
   * gets large batches.
   * @defaultValue 2000
   */
  readonly batchSize?: number;
  /**
   * Totals and facet results kept per (generation, write sequence,
   * statement); 0 turns the cache off.
   * @defaultValue 500
   */
  readonly countCacheSize?: number;
  /**
   * Term dictionary entries (term text to id) kept in memory; entries never
   * change, so the cache cannot go stale.
   * @defaultValue 200000
   */
  readonly termCacheSize?: number;
}

interface PointerRow {
  spec: CollectionSpec;
  seq: string;
  generation: number;
  building: number | null;
  building_spec: CollectionSpec | null;
}

/** Serialises DDL of the backend across processes (pg_advisory_xact_lock key). */
const DDL_LOCK = 0x5ea2c4;

/**
 * Opens the PostgreSQL backend on `options.db` and creates schema `search`
 * and its pointer table if missing.
 *
 * Layout: `search.collections` names, per collection, its spec and current
 * generation; generation `g` lives in table `search.c_<name>_g<g>` and the
 * view `search."<name>"` selects from the current one. A row holds typed
 * columns (keyword `text[]`, region `text`, date `timestamptz`, numeric
 * `float8`), `terms int4[]` (GIN; the ids, in the collection's dictionary
 * `search.t_<name>`, of `field:bigram` for text fields and `field=value`
 * for keyword values), a `version` and a `deleted` flag (tombstones keep a
 * delete's version). The text fields (`doc jsonb`, for highlighting) are in
 * the side table `search.c_<name>_g<g>_docs` (view `search."<name>/docs"`),
 * read for the page of hits only: the main table stays narrow enough for
 * the pages a search touches to stay in shared buffers. The side table
 * `search.c_<name>_g<g>_counts` (view `search."<name>/counts"`) holds live
 * documents per district and facet value, kept exact in each writing
 * transaction by statement-level triggers: a search without text whose
 * only filters are district-level region prefixes (a city or district
 * officer's dashboard) sums its total and facets from it instead of
 * counting rows.
 *
 * Relevance (`score`): the sum of the weights of the requested text fields
 * that contain every query term — the spec's first text field (the name)
 * weighs 2, the others 1. Cheap (no per-term statistics) and honest: a hit
 * in the name ranks above a hit only in the address. Computed without
 * reading any row's terms: one GIN bitmap scan per field, summed per id.
 */
export async function createPostgresSearchBackend(
  options: PostgresSearchBackendOptions,
): Promise<SearchBackend> {
  const db = options.db;
  const batchSize = options.batchSize ?? 2000;
  const cacheSize = options.countCacheSize ?? 500;
  const termIdCache = new LRUCache<string, number>({
    max: Math.max(1, options.termCacheSize ?? 200_000),
  });
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
    for (const statement of POINTER_DDL.split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await tx.query(statement);
  });

  async function pointer(
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
   * Dictionary ids of `terms`. With `create`, missing terms are added first
   * (committed on their own, outside any caller's transaction, so a cached
   * id always exists); without, unknown terms are left out (they are in no
   * document).
   */
  async function termIds(
    collection: string,
    terms: readonly string[],
    create: boolean,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const t of terms) {
      const id = termIdCache.get(`${collection}\u0000${t}`);
      if (id === undefined) missing.push(t);
      else found.set(t, id);
    }
    const remember = (rows: readonly { term: string; id: number }[]): void => {
      for (const r of rows) {
        found.set(r.term, r.id);
        termIdCache.set(`${collection}\u0000${r.term}`, r.id);
      }
    };
    const dictionary = dictionaryName(collection);
    for (let i = 0; i < missing.length; i += 10_000) {
      const chunk = missing.slice(i, i + 10_000);
      if (create) {
        // Rows another writer inserts concurrently are invisible to this
        // statement's snapshot: looked up again below.
        const { rows } = await db.query<{ term: string; id: number }>(
          `WITH ins AS (INSERT INTO ${dictionary} (term) SELECT unnest($1::text[]) ON CONFLICT (term) DO NOTHING RETURNING term, id) SELECT term, id FROM ins UNION ALL SELECT term, id FROM ${dictionary} WHERE term = ANY($1::text[])`,
          [chunk],
        );
        remember(rows);
      }
      const still = chunk.filter((t) => !found.has(t));
      if (still.length > 0) {
        const { rows } = await db.query<{ term: string; id: number }>(
          `SELECT term, id FROM ${dictionary} WHERE term = ANY($1::text[])`,
          [still],
        );
        remember(rows);
        if (create && rows.length < still.length)
          throw new Error(
            `search: terms of ${collection} not in its dictionary`,
          );
      }
    }
    return found;
  }

  /** Rows ready to write: terms replaced by their dictionary ids. */
  async function prepareRows(
    collection: string,
    rows: readonly RowJson[],
  ): Promise<RowJson[]> {
    return withTermIds(
      rows,
      await termIds(collection, termsOfRows(rows), true),
    );
  }

  async function writeRows(
    q: Queryable,
    spec: CollectionSpec,
    generation: number,
    rows: readonly RowJson[],
  ): Promise<void> {
    const sql = upsertSql(spec, generation);
    for (let i = 0; i < rows.length; i += batchSize) {
      await q.query(sql, [JSON.stringify(rows.slice(i, i + batchSize))]);
    }
  }

  function rowsFor(
    spec: CollectionSpec,
    ops: ReturnType<typeof latestOps>,
  ): RowJson[] {
    return ops.map((op) =>
      op.kind === 'upsert'
        ? documentRow(spec, op.doc)
        : tombstoneRow(op.id, op.version),
    );
  }

  async function createGeneration(
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
  async function ensureCounts(
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

  // Totals and facet counts by statement, for the collection's generation
  // and write sequence: any write or swap changes the key, so a cached
  // count is never stale. Pays off for repeated counts that the district
  // counts cannot answer (a keyword's or a filter's matches, counted row by
  // row).
  const counts = new LRUCache<string, { rows: unknown[] }>({
    max: cacheSize || 1,
  });
  async function cachedCounts<Row>(
    collection: string,
    generation: number,
    seq: string,
    statement: Statement,
  ): Promise<{ rows: Row[] }> {
    if (cacheSize === 0) return db.query<Row>(statement.text, statement.values);
    const key = `${collection}\u0000${generation}\u0000${seq}\u0000${statement.text}\u0000${JSON.stringify(statement.values)}`;
    const hit = counts.get(key);
    if (hit) return hit as { rows: Row[] };
    const result = await db.query<Row>(statement.text, statement.values);
    counts.set(key, result);
    return result;
  }

  const backend: SearchBackend = {
    kind: 'postgres',

    async ensureCollection(spec) {
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
          const p = await pointer(tx, spec.name, 'FOR UPDATE');
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
    },

    async bulk(collection, ops) {
      const latest = latestOps(ops);
      if (latest.length === 0) return;
      // Rows of both specs (a reindex may be building with another), their
      // terms in the dictionary before the transaction.
      const before = await pointer(db, collection);
      const prepared = new Map<string, RowJson[]>();
      const prepare = async (spec: CollectionSpec): Promise<RowJson[]> => {
        const key = JSON.stringify(spec);
        let rows = prepared.get(key);
        if (!rows) {
          rows = await prepareRows(collection, rowsFor(spec, latest));
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
        const p = await pointer(tx, collection, 'FOR NO KEY UPDATE');
        // Invalidates cached counts, in every process (they read seq).
        await tx.query(
          `UPDATE ${SCHEMA}.collections SET seq = seq + 1 WHERE name = $1`,
          [collection],
        );
        await writeRows(tx, p.spec, p.generation, await prepare(p.spec));
        if (p.building !== null && p.building_spec !== null) {
          await writeRows(
            tx,
            p.building_spec,
            p.building,
            await prepare(p.building_spec),
          );
        }
      });
    },

    async search(collection, request: SearchRequest): Promise<SearchResult> {
      const { spec, generation, seq } = await pointer(db, collection);
      const normalized = validateRequest(spec, request);
      const ids = await termIds(
        collection,
        requestTerms(spec, normalized),
        false,
      );
      const statements = searchStatements(spec, normalized, ids);
      const [hitRows, totalRows, ...facetRows] = await Promise.all([
        db.query<Record<string, unknown>>(
          statements.hits.text,
          statements.hits.values,
        ),
        cachedCounts<{ total: number }>(
          collection,
          generation,
          seq,
          statements.total,
        ),
        ...statements.facets.map((f) =>
          cachedCounts<{ value: string; count: number }>(
            collection,
            generation,
            seq,
            f.statement,
          ),
        ),
      ]);
      const rows = hitRows.rows;
      const hasNextPage = rows.length > normalized.size;
      const page = rows.slice(0, normalized.size);
      const terms = new Set(normalized.terms ?? []);
      // The text of the page's hits, from the side table, to highlight.
      const docs = new Map<string, Record<string, unknown>>();
      if (
        terms.size > 0 &&
        normalized.highlight.length > 0 &&
        page.length > 0
      ) {
        const { rows: docRows } = await db.query<{
          id: string;
          doc: Record<string, unknown>;
        }>(
          `SELECT id, doc FROM ${docsViewName(collection)} WHERE id = ANY($1::text[])`,
          [page.map((r) => String(r['id']))],
        );
        for (const r of docRows) docs.set(r.id, r.doc);
      }
      const hits: SearchHit[] = page.map((row) => {
        const highlights: Record<string, string[]> = {};
        const doc = docs.get(String(row['id'])) ?? {};
        if (terms.size > 0) {
          for (const field of normalized.highlight) {
            const fragments = highlightValue(doc[field], terms);
            if (fragments.length > 0) highlights[field] = fragments;
          }
        }
        return {
          id: String(row['id']),
          score: Number(row['score']),
          highlights,
        };
      });
      const last = page[page.length - 1];
      const endCursor =
        hasNextPage && last
          ? encodeCursor(
              normalized.sort.map((_, i) => {
                const v = last[`s${i}`];
                return v === undefined ? null : (v as SortValue);
              }),
              normalized.hash,
            )
          : null;
      const facets: Record<string, FacetBucket[]> = {};
      statements.facets.forEach((f, i) => {
        facets[f.key] = (facetRows[i]?.rows ?? []).map((r) => ({
          value: r.value,
          count: Number(r.count),
        }));
      });
      return {
        hits,
        total: Number(totalRows.rows[0]?.total ?? 0),
        facets,
        endCursor,
        hasNextPage,
      };
    },

    async reindex(spec, source, { total, onProgress }) {
      assertCollectionSpec(spec);
      await backend.ensureCollection(spec);
      const generation = await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
        const p = await pointer(tx, spec.name, 'FOR UPDATE');
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
          const rows = await prepareRows(spec.name, rowsFor(spec, latest));
          // In turn with `bulk`, which writes to this generation too.
          await db.transaction(async (tx) => {
            await pointer(tx, spec.name, 'FOR NO KEY UPDATE');
            await writeRows(tx, spec, generation, rows);
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
          const p = await pointer(tx, spec.name, 'FOR UPDATE');
          if (p.building !== generation) {
            throw new Error(
              `reindex of ${spec.name} was superseded by another reindex (generation ${String(p.building)})`,
            );
          }
          for (const s of pointViewSql(spec.name, generation))
            await tx.query(s);
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
            const p = await pointer(tx, spec.name, 'FOR UPDATE');
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
    },

    async count(collection) {
      await pointer(db, collection);
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${viewName(collection)} WHERE NOT deleted`,
      );
      return Number(rows[0]?.n ?? 0);
    },

    async close() {
      // The database belongs to the caller.
    },
  };
  return backend;
}
