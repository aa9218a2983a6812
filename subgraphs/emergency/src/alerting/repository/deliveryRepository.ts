// SQL of the deliveries as their readers see them: the deliveries of an
// alert, the dead letters of a department's webhooks, and a new round of a
// dead delivery.
import DataLoader from 'dataloader';

import {
  loadPage,
  type Connection,
  type Page,
} from '../../../../kit/src/pagination.js';
import type { Queryable } from '../../../../kit/src/db/Database.js';
import {
  DELIVERY_CHANNEL,
  DELIVERY_COLUMNS,
  groupBy,
  type AlertDeliveryRow,
} from './rows.js';
import type { WebhookOwner } from './webhookRepository.js';

/** The deliveries of alerts by alert id, in id order; one statement per batch. */
export function createAlertDeliveriesLoader(
  db: Queryable,
): DataLoader<string, AlertDeliveryRow[]> {
  return new DataLoader<string, AlertDeliveryRow[]>(async (ids) => {
    const { rows } = await db.query<AlertDeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM emergency.alert_deliveries d
        WHERE d.alert_id = ANY($1::text[])
        ORDER BY d.alert_id, d.channel, d.id`,
      [ids],
    );
    return groupBy(ids, rows, (r) => r.alert_id);
  });
}

/**
 * One page of the dead webhook deliveries of the owner's webhooks (removed
 * ones included), newest failure first.
 */
export function listDeadDeliveries(
  db: Queryable,
  owner: WebhookOwner,
  page: Page,
): Promise<Connection<AlertDeliveryRow>> {
  return loadPage<AlertDeliveryRow>(
    db,
    {
      select: DELIVERY_COLUMNS,
      from: `emergency.alert_deliveries d
             JOIN emergency.alert_webhooks w ON w.id = d.webhook_id`,
      where: `d.status = 'DEAD' AND w.department = $1 AND w.region_code LIKE $2`,
      values: [owner.department, `${owner.regionPrefix}%`],
      orderBy: 'd.dead_at DESC, d.id',
    },
    page,
  );
}

/** Loads one delivery of the owner's webhooks; null when there is none. */
export async function findOwnedWebhookDelivery(
  db: Queryable,
  owner: WebhookOwner,
  deliveryId: string,
): Promise<AlertDeliveryRow | null> {
  const { rows } = await db.query<AlertDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM emergency.alert_deliveries d
       JOIN emergency.alert_webhooks w ON w.id = d.webhook_id
      WHERE d.id = $1 AND w.department = $2 AND w.region_code LIKE $3`,
    [deliveryId, owner.department, `${owner.regionPrefix}%`],
  );
  return rows[0] ?? null;
}

/**
 * Starts a new round of attempts of a DEAD webhook delivery: PENDING again,
 * next generation; wakes the relay.
 *
 * @returns the updated delivery, or `null` when it is not DEAD (nothing
 *   changed).
 */
export async function restartDelivery(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  deliveryId: string,
): Promise<AlertDeliveryRow | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<AlertDeliveryRow>(
      `UPDATE emergency.alert_deliveries d
          SET status = 'PENDING', generation = d.generation + 1, dead_at = NULL
        WHERE d.id = $1 AND d.status = 'DEAD' AND d.channel = 'WEBHOOK'
        RETURNING ${DELIVERY_COLUMNS}`,
      [deliveryId],
    );
    if (rows.length > 0) {
      await tx.query(`SELECT pg_notify('${DELIVERY_CHANNEL}', '')`);
    }
    return rows[0] ?? null;
  });
}

/** Deliveries by id, one statement per batch (for redeliverAlert's answer). */
export async function findDelivery(
  db: Queryable,
  id: string,
): Promise<AlertDeliveryRow | null> {
  const { rows } = await db.query<AlertDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM emergency.alert_deliveries d WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
