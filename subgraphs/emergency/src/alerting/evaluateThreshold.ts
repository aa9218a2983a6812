// Pure evaluation of readings against one risk-item threshold: no I/O, no
// clock (the caller passes `now`), the same answer for the same input.
import type { Comparator, RiskThresholdRow } from '../repository.js';
import { addDays, chinaDay, chinaDayStart } from './chinaTime.js';

/** One measured value, as the monitoring department reports it. */
export interface ReadingSample {
  /** The threshold metric it measures, e.g. `DISSOLVED_OXYGEN`. */
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** ISO 8601 timestamp with a zone. */
  readonly measuredAt: string;
}

/** A threshold found crossed: what to raise an alert for. */
export interface Breach {
  readonly threshold: RiskThresholdRow;
  /** First China day of the breach window, `YYYY-MM-DD`. */
  readonly windowStart: string;
  /** Last China day of the breach window (`windowDays` days in all). */
  readonly windowEnd: string;
  /** The readings of the window that crossed the threshold, oldest first. */
  readonly readings: readonly ReadingSample[];
}

/** Options of {@link evaluateThreshold}. */
export interface EvaluateThresholdOptions {
  /** The instant of the evaluation; readings after it are ignored. */
  readonly now: Date;
  /**
   * Days before the newest possible window that are examined as well, so
   * that a breach is still raised when the evaluator did not run on the day
   * it began (down, or a reading arrived late). A run of breaching days
   * that began before them is an older breach, raised back then: it raises
   * nothing now. @defaultValue 7
   */
  readonly lookbackDays?: number;
}

/** @see EvaluateThresholdOptions.lookbackDays */
export const DEFAULT_LOOKBACK_DAYS = 7;

/** Whether `value` crosses `threshold` (LT: below, LTE: at or below, …). */
export function crosses(
  value: number,
  threshold: { readonly comparator: Comparator; readonly value: number },
): boolean {
  switch (threshold.comparator) {
    case 'LT':
      return value < threshold.value;
    case 'LTE':
      return value <= threshold.value;
    case 'GT':
      return value > threshold.value;
    case 'GTE':
      return value >= threshold.value;
  }
}

/**
 * The earliest instant whose readings {@link evaluateThreshold} looks at for
 * a rule of `windowDays` days evaluated at `now`: fetch readings from here.
 */
export function evaluationSince(
  windowDays: number,
  now: Date,
  lookbackDays = DEFAULT_LOOKBACK_DAYS,
): Date {
  return chinaDayStart(
    addDays(chinaDay(now), -(windowDays - 1) - lookbackDays),
  );
}

/**
 * Evaluates the readings of one metric against `threshold` at `now`.
 *
 * Days are China Standard Time calendar days. For a windowed rule
 * (`windowDays` > 1) a day breaches when it has readings and every one of
 * them crosses the threshold (the condition held that day); a day without
 * readings breaks the chain (a gap is not a breach). An instant rule
 * (`windowDays` 1) breaches on a day with any crossing reading.
 *
 * A breach is the current run of consecutive breaching days: the run that
 * ends on the newest day with readings, which must be today or yesterday
 * (readings of today may not have arrived), and whose day before is
 * observed (within the look-back, without a breach). It must be at least
 * `windowDays` long. The breach's window is the run's first `windowDays`
 * days, so a breach that goes on keeps the same window — evaluating every
 * day raises one alert per breach, not one per day — and a breach that ends
 * (a recovered day) and starts again is a new one.
 *
 * @returns the breach, or `null` when the threshold is not crossed now.
 */
export function evaluateThreshold(
  readings: readonly ReadingSample[],
  threshold: RiskThresholdRow,
  options: EvaluateThresholdOptions,
): Breach | null {
  const windowDays = threshold.windowDays;
  if (!Number.isSafeInteger(windowDays) || windowDays < 1) {
    throw new RangeError(
      `windowDays must be a positive integer, got ${windowDays}`,
    );
  }
  const lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const nowMs = options.now.getTime();
  const today = chinaDay(nowMs);
  const horizonStart = addDays(today, -(windowDays - 1) - lookbackDays);

  const byDay = new Map<string, { at: number; reading: ReadingSample }[]>();
  for (const reading of readings) {
    if (reading.metric !== threshold.metric) continue;
    if (!Number.isFinite(reading.value)) continue;
    const at = Date.parse(reading.measuredAt);
    if (Number.isNaN(at) || at > nowMs) continue;
    const day = chinaDay(at);
    if (day < horizonStart) continue;
    const list = byDay.get(day);
    if (list) list.push({ at, reading });
    else byDay.set(day, [{ at, reading }]);
  }
  const breaches = (day: string): boolean => {
    const list = byDay.get(day);
    if (list === undefined || list.length === 0) return false;
    return windowDays === 1
      ? list.some((r) => crosses(r.reading.value, threshold))
      : list.every((r) => crosses(r.reading.value, threshold));
  };

  const latest = [...byDay.keys()].sort().at(-1);
  if (latest === undefined || latest < addDays(today, -1)) return null;
  if (!breaches(latest)) return null;
  let runStart = latest;
  for (;;) {
    const before = addDays(runStart, -1);
    if (before < horizonStart || !breaches(before)) break;
    runStart = before;
  }
  // The run reaches back past what was examined: an older breach.
  if (addDays(runStart, -1) < horizonStart) return null;
  const windowEnd = addDays(runStart, windowDays - 1);
  if (windowEnd > latest) return null;

  const triggering: { at: number; reading: ReadingSample }[] = [];
  for (let day = runStart; day <= windowEnd; day = addDays(day, 1)) {
    for (const r of byDay.get(day) ?? []) {
      if (crosses(r.reading.value, threshold)) triggering.push(r);
    }
  }
  triggering.sort((a, b) => a.at - b.at);
  return {
    threshold,
    windowStart: runStart,
    windowEnd,
    readings: triggering.map((r) => r.reading),
  };
}
