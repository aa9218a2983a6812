import { PGlite } from '@electric-sql/pglite';

import {
  assertChannelName,
  type Database,
  type Queryable,
} from './Database.js';
import { registerPglite } from './embeddedInstances.js';

/** Options of {@link createPgliteDatabase}. */
export interface PgliteDatabaseConfig {
  /**
   * Folder that holds the embedded database, or `memory://` for one that
   * lives only as long as the process.
   */
  dataDir: string;
  /** A dumped data directory to start from (`PGlite#dumpDataDir`). */
  initialData?: Blob;
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
  const db = await PGlite.create(
    config.dataDir,
    config.initialData === undefined ? {} : { loadDataDir: config.initialData },
  );
  const database: Database = {
    kind: 'pglite',
    async query<Row>(text: string, values?: readonly unknown[]) {
      const result = await db.query<Row>(text, values ? [...values] : []);
      return { rows: result.rows };
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
