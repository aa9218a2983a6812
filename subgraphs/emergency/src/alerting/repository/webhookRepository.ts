// SQL of the webhooks a department registers.
import type { Queryable } from '../../../../kit/src/db/Database.js';
import { WEBHOOK_COLUMNS, type AlertWebhookRow } from './rows.js';

/** A new webhook. */
export interface WebhookInput {
  readonly id: string;
  readonly department: string;
  readonly regionCode: string;
  readonly url: string;
  readonly secret: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** Registers a webhook; returns its row (without the secret). */
export async function insertWebhook(
  db: Queryable,
  input: WebhookInput,
): Promise<AlertWebhookRow> {
  const { rows } = await db.query<AlertWebhookRow>(
    `INSERT INTO emergency.alert_webhooks AS w (id, department, region_code, url,
       secret, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${WEBHOOK_COLUMNS}`,
    [
      input.id,
      input.department,
      input.regionCode,
      input.url,
      input.secret,
      input.createdBy,
      input.createdAt.toISOString(),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT returned no webhook');
  return row;
}

/** Whose webhooks: a department, within a region prefix. */
export interface WebhookOwner {
  readonly department: string;
  /** From `regionPrefix` of the caller's region. */
  readonly regionPrefix: string;
}

/** The active webhooks of a department registered within the prefix. */
export async function listWebhooks(
  db: Queryable,
  owner: WebhookOwner,
): Promise<AlertWebhookRow[]> {
  const { rows } = await db.query<AlertWebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM emergency.alert_webhooks w
      WHERE w.department = $1 AND w.region_code LIKE $2 AND w.removed_at IS NULL
      ORDER BY w.created_at, w.id`,
    [owner.department, `${owner.regionPrefix}%`],
  );
  return rows;
}

/**
 * Removes an active webhook of the owner: later alerts are not sent to it.
 * @returns false when the owner has no such active webhook
 */
export async function removeWebhook(
  db: Queryable,
  owner: WebhookOwner,
  id: string,
  at: Date,
): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE emergency.alert_webhooks w SET removed_at = $4
      WHERE w.id = $1 AND w.department = $2 AND w.region_code LIKE $3
        AND w.removed_at IS NULL
      RETURNING w.id`,
    [id, owner.department, `${owner.regionPrefix}%`, at.toISOString()],
  );
  return rows.length > 0;
}
