// The processor of webhook delivery jobs: POSTs the alert, signed, to the
// webhook, and records every attempt on the delivery row. Idempotent: a job
// of a round that is over (delivered, dead, or redelivered since) does
// nothing. The row records a neutral failure state for the alert's readers;
// the network error goes to the operators' log only.
import type { Database } from '../../../../kit/src/db/Database.js';
import type { Logger } from '../../../../kit/src/logger.js';
import type { JobInfo } from '../../../../kit/src/jobs/index.js';
import {
  loadWebhookSend,
  recordAttempt,
} from '../repository/deliveryQueueRepository.js';
import type { DeliveryFailure } from '../repository/rows.js';
import {
  signWebhookBody,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '../webhookSignature.js';
import {
  EMPTY_WEBHOOK_ALLOW_LIST,
  type WebhookAllowList,
} from '../webhookTargets.js';
import type { WebhookJobPayload, WebhookJobResult } from './alertingQueues.js';
import {
  sendWebhookRequest,
  WebhookTargetBlockedError,
  type WebhookResolver,
} from './sendWebhookRequest.js';

/** Configuration of {@link createWebhookProcessor}. */
export interface WebhookProcessorConfig {
  /** Attempts per round (the jobs' `attempts`): the last one dead-letters. */
  readonly attempts: number;
  /** Milliseconds a receiver has to answer. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /**
   * Targets allowed besides public addresses over https; every delivery
   * checks the address it connects to against it.
   * @defaultValue EMPTY_WEBHOOK_ALLOW_LIST
   */
  readonly allowList?: WebhookAllowList;
}

/** Dependencies of {@link createWebhookProcessor}. */
export interface WebhookProcessorDeps {
  readonly db: Database;
  /** DNS for the webhooks' host names. @defaultValue systemResolver */
  readonly resolve?: WebhookResolver;
  /** @defaultValue the clock */
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/**
 * A failed attempt: `failure` is what the row records, the message (the
 * network error or the status) what the operators' log gets;
 * `unrecoverable` stops the retries.
 */
class WebhookAttemptError extends Error {
  constructor(
    message: string,
    readonly failure: DeliveryFailure,
    readonly unrecoverable: boolean,
    readonly address?: string,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** The text of a network error for the log (the abort is the timeout's). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'AbortError' || error.name === 'TimeoutError'
    ? 'timed out'
    : error.message;
}

/** A URL's origin, for the log (never its path or query). */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(not a URL)';
}

/** Statuses worth retrying although 4xx: timeout and rate limit. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * The webhook job processor. One attempt: load the delivery (skip unless
 * PENDING in the job's round), POST the alert as JSON with
 * `x-govgraph-webhook-signature: t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>`
 * to an allowed address only (see `sendWebhookRequest`), then record
 * DELIVERED on a 2xx answer, or the failure — `TARGET_NOT_ALLOWED` and DEAD
 * at once when the address is not allowed (nothing sent); else
 * `DELIVERY_FAILED`, DEAD after the round's last attempt, or at once for a
 * redirect (never followed) or a 4xx answer other than 408/425/429 — log
 * the real error for the operators, and throw so that the queue retries
 * with backoff.
 */
export function createWebhookProcessor(
  config: WebhookProcessorConfig,
  deps: WebhookProcessorDeps,
): (job: JobInfo<WebhookJobPayload>) => Promise<WebhookJobResult> {
  const allowList = config.allowList ?? EMPTY_WEBHOOK_ALLOW_LIST;
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
      const res = await sendWebhookRequest(
        {
          url: send.url,
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
          timeoutMs,
        },
        { allowList, ...(deps.resolve ? { resolve: deps.resolve } : {}) },
      );
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
      const redirect = res.status >= 300 && res.status < 400;
      failure = new WebhookAttemptError(
        `webhook answered HTTP ${res.status}${redirect ? ' (redirects are not followed)' : ''}`,
        'DELIVERY_FAILED',
        redirect ||
          (res.status >= 400 &&
            res.status < 500 &&
            !RETRYABLE_4XX.has(res.status)),
        res.address,
      );
    } catch (error) {
      failure =
        error instanceof WebhookTargetBlockedError
          ? new WebhookAttemptError(
              error.message,
              'TARGET_NOT_ALLOWED',
              true,
              error.address ?? undefined,
            )
          : new WebhookAttemptError(
              `webhook unreachable: ${describeError(error)}`,
              'DELIVERY_FAILED',
              false,
            );
    }
    const dead =
      failure.unrecoverable || job.attemptsMade + 1 >= config.attempts;
    await recordAttempt(
      deps.db,
      deliveryId,
      generation,
      { kind: 'failed', failure: failure.failure, dead },
      clock(),
    );
    // The operators' log: the real error, the target's origin (not its
    // path or query, which may carry a receiver's token) and the address.
    deps.logger?.warn(
      {
        deliveryId,
        webhookId: send.delivery.webhook_id,
        target: originOf(send.url),
        ...(failure.address === undefined ? {} : { address: failure.address }),
        failure: failure.failure,
        attempt: job.attemptsMade + 1,
        dead,
      },
      `alert webhook attempt failed: ${failure.message}`,
    );
    throw failure;
  };
}
