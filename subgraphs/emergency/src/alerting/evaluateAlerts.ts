// The alert evaluator: the risk items that watch monitoring sections, their
// readings from the graph, the thresholds evaluated, alerts raised.
import type { Database } from '../../../kit/src/db/Database.js';
import type { Logger } from '../../../kit/src/logger.js';
import {
  composeAlert,
  WATER_METRICS,
  type SectionContext,
} from './composeAlert.js';
import type { AlertDataSource } from './createGatewayAlertSource.js';
import { evaluationKey } from './evaluationKey.js';
import {
  DEFAULT_LOOKBACK_DAYS,
  evaluateThreshold,
  evaluationSince,
  type Breach,
} from './evaluateThreshold.js';
import { raiseAlert } from './repository/alertRepository.js';
import {
  findRaisedKeys,
  listWatchedRiskItems,
  type WatchedRiskItemRow,
} from './repository/evaluationRepository.js';

/** Dependencies of {@link evaluateAlerts}. */
export interface AlertEvaluatorDeps {
  readonly db: Database;
  /** Readings and section context (through the governed graph). */
  readonly source: AlertDataSource;
  readonly logger?: Logger;
}

/** Options of one evaluation. */
export interface EvaluateAlertsOptions {
  /** The instant evaluated; windows end on its China day. */
  readonly now: Date;
  /** @defaultValue {@link DEFAULT_LOOKBACK_DAYS} */
  readonly lookbackDays?: number;
  /**
   * Evaluate only these risk items (a replay of one scenario, say).
   * @defaultValue every watched risk item
   */
  readonly riskItemIds?: readonly string[];
}

/** What one evaluation did. */
export interface AlertEvaluation {
  /** Ids of the alerts raised now (breaches raised before are not listed). */
  readonly raised: string[];
  /** Risk items evaluated. */
  readonly riskItems: number;
  /** Breaches found, new or already raised. */
  readonly breaches: number;
}

/**
 * Evaluates every risk item that watches a monitoring section with a
 * threshold on a water-quality metric against the section's readings up to
 * `now` (windows relative to `now`, see `evaluateThreshold`) and raises an
 * alert for each new breach, with the section's suspected upstream sources.
 * Idempotent: a breach raised before raises nothing (its evaluation key),
 * so it can run as often as wanted and after a crash.
 */
export async function evaluateAlerts(
  deps: AlertEvaluatorDeps,
  options: EvaluateAlertsOptions,
): Promise<AlertEvaluation> {
  const { now } = options;
  const lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const metrics = new Set(WATER_METRICS);
  const items = await listWatchedRiskItems(
    deps.db,
    WATER_METRICS,
    options.riskItemIds,
  );
  if (items.length === 0) return { raised: [], riskItems: 0, breaches: 0 };

  const sections = [...new Set(items.map((i) => i.section_id))];
  const maxWindow = Math.max(
    ...items.flatMap((i) =>
      i.thresholds
        .filter((t) => metrics.has(t.metric))
        .map((t) => t.windowDays),
    ),
  );
  const since = evaluationSince(maxWindow, now, lookbackDays);
  const readings = await deps.source.readings(sections, since, now);

  const found: { item: WatchedRiskItemRow; breach: Breach; key: string }[] = [];
  for (const item of items) {
    const samples = readings.get(item.section_id) ?? [];
    if (samples.length === 0) continue;
    for (const threshold of item.thresholds) {
      if (!metrics.has(threshold.metric)) continue;
      const breach = evaluateThreshold(samples, threshold, {
        now,
        lookbackDays,
      });
      if (breach === null) continue;
      found.push({
        item,
        breach,
        key: evaluationKey(item.id, threshold, breach.windowStart),
      });
    }
  }
  if (found.length === 0) {
    return { raised: [], riskItems: items.length, breaches: 0 };
  }
  // Breaches raised before need no section context: skip them up front.
  const known = await findRaisedKeys(
    deps.db,
    found.map((f) => f.key),
  );
  const contexts = new Map<string, SectionContext | null>();
  const raised: string[] = [];
  for (const { item, breach, key } of found) {
    if (known.has(key)) continue;
    let context = contexts.get(item.section_id);
    if (context === undefined) {
      context = await deps.source.sectionContext(item.section_id);
      contexts.set(item.section_id, context);
    }
    const result = await raiseAlert(
      deps.db,
      composeAlert(item, breach, context, now),
    );
    if (result.created) {
      raised.push(result.id);
      deps.logger?.info(
        { alertId: result.id, riskItemId: item.id, key },
        'alert raised',
      );
    }
  }
  return { raised, riskItems: items.length, breaches: found.length };
}
