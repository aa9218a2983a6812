import { fileURLToPath } from 'node:url';

import {
  migrate,
  readMigrations,
} from '../../../../subgraphs/kit/src/db/migrate.js';
import type { Database } from '../../../../subgraphs/kit/src/db/Database.js';

/** The schema that holds the policy store. */
export const POLICY_SCHEMA = 'policy';

/**
 * The policy store's versioned migrations (schema {@link POLICY_SCHEMA}),
 * tracked in `policy.schema_migrations`. A folder of their own: the kit
 * applies every file of a folder to one schema, and `../../migrations/audit/`
 * holds the access log's (schema `audit`).
 */
export const POLICY_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../migrations/policy/', import.meta.url),
);

/**
 * Applies the policy store's migrations (the negative-list entry versions,
 * grants, roles and their rules, algorithm bindings) that are not applied
 * yet. Safe at every start and from several gateway processes at once.
 *
 * @returns the names of the migrations applied by this call
 */
export async function migratePolicyStore(db: Database): Promise<string[]> {
  return migrate(
    db,
    POLICY_SCHEMA,
    await readMigrations(POLICY_MIGRATIONS_DIR),
  );
}
