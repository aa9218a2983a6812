// SQL of the alerts themselves: raising one (with its first event and its
// deliveries, in one transaction) and the loaders of its alerting columns
// and events; its lifecycle steps are in alertLifecycleRepository.ts.
import DataLoader from 'dataloader';

import type { Queryable } from '../../../../kit/src/db/Database.js';
import type { AlertLevel, RiskThresholdRow } from '../../repository.js';
import {
  ALERT_DETAIL_COLUMNS,
  ALERT_EVENT_COLUMNS,
  DELIVERY_CHANNEL,
  groupBy,
  type AlertDetailsRow,
  type AlertEventRow,
  type AlertReadingRow,
  type SuspectedSourceRow,
} from './rows.js';

/** What raising an alert reads of the webhooks it delivers to. */
export const WEBHOOK_TARGET_COLUMNS = 'w.id, w.department, w.region_code';

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
      `SELECT ${WEBHOOK_TARGET_COLUMNS} FROM emergency.alert_webhooks w
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

/** The alerting columns of alerts by id, one statement per batch. */
export function createAlertDetailsLoader(
  db: Queryable,
): DataLoader<string, AlertDetailsRow | null> {
  return new DataLoader<string, AlertDetailsRow | null>(async (ids) => {
    const { rows } = await db.query<AlertDetailsRow>(
      `SELECT ${ALERT_DETAIL_COLUMNS} FROM emergency.alerts a WHERE a.id = ANY($1::text[])`,
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
      `SELECT ${ALERT_EVENT_COLUMNS}
         FROM emergency.alert_events e
        WHERE e.alert_id = ANY($1::text[])
        ORDER BY e.alert_id, e.id`,
      [ids],
    );
    return groupBy(ids, rows, (r) => r.alert_id);
  });
}
