import { fileURLToPath } from 'node:url';

import {
  migrate,
  readMigrations,
} from '../../../../subgraphs/kit/src/db/migrate.js';
import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';

/** The schema that holds the access log. */
export const AUDIT_SCHEMA = 'audit';

/** The access log's versioned migrations (schema {@link AUDIT_SCHEMA}). */
export const GATEWAY_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../migrations/audit/', import.meta.url),
);

/**
 * Applies the audit migrations (the `audit.access_log` table and its
 * append-only trigger) that are not applied yet. Safe at every start and
 * from several gateway processes at once.
 *
 * @returns the names of the migrations applied by this call
 */
export async function migrateAccessLog(db: Database): Promise<string[]> {
  return migrate(
    db,
    AUDIT_SCHEMA,
    await readMigrations(GATEWAY_MIGRATIONS_DIR),
  );
}
