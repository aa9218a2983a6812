import { fileURLToPath } from 'node:url';

import { migrate, readMigrations } from '../../subgraphs/kit/src/db/migrate.js';
import type { Database } from '../../subgraphs/kit/src/db/Database.js';

/** The catalog's versioned migrations (schema `catalog`). */
export const CATALOG_MIGRATIONS_DIR = fileURLToPath(
  new URL('../migrations', import.meta.url),
);

/** Applies the catalog's pending migrations; returns their names. */
export async function migrateCatalog(db: Database): Promise<string[]> {
  return migrate(db, 'catalog', await readMigrations(CATALOG_MIGRATIONS_DIR));
}
