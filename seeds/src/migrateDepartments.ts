import { migrate, readMigrations } from '../../subgraphs/kit/src/db/migrate.js';
import type { Database } from '../../subgraphs/kit/src/db/Database.js';
import type { SubgraphDefinition } from '../../subgraphs/kit/src/createSubgraph.js';

/**
 * Applies the pending migrations of every department, in order, and returns
 * the names applied (`schema/NNN_name.sql`). Pass `departmentSubgraphs` from
 * the subgraph registry.
 */
export async function migrateDepartments(
  db: Database,
  departments: readonly Pick<SubgraphDefinition, 'schema' | 'migrationsDir'>[],
): Promise<string[]> {
  const applied: string[] = [];
  for (const department of departments) {
    const names = await migrate(
      db,
      department.schema,
      await readMigrations(department.migrationsDir),
    );
    applied.push(...names.map((n) => `${department.schema}/${n}`));
  }
  return applied;
}
