// SQL of the alert evaluator: the risk items it watches and the breaches
// that have an alert already.
import type { Queryable } from '../../../../kit/src/db/Database.js';
import type { RiskThresholdRow } from '../../repository.js';

/** A risk item the evaluator watches, with its category's department. */
export interface WatchedRiskItemRow {
  id: string;
  name: string;
  category_code: string;
  category_name: string;
  /** The category's domain (生态环境, 安全生产, …): who is responsible. */
  domain: string;
  region_code: string;
  section_id: string;
  thresholds: RiskThresholdRow[];
  responsible_person_id: string;
}

/** The columns of a {@link WatchedRiskItemRow}. */
export const WATCHED_RISK_ITEM_COLUMNS = `r.id, r.name, r.category_code,
  c.name AS category_name, c.domain, r.region_code, r.section_id,
  r.thresholds, r.responsible_person_id`;

/**
 * The risk items that watch a monitoring section with at least one
 * threshold on one of `metrics` (only those of `riskItemIds` when given),
 * in id order.
 */
export async function listWatchedRiskItems(
  db: Queryable,
  metrics: readonly string[],
  riskItemIds?: readonly string[],
): Promise<WatchedRiskItemRow[]> {
  const { rows } = await db.query<WatchedRiskItemRow>(
    `SELECT ${WATCHED_RISK_ITEM_COLUMNS}
       FROM emergency.risk_items r
       JOIN emergency.risk_categories c ON c.code = r.category_code
      WHERE r.section_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.thresholds) t
                     WHERE t->>'metric' = ANY($1::text[]))
        AND ($2::text[] IS NULL OR r.id = ANY($2::text[]))
      ORDER BY r.id`,
    [[...metrics], riskItemIds === undefined ? null : [...riskItemIds]],
  );
  return rows;
}

/** Which of the evaluation keys have an alert already. */
export async function findRaisedKeys(
  db: Queryable,
  keys: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.query<{ evaluation_key: string }>(
    `SELECT a.evaluation_key FROM emergency.alerts a
      WHERE a.evaluation_key = ANY($1::text[])`,
    [[...keys]],
  );
  return new Set(rows.map((r) => r.evaluation_key));
}
