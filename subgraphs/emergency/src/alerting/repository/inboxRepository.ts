// SQL of the inboxes: the inbox deliveries of a department or person, and
// the inbox recipients of an alert.
import {
  addRowScope,
  scopedConditions,
} from '../../../../kit/src/rowScope/compileRowScope.js';
import {
  loadPage,
  type Connection,
  type Page,
} from '../../../../kit/src/pagination.js';
import type { Queryable } from '../../../../kit/src/db/Database.js';
import type { RowScope } from '../../../../../policies/src/scope/RowScope.js';
import {
  ALERT_SCOPE,
  RISK_ITEM_SCOPE,
  type AlertLevel,
  type AlertStatus,
} from '../../repository.js';
import { DELIVERY_COLUMNS, groupBy, type AlertDeliveryRow } from './rows.js';

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

/** Who received an alert in an inbox. */
export const INBOX_RECIPIENT_COLUMNS =
  'd.department, d.region_code, d.person_id';

/** What a report of raised alerts names of an alert. */
export const ALERT_SUMMARY_COLUMNS = 'a.id, a.title, a.level';

/** What a report of raised alerts names of an inbox delivery. */
export const INBOX_DELIVERY_COLUMNS =
  'd.alert_id, d.recipient, d.department, d.region_code, d.person_id';

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
    `SELECT ${INBOX_RECIPIENT_COLUMNS}
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
    `SELECT ${ALERT_SUMMARY_COLUMNS} FROM emergency.alerts a
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
    `SELECT ${INBOX_DELIVERY_COLUMNS}
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
