import {
  countRows,
  generateWorld,
  TABLE_ORDER,
  type TableName,
} from '../../../seeds/src/index.js';
import type { Queryable } from '../../../subgraphs/kit/src/index.js';

/** The world the seeding tests write: the demo city of seed 1. */
export const OPTIONS = { seed: 1, scale: 'demo' } as const;

/** Rows per table that seeding {@link OPTIONS} writes. */
export const expected = countRows(generateWorld(OPTIONS));

/** Rows per seeded table in `db`. */
export async function tableCounts(
  db: Queryable,
): Promise<Record<TableName, number>> {
  const { rows } = await db.query<{ name: TableName; n: string | number }>(
    TABLE_ORDER.map(
      (t) => `SELECT '${t}' AS name, count(*) AS n FROM ${t}`,
    ).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)])) as Record<
    TableName,
    number
  >;
}
