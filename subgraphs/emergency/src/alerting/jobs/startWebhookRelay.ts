// The relay from the delivery rows to the webhook queue: the rows are the
// durable record (written in the transaction that raised the alert, or by
// redeliverAlert), the queue carries the attempts. A row is queued once
// per round; after a restart every PENDING row is queued again (the job id
// keeps a round that is still queued from being added twice), so no
// delivery is lost between a commit and its job.
import type { Database } from '../../../../kit/src/db/Database.js';
import type { Logger } from '../../../../kit/src/logger.js';
import type { JobOptions, JobQueue } from '../../../../kit/src/jobs/index.js';
import {
  listPendingWebhookDeliveries,
  markEnqueued,
  requeuePendingDeliveries,
} from '../repository/deliveryQueueRepository.js';
import { DELIVERY_CHANNEL } from '../repository/rows.js';
import {
  ALERT_WEBHOOK_JOB,
  webhookJobId,
  type WebhookJobPayload,
  type WebhookJobResult,
} from './alertingQueues.js';

/** Configuration of {@link startWebhookRelay}. */
export interface WebhookRelayConfig {
  /** Attempts and backoff of each round's job. */
  readonly job: Required<Pick<JobOptions, 'attempts' | 'backoffMs'>>;
  /**
   * Milliseconds between scans, the safety net behind the notifications.
   * @defaultValue 5000
   */
  readonly pollIntervalMs?: number;
  /** Rows per scan statement. @defaultValue 500 */
  readonly batchSize?: number;
}

/** Dependencies of {@link startWebhookRelay}. */
export interface WebhookRelayDeps {
  readonly db: Database;
  readonly queue: JobQueue<WebhookJobPayload, WebhookJobResult>;
  readonly logger?: Logger;
}

/** A running relay. */
export interface WebhookRelay {
  /** Scans now (after a scan in progress); resolves when done. */
  kick(): Promise<void>;
  /**
   * Queues every PENDING delivery again, queued before or not (the queue
   * lost its jobs: Redis restarted empty); resolves after the scan.
   */
  requeueAll(): Promise<void>;
  /** Stops listening and polling after the scan in progress. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the relay: scans at start (every PENDING row), on every
 * notification on the deliveries channel, and every `pollIntervalMs`.
 * A scan that cannot reach the queue stops and leaves the rows for the
 * next one.
 */
export async function startWebhookRelay(
  config: WebhookRelayConfig,
  deps: WebhookRelayDeps,
): Promise<WebhookRelay> {
  const batchSize = config.batchSize ?? 500;
  const log = deps.logger?.child({ component: 'alert-webhook-relay' });
  let closed = false;
  let all = true;
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const scan = async (): Promise<void> => {
    const everything = all;
    all = false;
    try {
      if (everything) await requeuePendingDeliveries(deps.db);
      for (;;) {
        const rows = await listPendingWebhookDeliveries(deps.db, batchSize);
        const added = [];
        try {
          for (const row of rows) {
            await deps.queue.add(
              ALERT_WEBHOOK_JOB,
              { deliveryId: row.id, generation: row.generation },
              { ...config.job, jobId: webhookJobId(row.id, row.generation) },
            );
            added.push(row);
          }
        } finally {
          await markEnqueued(deps.db, added);
        }
        if (rows.length < batchSize) return;
      }
    } catch (error) {
      if (everything) all = true;
      log?.warn({ err: error }, 'alert webhook relay: scan failed');
    }
  };

  const kick = (): Promise<void> => {
    if (closed) return Promise.resolve();
    // Kicks during a scan fold into one scan after it.
    queued ??= tail.then(() => {
      queued = undefined;
      return scan();
    });
    tail = queued;
    return queued;
  };

  const unlisten = deps.db.listen
    ? await deps.db.listen(DELIVERY_CHANNEL, (payload) => {
        if (payload === null) all = true;
        void kick();
      })
    : undefined;
  const timer = setInterval(() => void kick(), config.pollIntervalMs ?? 5000);
  timer.unref();
  await kick();

  return {
    kick,
    requeueAll() {
      all = true;
      return kick();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await unlisten?.();
      await tail;
    },
  };
}
