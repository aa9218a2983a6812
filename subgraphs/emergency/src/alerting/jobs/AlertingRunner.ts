// How alerting runs and what a started runner offers (see
// startAlertingRunner.ts).
import type { Database } from '../../../../kit/src/db/Database.js';
import type { Logger } from '../../../../kit/src/logger.js';
import type { AlertDataSource } from '../createGatewayAlertSource.js';
import type { AlertEvaluation } from '../evaluateAlerts.js';
import type { WebhookAllowList } from '../webhookTargets.js';
import type { WebhookResolver } from './sendWebhookRequest.js';

/** How webhook deliveries are attempted. */
export interface WebhookDeliveryConfig {
  /** Attempts per round before a delivery is DEAD. @defaultValue 6 */
  readonly attempts?: number;
  /**
   * First retry delay in ms; doubles per attempt (exponential backoff).
   * @defaultValue 2000
   */
  readonly backoffMs?: number;
  /** Milliseconds a receiver has to answer. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Deliveries in parallel. @defaultValue 4 */
  readonly concurrency?: number;
  /** Milliseconds between the relay's scans. @defaultValue 5000 */
  readonly relayPollMs?: number;
  /**
   * Targets allowed besides public addresses over https (the same list the
   * emergency subgraph registers webhooks under); every delivery checks the
   * address it connects to.
   * @defaultValue EMPTY_WEBHOOK_ALLOW_LIST
   */
  readonly allowList?: WebhookAllowList;
}

/** What every mode shares. */
interface AlertingCommonConfig {
  /** @defaultValue the defaults of {@link WebhookDeliveryConfig} */
  readonly webhooks?: WebhookDeliveryConfig;
  /** Days examined before a window (see `evaluateThreshold`). @defaultValue 7 */
  readonly lookbackDays?: number;
}

/**
 * How alerting runs.
 *
 * - `redis`: BullMQ queues on Redis: a job scheduler runs the evaluator
 *   every `everyMs` (upserted under a fixed id, so several instances keep
 *   one schedule), and webhook deliveries are jobs with retries; a worker
 *   for each in this process.
 * - `in-process`: a timer runs the evaluator every `intervalMs` (and once
 *   at start unless `evaluateOnStart` is false); webhook deliveries go
 *   through the in-process job queue (the delivery rows are the durable
 *   record: the relay queues them again after a restart).
 */
export type AlertingRunnerConfig = AlertingCommonConfig &
  (
    | {
        readonly kind: 'redis';
        /** A `redis://` or `rediss://` URL. */
        readonly connection: string;
        /** Key prefix of the queues (tests use a unique one). @defaultValue BullMQ's `bull` */
        readonly prefix?: string;
        /** @defaultValue 900000 (15 minutes) */
        readonly everyMs?: number;
        readonly intervalMs?: undefined;
        readonly evaluateOnStart?: undefined;
      }
    | {
        readonly kind: 'in-process';
        readonly intervalMs: number;
        /** @defaultValue true */
        readonly evaluateOnStart?: boolean;
        readonly connection?: undefined;
        readonly prefix?: undefined;
        readonly everyMs?: undefined;
      }
  );

/** What the runner uses; it closes none of it. */
export interface AlertingRunnerDeps {
  /** The database holding the emergency schema. */
  readonly db: Database;
  readonly logger: Logger;
  /** Readings and sections, through the governed graph. */
  readonly source: AlertDataSource;
  /** DNS for the webhooks' host names. @defaultValue systemResolver */
  readonly resolve?: WebhookResolver;
}

/** A started alerting runner. */
export interface AlertingRunner {
  /**
   * Evaluates now (or as of `now`) and resolves with what was raised; on
   * Redis through a job a worker runs, in-process after the run in
   * progress.
   */
  evaluateNow(options?: { now?: Date }): Promise<AlertEvaluation>;
  /** Resolves when no webhook delivery is queued, delayed or running. */
  deliveriesSettled(): Promise<void>;
  /**
   * After Redis lost its data: registers the evaluation schedule again (on
   * Redis) and queues every PENDING webhook delivery again.
   */
  recoverLostJobs(): Promise<void>;
  /**
   * Stops the schedule's worker, the relay and the webhook queue after the
   * work in progress. The Redis schedule stays for other instances.
   * Idempotent.
   */
  close(): Promise<void>;
}

/** Resolved webhook settings. */
export function webhookSettings(config: WebhookDeliveryConfig | undefined) {
  return {
    attempts: config?.attempts ?? 6,
    backoffMs: config?.backoffMs ?? 2000,
    timeoutMs: config?.timeoutMs ?? 10_000,
    concurrency: config?.concurrency ?? 4,
    relayPollMs: config?.relayPollMs ?? 5000,
    allowList: config?.allowList,
  };
}
