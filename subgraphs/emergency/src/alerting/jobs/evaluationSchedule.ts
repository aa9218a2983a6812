// The alert evaluator's schedule: a BullMQ job scheduler over Redis (one
// schedule for every instance, a worker here), or a timer in this process.
// Each run kicks the webhook relay afterwards.
import { Queue } from 'bullmq';

import type { Logger } from '../../../../kit/src/logger.js';
import { createBullJobQueue } from '../../../../kit/src/jobs/index.js';
import type { AlertEvaluation } from '../evaluateAlerts.js';
import {
  ALERT_EVALUATION_JOB,
  ALERT_EVALUATION_QUEUE,
  ALERT_EVALUATION_SCHEDULER_ID,
  type EvaluationJobPayload,
} from './alertingQueues.js';
import type { AlertingRunner, AlertingRunnerConfig } from './AlertingRunner.js';
import type { Closers } from './Closers.js';
import type { WebhookRelay } from './startWebhookRelay.js';

/** What a schedule runs and uses. */
export interface EvaluationScheduleDeps {
  /** Evaluates as of `now`. */
  readonly evaluate: (now: Date) => Promise<AlertEvaluation>;
  /** Kicked after every evaluation, for the deliveries it wrote. */
  readonly relay: WebhookRelay;
  readonly log: Logger;
  /** Where the schedule registers what stopping it takes. */
  readonly closers: Closers;
}

/** What a started schedule offers. */
export interface EvaluationSchedule {
  /** Evaluates now (or as of `now`), after or through the schedule's worker. */
  readonly evaluateNow: AlertingRunner['evaluateNow'];
  /** Registers the schedule again (Redis lost it); in-process, nothing. */
  readonly restoreSchedule: () => Promise<void>;
}

/** Upserts the repeatable evaluation under its fixed id. */
async function upsertEvaluationSchedule(
  config: Extract<AlertingRunnerConfig, { kind: 'redis' }>,
  log: Logger,
): Promise<void> {
  const prefix = config.prefix === undefined ? {} : { prefix: config.prefix };
  const scheduler = new Queue(ALERT_EVALUATION_QUEUE, {
    connection: { url: config.connection },
    ...prefix,
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
}

/**
 * Upserts the schedule (every `everyMs`, under a fixed id) and starts the
 * worker of the evaluation queue; `evaluateNow` runs an evaluation through
 * a job.
 */
export async function scheduleOnRedis(
  config: Extract<AlertingRunnerConfig, { kind: 'redis' }>,
  deps: EvaluationScheduleDeps,
): Promise<EvaluationSchedule> {
  const { evaluate, relay, log } = deps;
  const queue = createBullJobQueue<EvaluationJobPayload, AlertEvaluation>({
    url: config.connection,
    name: ALERT_EVALUATION_QUEUE,
    logger: log,
    ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
  });
  deps.closers.add(() => queue.close());
  await queue.process(async (job) => {
    const result = await evaluate(
      job.data.now === undefined ? new Date() : new Date(job.data.now),
    );
    await relay.kick();
    return result;
  });
  // The schedule: a repeatable job, kept under a fixed id.
  await upsertEvaluationSchedule(config, log);
  return {
    evaluateNow: (options) =>
      queue.run(
        ALERT_EVALUATION_JOB,
        { now: (options?.now ?? new Date()).toISOString() },
        { attempts: 1, timeoutMs: 300_000 },
      ),
    restoreSchedule: () => upsertEvaluationSchedule(config, log),
  };
}

/**
 * Evaluates every `intervalMs` (skipping a tick while a run is going on),
 * and once now unless `evaluateOnStart` is false; returns `evaluateNow`,
 * which runs after the run in progress.
 */
export async function scheduleInProcess(
  config: Extract<AlertingRunnerConfig, { kind: 'in-process' }>,
  deps: EvaluationScheduleDeps,
): Promise<EvaluationSchedule> {
  const { evaluate, relay, log } = deps;
  if (!Number.isSafeInteger(config.intervalMs) || config.intervalMs <= 0) {
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
  deps.closers.add(async () => {
    clearInterval(timer);
    await tail;
  });
  if (config.evaluateOnStart ?? true) {
    await run(new Date()).catch(() => undefined);
  }
  return {
    evaluateNow: (options) => run(options?.now ?? new Date()),
    restoreSchedule: () => Promise.resolve(),
  };
}
