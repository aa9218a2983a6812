import { existsSync } from 'node:fs';

import type { Database } from './db/Database.js';
import { readEmbeddedDatabaseHolder } from './db/embeddedDatabaseLock.js';
import { openDatabase } from './db/openDatabase.js';
import { configuredEnv, readEnv } from './env.js';

/**
 * The hub's database, for the command-line tools (audit, policy): the
 * PostgreSQL of DATABASE_URL or, without it, `npm start`'s embedded
 * database in PGLITE_DATA_DIR (default .govgraph/pglite). While `npm start`
 * runs, it serves that database on a loopback port (named in the folder's
 * lock file) and the tools connect there, one connection at a time; with
 * no hub running they open the folder themselves.
 * @param holds what the caller needs from it, for the error message
 * @param source the environment to read (default the environment over the configuration file)
 * @throws Error naming what to set when there is neither
 * @throws EmbeddedDatabaseInUseError when another process that does not
 *   serve it (another tool) has the folder open
 */
export async function openHubDatabase(
  holds: string,
  source: Readonly<Record<string, string | undefined>> = configuredEnv(),
): Promise<Database> {
  const env = readEnv(source);
  if (env.DATABASE_URL) {
    return openDatabase({ kind: 'pg', connectionString: env.DATABASE_URL });
  }
  if (!env.PGLITE_DATA_DIR.includes('://') && existsSync(env.PGLITE_DATA_DIR)) {
    const holder = readEmbeddedDatabaseHolder(env.PGLITE_DATA_DIR);
    if (holder?.url !== undefined) {
      // The hub serves one session at a time: one connection.
      return openDatabase({
        kind: 'pg',
        connectionString: holder.url,
        maxConnections: 1,
      });
    }
    return openDatabase({ kind: 'pglite', dataDir: env.PGLITE_DATA_DIR });
  }
  throw new Error(
    `DATABASE_URL is not set and there is no embedded database at ${env.PGLITE_DATA_DIR}; set DATABASE_URL to the postgres:// URL of the database that holds ${holds}`,
  );
}
