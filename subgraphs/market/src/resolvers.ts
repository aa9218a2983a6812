// Resolvers of the market department (市场监管局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';
import { isCreditCode } from '../../kit/src/creditCode.js';
import { loadOrThrow } from '../../kit/src/loaders/createBatchLoader.js';
import { parsePage, type PageArgs } from '../../kit/src/pagination.js';
import { regionPrefix } from '../../kit/src/regions.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import {
  createEnterpriseLoader,
  createRegionEnterprisesLoader,
  createRepresentedEnterprisesLoader,
  createViolationsLoader,
  listEnterprises,
  type EnterpriseRow,
  type ViolationRow,
} from './repository.js';

/** BAD_USER_INPUT unless `code` is a valid unified social credit code. */
export function assertCreditCode(
  code: string,
  argumentName = 'creditCode',
): void {
  if (!isCreditCode(code)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      code,
      'an 18-character unified social credit code (GB 32100-2015) with a valid check character',
    );
  }
}

function enterpriseLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('market.enterprise', null, () =>
    createEnterpriseLoader(ctx.db, rowScopeOf(ctx)),
  );
}

interface EnterpriseReference {
  creditCode: string;
}

export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    enterprise: (
      _: unknown,
      args: { creditCode: string },
      ctx: SubgraphContext,
    ) => {
      assertCreditCode(args.creditCode);
      return loadOrThrow(enterpriseLoader(ctx), 'Enterprise', args.creditCode);
    },
    enterprises: (
      _: unknown,
      args: PageArgs & {
        regionCode?: string | null;
        industry?: string | null;
        nameContains?: string | null;
      },
      ctx: SubgraphContext,
    ) =>
      listEnterprises(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
          industry: args.industry ?? undefined,
          nameContains: args.nameContains ?? undefined,
        },
        parsePage(args),
      ),
  },
  Enterprise: {
    __resolveReference: (ref: EnterpriseReference, ctx: SubgraphContext) =>
      enterpriseLoader(ctx).load(ref.creditCode),
    creditCode: (e: EnterpriseRow) => e.credit_code,
    registeredCapitalWan: (e: EnterpriseRow) => e.registered_capital_wan,
    establishedOn: (e: EnterpriseRow) => e.established_on,
    region: (e: EnterpriseRow) => ({ code: e.region_code }),
    legalRepresentative: (e: EnterpriseRow) => ({ id: e.legal_rep_person_id }),
    creditGrade: (e: EnterpriseRow) => e.credit_grade,
    licence: (e: EnterpriseRow) => ({
      number: e.licence_number,
      issuedOn: e.licence_issued_on,
      validUntil: e.licence_valid_until,
      businessScope: e.business_scope,
      issuingAuthority: e.issuing_authority,
    }),
    violations: (e: EnterpriseRow, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      const scope = rowScopeOf(ctx);
      return ctx.loaders
        .get('market.violations', page, () =>
          createViolationsLoader(ctx.db, scope, page),
        )
        .load(e.credit_code);
    },
  },
  Violation: {
    occurredOn: (v: ViolationRow) => v.occurred_on,
    fineYuan: (v: ViolationRow) => v.fine_yuan,
  },
  Region: {
    enterprises: (
      region: { code: string },
      args: PageArgs & { industry?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const industry = args.industry ?? undefined;
      const scope = rowScopeOf(ctx);
      return ctx.loaders
        .get('market.regionEnterprises', { page, industry }, () =>
          createRegionEnterprisesLoader(ctx.db, scope, industry, page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
  Person: {
    legalRepresentativeOf: (
      person: { id: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const scope = rowScopeOf(ctx);
      return ctx.loaders
        .get('market.representedEnterprises', page, () =>
          createRepresentedEnterprisesLoader(ctx.db, scope, page),
        )
        .load(person.id);
    },
  },
};
