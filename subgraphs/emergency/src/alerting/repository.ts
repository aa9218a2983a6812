// SQL of alerting (the emergency department's alerts, their lifecycle,
// inboxes, webhooks and deliveries); the only file of alerting that holds SQL.
import DataLoader from 'dataloader';

import {
  addRowScope,
  loadPage,
  scopedConditions,
  type Connection,
  type Page,
  type Queryable,
  type RowScope,
} from '../../../kit/src/index.js';
import {
  ALERT_SCOPE,
  RISK_ITEM_SCOPE,
  type AlertLevel,
  type AlertRow,
  type AlertStatus,
  type RiskThresholdRow,
} from '../repository.js';
import type { AlertTransition } from './alertLifecycle.js';

/** The notification channel that wakes the webhook relay. */
export const DELIVERY_CHANNEL = 'emergency_alert_deliveries';

/** Where an alert was delivered. */
export type DeliveryChannel = 'INBOX' | 'WEBHOOK';
/** How far a delivery got. */
export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';
/**
 * Why a webhook delivery's last attempt failed, as its readers see it (the
 * network error itself goes to the operators' log only):
 * `TARGET_NOT_ALLOWED`, the address is not an allowed target and nothing
 * was sent; `DELIVERY_FAILED`, no 2xx answer.
 */
export type DeliveryFailure = 'TARGET_NOT_ALLOWED' | 'DELIVERY_FAILED';

/** One reading an alert was raised from, stored with the GraphQL names. */
export interface AlertReadingRow {
  metric: string;
  value: number;
  unit: string;
  measuredAt: string;
}

/** A suspected upstream source of an alert. */
export interface SuspectedSourceRow {
  /** The PollutionSource id (owned by the environment department). */
  sourceId: string;
  /** Distance upstream of the monitoring section along the river, km. */
  distanceKm: number;
  /** The source's name when the alert was raised, for messages. */
  name: string | null;
  /** Its enterprise's credit code, if it has one. */
  creditCode: string | null;
}

/** The alerting columns of `emergency.alerts`. */
export interface AlertDetailsRow {
  id: string;
  rule: RiskThresholdRow | null;
  triggering_readings: AlertReadingRow[];
  suspected_sources: SuspectedSourceRow[];
  acknowledged_at: Date | null;
  disposed_at: Date | null;
  closed_at: Date | null;
}

/** A row of `emergency.alert_events`. */
export interface AlertEventRow {
  id: string;
  alert_id: string;
  from_status: AlertStatus | null;
  to_status: AlertStatus;
  actor: string;
  comment: string | null;
  at: Date;
}

/** A row of `emergency.alert_deliveries`. */
export interface AlertDeliveryRow {
  id: string;
  alert_id: string;
  channel: DeliveryChannel;
  recipient: string;
  department: string | null;
  region_code: string | null;
  person_id: string | null;
  webhook_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  generation: number;
  failure: DeliveryFailure | null;
  created_at: Date;
  delivered_at: Date | null;
  dead_at: Date | null;
}

/** A row of `emergency.alert_webhooks`, without its secret. */
export interface AlertWebhookRow {
  id: string;
  department: string;
  region_code: string;
  url: string;
  created_by: string;
  created_at: Date;
  removed_at: Date | null;
}

const ALERT_COLUMNS = `a.id, a.risk_item_id, a.level, a.status, a.title,
  a.message, a.raised_at, a.region_code, a.section_id, a.suspected_credit_codes,
  a.notified_parties`;

const DETAIL_COLUMNS = `a.id, a.rule, a.triggering_readings, a.suspected_sources,
  a.acknowledged_at, a.disposed_at, a.closed_at`;

const DELIVERY_COLUMNS = `d.id, d.alert_id, d.channel, d.recipient, d.department,
  d.region_code, d.person_id, d.webhook_id, d.status, d.attempts, d.generation,
  d.failure, d.created_at, d.delivered_at, d.dead_at`;

const WEBHOOK_COLUMNS = `w.id, w.department, w.region_code, w.url, w.created_by,
  w.created_at, w.removed_at`;

/** A department recipient: the department and the region it receives for. */
export interface DepartmentRecipientInput {
  readonly department: string;
  readonly regionCode: string;
  /** `department:<dept>:<region>`. */
  readonly recipient: string;
}

/** Everything an alert is raised with. */
export interface RaiseAlertInput {
  /** The alert id to use when the breach is new. */
  readonly id: string;
  /** The breach's key: one alert per key, ever. */
  readonly evaluationKey: string;
  readonly riskItemId: string;
  readonly level: AlertLevel;
  readonly title: string;
  readonly message: string;
  readonly raisedAt: Date;
  readonly regionCode: string;
  readonly sectionId: string | null;
  readonly suspectedCreditCodes: readonly string[];
  readonly notifiedParties: readonly string[];
  readonly rule: RiskThresholdRow | null;
  readonly triggeringReadings: readonly AlertReadingRow[];
  readonly suspectedSources: readonly SuspectedSourceRow[];
  /** Departments whose inboxes (and webhooks) receive it. */
  readonly departments: readonly DepartmentRecipientInput[];
  /** Persons whose inboxes receive it (the responsible person). */
  readonly personIds: readonly string[];
  /** Who raised it, for the first event. */
  readonly actor: string;
}

/** What {@link raiseAlert} did. */
export interface RaisedAlert {
  /** The alert's id: the new one, or the one raised before for the key. */
  readonly id: string;
  /** False when an alert for the key existed: nothing was written. */
  readonly created: boolean;
  /** Webhook deliveries written (PENDING), for the relay. */
  readonly webhookDeliveries: number;
}

/**
 * Raises an alert with its first event (→ NEW), its inbox deliveries (to
 * the departments and persons, delivered when written) and its webhook
 * deliveries (PENDING, one per active webhook of a recipient department
 * whose region covers the recipient's), all in one transaction. Idempotent
 * per evaluation key: when the key has an alert already, nothing is written
 * and that alert's id is returned. Wakes the webhook relay.
 */
export async function raiseAlert(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  input: RaiseAlertInput,
): Promise<RaisedAlert> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO emergency.alerts (id, risk_item_id, level, status, title,
         message, raised_at, region_code, section_id, suspected_credit_codes,
         notified_parties, rule, triggering_readings, suspected_sources,
         evaluation_key)
       VALUES ($1, $2, $3, 'NEW', $4, $5, $6, $7, $8, $9::text[], $10::text[],
         $11::jsonb, $12::jsonb, $13::jsonb, $14)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        input.id,
        input.riskItemId,
        input.level,
        input.title,
        input.message,
        input.raisedAt.toISOString(),
        input.regionCode,
        input.sectionId,
        [...input.suspectedCreditCodes],
        [...input.notifiedParties],
        input.rule === null ? null : JSON.stringify(input.rule),
        JSON.stringify(input.triggeringReadings),
        JSON.stringify(input.suspectedSources),
        input.evaluationKey,
      ],
    );
    if (inserted.rows.length === 0) {
      const existing = await tx.query<{ id: string }>(
        'SELECT id FROM emergency.alerts WHERE evaluation_key = $1',
        [input.evaluationKey],
      );
      const id = existing.rows[0]?.id;
      if (id === undefined) {
        throw new Error(
          `alert id ${input.id} is taken by an alert of another breach`,
        );
      }
      return { id, created: false, webhookDeliveries: 0 };
    }
    const at = input.raisedAt.toISOString();
    await tx.query(
      `INSERT INTO emergency.alert_events (alert_id, from_status, to_status, actor, comment, at)
       VALUES ($1, NULL, 'NEW', $2, NULL, $3)`,
      [input.id, input.actor, at],
    );

    const inbox = [
      ...input.departments.map((d) => ({
        recipient: d.recipient,
        department: d.department as string | null,
        region: d.regionCode as string | null,
        person: null as string | null,
      })),
      ...input.personIds.map((p) => ({
        recipient: `person:${p}`,
        department: null,
        region: null,
        person: p,
      })),
    ];
    const departments = [
      ...new Set(input.departments.map((d) => d.department)),
    ];
    const { rows: webhooks } = await tx.query<{
      id: string;
      department: string;
      region_code: string;
    }>(
      `SELECT w.id, w.department, w.region_code FROM emergency.alert_webhooks w
        WHERE w.removed_at IS NULL AND w.department = ANY($1::text[])
        ORDER BY w.id`,
      [departments],
    );
    const hooked = webhooks.filter((w) =>
      input.departments.some(
        (d) =>
          d.department === w.department &&
          d.regionCode.startsWith(
            w.region_code === '500000' ? '50' : w.region_code,
          ),
      ),
    );
    const rows = [
      ...inbox.map((r, i) => ({
        id: `${input.id}-I${i + 1}`,
        channel: 'INBOX',
        recipient: r.recipient,
        department: r.department,
        region: r.region,
        person: r.person,
        webhook: null as string | null,
        status: 'DELIVERED',
      })),
      ...hooked.map((w, i) => ({
        id: `${input.id}-W${i + 1}`,
        channel: 'WEBHOOK',
        recipient: w.id,
        department: w.department as string | null,
        region: w.region_code as string | null,
        person: null as string | null,
        webhook: w.id as string | null,
        status: 'PENDING',
      })),
    ];
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO emergency.alert_deliveries (id, alert_id, channel,
           recipient, department, region_code, person_id, webhook_id, status,
           created_at, delivered_at)
         SELECT r.id, $1, r.channel, r.recipient, r.department, r.region,
                r.person, r.webhook, r.status, $2::timestamptz,
                CASE WHEN r.status = 'DELIVERED' THEN $2::timestamptz END
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[])
             AS r(id, channel, recipient, department, region, person, webhook, status)
         ON CONFLICT (alert_id, channel, recipient) DO NOTHING`,
        [
          input.id,
          at,
          rows.map((r) => r.id),
          rows.map((r) => r.channel),
          rows.map((r) => r.recipient),
          rows.map((r) => r.department),
          rows.map((r) => r.region),
          rows.map((r) => r.person),
          rows.map((r) => r.webhook),
          rows.map((r) => r.status),
        ],
      );
    }
    if (hooked.length > 0) {
      await tx.query(`SELECT pg_notify('${DELIVERY_CHANNEL}', '')`);
    }
    return { id: input.id, created: true, webhookDeliveries: hooked.length };
  });
}

/** The current row of an alert, locked for the transaction; null if none. */
async function lockAlert(tx: Queryable, id: string): Promise<AlertRow | null> {
  const { rows } = await tx.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM emergency.alerts a WHERE a.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** The column that records when an alert reached `status`. */
function timestampColumn(status: AlertStatus): string {
  switch (status) {
    case 'ACKNOWLEDGED':
      return 'acknowledged_at';
    case 'DISPOSED':
      return 'disposed_at';
    case 'CLOSED':
      return 'closed_at';
    case 'NEW':
      throw new Error('no transition leads to NEW');
  }
}

/** One lifecycle step to apply. */
export interface TransitionInput {
  readonly alertId: string;
  /**
   * Decides the step from the alert's current status, under the row lock;
   * throws (CONFLICT) when the lifecycle does not allow it.
   */
  readonly plan: (status: AlertStatus) => AlertTransition;
  readonly actor: string;
  readonly comment: string | null;
  readonly at: Date;
}

/**
 * Moves an alert one step along its lifecycle in one transaction: locks
 * it, lets `plan` decide from its current status (a refused step changes
 * nothing), sets the status and the step's timestamp and records the event.
 *
 * @returns the updated alert, or `null` when there is no such alert.
 */
export async function transitionAlert(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  input: TransitionInput,
): Promise<AlertRow | null> {
  return db.transaction(async (tx) => {
    const current = await lockAlert(tx, input.alertId);
    if (current === null) return null;
    const step = input.plan(current.status);
    const at = input.at.toISOString();
    const { rows } = await tx.query<AlertRow>(
      `UPDATE emergency.alerts a SET status = $2, ${timestampColumn(step.to)} = $3
        WHERE a.id = $1
        RETURNING ${ALERT_COLUMNS}`,
      [input.alertId, step.to, at],
    );
    await tx.query(
      `INSERT INTO emergency.alert_events (alert_id, from_status, to_status, actor, comment, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [input.alertId, step.from, step.to, input.actor, input.comment, at],
    );
    return rows[0] ?? null;
  });
}

/** The alerting columns of alerts by id, one statement per batch. */
export function createAlertDetailsLoader(
  db: Queryable,
): DataLoader<string, AlertDetailsRow | null> {
  return new DataLoader<string, AlertDetailsRow | null>(async (ids) => {
    const { rows } = await db.query<AlertDetailsRow>(
      `SELECT ${DETAIL_COLUMNS} FROM emergency.alerts a WHERE a.id = ANY($1::text[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** The events of alerts by alert id, oldest first; one statement per batch. */
export function createAlertEventsLoader(
  db: Queryable,
): DataLoader<string, AlertEventRow[]> {
  return new DataLoader<string, AlertEventRow[]>(async (ids) => {
    const { rows } = await db.query<AlertEventRow>(
      `SELECT e.id::text AS id, e.alert_id, e.from_status, e.to_status, e.actor,
              e.comment, e.at
         FROM emergency.alert_events e
        WHERE e.alert_id = ANY($1::text[])
        ORDER BY e.alert_id, e.id`,
      [ids],
    );
    return groupBy(ids, rows, (r) => r.alert_id);
  });
}

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

function groupBy<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): Row[][] {
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return keys.map((k) => grouped.get(k) ?? []);
}

/**
 * Conditions on `emergency.alerts a` (and the join to add after it) that
 * keep alerts in the call's row scope, as the alert listings do: the
 * alert's own scope, and its risk item's (joined as `r`) when the scope
 * restricts risk items.
 */
function scopedAlertJoin(scope: RowScope | null) {
  const c = scopedConditions(scope, 'Alert', ALERT_SCOPE);
  const item = c.branch();
  const joined = addRowScope(item, scope, 'RiskItem', RISK_ITEM_SCOPE);
  return {
    c,
    join: joined
      ? ` JOIN emergency.risk_items r ON r.id = a.risk_item_id AND ${item.where}`
      : '',
  };
}

/** Whose inbox to list. */
export interface InboxOwner {
  readonly department: string;
  /** From `regionPrefix` of the caller's region. */
  readonly regionPrefix: string;
  /** The caller's subject: deliveries to `person:<subject>` are theirs too. */
  readonly subject: string;
}

/**
 * One page of the inbox deliveries of `owner` (to the department in a
 * region under the prefix, or to the person), of alerts in the row scope,
 * optionally in one status; newest alert first.
 */
export function listInbox(
  db: Queryable,
  scope: RowScope | null,
  owner: InboxOwner,
  status: AlertStatus | undefined,
  page: Page,
): Promise<Connection<AlertDeliveryRow>> {
  const { c, join } = scopedAlertJoin(scope);
  c.add('d.channel = $?', 'INBOX');
  const mine = c.branch();
  mine.add('d.department = $?', owner.department);
  mine.add('d.region_code LIKE $?', `${owner.regionPrefix}%`);
  const person = c.branch();
  person.add('d.person_id = $?', owner.subject);
  c.addAll(`((${mine.where ?? 'FALSE'}) OR (${person.where ?? 'FALSE'}))`, []);
  if (status !== undefined) c.add('a.status = $?', status);
  return loadPage<AlertDeliveryRow>(
    db,
    {
      select: DELIVERY_COLUMNS,
      from: `emergency.alert_deliveries d
             JOIN emergency.alerts a ON a.id = d.alert_id${join}`,
      ...c.listing,
      orderBy: 'a.raised_at DESC, d.id',
    },
    page,
  );
}

/** The inbox recipients of one alert, for the lifecycle's authorization. */
export async function listInboxRecipients(
  db: Queryable,
  alertId: string,
): Promise<
  {
    department: string | null;
    regionCode: string | null;
    personId: string | null;
  }[]
> {
  const { rows } = await db.query<{
    department: string | null;
    region_code: string | null;
    person_id: string | null;
  }>(
    `SELECT d.department, d.region_code, d.person_id
       FROM emergency.alert_deliveries d
      WHERE d.alert_id = $1 AND d.channel = 'INBOX'`,
    [alertId],
  );
  return rows.map((r) => ({
    department: r.department,
    regionCode: r.region_code,
    personId: r.person_id,
  }));
}

/** An alert and the inboxes it was delivered to. */
export interface AlertInboxes {
  readonly id: string;
  readonly title: string;
  readonly level: AlertLevel;
  /** Its inbox deliveries: departments first, then persons. */
  readonly inboxes: readonly {
    /** `department:<dept>:<region>` or `person:<id>`. */
    readonly recipient: string;
    readonly department: string | null;
    readonly regionCode: string | null;
    readonly personId: string | null;
  }[];
}

/**
 * Title, level and inbox recipients of the alerts `ids` (those that exist,
 * in id order): what a report of raised alerts names.
 */
export async function listAlertInboxes(
  db: Queryable,
  ids: readonly string[],
): Promise<AlertInboxes[]> {
  if (ids.length === 0) return [];
  const alerts = await db.query<{
    id: string;
    title: string;
    level: AlertLevel;
  }>(
    `SELECT a.id, a.title, a.level FROM emergency.alerts a
      WHERE a.id = ANY($1::text[]) ORDER BY a.id`,
    [[...ids]],
  );
  const deliveries = await db.query<{
    alert_id: string;
    recipient: string;
    department: string | null;
    region_code: string | null;
    person_id: string | null;
  }>(
    `SELECT d.alert_id, d.recipient, d.department, d.region_code, d.person_id
         FROM emergency.alert_deliveries d
        WHERE d.alert_id = ANY($1::text[]) AND d.channel = 'INBOX'
      ORDER BY d.alert_id, d.person_id IS NOT NULL, d.id`,
    [[...ids]],
  );
  const grouped = groupBy(
    alerts.rows.map((a) => a.id),
    deliveries.rows,
    (d) => d.alert_id,
  );
  return alerts.rows.map((a, i) => ({
    id: a.id,
    title: a.title,
    level: a.level,
    inboxes: (grouped[i] ?? []).map((d) => ({
      recipient: d.recipient,
      department: d.department,
      regionCode: d.region_code,
      personId: d.person_id,
    })),
  }));
}

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
    `SELECT d.id, d.generation FROM emergency.alert_deliveries d
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
    `SELECT row_to_json(d) AS delivery, w.url, w.secret, row_to_json(a) AS alert
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

/** A risk item the evaluator watches, with its category's department. */
export interface WatchedRiskItemRow {
  id: string;
  name: string;
  category_code: string;
  category_name: string;
  /** The category's domain (生态环境, 安全生产, …): who is responsible. */
  domain: string;
  region_code: string;
  section_id: string;
  thresholds: RiskThresholdRow[];
  responsible_person_id: string;
}

/**
 * The risk items that watch a monitoring section with at least one
 * threshold on one of `metrics` (only those of `riskItemIds` when given),
 * in id order.
 */
export async function listWatchedRiskItems(
  db: Queryable,
  metrics: readonly string[],
  riskItemIds?: readonly string[],
): Promise<WatchedRiskItemRow[]> {
  const { rows } = await db.query<WatchedRiskItemRow>(
    `SELECT r.id, r.name, r.category_code, c.name AS category_name,
            c.domain, r.region_code, r.section_id,
            r.thresholds, r.responsible_person_id
       FROM emergency.risk_items r
       JOIN emergency.risk_categories c ON c.code = r.category_code
      WHERE r.section_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.thresholds) t
                     WHERE t->>'metric' = ANY($1::text[]))
        AND ($2::text[] IS NULL OR r.id = ANY($2::text[]))
      ORDER BY r.id`,
    [[...metrics], riskItemIds === undefined ? null : [...riskItemIds]],
  );
  return rows;
}

/** Which of the evaluation keys have an alert already. */
export async function findRaisedKeys(
  db: Queryable,
  keys: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.query<{ evaluation_key: string }>(
    `SELECT a.evaluation_key FROM emergency.alerts a
      WHERE a.evaluation_key = ANY($1::text[])`,
    [[...keys]],
  );
  return new Set(rows.map((r) => r.evaluation_key));
}
