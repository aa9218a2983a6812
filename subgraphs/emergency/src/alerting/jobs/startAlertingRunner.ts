// Runs alerting: the evaluator on a schedule (a BullMQ job scheduler over
// Redis, or a timer in this process) and the webhook deliveries (a job queue
// with retries and dead letters, fed by the relay).
import { Queue } from 'bullmq';

import type { Database, Logger } from '../../../../kit/src/index.js';
import {
  createBullJobQueue,
  createInProcessJobQueue,
  type AwaitableJobQueue,
} from '../../../../kit/src/jobs/index.js';
import type { AlertDataSource } from '../createGatewayAlertSource.js';
import { evaluateAlerts, type AlertEvaluation } from '../evaluateAlerts.js';
import {
  ALERT_EVALUATION_JOB,
  ALERT_EVALUATION_QUEUE,
  ALERT_EVALUATION_SCHEDULER_ID,
  ALERT_WEBHOOK_QUEUE,
  type EvaluationJobPayload,
  type WebhookJobPayload,
  type WebhookJobResult,
} from './alertingQueues.js';
import type { WebhookAllowList } from '../webhookTargets.js';
import { createWebhookProcessor } from './deliverWebhook.js';
import type { WebhookResolver } from './sendWebhookRequest.js';
import { startWebhookRelay, type WebhookRelay } from './startWebhookRelay.js';

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
   * Stops the schedule's worker, the relay and the webhook queue after the
   * work in progress. The Redis schedule stays for other instances.
   * Idempotent.
   */
  close(): Promise<void>;
}

/** Resolved webhook settings. */
function webhookSettings(config: WebhookDeliveryConfig | undefined) {
  return {
    attempts: config?.attempts ?? 6,
    backoffMs: config?.backoffMs ?? 2000,
    timeoutMs: config?.timeoutMs ?? 10_000,
    concurrency: config?.concurrency ?? 4,
    relayPollMs: config?.relayPollMs ?? 5000,
    allowList: config?.allowList,
  };
}

/** Starts alerting as `config` says. */
export async function startAlertingRunner(
  config: AlertingRunnerConfig,
  deps: AlertingRunnerDeps,
): Promise<AlertingRunner> {
  const log = deps.logger.child({ component: 'alerting' });
  const hooks = webhookSettings(config.webhooks);
  const evaluate = (now: Date): Promise<AlertEvaluation> =>
    evaluateAlerts(
      { db: deps.db, source: deps.source, logger: log },
      {
        now,
        ...(config.lookbackDays === undefined
          ? {}
          : { lookbackDays: config.lookbackDays }),
      },
    );

  const webhookQueue: AwaitableJobQueue<WebhookJobPayload, WebhookJobResult> =
    config.kind === 'redis'
      ? createBullJobQueue({
          url: config.connection,
          name: ALERT_WEBHOOK_QUEUE,
          logger: log,
          ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
        })
      : createInProcessJobQueue({ name: ALERT_WEBHOOK_QUEUE, logger: log });
  const closers: (() => Promise<void>)[] = [() => webhookQueue.close()];
  const closeAll = async (): Promise<void> => {
    const results = [];
    for (const close of closers.reverse()) {
      results.push(
        await close().then(
          () => null,
          (e: unknown) => e,
        ),
      );
    }
    const failed = results.find((r) => r !== null);
    if (failed !== undefined) throw failed;
  };

  try {
    await webhookQueue.process(
      createWebhookProcessor(
        {
          attempts: hooks.attempts,
          timeoutMs: hooks.timeoutMs,
          ...(hooks.allowList ? { allowList: hooks.allowList } : {}),
        },
        {
          db: deps.db,
          logger: log,
          ...(deps.resolve ? { resolve: deps.resolve } : {}),
        },
      ),
      { concurrency: hooks.concurrency },
    );
    const relay: WebhookRelay = await startWebhookRelay(
      {
        job: { attempts: hooks.attempts, backoffMs: hooks.backoffMs },
        pollIntervalMs: hooks.relayPollMs,
      },
      { db: deps.db, queue: webhookQueue, logger: log },
    );
    closers.push(() => relay.close());

    let evaluateNow: AlertingRunner['evaluateNow'];
    switch (config.kind) {
      case 'redis': {
        const queue = createBullJobQueue<EvaluationJobPayload, AlertEvaluation>(
          {
            url: config.connection,
            name: ALERT_EVALUATION_QUEUE,
            logger: log,
            ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
          },
        );
        closers.push(() => queue.close());
        await queue.process(async (job) => {
          const result = await evaluate(
            job.data.now === undefined ? new Date() : new Date(job.data.now),
          );
          await relay.kick();
          return result;
        });
        // The schedule: a repeatable job, kept under a fixed id.
        const scheduler = new Queue(ALERT_EVALUATION_QUEUE, {
          connection: { url: config.connection },
          ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
        });
        scheduler.on('error', (error) =>
          log.warn({ err: error }, 'alert evaluation scheduler error'),
        );
        try {
          await scheduler.upsertJobScheduler(
            ALERT_EVALUATION_SCHEDULER_ID,
            { every: config.everyMs ?? 900_000 },
            {
              name: ALERT_EVALUATION_JOB,
              data: {},
              opts: {
                attempts: 3,
                backoff: { type: 'exponential', delay: 30_000 },
                removeOnComplete: true,
                removeOnFail: 100,
              },
            },
          );
        } finally {
          await scheduler.close();
        }
        evaluateNow = (options) =>
          queue.run(
            ALERT_EVALUATION_JOB,
            { now: (options?.now ?? new Date()).toISOString() },
            { attempts: 1, timeoutMs: 300_000 },
          );
        break;
      }
      case 'in-process': {
        if (
          !Number.isSafeInteger(config.intervalMs) ||
          config.intervalMs <= 0
        ) {
          throw new RangeError(
            `alerting: intervalMs must be a positive integer, got ${config.intervalMs}`,
          );
        }
        // One run at a time: a run asked for during another waits for it.
        let tail: Promise<unknown> = Promise.resolve();
        let running = 0;
        const run = (now: Date): Promise<AlertEvaluation> => {
          running += 1;
          const result = tail.then(async () => {
            const r = await evaluate(now);
            await relay.kick();
            return r;
          });
          tail = result
            .then(
              (r) => log.info({ raised: r.raised.length }, 'alerts evaluated'),
              (error: unknown) =>
                log.error({ err: error }, 'alert evaluation failed'),
            )
            .finally(() => {
              running -= 1;
            });
          return result;
        };
        const timer = setInterval(() => {
          if (running === 0) run(new Date()).catch(() => undefined);
        }, config.intervalMs);
        timer.unref();
        closers.push(async () => {
          clearInterval(timer);
          await tail;
        });
        if (config.evaluateOnStart ?? true) {
          await run(new Date()).catch(() => undefined);
        }
        evaluateNow = (options) => run(options?.now ?? new Date());
        break;
      }
    }

    let closing: Promise<void> | undefined;
    return {
      evaluateNow: (options) =>
        closing
          ? Promise.reject(new Error('alerting is closed'))
          : evaluateNow(options),
      deliveriesSettled: async () => {
        await relay.kick();
        await webhookQueue.drained();
      },
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
