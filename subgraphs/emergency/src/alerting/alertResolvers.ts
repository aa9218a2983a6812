// Resolvers of the alert parts of the emergency schema: the inbox, the
// lifecycle mutations, webhooks and their dead letters, and the alerting
// fields of Alert. Merged into the subgraph's resolver map in resolvers.ts.
import { randomUUID } from 'node:crypto';

import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import { assertStorableText } from '../../../kit/src/arguments.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../../kit/src/errors/GraphQLErrorWithCode.js';
import { loadOrThrow } from '../../../kit/src/loaders/createBatchLoader.js';
import { parsePage, type PageArgs } from '../../../kit/src/pagination.js';
import { regionPrefix } from '../../../kit/src/regions.js';
import { rowScopeOf } from '../../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../../kit/src/createSubgraph.js';
import {
  createAlertLoader,
  type AlertRow,
  type AlertStatus,
} from '../repository.js';
import {
  parseComment,
  planTransition,
  type AlertAction,
} from './alertLifecycle.js';
import {
  alertActorOf,
  isDutyOfficerFor,
  receives,
  type AlertActor,
} from './alertPrincipal.js';
import { transitionAlert } from './repository/alertLifecycleRepository.js';
import {
  createAlertDetailsLoader,
  createAlertEventsLoader,
} from './repository/alertRepository.js';
import {
  createAlertDeliveriesLoader,
  findOwnedWebhookDelivery,
  listDeadDeliveries,
  restartDelivery,
} from './repository/deliveryRepository.js';
import {
  listInbox,
  listInboxRecipients,
} from './repository/inboxRepository.js';
import type {
  AlertDeliveryRow,
  AlertDetailsRow,
  AlertEventRow,
  AlertWebhookRow,
  DeliveryFailure,
  SuspectedSourceRow,
} from './repository/rows.js';
import {
  insertWebhook,
  listWebhooks,
  removeWebhook,
  type WebhookOwner,
} from './repository/webhookRepository.js';
import { generateWebhookSecret } from './webhookSignature.js';
import {
  EMPTY_WEBHOOK_ALLOW_LIST,
  type WebhookAllowList,
} from './webhookTargets.js';
import { parseWebhookUrl } from './webhookUrl.js';

/** The rule id of FORBIDDEN answers to alert operations. */
export const ALERT_RECIPIENTS_RULE = 'alert-recipients-only';

function alertLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('emergency.alert', null, () =>
    createAlertLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function detailsLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('emergency.alertDetails', null, () =>
    createAlertDetailsLoader(ctx.db),
  );
}

async function details(
  alert: AlertRow,
  ctx: SubgraphContext,
): Promise<AlertDetailsRow | null> {
  return detailsLoader(ctx).load(alert.id);
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** The webhooks the actor manages: their department's, within their region. */
function webhookOwner(actor: AlertActor): WebhookOwner {
  return {
    department: actor.department,
    regionPrefix: regionPrefix(actor.regionCode),
  };
}

/** FORBIDDEN for an algorithm identity: alerts are handled by people. */
function assertPerson(actor: AlertActor, what: string): void {
  if (actor.filingId !== undefined) {
    throw new ForbiddenError(
      `An algorithm identity (filing ${actor.filingId}) may not ${what}: alerts are handled by the departments' staff.`,
      ALERT_RECIPIENTS_RULE,
    );
  }
}

/**
 * FORBIDDEN unless `actor` may handle `alert`: a recipient of it (their
 * department's inbox in a region their region covers, or their own inbox
 * as the responsible person) or an emergency duty officer of its region.
 */
async function assertMayHandle(
  ctx: SubgraphContext,
  actor: AlertActor,
  alert: AlertRow,
  action: AlertAction,
): Promise<void> {
  assertPerson(actor, `${action} alerts`);
  if (isDutyOfficerFor(actor, alert.region_code)) return;
  const recipients = await listInboxRecipients(ctx.db, alert.id);
  if (recipients.some((r) => receives(actor, r))) return;
  throw new ForbiddenError(
    `Only the recipients of alert ${alert.id} (the departments and persons it was delivered to, within their region) and the emergency duty officers of its region may ${action} it; ${actor.subject} (${actor.department}, ${actor.regionCode}) is not one.`,
    ALERT_RECIPIENTS_RULE,
    { alertId: alert.id, action },
  );
}

/** One lifecycle mutation: checks, then the step in one transaction. */
async function step(
  ctx: SubgraphContext,
  action: AlertAction,
  args: { id: string; comment?: string | null },
): Promise<AlertRow> {
  assertStorableText(args.id, 'id');
  const actor = alertActorOf(ctx);
  const comment = parseComment(action, args.comment);
  const alert = await loadOrThrow(alertLoader(ctx), 'Alert', args.id);
  await assertMayHandle(ctx, actor, alert, action);
  const updated = await transitionAlert(ctx.db, {
    alertId: alert.id,
    plan: (status) => planTransition(alert.id, status, action),
    actor: actor.subject,
    comment,
    at: new Date(),
  });
  if (updated === null) throw NotFoundError.of('Alert', args.id);
  return updated;
}

/** Configuration of {@link createAlertResolvers}. */
export interface AlertResolversConfig {
  /**
   * Webhook targets allowed besides public addresses over https (see
   * `parseWebhookAllowList`).
   * @defaultValue EMPTY_WEBHOOK_ALLOW_LIST
   */
  readonly webhookAllowList?: WebhookAllowList;
}

/** The neutral sentence readers see for each delivery failure. */
const FAILURE_TEXT: Readonly<Record<DeliveryFailure, string>> = {
  TARGET_NOT_ALLOWED:
    'not sent: the webhook’s address is not an allowed delivery target',
  DELIVERY_FAILED: 'not delivered: the receiver did not accept the delivery',
};

/** The resolvers of the alert parts of the emergency schema. */
export function createAlertResolvers(
  config: AlertResolversConfig = {},
): GraphQLResolverMap<SubgraphContext> {
  const webhookAllowList = config.webhookAllowList ?? EMPTY_WEBHOOK_ALLOW_LIST;
  return {
    Query: {
      alertInbox: (
        _: unknown,
        args: PageArgs & { status?: AlertStatus | null },
        ctx: SubgraphContext,
      ) => {
        const page = parsePage(args);
        const actor = alertActorOf(ctx);
        return listInbox(
          ctx.db,
          rowScopeOf(ctx),
          {
            department: actor.department,
            regionPrefix: regionPrefix(actor.regionCode),
            subject: actor.subject,
          },
          args.status ?? undefined,
          page,
        );
      },
      alertWebhooks: (_: unknown, __: unknown, ctx: SubgraphContext) =>
        listWebhooks(ctx.db, webhookOwner(alertActorOf(ctx))),
      deadAlertDeliveries: (
        _: unknown,
        args: PageArgs,
        ctx: SubgraphContext,
      ) => {
        const page = parsePage(args);
        return listDeadDeliveries(
          ctx.db,
          webhookOwner(alertActorOf(ctx)),
          page,
        );
      },
    },
    Mutation: {
      acknowledgeAlert: (
        _: unknown,
        args: { id: string; comment?: string | null },
        ctx: SubgraphContext,
      ) => step(ctx, 'acknowledge', args),
      disposeAlert: (
        _: unknown,
        args: { id: string; comment: string },
        ctx: SubgraphContext,
      ) => step(ctx, 'dispose', args),
      closeAlert: (
        _: unknown,
        args: { id: string; comment?: string | null },
        ctx: SubgraphContext,
      ) => step(ctx, 'close', args),
      registerAlertWebhook: async (
        _: unknown,
        args: { url: string },
        ctx: SubgraphContext,
      ) => {
        const actor = alertActorOf(ctx);
        assertPerson(actor, 'register alert webhooks');
        const url = parseWebhookUrl(args.url, webhookAllowList);
        const secret = generateWebhookSecret();
        const webhook = await insertWebhook(ctx.db, {
          id: `WH-${randomUUID()}`,
          department: actor.department,
          regionCode: actor.regionCode,
          url,
          secret,
          createdBy: actor.subject,
          createdAt: new Date(),
        });
        return { webhook, secret };
      },
      removeAlertWebhook: async (
        _: unknown,
        args: { id: string },
        ctx: SubgraphContext,
      ) => {
        assertStorableText(args.id, 'id');
        const actor = alertActorOf(ctx);
        assertPerson(actor, 'remove alert webhooks');
        if (
          !(await removeWebhook(
            ctx.db,
            webhookOwner(actor),
            args.id,
            new Date(),
          ))
        ) {
          throw NotFoundError.of('AlertWebhook', args.id);
        }
        return true;
      },
      redeliverAlert: async (
        _: unknown,
        args: { deliveryId: string },
        ctx: SubgraphContext,
      ) => {
        assertStorableText(args.deliveryId, 'deliveryId');
        const actor = alertActorOf(ctx);
        assertPerson(actor, 'redeliver alerts');
        const delivery = await findOwnedWebhookDelivery(
          ctx.db,
          webhookOwner(actor),
          args.deliveryId,
        );
        if (delivery === null) {
          throw NotFoundError.of('AlertDelivery', args.deliveryId);
        }
        const restarted =
          delivery.status === 'DEAD'
            ? await restartDelivery(ctx.db, delivery.id)
            : null;
        if (restarted === null) {
          throw new ConflictError(
            `Delivery ${delivery.id} is ${delivery.status}: only a DEAD webhook delivery can be sent again.`,
            { deliveryId: delivery.id, status: delivery.status },
          );
        }
        return restarted;
      },
    },
    Alert: {
      rule: async (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        (await details(a, ctx))?.rule ?? null,
      triggeringReadings: async (
        a: AlertRow,
        _: unknown,
        ctx: SubgraphContext,
      ) => (await details(a, ctx))?.triggering_readings ?? [],
      suspectedSources: async (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        ((await details(a, ctx))?.suspected_sources ?? []).map(
          (s: SuspectedSourceRow) => ({
            source: { id: s.sourceId },
            distanceKm: s.distanceKm,
          }),
        ),
      acknowledgedAt: async (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        iso((await details(a, ctx))?.acknowledged_at),
      disposedAt: async (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        iso((await details(a, ctx))?.disposed_at),
      closedAt: async (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        iso((await details(a, ctx))?.closed_at),
      events: (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        ctx.loaders
          .get('emergency.alertEvents', null, () =>
            createAlertEventsLoader(ctx.db),
          )
          .load(a.id),
      deliveries: (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
        ctx.loaders
          .get('emergency.alertDeliveries', null, () =>
            createAlertDeliveriesLoader(ctx.db),
          )
          .load(a.id),
    },
    AlertEvent: {
      from: (e: AlertEventRow) => e.from_status,
      to: (e: AlertEventRow) => e.to_status,
      at: (e: AlertEventRow) => e.at.toISOString(),
    },
    AlertDelivery: {
      alert: (d: AlertDeliveryRow, _: unknown, ctx: SubgraphContext) =>
        loadOrThrow(alertLoader(ctx), 'Alert', d.alert_id),
      // Readers see a state (`failure`, a column), never the network error
      // (operators' log only).
      lastError: (d: AlertDeliveryRow) =>
        d.failure === null ? null : FAILURE_TEXT[d.failure],
      createdAt: (d: AlertDeliveryRow) => d.created_at.toISOString(),
      deliveredAt: (d: AlertDeliveryRow) => iso(d.delivered_at),
    },
    AlertWebhook: {
      createdAt: (w: AlertWebhookRow) => w.created_at.toISOString(),
    },
  };
}
