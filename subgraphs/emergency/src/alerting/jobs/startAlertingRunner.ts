// Runs alerting: the evaluator on a schedule (a BullMQ job scheduler over
// Redis, or a timer in this process; evaluationSchedule.ts) and the webhook
// deliveries (a job queue with retries and dead letters, fed by the relay).
import {
  createBullJobQueue,
  createInProcessJobQueue,
  type AwaitableJobQueue,
} from '../../../../kit/src/jobs/index.js';
import { evaluateAlerts, type AlertEvaluation } from '../evaluateAlerts.js';
import {
  ALERT_WEBHOOK_QUEUE,
  type WebhookJobPayload,
  type WebhookJobResult,
} from './alertingQueues.js';
import {
  webhookSettings,
  type AlertingRunner,
  type AlertingRunnerConfig,
  type AlertingRunnerDeps,
} from './AlertingRunner.js';
import { Closers } from './Closers.js';
import { createWebhookProcessor } from './deliverWebhook.js';
import { scheduleInProcess, scheduleOnRedis } from './evaluationSchedule.js';
import { startWebhookRelay, type WebhookRelay } from './startWebhookRelay.js';

export type {
  AlertingRunner,
  AlertingRunnerConfig,
  AlertingRunnerDeps,
  WebhookDeliveryConfig,
} from './AlertingRunner.js';

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
  const closers = new Closers();
  closers.add(() => webhookQueue.close());

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
    closers.add(() => relay.close());

    const scheduleDeps = { evaluate, relay, log, closers };
    const schedule =
      config.kind === 'redis'
        ? await scheduleOnRedis(config, scheduleDeps)
        : await scheduleInProcess(config, scheduleDeps);

    let closing: Promise<void> | undefined;
    return {
      evaluateNow: (options) =>
        closing
          ? Promise.reject(new Error('alerting is closed'))
          : schedule.evaluateNow(options),
      deliveriesSettled: async () => {
        await relay.kick();
        await webhookQueue.drained();
      },
      recoverLostJobs: async () => {
        if (closing) return;
        await schedule.restoreSchedule();
        await relay.requeueAll();
      },
      close: () => (closing ??= closers.closeAll()),
    };
  } catch (error) {
    await closers.closeAll().catch(() => undefined);
    throw error;
  }
}
