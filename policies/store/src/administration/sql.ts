// What the administration's statements share: the row shape, JSON
// parameters, a permission as a SQL condition, and yearly numbered ids.
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/**
 * A parameterised SQL condition whose n-th `$?` stands for `values[n]`
 * (`SqlConditions.addAll` numbers them within a statement): what a CASL
 * ability permits, as the governance subgraph's `toSqlWhere` turns it.
 */
export interface SqlWhere {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A jsonb parameter: the value as JSON, or NULL when absent. */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The next free id of the form `<prefix>-<year>-<n>` in `table`, zero-padded to `digits`. */
export async function nextYearlyId(
  tx: Queryable,
  table:
    | 'policy.share_requests'
    | 'policy.grants'
    | 'policy.classification_proposals',
  prefix: string,
  year: number,
  digits: number,
): Promise<string> {
  const stem = `${prefix}-${String(year)}-`;
  const { rows } = await tx.query<{ n: number | null }>(
    `SELECT max(substring(id FROM $2::int)::int) AS n FROM ${table}
      WHERE id LIKE $1 || '%' AND substring(id FROM $2::int) ~ '^[0-9]+$'`,
    [stem, stem.length + 1],
  );
  const n = (rows[0]?.n ?? 0) + 1;
  return `${stem}${String(n).padStart(digits, '0')}`;
}
