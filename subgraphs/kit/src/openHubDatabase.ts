import { existsSync } from 'node:fs';

import type { Database } from './db/Database.js';
import { openDatabase } from './db/openDatabase.js';
import { configuredEnv, readEnv } from './env.js';

/**
 * The hub's database, for the command-line tools (audit, policy): the
 * PostgreSQL of DATABASE_URL or, without it, `npm start`'s embedded
 * database in PGLITE_DATA_DIR (default .govgraph/pglite), which only one
 * process may open at a time (stop the hub first).
 * @param holds what the caller needs from it, for the error message
 * @param source the environment to read (default the environment over the configuration file)
 * @throws Error naming what to set when there is neither
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
    return openDatabase({ kind: 'pglite', dataDir: env.PGLITE_DATA_DIR });
  }
  throw new Error(
    `DATABASE_URL is not set and there is no embedded database at ${env.PGLITE_DATA_DIR}; set DATABASE_URL to the postgres:// URL of the database that holds ${holds}`,
  );
}
