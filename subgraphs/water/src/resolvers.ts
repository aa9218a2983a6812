// Resolvers of the water resources department (水利局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import {
  assertStorableText,
  isStorableText,
  parseDistanceKm,
  parseTimestamp,
} from '../../kit/src/arguments.js';
import {
  loadReference,
  loadOrThrow,
} from '../../kit/src/loaders/createBatchLoader.js';
import { parsePage, type PageArgs } from '../../kit/src/pagination.js';
import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';
import { regionPrefix } from '../../kit/src/regions.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import {
  createDownstreamIntakesLoader,
  createFlowReadingsLoader,
  createIntakeLoader,
  createLatestFlowLoader,
  createNearbyStationsLoader,
  createRegionRiversLoader,
  createRiverIntakesLoader,
  createRiverLoader,
  createRiverStationsLoader,
  createStationLoader,
  createTributariesLoader,
  listRivers,
  riverPointKey,
  type FlowReadingRow,
  type IntakeDistanceRow,
  type IntakeRow,
  type RiverPoint,
  type RiverRow,
  type StationDistanceRow,
  type StationRow,
} from './repository.js';

function riverLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('water.river', null, () =>
    createRiverLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function stationLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('water.station', null, () =>
    createStationLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function intakeLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('water.intake', null, () =>
    createIntakeLoader(ctx.db, rowScopeOf(ctx)),
  );
}

/**
 * A monitoring section as the environment subgraph hands it over: its key
 * plus the `@requires(fields: "river { id } riverKm")` fields. The gateway
 * always sends them; a direct `_entities` call might not.
 */
interface SectionReference {
  id: string;
  river?: { id?: unknown } | null;
  riverKm?: unknown;
}

function riverPointOf(section: SectionReference): RiverPoint {
  const riverId = section.river?.id;
  const riverKm = section.riverKm;
  if (
    typeof riverId !== 'string' ||
    !isStorableText(riverId) ||
    typeof riverKm !== 'number' ||
    !Number.isFinite(riverKm)
  ) {
    throw new BadUserInputError(
      `MonitoringSection representation "${section.id}" lacks its required fields: river { id } and a finite riverKm.`,
      { argumentName: 'representations' },
    );
  }
  return { riverId, riverKm };
}

/** Resolvers of the water subgraph; all SQL is in `repository.ts`. */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    river: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
      loadOrThrow(riverLoader(ctx), 'River', assertStorableText(args.id, 'id')),
    rivers: (
      _: unknown,
      args: PageArgs & {
        regionCode?: string | null;
        nameContains?: string | null;
      },
      ctx: SubgraphContext,
    ) =>
      listRivers(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
          nameContains:
            args.nameContains != null
              ? assertStorableText(args.nameContains, 'nameContains')
              : undefined,
        },
        parsePage(args),
      ),
    hydrologicalStation: (
      _: unknown,
      args: { id: string },
      ctx: SubgraphContext,
    ) =>
      loadOrThrow(
        stationLoader(ctx),
        'HydrologicalStation',
        assertStorableText(args.id, 'id'),
      ),
  },
  River: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(riverLoader(ctx), ref.id),
    lengthKm: (r: RiverRow) => r.length_km,
    region: (r: RiverRow) => ({ code: r.region_code }),
    parent: (r: RiverRow, _: unknown, ctx: SubgraphContext) =>
      r.parent_id === null ? null : riverLoader(ctx).load(r.parent_id),
    confluenceKm: (r: RiverRow) => r.confluence_km,
    tributaries: (r: RiverRow, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('water.tributaries', page, () =>
          createTributariesLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(r.id);
    },
    hydrologicalStations: (
      r: RiverRow,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('water.riverStations', page, () =>
          createRiverStationsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(r.id);
    },
    drinkingWaterIntakes: (
      r: RiverRow,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('water.riverIntakes', page, () =>
          createRiverIntakesLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(r.id);
    },
  },
  HydrologicalStation: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(stationLoader(ctx), ref.id),
    river: (s: StationRow, _: unknown, ctx: SubgraphContext) =>
      riverLoader(ctx).load(s.river_id),
    riverKm: (s: StationRow) => s.river_km,
    region: (s: StationRow) => ({ code: s.region_code }),
    flowReadings: (
      s: StationRow,
      args: PageArgs & { since?: string | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const since =
        args.since != null ? parseTimestamp(args.since, 'since') : undefined;
      return ctx.loaders
        .get('water.flowReadings', { page, since }, () =>
          createFlowReadingsLoader(ctx.db, rowScopeOf(ctx), since, page),
        )
        .load(s.id);
    },
    latestFlow: (s: StationRow, _: unknown, ctx: SubgraphContext) =>
      ctx.loaders
        .get('water.latestFlow', null, () =>
          createLatestFlowLoader(ctx.db, rowScopeOf(ctx)),
        )
        .load(s.id),
  },
  FlowReading: {
    measuredAt: (f: FlowReadingRow) => f.measured_at.toISOString(),
    flowRate: (f: FlowReadingRow) => f.flow_rate,
    waterLevel: (f: FlowReadingRow) => f.water_level,
  },
  DrinkingWaterIntake: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(intakeLoader(ctx), ref.id),
    river: (i: IntakeRow, _: unknown, ctx: SubgraphContext) =>
      riverLoader(ctx).load(i.river_id),
    riverKm: (i: IntakeRow) => i.river_km,
    region: (i: IntakeRow) => ({ code: i.region_code }),
    populationServed: (i: IntakeRow) => i.population_served,
  },
  MonitoringSection: {
    // The representation (key and @requires fields) is the parent itself:
    // this department has no table of sections.
    __resolveReference: (ref: SectionReference) => ref,
    nearbyHydrologicalStations: (
      section: SectionReference,
      args: PageArgs & { withinKm?: number | null },
      ctx: SubgraphContext,
    ) => {
      const point = riverPointOf(section);
      const page = parsePage(args);
      const withinKm = parseDistanceKm(args.withinKm ?? 20, 'withinKm');
      return ctx.loaders
        .get('water.nearbyStations', { page, withinKm }, () =>
          createNearbyStationsLoader(ctx.db, rowScopeOf(ctx), withinKm, page),
        )
        .load(riverPointKey(point));
    },
    downstreamIntakes: (
      section: SectionReference,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const point = riverPointOf(section);
      const page = parsePage(args);
      return ctx.loaders
        .get('water.downstreamIntakes', page, () =>
          createDownstreamIntakesLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(riverPointKey(point));
    },
  },
  StationDistance: {
    station: (row: StationDistanceRow) => row,
    offsetKm: (row: StationDistanceRow) => row.offset_km,
  },
  IntakeDistance: {
    intake: (row: IntakeDistanceRow) => row,
    distanceKm: (row: IntakeDistanceRow) => row.distance_km,
    travelHours: (row: IntakeDistanceRow) => row.travel_hours,
  },
  Region: {
    rivers: (
      region: { code: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('water.regionRivers', page, () =>
          createRegionRiversLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
};
