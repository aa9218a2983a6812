import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/** How many records the access log holds (audit.access_log). */
export async function countAccessLogRecords(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit.access_log',
  );
  return rows[0]?.n ?? 0;
}
