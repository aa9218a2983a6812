// The PostgreSQL search backend: schema `search`, one table per collection
// generation behind a view, CJK bigram terms in a GIN-indexed text[] column.
// Works on PostgreSQL 15 and on PGlite (no extensions); the layout is
// described on createPostgresSearchBackend below. The operations are in
// postgresWrites.ts, postgresSearch.ts and postgresReindex.ts.
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import type { SearchBackend } from '../SearchBackend.js';
import { CountCache } from './CountCache.js';
import { DDL_LOCK, readPointer } from './generations.js';
import { reindexCollection } from './postgresReindex.js';
import { searchCollection } from './postgresSearch.js';
import { bulkWrite, ensureCollection } from './postgresWrites.js';
import { POINTER_DDL } from './schemaSql.js';
import { viewName } from './sql.js';
import { TermDictionary } from './TermDictionary.js';

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
  const terms = new TermDictionary(db, options.termCacheSize ?? 200_000);
  const counts = new CountCache(db, options.countCacheSize ?? 500);
  const writes = { db, batchSize: options.batchSize ?? 2000, terms };
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
    for (const statement of POINTER_DDL.split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await tx.query(statement);
  });

  return {
    kind: 'postgres',

    ensureCollection: (spec) => ensureCollection(db, spec),

    bulk: (collection, ops) => bulkWrite(writes, collection, ops),

    search: (collection, request) =>
      searchCollection({ db, terms, counts }, collection, request),

    reindex: (spec, source, progress) =>
      reindexCollection(writes, spec, source, progress),

    async count(collection) {
      await readPointer(db, collection);
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${viewName(collection)} WHERE NOT deleted`,
      );
      return Number(rows[0]?.n ?? 0);
    },

    async close() {
      // The database belongs to the caller.
    },
  };
}
