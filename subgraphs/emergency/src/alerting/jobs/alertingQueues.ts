// Queue names and payloads of alerting's jobs, shared by producers and
// workers.

/** The queue of webhook deliveries: one job per round of a delivery. */
export const ALERT_WEBHOOK_QUEUE = 'alert-webhooks';

/** The queue of evaluator runs (repeatable on Redis). */
export const ALERT_EVALUATION_QUEUE = 'alert-evaluation';

/** The job scheduler id of the repeatable evaluation. */
export const ALERT_EVALUATION_SCHEDULER_ID = 'alert-evaluation-schedule';

/** The job name of an evaluator run. */
export const ALERT_EVALUATION_JOB = 'evaluate';

/** The job name of a webhook delivery. */
export const ALERT_WEBHOOK_JOB = 'deliver';

/** One round of attempts of one webhook delivery. */
export interface WebhookJobPayload {
  readonly deliveryId: string;
  /** The delivery's round (`generation`); an older round's job is void. */
  readonly generation: number;
}

/** What a webhook job did. */
export interface WebhookJobResult {
  /** `skipped`: the delivery was no longer PENDING in this round. */
  readonly outcome: 'delivered' | 'skipped';
  /** The receiver's HTTP status, when delivered. */
  readonly status?: number;
}

/** An evaluator run; `now` (ISO 8601) defaults to the worker's clock. */
export interface EvaluationJobPayload {
  readonly now?: string;
}

/**
 * The job id of one round of a delivery, so that queueing a round twice
 * (the relay after a restart) adds one job.
 */
export function webhookJobId(deliveryId: string, generation: number): string {
  return `alert-delivery-${deliveryId.replaceAll(':', '_')}-g${generation}`;
}
