// Resolvers of the emergency department (应急管理局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import { assertStorableText, isStorableText } from '../../kit/src/arguments.js';
import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';
import { isCreditCode } from '../../kit/src/creditCode.js';
import {
  loadReference,
  loadOrThrow,
} from '../../kit/src/loaders/createBatchLoader.js';
import {
  parsePage,
  toConnection,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import { regionPrefix } from '../../kit/src/regions.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import {
  createAlertingLoader,
  createAlertLoader,
  createEnterpriseRiskItemsLoader,
  createRegionAlertsLoader,
  createRegionRiskItemsLoader,
  createResponsibleRiskItemsLoader,
  createRiskCategoryLoader,
  createRiskItemAlertsLoader,
  createRiskItemCountLoader,
  createRiskItemLoader,
  createSectionAlertsLoader,
  listAlerts,
  listRiskCategories,
  listRiskItems,
  type AlertLevel,
  type AlertRow,
  type AlertStatus,
  type RiskCategoryRow,
  type RiskItemRow,
  type RiskLevel,
} from './repository.js';

/** A reference to an Enterprise, which the market subgraph owns. */
export interface EnterpriseReference {
  creditCode: string;
}

/**
 * Pages the suspected enterprises of an alert in memory: the credit codes
 * are an array on the alert's row, so no statement is needed, but the field
 * pages like every other list (parsePage limits and cursors).
 */
export function pageSuspectedEnterprises(
  creditCodes: readonly string[],
  args: PageArgs,
): Connection<EnterpriseReference> {
  const page = parsePage(args);
  return toConnection(
    creditCodes
      .slice(page.offset, page.offset + page.limit)
      .map((creditCode) => ({ creditCode })),
    page,
    creditCodes.length,
  );
}

function categoryLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('emergency.riskCategory', null, () =>
    createRiskCategoryLoader(ctx.db),
  );
}

function riskItemLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('emergency.riskItem', null, () =>
    createRiskItemLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function alertLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('emergency.alert', null, () =>
    createAlertLoader(ctx.db, rowScopeOf(ctx)),
  );
}

/**
 * BAD_USER_INPUT naming `argumentName` unless `code` is the code of a risk
 * category; looked up through the per-request category loader, so that many
 * parents filtering by a category cost one statement together.
 */
async function assertCategory(
  ctx: SubgraphContext,
  code: string,
  argumentName = 'categoryCode',
): Promise<void> {
  const known =
    isStorableText(code) && (await categoryLoader(ctx).load(code)) !== null;
  if (!known) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      code,
      'the code of a risk category (see riskCategories)',
    );
  }
}

/** Keys of an entity this subgraph extends but does not own. */
interface IdReference {
  id: string;
}

/** Risk items by id within the call's row scope, for search hits. */
export function loadRiskItems(
  ctx: SubgraphContext,
  ids: readonly string[],
): Promise<(RiskItemRow | null)[]> {
  return Promise.all(ids.map((id) => riskItemLoader(ctx).load(id)));
}

/** Alerts by id within the call's row scope, for search hits. */
export function loadAlerts(
  ctx: SubgraphContext,
  ids: readonly string[],
): Promise<(AlertRow | null)[]> {
  return Promise.all(ids.map((id) => alertLoader(ctx).load(id)));
}

/** A risk category by code, for search facets. */
export function loadCategory(
  ctx: SubgraphContext,
  code: string,
): Promise<RiskCategoryRow | null> {
  return categoryLoader(ctx).load(code);
}

/** The resolvers of the emergency subgraph's own data (search and alerting add theirs). */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    riskItem: (_: unknown, args: { id: string }, ctx: SubgraphContext) => {
      assertStorableText(args.id, 'id');
      return loadOrThrow(riskItemLoader(ctx), 'RiskItem', args.id);
    },
    riskItems: async (
      _: unknown,
      args: PageArgs & {
        regionCode?: string | null;
        categoryCode?: string | null;
        level?: RiskLevel | null;
      },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const prefix =
        args.regionCode != null ? regionPrefix(args.regionCode) : undefined;
      const categoryCode = args.categoryCode ?? undefined;
      if (categoryCode !== undefined) await assertCategory(ctx, categoryCode);
      return listRiskItems(
        ctx.db,
        rowScopeOf(ctx),
        { regionPrefix: prefix, categoryCode, level: args.level ?? undefined },
        page,
      );
    },
    riskCategory: (
      _: unknown,
      args: { code: string },
      ctx: SubgraphContext,
    ) => {
      assertStorableText(args.code, 'code');
      return loadOrThrow(categoryLoader(ctx), 'RiskCategory', args.code);
    },
    riskCategories: (_: unknown, args: PageArgs, ctx: SubgraphContext) =>
      listRiskCategories(ctx.db, parsePage(args)),
    alert: (_: unknown, args: { id: string }, ctx: SubgraphContext) => {
      assertStorableText(args.id, 'id');
      return loadOrThrow(alertLoader(ctx), 'Alert', args.id);
    },
    alerts: (
      _: unknown,
      args: PageArgs & {
        regionCode?: string | null;
        status?: AlertStatus | null;
        level?: AlertLevel | null;
      },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return listAlerts(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
          status: args.status ?? undefined,
          level: args.level ?? undefined,
        },
        page,
      );
    },
  },
  RiskCategory: {
    responsibleDepartment: (c: RiskCategoryRow) => c.responsible_department,
    riskItemCount: (c: RiskCategoryRow, _: unknown, ctx: SubgraphContext) =>
      ctx.loaders
        .get('emergency.riskItemCount', null, () =>
          createRiskItemCountLoader(ctx.db, rowScopeOf(ctx)),
        )
        .load(c.code),
  },
  RiskItem: {
    __resolveReference: (ref: IdReference, ctx: SubgraphContext) =>
      loadReference(riskItemLoader(ctx), ref.id),
    category: (r: RiskItemRow, _: unknown, ctx: SubgraphContext) =>
      categoryLoader(ctx).load(r.category_code),
    region: (r: RiskItemRow) => ({ code: r.region_code }),
    enterprise: (r: RiskItemRow): EnterpriseReference | null =>
      r.credit_code !== null ? { creditCode: r.credit_code } : null,
    monitoringSection: (r: RiskItemRow): IdReference | null =>
      r.section_id !== null ? { id: r.section_id } : null,
    disposalMeasures: (r: RiskItemRow) => r.disposal_measures,
    status: async (r: RiskItemRow, _: unknown, ctx: SubgraphContext) =>
      (await ctx.loaders
        .get('emergency.alerting', null, () => createAlertingLoader(ctx.db))
        .load(r.id))
        ? 'ALERTING'
        : 'NORMAL',
    responsibleDepartment: async (
      r: RiskItemRow,
      _: unknown,
      ctx: SubgraphContext,
    ) => {
      const category = await categoryLoader(ctx).load(r.category_code);
      if (category === null) {
        throw new Error(`risk item ${r.id} has no category ${r.category_code}`);
      }
      return category.responsible_department;
    },
    responsiblePerson: (r: RiskItemRow) => ({ id: r.responsible_person_id }),
    alerts: (r: RiskItemRow, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('emergency.riskItemAlerts', page, () =>
          createRiskItemAlertsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(r.id);
    },
    updatedAt: (r: RiskItemRow) => r.updated_at.toISOString(),
  },
  Alert: {
    __resolveReference: (ref: IdReference, ctx: SubgraphContext) =>
      loadReference(alertLoader(ctx), ref.id),
    riskItem: (a: AlertRow, _: unknown, ctx: SubgraphContext) =>
      riskItemLoader(ctx).load(a.risk_item_id),
    raisedAt: (a: AlertRow) => a.raised_at.toISOString(),
    monitoringSection: (a: AlertRow): IdReference | null =>
      a.section_id !== null ? { id: a.section_id } : null,
    suspectedEnterprises: (a: AlertRow, args: PageArgs) =>
      pageSuspectedEnterprises(a.suspected_credit_codes, args),
    notifiedParties: (a: AlertRow) => a.notified_parties,
  },
  Region: {
    riskItems: async (
      region: { code: string },
      args: PageArgs & { categoryCode?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const prefix = regionPrefix(region.code, 'code');
      const categoryCode = args.categoryCode ?? undefined;
      if (categoryCode !== undefined) await assertCategory(ctx, categoryCode);
      return ctx.loaders
        .get('emergency.regionRiskItems', { page, categoryCode }, () =>
          createRegionRiskItemsLoader(
            ctx.db,
            rowScopeOf(ctx),
            categoryCode,
            page,
          ),
        )
        .load(prefix);
    },
    alerts: (
      region: { code: string },
      args: PageArgs & { status?: AlertStatus | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const prefix = regionPrefix(region.code, 'code');
      const status = args.status ?? undefined;
      return ctx.loaders
        .get('emergency.regionAlerts', { page, status }, () =>
          createRegionAlertsLoader(ctx.db, rowScopeOf(ctx), status, page),
        )
        .load(prefix);
    },
  },
  MonitoringSection: {
    __resolveReference: (ref: IdReference) =>
      isStorableText(ref.id) ? ref : null,
    alerts: (
      section: IdReference,
      args: PageArgs & { status?: AlertStatus | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const status = args.status ?? undefined;
      return ctx.loaders
        .get('emergency.sectionAlerts', { page, status }, () =>
          createSectionAlertsLoader(ctx.db, rowScopeOf(ctx), status, page),
        )
        .load(section.id);
    },
  },
  Enterprise: {
    // A malformed credit code names no enterprise: null, as for unknown keys.
    __resolveReference: (ref: EnterpriseReference) =>
      isCreditCode(ref.creditCode) ? ref : null,
    riskItems: (
      enterprise: EnterpriseReference,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('emergency.enterpriseRiskItems', page, () =>
          createEnterpriseRiskItemsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(enterprise.creditCode);
    },
  },
  Person: {
    __resolveReference: (ref: IdReference) =>
      isStorableText(ref.id) ? ref : null,
    responsibleFor: (
      person: IdReference,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('emergency.responsibleRiskItems', page, () =>
          createResponsibleRiskItemsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(person.id);
    },
  },
};
