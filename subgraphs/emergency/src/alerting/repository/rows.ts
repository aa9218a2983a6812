// The rows of alerting's tables (`emergency.alerts`' alerting columns,
// `alert_events`, `alert_deliveries`, `alert_webhooks`) and their column
// lists, shared by the repositories of this folder — the only files of
// alerting that hold SQL. tests/unit/subgraphs/columnLists.test.ts checks
// every `*_COLUMNS` list against the migrations.
import type { AlertStatus, RiskThresholdRow } from '../../repository.js';

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

/**
 * The tables behind the aliases of the column lists (the exported
 * `*_COLUMNS`) of this folder's repositories.
 */
export const COLUMN_ALIASES = {
  a: 'emergency.alerts',
  e: 'emergency.alert_events',
  d: 'emergency.alert_deliveries',
  w: 'emergency.alert_webhooks',
  r: 'emergency.risk_items',
  c: 'emergency.risk_categories',
} as const;

/** The columns of an {@link AlertDetailsRow}. */
export const ALERT_DETAIL_COLUMNS = `a.id, a.rule, a.triggering_readings, a.suspected_sources,
  a.acknowledged_at, a.disposed_at, a.closed_at`;

/** The columns of an {@link AlertEventRow}. */
export const ALERT_EVENT_COLUMNS = `e.id::text AS id, e.alert_id, e.from_status, e.to_status, e.actor,
  e.comment, e.at`;

/** The columns of an {@link AlertDeliveryRow}. */
export const DELIVERY_COLUMNS = `d.id, d.alert_id, d.channel, d.recipient, d.department,
  d.region_code, d.person_id, d.webhook_id, d.status, d.attempts, d.generation,
  d.failure, d.created_at, d.delivered_at, d.dead_at`;

/** The columns of an {@link AlertWebhookRow}. */
export const WEBHOOK_COLUMNS = `w.id, w.department, w.region_code, w.url, w.created_by,
  w.created_at, w.removed_at`;

/** Rows grouped by key, one (possibly empty) list per key of `keys`. */
export function groupBy<Row>(
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
