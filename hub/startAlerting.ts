// Starts the emergency department's alerting next to the hub: the evaluator
// reads readings and upstream sources of other departments through the
// gateway as the department's service principal (whose token the hub mints
// with the token secret), raises alerts in the emergency schema and
// delivers them to inboxes and signed webhooks.
import type { Logger } from 'pino';

import { mintToken, type TokenClaims } from '../gateway/src/identity/index.js';
import {
  createGatewayAlertSource,
  type AlertDataSource,
} from '../subgraphs/emergency/src/alerting/createGatewayAlertSource.js';
import { evaluateAlerts } from '../subgraphs/emergency/src/alerting/evaluateAlerts.js';
import {
  startAlertingRunner,
  type AlertingRunnerConfig,
} from '../subgraphs/emergency/src/alerting/jobs/startAlertingRunner.js';
import type { WebhookResolver } from '../subgraphs/emergency/src/alerting/jobs/sendWebhookRequest.js';
import type { Database } from '../subgraphs/kit/src/db/Database.js';

/** How alerting runs: on Redis (BullMQ) or in this process. */
export type AlertingConfig = AlertingRunnerConfig;

/**
 * The service principal of 应急管理局's risk monitoring: reads what the
 * evaluator needs (role `risk-monitor` of the demo policy) for the purpose
 * `risk-warning`, city-wide.
 */
export const RISK_MONITOR_CLAIMS: TokenClaims = {
  sub: 'emergency-risk-monitor',
  dept: 'emergency',
  roles: ['risk-monitor'],
  level: 'CITY',
  region: '500000',
  purposes: ['risk-warning'],
};

/** The purpose the evaluator declares. */
export const RISK_MONITOR_PURPOSE = 'risk-warning';

/** Dependencies of {@link startAlerting}. */
export interface AlertingDeps {
  /** The database holding the emergency schema (migrated). */
  readonly db: Database;
  readonly logger: Logger;
  /** The gateway's GraphQL URL. */
  readonly gatewayUrl: string;
  /** HS256 secret (≥ 32 bytes) the gateway verifies bearer tokens with. */
  readonly tokenSecret: string;
  /** For the gateway. @defaultValue globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * DNS for the webhooks' host names (each delivery connects only to an
   * allowed address it answers). @defaultValue systemResolver
   */
  readonly resolve?: WebhookResolver;
}

/** Running alerting. */
export interface Alerting {
  /**
   * Evaluates the thresholds now, or as of `now` (windows end on its China
   * day: `new Date('2025-08-14T08:00:00+08:00')` replays scenario 1), and
   * resolves with the ids of the alerts raised.
   */
  evaluateNow(options?: { now?: Date }): Promise<{ raised: string[] }>;
  /** Resolves when no webhook delivery is queued or running. */
  deliveriesSettled(): Promise<void>;
  /**
   * After Redis lost its data: registers the evaluation schedule again and
   * queues every PENDING webhook delivery again.
   */
  recoverLostJobs(): Promise<void>;
  /** Stops evaluating and delivering after the work in progress. */
  close(): Promise<void>;
}

/** Seconds a service token lives; renewed well before it expires. */
const TOKEN_TTL_SECONDS = 3600;

/**
 * What the evaluator reads through the gateway, as the risk monitor's
 * service principal (its token minted with the token secret, renewed
 * before it expires).
 */
function riskMonitorSource(deps: Omit<AlertingDeps, 'db'>): AlertDataSource {
  const secret = new TextEncoder().encode(deps.tokenSecret);
  let cached: { token: string; renewAt: number } | undefined;
  const token = async (): Promise<string> => {
    if (cached === undefined || Date.now() >= cached.renewAt) {
      cached = {
        token: await mintToken(RISK_MONITOR_CLAIMS, secret, {
          ttlSeconds: TOKEN_TTL_SECONDS,
        }),
        renewAt: Date.now() + (TOKEN_TTL_SECONDS / 2) * 1000,
      };
    }
    return cached.token;
  };
  return createGatewayAlertSource(
    { url: deps.gatewayUrl, purpose: RISK_MONITOR_PURPOSE },
    {
      token,
      logger: deps.logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
  );
}

/**
 * Evaluates the thresholds (of every watched risk item, or of
 * `riskItemIds`) once as of `now`, without starting alerting (no
 * schedule, no webhook worker: deliveries it writes wait for the relay of
 * an alerting that runs), and resolves with the ids of the alerts raised.
 * Idempotent like every evaluation.
 */
export async function evaluateAlertsOnce(
  deps: AlertingDeps,
  options: { now: Date; riskItemIds?: readonly string[] },
): Promise<{ raised: string[] }> {
  const { raised } = await evaluateAlerts(
    {
      db: deps.db,
      source: riskMonitorSource(deps),
      logger: deps.logger.child({ component: 'alerting' }),
    },
    options,
  );
  return { raised };
}

/** Starts alerting as `config` says (see {@link AlertingConfig}). */
export async function startAlerting(
  config: AlertingConfig,
  deps: AlertingDeps,
): Promise<Alerting> {
  const source = riskMonitorSource(deps);
  const runner = await startAlertingRunner(config, {
    db: deps.db,
    logger: deps.logger,
    source,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  });
  return {
    async evaluateNow(options) {
      const { raised } = await runner.evaluateNow(options);
      return { raised };
    },
    deliveriesSettled: () => runner.deliveriesSettled(),
    recoverLostJobs: () => runner.recoverLostJobs(),
    close: () => runner.close(),
  };
}
