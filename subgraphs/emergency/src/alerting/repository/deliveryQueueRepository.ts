// SQL of the webhook relay and the delivery jobs: which rounds of webhook
// deliveries still have to be queued, what sending one needs, and the
// record of every attempt.
import type { Queryable } from '../../../../kit/src/db/Database.js';
import type { AlertRow } from '../../repository.js';
import type {
  AlertDeliveryRow,
  AlertDetailsRow,
  DeliveryFailure,
} from './rows.js';

/** The columns of a {@link PendingDelivery}. */
export const PENDING_DELIVERY_COLUMNS = 'd.id, d.generation';

/** The columns of a {@link WebhookSendRow}, the rows as JSON. */
export const WEBHOOK_SEND_COLUMNS =
  'row_to_json(d) AS delivery, w.url, w.secret, row_to_json(a) AS alert';

/** A PENDING webhook delivery whose current round has not been queued. */
export interface PendingDelivery {
  readonly id: string;
  readonly generation: number;
}

/**
 * PENDING webhook deliveries whose current round was not queued yet,
 * oldest first.
 */
export async function listPendingWebhookDeliveries(
  db: Queryable,
  limit: number,
): Promise<PendingDelivery[]> {
  const { rows } = await db.query<PendingDelivery>(
    `SELECT ${PENDING_DELIVERY_COLUMNS} FROM emergency.alert_deliveries d
      WHERE d.channel = 'WEBHOOK' AND d.status = 'PENDING'
        AND d.enqueued_generation < d.generation
      ORDER BY d.id
      LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * Marks every PENDING webhook delivery as not queued: after a restart (or
 * a lost notification connection) the queue may not hold their jobs.
 */
export async function requeuePendingDeliveries(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE emergency.alert_deliveries d SET enqueued_generation = 0
      WHERE d.channel = 'WEBHOOK' AND d.status = 'PENDING'
        AND d.enqueued_generation > 0`,
  );
}

/** Records that the given rounds were queued. */
export async function markEnqueued(
  db: Queryable,
  deliveries: readonly PendingDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await db.query(
    `UPDATE emergency.alert_deliveries d
        SET enqueued_generation = GREATEST(d.enqueued_generation, q.generation)
       FROM unnest($1::text[], $2::int[]) AS q(id, generation)
      WHERE d.id = q.id`,
    [deliveries.map((d) => d.id), deliveries.map((d) => d.generation)],
  );
}

/** What sending one webhook delivery needs. */
export interface WebhookSendRow {
  delivery: AlertDeliveryRow;
  url: string;
  secret: string;
  alert: AlertRow & AlertDetailsRow;
}

/** Loads a webhook delivery with its webhook's URL and secret and its alert. */
export async function loadWebhookSend(
  db: Queryable,
  deliveryId: string,
): Promise<WebhookSendRow | null> {
  const { rows } = await db.query<{
    delivery: AlertDeliveryRow;
    url: string;
    secret: string;
    alert: Record<string, unknown>;
  }>(
    `SELECT ${WEBHOOK_SEND_COLUMNS}
       FROM emergency.alert_deliveries d
       JOIN emergency.alert_webhooks w ON w.id = d.webhook_id
       JOIN emergency.alerts a ON a.id = d.alert_id
      WHERE d.id = $1`,
    [deliveryId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  const dates = (o: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === 'string') o[k] = new Date(v);
    }
  };
  const delivery = row.delivery as unknown as Record<string, unknown>;
  dates(delivery, ['created_at', 'delivered_at', 'dead_at']);
  dates(row.alert, [
    'raised_at',
    'acknowledged_at',
    'disposed_at',
    'closed_at',
  ]);
  return {
    delivery: delivery as unknown as AlertDeliveryRow,
    url: row.url,
    secret: row.secret,
    alert: row.alert as unknown as AlertRow & AlertDetailsRow,
  };
}

/** The outcome of one attempt of a webhook delivery. */
export type AttemptOutcome =
  | { readonly kind: 'delivered' }
  | {
      readonly kind: 'failed';
      readonly failure: DeliveryFailure;
      readonly dead: boolean;
    };

/**
 * Records one attempt of round `generation` of a webhook delivery:
 * DELIVERED, or the failure (and DEAD after the last attempt). An attempt of
 * an older round, or of a delivery no longer PENDING, changes nothing.
 *
 * @returns whether the attempt was recorded
 */
export async function recordAttempt(
  db: Queryable,
  deliveryId: string,
  generation: number,
  outcome: AttemptOutcome,
  at: Date,
): Promise<boolean> {
  const { rows } =
    outcome.kind === 'delivered'
      ? await db.query(
          `UPDATE emergency.alert_deliveries d
              SET status = 'DELIVERED', attempts = d.attempts + 1,
                  delivered_at = $3, failure = NULL
            WHERE d.id = $1 AND d.generation = $2 AND d.status = 'PENDING'
            RETURNING d.id`,
          [deliveryId, generation, at.toISOString()],
        )
      : await db.query(
          `UPDATE emergency.alert_deliveries d
              SET attempts = d.attempts + 1, failure = $3,
                  status = CASE WHEN $4::boolean THEN 'DEAD' ELSE 'PENDING' END,
                  dead_at = CASE WHEN $4::boolean THEN $5::timestamptz END
            WHERE d.id = $1 AND d.generation = $2 AND d.status = 'PENDING'
            RETURNING d.id`,
          [
            deliveryId,
            generation,
            outcome.failure,
            outcome.dead,
            at.toISOString(),
          ],
        );
  return rows.length > 0;
}
