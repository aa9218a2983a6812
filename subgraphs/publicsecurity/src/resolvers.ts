// Resolvers of the public-security department (公安局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import {
  loadOrThrow,
  parsePage,
  parseTimestamp,
  regionPrefix,
  type PageArgs,
  type SubgraphContext,
} from '../../kit/src/index.js';
import { parseCongestionPoints } from './congestion.js';
import {
  createCrowdAreaLoader,
  createLatestObservationLoader,
  createObservationsLoader,
  createPersonLoader,
  createRegionCrowdAreasLoader,
  listCrowdAreas,
  type CrowdAreaRow,
  type CrowdObservationRow,
  type PersonRow,
} from './repository.js';
import { isPersonId, parsePersonId } from './validation.js';

function personLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('publicsecurity.person', null, () =>
    createPersonLoader(ctx.db),
  );
}

function crowdAreaLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('publicsecurity.crowdArea', null, () =>
    createCrowdAreaLoader(ctx.db),
  );
}

/** Resolvers of the public-security subgraph, one per field of its schema. */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    person: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
      loadOrThrow(personLoader(ctx), 'Person', parsePersonId(args.id)),
    crowdArea: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
      loadOrThrow(crowdAreaLoader(ctx), 'CrowdArea', args.id),
    crowdAreas: (
      _: unknown,
      args: PageArgs & { regionCode?: string | null },
      ctx: SubgraphContext,
    ) =>
      listCrowdAreas(
        ctx.db,
        args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
        parsePage(args),
      ),
  },
  Person: {
    // A key that is not a person id names nobody: null, without a query.
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
      isPersonId(ref.id) ? personLoader(ctx).load(ref.id) : null,
    idNumber: (p: PersonRow) => p.id_number,
    birthDate: (p: PersonRow) => p.birth_date,
    householdAddress: (p: PersonRow) => p.household_address,
    region: (p: PersonRow) => ({ code: p.region_code }),
  },
  CrowdArea: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
      crowdAreaLoader(ctx).load(ref.id),
    region: (a: CrowdAreaRow) => ({ code: a.region_code }),
    safeCapacity: (a: CrowdAreaRow) => a.safe_capacity,
    observations: (
      a: CrowdAreaRow,
      args: PageArgs & { since?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const since =
        args.since != null ? parseTimestamp(args.since, 'since') : undefined;
      return ctx.loaders
        .get('publicsecurity.observations', { page, since }, () =>
          createObservationsLoader(ctx.db, since, page),
        )
        .load(a.id);
    },
    latestObservation: (a: CrowdAreaRow, _: unknown, ctx: SubgraphContext) =>
      ctx.loaders
        .get('publicsecurity.latestObservation', null, () =>
          createLatestObservationLoader(ctx.db),
        )
        .load(a.id),
  },
  CrowdObservation: {
    observedAt: (o: CrowdObservationRow) => o.observed_at.toISOString(),
    currentCount: (o: CrowdObservationRow) => o.current_count,
    visitorsToday: (o: CrowdObservationRow) => o.visitors_today,
    congestionPoints: (o: CrowdObservationRow) =>
      parseCongestionPoints(o.congestion_points),
  },
  Region: {
    crowdAreas: (
      region: { code: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('publicsecurity.regionCrowdAreas', page, () =>
          createRegionCrowdAreasLoader(ctx.db, page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
};
