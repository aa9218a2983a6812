// Resolvers of the enforcement department (综合执法局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import { CITY_CODE, regionPrefix } from '../../kit/src/regions.js';
import { loadOrThrow } from '../../kit/src/loaders/createBatchLoader.js';
import { parsePage, type PageArgs } from '../../kit/src/pagination.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import {
  createComplaintLoader,
  createComplaintMerchantsLoader,
  createInspectionsLoader,
  createNearestSquadsLoader,
  createRegionChildrenLoader,
  createRegionComplaintsLoader,
  createRegionLoader,
  createRegionSquadsLoader,
  createSquadLoader,
  listComplaints,
  listRegions,
  type ComplaintRow,
  type GeoPoint,
  type InspectionRow,
  type RegionFilter,
  type RegionRow,
  type SquadDistanceRow,
  type SquadRow,
} from './repository.js';
import {
  parseLatitude,
  parseLongitude,
  parseNearestCount,
} from './validation.js';

/** A Region as a parent: a full row, or only its key (a stub or reference). */
type RegionParent = RegionRow | { code: string };

/** What `SquadDistance` resolves from. */
interface SquadDistance {
  squad: SquadRow;
  distanceMeters: number;
}

function regionLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('enforcement.region', null, () =>
    createRegionLoader(ctx.db),
  );
}

function squadLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('enforcement.squad', null, () =>
    createSquadLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function complaintLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('enforcement.complaint', null, () =>
    createComplaintLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function isRegionRow(region: RegionParent): region is RegionRow {
  return 'full_name' in region;
}

/**
 * The full row of a region that may be only a key: squads and complaints
 * point at their region by code, and loading it is deferred until a field
 * other than `code` is asked (then batched with every other region asked).
 */
async function regionRow(
  region: RegionParent,
  ctx: SubgraphContext,
): Promise<RegionRow> {
  if (isRegionRow(region)) return region;
  return loadOrThrow(regionLoader(ctx), 'Region', region.code);
}

/** The squads nearest to `point`, closest first, through a batched loader. */
async function nearestSquads(
  ctx: SubgraphContext,
  point: GeoPoint,
  count: number,
): Promise<SquadDistance[]> {
  const rows = await ctx.loaders
    .get('enforcement.nearestSquads', count, () =>
      createNearestSquadsLoader(ctx.db, rowScopeOf(ctx), count),
    )
    .load(point);
  return rows.map((row: SquadDistanceRow) => ({
    squad: row,
    distanceMeters: row.distance_meters,
  }));
}

/** Resolvers of the enforcement subgraph, one per field of its schema. */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    region: (_: unknown, args: { code: string }, ctx: SubgraphContext) => {
      regionPrefix(args.code, 'code');
      return loadOrThrow(regionLoader(ctx), 'Region', args.code);
    },
    regions: (
      _: unknown,
      args: PageArgs & { parentCode?: string | null; level?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      let filter: RegionFilter;
      if (args.parentCode != null) {
        regionPrefix(args.parentCode, 'parentCode');
        filter = {
          parentCode: args.parentCode,
          level: args.level ?? undefined,
        };
      } else if (args.level != null) {
        filter = { level: args.level };
      } else {
        filter = { parentCode: CITY_CODE };
      }
      return listRegions(ctx.db, filter, page);
    },
    complaint: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
      loadOrThrow(complaintLoader(ctx), 'Complaint', args.id),
    complaints: (
      _: unknown,
      args: PageArgs & {
        regionCode?: string | null;
        status?: string | null;
      },
      ctx: SubgraphContext,
    ) =>
      listComplaints(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
          status: args.status ?? undefined,
        },
        parsePage(args),
      ),
    enforcementSquad: (
      _: unknown,
      args: { id: string },
      ctx: SubgraphContext,
    ) => loadOrThrow(squadLoader(ctx), 'EnforcementSquad', args.id),
    nearestEnforcementSquads: (
      _: unknown,
      args: { latitude: number; longitude: number; first?: number | null },
      ctx: SubgraphContext,
    ) =>
      nearestSquads(
        ctx,
        {
          latitude: parseLatitude(args.latitude),
          longitude: parseLongitude(args.longitude),
        },
        parseNearestCount(args.first, 3),
      ),
  },
  Region: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) =>
      regionLoader(ctx).load(ref.code),
    code: (region: RegionParent) => region.code,
    name: async (region: RegionParent, _: unknown, ctx: SubgraphContext) =>
      (await regionRow(region, ctx)).name,
    fullName: async (region: RegionParent, _: unknown, ctx: SubgraphContext) =>
      (await regionRow(region, ctx)).full_name,
    level: async (region: RegionParent, _: unknown, ctx: SubgraphContext) =>
      (await regionRow(region, ctx)).level,
    kind: async (region: RegionParent, _: unknown, ctx: SubgraphContext) =>
      (await regionRow(region, ctx)).kind,
    parent: async (region: RegionParent, _: unknown, ctx: SubgraphContext) => {
      const row = await regionRow(region, ctx);
      return row.parent_code === null ? null : { code: row.parent_code };
    },
    children: (region: RegionParent, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('enforcement.regionChildren', page, () =>
          createRegionChildrenLoader(ctx.db, page),
        )
        .load(region.code);
    },
    enforcementSquads: (
      region: RegionParent,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('enforcement.regionSquads', page, () =>
          createRegionSquadsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
    complaints: (
      region: RegionParent,
      args: PageArgs & { status?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const status = args.status ?? undefined;
      return ctx.loaders
        .get('enforcement.regionComplaints', { page, status }, () =>
          createRegionComplaintsLoader(ctx.db, rowScopeOf(ctx), status, page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
  EnforcementSquad: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
      squadLoader(ctx).load(ref.id),
    region: (squad: SquadRow) => ({ code: squad.region_code }),
    memberCount: (squad: SquadRow) => squad.member_count,
    leader: (squad: SquadRow) => ({ id: squad.leader_person_id }),
    dutyPhone: (squad: SquadRow) => squad.duty_phone,
  },
  Complaint: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
      complaintLoader(ctx).load(ref.id),
    receivedAt: (c: ComplaintRow) => c.received_at.toISOString(),
    region: (c: ComplaintRow) => ({ code: c.region_code }),
    complainant: (c: ComplaintRow) => ({ id: c.complainant_person_id }),
    merchants: (c: ComplaintRow, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('enforcement.complaintMerchants', page, () =>
          createComplaintMerchantsLoader(ctx.db, page),
        )
        .load(c.id);
    },
    assignedSquad: (c: ComplaintRow, _: unknown, ctx: SubgraphContext) =>
      c.assigned_squad_id === null
        ? null
        : squadLoader(ctx).load(c.assigned_squad_id),
    nearestSquads: (
      c: ComplaintRow,
      args: { first?: number | null },
      ctx: SubgraphContext,
    ) =>
      nearestSquads(
        ctx,
        { latitude: c.latitude, longitude: c.longitude },
        parseNearestCount(args.first, 1),
      ),
    dispatchedAt: (c: ComplaintRow) => c.dispatched_at?.toISOString() ?? null,
    resolvedAt: (c: ComplaintRow) => c.resolved_at?.toISOString() ?? null,
  },
  Inspection: {
    inspectedOn: (i: InspectionRow) => i.inspected_on,
    squad: (i: InspectionRow, _: unknown, ctx: SubgraphContext) =>
      loadOrThrow(squadLoader(ctx), 'EnforcementSquad', i.squad_id),
  },
  Enterprise: {
    inspections: (
      enterprise: { creditCode: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('enforcement.inspections', page, () =>
          createInspectionsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(enterprise.creditCode);
    },
  },
};
