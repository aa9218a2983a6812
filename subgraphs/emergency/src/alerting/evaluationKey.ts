// Names of one breach: the evaluation key that makes raising idempotent,
// and the alert id derived from it.
import { createHash } from 'node:crypto';

import type { RiskThresholdRow } from '../repository.js';
import { compactDay } from './chinaTime.js';

/**
 * The key of one breach of one threshold of one risk item: the item, the
 * threshold as stated (metric, comparator, value, window) and the first day
 * of the breach window. Evaluating again — the same day, or the next days
 * while the breach goes on — yields the same key.
 */
export function evaluationKey(
  riskItemId: string,
  threshold: RiskThresholdRow,
  windowStart: string,
): string {
  return [
    riskItemId,
    `${threshold.metric}:${threshold.comparator}:${threshold.value}:${threshold.windowDays}d`,
    windowStart,
  ].join('/');
}

/**
 * The id of the alert raised for a breach: `AL-<last day of the window>-`
 * and 8 hex digits of the key's SHA-256, e.g. `AL-20250814-3F2A9C01`; the
 * same key always gives the same id.
 */
export function alertIdFor(key: string, windowEnd: string): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `AL-${compactDay(windowEnd)}-${digest.toUpperCase()}`;
}
