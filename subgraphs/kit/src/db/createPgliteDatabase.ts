import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import {
  assertChannelName,
  type Database,
  type Queryable,
} from './Database.js';
import { registerPglite } from './embeddedInstances.js';
import {
  DEFAULT_CLUSTER_CACHE_DIR,
  readNewCluster,
  saveNewCluster,
} from './newClusterCache.js';

/** Options of {@link createPgliteDatabase}. */
export interface PgliteDatabaseConfig {
  /**
   * Folder that holds the embedded database, or `memory://` for one that
   * lives only as long as the process.
   */
  dataDir: string;
  /** A dumped data directory to start from (`PGlite#dumpDataDir`). */
  initialData?: Blob;
  /**
   * Folder of the new-cluster cache (newClusterCache.ts); by default
   * `node_modules/.cache/govgraph`.
   */
  clusterCacheDir?: string;
}

/** Whether `dataDir` holds no cluster yet (memory, or a folder without one). */
function holdsNoCluster(dataDir: string): boolean {
  if (dataDir === 'memory://') return true;
  if (dataDir.includes('://')) return false;
  return !existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * PGlite on `dataDir`: a new cluster starts from the cached dump of one
 * when there is one (and, for the first, is dumped there), instead of
 * running initdb again.
 */
async function createPglite(config: PgliteDatabaseConfig): Promise<PGlite> {
  if (config.initialData !== undefined) {
    return PGlite.create(config.dataDir, { loadDataDir: config.initialData });
  }
  if (!holdsNoCluster(config.dataDir)) return PGlite.create(config.dataDir);
  const cacheDir = config.clusterCacheDir ?? DEFAULT_CLUSTER_CACHE_DIR;
  const cached = await readNewCluster(cacheDir);
  if (cached === undefined) {
    const made = await PGlite.create(config.dataDir);
    await saveNewCluster(made, cacheDir);
    return made;
  }
  try {
    return await PGlite.create(config.dataDir, { loadDataDir: cached });
  } catch (error) {
    // A dump this version cannot load: in memory, make the cluster with
    // initdb; a folder the load has begun to fill is left as it is.
    if (config.dataDir === 'memory://') {
      return PGlite.create(config.dataDir);
    }
    throw error;
  }
}

/**
 * The COPY of Queryable.copyRows on PGlite, which reads COPY's input from
 * the blob a query is given, as the file `/dev/blob`.
 */
function copyStatement(
  table: string,
  columns: readonly string[],
  lines: string,
): [string, [], { blob: Blob }] {
  return [
    `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`,
    [],
    { blob: new Blob([lines]) },
  ];
}

/**
 * A {@link Database} over PGlite, PostgreSQL compiled to WebAssembly and run
 * inside this process: the embedded default when no `DATABASE_URL` is set.
 * PGlite has one connection, so statements run one after another; a
 * transaction holds that connection until it ends.
 */
export async function createPgliteDatabase(
  config: PgliteDatabaseConfig,
): Promise<Database> {
  const db = await createPglite(config);
  const database: Database = {
    kind: 'pglite',
    async query<Row>(text: string, values?: readonly unknown[]) {
      const result = await db.query<Row>(text, values ? [...values] : []);
      return { rows: result.rows };
    },
    async copyRows(table, columns, lines) {
      await db.query(...copyStatement(table, columns, lines));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    transaction(fn) {
      return db.transaction(async (t) => {
        const tx: Queryable = {
          async query<Row>(text: string, values?: readonly unknown[]) {
            const result = await t.query<Row>(text, values ? [...values] : []);
            return { rows: result.rows };
          },
          async copyRows(table, columns, lines) {
            await t.query(...copyStatement(table, columns, lines));
          },
        };
        return fn(tx);
      });
    },
    async listen(channel, onNotify, options) {
      // One in-process connection: it cannot drop, so it never reconnects.
      const unlisten = await db.listen(
        assertChannelName(channel),
        (payload) => {
          onNotify(payload);
        },
      );
      options?.onStatus?.({ listening: true });
      let stopped = false;
      return async () => {
        if (stopped || db.closed) return;
        stopped = true;
        await unlisten();
      };
    },
    async close() {
      await db.close();
    },
  };
  registerPglite(database, db);
  return database;
}
