// Resolvers of the ecology and environment department (生态环境局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import {
  assertStorableText,
  parseDistanceKm,
  parseTimestamp,
} from '../../kit/src/arguments.js';
import {
  loadReference,
  loadOrThrow,
} from '../../kit/src/loaders/createBatchLoader.js';
import { parsePage, type PageArgs } from '../../kit/src/pagination.js';
import { regionPrefix } from '../../kit/src/regions.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import {
  createCandidateSourcesLoader,
  createDischargeRecordsLoader,
  createEnterpriseSourcesLoader,
  createIncidentLoader,
  createLatestReadingLoader,
  createNeighbourSectionLoader,
  createPollutionSourceLoader,
  createReadingsLoader,
  createRegionSectionsLoader,
  createRiverSectionsLoader,
  createSectionLoader,
  createSuspectedSourcesLoader,
  listIncidents,
  listSections,
  type DischargeRecordRow,
  type Direction,
  type IncidentRow,
  type PollutionSourceRow,
  type ReadingRow,
  type SectionRow,
  type SuspectedSourceRow,
} from './repository.js';
import {
  breachesStandard,
  isTargetClass,
  isWaterParameter,
  unitOf,
  type TargetClass,
  type WaterParameter,
} from './waterQualityStandard.js';

function sectionLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('environment.section', null, () =>
    createSectionLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function sourceLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('environment.pollutionSource', null, () =>
    createPollutionSourceLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function incidentLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('environment.incident', null, () =>
    createIncidentLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function neighbour(
  section: SectionRow,
  direction: Direction,
  ctx: SubgraphContext,
) {
  return ctx.loaders
    .get('environment.neighbourSection', direction, () =>
      createNeighbourSectionLoader(ctx.db, rowScopeOf(ctx), direction),
    )
    .load(section.id);
}

// The database holds only known parameters and classes (the enum and a
// CHECK); anything else is a data error, reported as an internal error.
function readingParameter(reading: ReadingRow): WaterParameter {
  if (!isWaterParameter(reading.parameter)) {
    throw new Error(`unknown water parameter "${reading.parameter}"`);
  }
  return reading.parameter;
}

function readingTargetClass(reading: ReadingRow): TargetClass {
  if (!isTargetClass(reading.target_class)) {
    throw new Error(`unknown target class "${reading.target_class}"`);
  }
  return reading.target_class;
}

/** Resolvers of the environment subgraph; all SQL is in `repository.ts`. */
export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Query: {
    monitoringSection: (
      _: unknown,
      args: { id: string },
      ctx: SubgraphContext,
    ) =>
      loadOrThrow(
        sectionLoader(ctx),
        'MonitoringSection',
        assertStorableText(args.id, 'id'),
      ),
    monitoringSections: (
      _: unknown,
      args: PageArgs & { regionCode?: string | null; riverId?: string | null },
      ctx: SubgraphContext,
    ) =>
      listSections(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
          riverId:
            args.riverId != null
              ? assertStorableText(args.riverId, 'riverId')
              : undefined,
        },
        parsePage(args),
      ),
    pollutionSource: (_: unknown, args: { id: string }, ctx: SubgraphContext) =>
      loadOrThrow(
        sourceLoader(ctx),
        'PollutionSource',
        assertStorableText(args.id, 'id'),
      ),
    pollutionIncident: (
      _: unknown,
      args: { id: string },
      ctx: SubgraphContext,
    ) =>
      loadOrThrow(
        incidentLoader(ctx),
        'PollutionIncident',
        assertStorableText(args.id, 'id'),
      ),
    pollutionIncidents: (
      _: unknown,
      args: PageArgs & { regionCode?: string | null },
      ctx: SubgraphContext,
    ) =>
      listIncidents(
        ctx.db,
        rowScopeOf(ctx),
        {
          regionPrefix:
            args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
        },
        parsePage(args),
      ),
  },
  MonitoringSection: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(sectionLoader(ctx), ref.id),
    river: (s: SectionRow) => ({ id: s.river_id }),
    riverKm: (s: SectionRow) => s.river_km,
    region: (s: SectionRow) => ({ code: s.region_code }),
    targetClass: (s: SectionRow) => s.target_class,
    readings: (
      s: SectionRow,
      args: PageArgs & {
        parameter?: string | null;
        since?: string | null;
        until?: string | null;
      },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const filter = {
        parameter: args.parameter ?? undefined,
        since:
          args.since != null ? parseTimestamp(args.since, 'since') : undefined,
        until:
          args.until != null ? parseTimestamp(args.until, 'until') : undefined,
      };
      return ctx.loaders
        .get('environment.readings', { page, filter }, () =>
          createReadingsLoader(ctx.db, rowScopeOf(ctx), filter, page),
        )
        .load(s.id);
    },
    latestReading: (
      s: SectionRow,
      args: { parameter: string },
      ctx: SubgraphContext,
    ) =>
      ctx.loaders
        .get('environment.latestReading', args.parameter, () =>
          createLatestReadingLoader(ctx.db, rowScopeOf(ctx), args.parameter),
        )
        .load(s.id),
    upstreamSection: (s: SectionRow, _: unknown, ctx: SubgraphContext) =>
      neighbour(s, 'upstream', ctx),
    downstreamSection: (s: SectionRow, _: unknown, ctx: SubgraphContext) =>
      neighbour(s, 'downstream', ctx),
    suspectedSources: (s: SectionRow, args: PageArgs, ctx: SubgraphContext) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('environment.suspectedSources', page, () =>
          createSuspectedSourcesLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(s.id);
    },
  },
  Reading: {
    parameter: (r: ReadingRow) => readingParameter(r),
    unit: (r: ReadingRow) => unitOf(readingParameter(r)),
    measuredAt: (r: ReadingRow) => r.measured_at.toISOString(),
    breachesStandard: (r: ReadingRow) =>
      breachesStandard(readingParameter(r), readingTargetClass(r), r.value),
  },
  PollutionSource: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(sourceLoader(ctx), ref.id),
    enterprise: (p: PollutionSourceRow) => ({ creditCode: p.credit_code }),
    river: (p: PollutionSourceRow) => ({ id: p.river_id }),
    riverKm: (p: PollutionSourceRow) => p.river_km,
    region: (p: PollutionSourceRow) => ({ code: p.region_code }),
    permitNumber: (p: PollutionSourceRow) => p.permit_number,
    dischargeRecords: (
      p: PollutionSourceRow,
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('environment.dischargeRecords', page, () =>
          createDischargeRecordsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(p.id);
    },
  },
  SuspectedSource: {
    source: (row: SuspectedSourceRow) => row,
    distanceKm: (row: SuspectedSourceRow) => row.distance_km,
  },
  DischargeRecord: {
    recordedAt: (d: DischargeRecordRow) => d.recorded_at.toISOString(),
    permittedLimit: (d: DischargeRecordRow) => d.permitted_limit,
    exceedsPermit: (d: DischargeRecordRow) =>
      d.concentration > d.permitted_limit,
  },
  PollutionIncident: {
    __resolveReference: (ref: { id?: unknown }, ctx: SubgraphContext) =>
      loadReference(incidentLoader(ctx), ref.id),
    river: (i: IncidentRow) => ({ id: i.river_id }),
    riverKm: (i: IncidentRow) => i.river_km,
    region: (i: IncidentRow) => ({ code: i.region_code }),
    areaSquareMeters: (i: IncidentRow) => i.area_sqm,
    detectedAt: (i: IncidentRow) => i.detected_at.toISOString(),
    candidateSources: (
      i: IncidentRow,
      args: PageArgs & { withinKm?: number | null },
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      const withinKm = parseDistanceKm(args.withinKm ?? 30, 'withinKm');
      return ctx.loaders
        .get('environment.candidateSources', { page, withinKm }, () =>
          createCandidateSourcesLoader(ctx.db, rowScopeOf(ctx), withinKm, page),
        )
        .load(i.id);
    },
  },
  Enterprise: {
    pollutionSources: (
      e: { creditCode: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('environment.enterpriseSources', page, () =>
          createEnterpriseSourcesLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(assertStorableText(e.creditCode, 'creditCode'));
    },
  },
  River: {
    monitoringSections: (
      r: { id: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('environment.riverSections', page, () =>
          createRiverSectionsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(assertStorableText(r.id, 'id'));
    },
  },
  Region: {
    monitoringSections: (
      region: { code: string },
      args: PageArgs,
      ctx: SubgraphContext,
    ) => {
      const page = parsePage(args);
      return ctx.loaders
        .get('environment.regionSections', page, () =>
          createRegionSectionsLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
};
