// The demo city's scenario 1 comes from the evaluator: the seeds write the
// readings, and the evaluator raises the alert from them as of the
// scenario's instant, for the scenario's risk item (the regular evaluation
// runs on the real clock, long after the seeded readings).
import type { Logger } from 'pino';

import { SCENARIOS } from '../seeds/src/index.js';
import { listAlertInboxes } from '../subgraphs/emergency/src/alerting/repository/inboxRepository.js';
import type { Database } from '../subgraphs/kit/src/db/Database.js';
import type { ScenarioReplay } from './Hub.js';
import { evaluateAlertsOnce } from './startAlerting.js';

/** Where the replay reads and writes. */
export interface ScenarioReplayDeps {
  readonly db: Database;
  readonly logger: Logger;
  /** The hub's gateway, listening; the evaluator reads through it. */
  readonly gatewayUrl: string;
  /** Signs the evaluator's token. */
  readonly tokenSecret: string;
}

/**
 * Evaluates the thresholds of scenario 1's risk item once, through the
 * gateway, as of the scenario's instant; resolves with the alerts raised
 * and the inboxes they were delivered to.
 */
export async function replayScenarioOne(
  deps: ScenarioReplayDeps,
): Promise<ScenarioReplay> {
  const { evaluatedAt, riskItemId } = SCENARIOS.dissolvedOxygen;
  const { raised } = await evaluateAlertsOnce(deps, {
    now: new Date(evaluatedAt),
    riskItemIds: [riskItemId],
  });
  return {
    evaluatedAt,
    alerts: await listAlertInboxes(deps.db, raised),
  };
}
