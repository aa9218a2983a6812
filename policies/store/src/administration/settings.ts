// The city-wide settings of the policy (policy.settings).
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/** Sets one city-wide setting. */
export async function upsertSetting(
  tx: Queryable,
  name: 'withholdUnclassified',
  value: unknown,
  by: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.settings (name, value, updated_by)
     VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (name) DO UPDATE
       SET value = excluded.value, updated_by = excluded.updated_by,
           updated_at = now()`,
    [name, JSON.stringify(value), by],
  );
}
