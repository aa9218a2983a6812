// The processor of webhook delivery jobs: POSTs the alert, signed, to the
// webhook, and records every attempt on the delivery row. Idempotent: a job
// of a round that is over (delivered, dead, or redelivered since) does
// nothing.
import type { Database, Logger } from '../../../../kit/src/index.js';
import type { JobInfo } from '../../../../kit/src/jobs/index.js';
import { loadWebhookSend, recordAttempt } from '../repository.js';
import {
  signWebhookBody,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '../webhookSignature.js';
import type { WebhookJobPayload, WebhookJobResult } from './alertingQueues.js';

/** Configuration of {@link createWebhookProcessor}. */
export interface WebhookProcessorConfig {
  /** Attempts per round (the jobs' `attempts`): the last one dead-letters. */
  readonly attempts: number;
  /** Milliseconds a receiver has to answer. @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/** Dependencies of {@link createWebhookProcessor}. */
export interface WebhookProcessorDeps {
  readonly db: Database;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @defaultValue the clock */
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/** A failed attempt; `unrecoverable` stops the retries (a 4xx answer). */
class WebhookAttemptError extends Error {
  constructor(
    message: string,
    readonly unrecoverable: boolean,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** Statuses worth retrying although 4xx: timeout and rate limit. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * The webhook job processor. One attempt: load the delivery (skip unless
 * PENDING in the job's round), POST the alert as JSON with
 * `x-govgraph-webhook-signature: t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>`,
 * then record DELIVERED on a 2xx answer, or the error — DEAD after the
 * round's last attempt, or at once for a 4xx answer other than 408/425/429
 * — and throw so that the queue retries with backoff.
 */
export function createWebhookProcessor(
  config: WebhookProcessorConfig,
  deps: WebhookProcessorDeps,
): (job: JobInfo<WebhookJobPayload>) => Promise<WebhookJobResult> {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const clock = deps.now ?? (() => new Date());
  const timeoutMs = config.timeoutMs ?? 10_000;
  return async (job) => {
    const { deliveryId, generation } = job.data;
    const send = await loadWebhookSend(deps.db, deliveryId);
    if (
      send === null ||
      send.delivery.status !== 'PENDING' ||
      send.delivery.generation !== generation
    ) {
      return { outcome: 'skipped' };
    }
    const a = send.alert;
    const body = JSON.stringify({
      type: 'alert',
      deliveryId,
      recipient: send.delivery.department
        ? `department:${send.delivery.department}:${send.delivery.region_code ?? ''}`
        : send.delivery.recipient,
      alert: {
        id: a.id,
        riskItemId: a.risk_item_id,
        level: a.level,
        status: a.status,
        title: a.title,
        message: a.message,
        raisedAt: a.raised_at.toISOString(),
        regionCode: a.region_code,
        monitoringSectionId: a.section_id,
        rule: a.rule,
        triggeringReadings: a.triggering_readings,
        suspectedSources: a.suspected_sources.map((s) => ({
          sourceId: s.sourceId,
          name: s.name,
          distanceKm: s.distanceKm,
        })),
        notifiedParties: a.notified_parties,
      },
    });
    const timestamp = Math.floor(clock().getTime() / 1000);
    let failure: WebhookAttemptError;
    try {
      const res = await doFetch(send.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'govgraph-alerts/1',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(
            send.secret,
            body,
            timestamp,
          ),
          [WEBHOOK_DELIVERY_HEADER]: deliveryId,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await recordAttempt(
          deps.db,
          deliveryId,
          generation,
          { kind: 'delivered' },
          clock(),
        );
        return { outcome: 'delivered', status: res.status };
      }
      failure = new WebhookAttemptError(
        `webhook answered HTTP ${res.status}`,
        res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status),
      );
    } catch (error) {
      const cause =
        error instanceof Error
          ? `${error.name === 'TimeoutError' ? 'timed out' : error.message}${
              error.cause instanceof Error ? `: ${error.cause.message}` : ''
            }`
          : String(error);
      failure = new WebhookAttemptError(`webhook unreachable: ${cause}`, false);
    }
    const dead =
      failure.unrecoverable || job.attemptsMade + 1 >= config.attempts;
    await recordAttempt(
      deps.db,
      deliveryId,
      generation,
      { kind: 'failed', error: failure.message, dead },
      clock(),
    );
    deps.logger?.warn(
      { deliveryId, attempt: job.attemptsMade + 1, dead },
      `alert webhook attempt failed: ${failure.message}`,
    );
    throw failure;
  };
}
