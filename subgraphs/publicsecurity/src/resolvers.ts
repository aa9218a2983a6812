// Resolvers of the public-security department (公安局).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

import { isStorableText, parseTimestamp } from '../../kit/src/arguments.js';
import { loadOrThrow } from '../../kit/src/loaders/createBatchLoader.js';
import {
  parsePage,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import { regionPrefix } from '../../kit/src/regions.js';
import { rowScopeOf } from '../../kit/src/rowScope/RowScope.js';
import type { SubgraphContext } from '../../kit/src/createSubgraph.js';
import { parseCongestionPoints } from './congestion.js';
import {
  createCrowdAreaLoader,
  createLatestObservationLoader,
  createObservationsLoader,
  createPersonLoader,
  createRegionCrowdAreasLoader,
  listCrowdAreas,
  listRecordKeys,
  type CrowdAreaRow,
  type CrowdObservationRow,
  type PersonRow,
} from './repository.js';
import { isPersonId, parsePersonId } from './validation.js';

function personLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('publicsecurity.person', null, () =>
    createPersonLoader(ctx.db, rowScopeOf(ctx)),
  );
}

function crowdAreaLoader(ctx: SubgraphContext) {
  return ctx.loaders.get('publicsecurity.crowdArea', null, () =>
    createCrowdAreaLoader(ctx.db, rowScopeOf(ctx)),
  );
}

/** A row behind `PublicSecurityRecord` and `PublicSecurityNode`. */
type RecordRow = PersonRow | CrowdAreaRow;

/** The GraphQL type of a record row: only person rows have an ID number. */
function recordType(row: RecordRow): 'Person' | 'CrowdArea' {
  return 'id_number' in row ? 'Person' : 'CrowdArea';
}

/**
 * A person or crowd area by id: a person id has its own form (`P-` and 12
 * hex digits), anything else can only be a crowd area. Null when no row in
 * scope has it.
 */
async function loadRecord(
  ctx: SubgraphContext,
  id: string,
): Promise<RecordRow | null> {
  if (isPersonId(id)) return personLoader(ctx).load(id);
  if (!isStorableText(id)) return null;
  return crowdAreaLoader(ctx).load(id);
}

/**
 * One page of public-security records in scope: the page of keys in one
 * statement, then the rows through the two row loaders (one statement per
 * type, whatever the page size).
 */
async function listRecords(
  ctx: SubgraphContext,
  regionCode: string | null | undefined,
  args: PageArgs,
): Promise<Connection<RecordRow>> {
  const page = parsePage(args);
  const keys = await listRecordKeys(
    ctx.db,
    rowScopeOf(ctx),
    regionCode != null ? regionPrefix(regionCode) : undefined,
    page,
  );
  const rows = await Promise.all(
    keys.nodes.map((key) =>
      key.kind === 'Person'
        ? personLoader(ctx).load(key.id)
        : crowdAreaLoader(ctx).load(key.id),
    ),
  );
  // A row removed between the two statements is left out rather than
  // answered as null in a list of non-null records.
  const nodes = rows.filter((row): row is RecordRow => row !== null);
  return { ...keys, nodes };
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
        rowScopeOf(ctx),
        args.regionCode != null ? regionPrefix(args.regionCode) : undefined,
        parsePage(args),
      ),
    publicSecurityNode: (
      _: unknown,
      args: { id: string },
      ctx: SubgraphContext,
    ) => loadRecord(ctx, args.id),
    publicSecurityRecords: (
      _: unknown,
      args: PageArgs & { regionCode?: string | null },
      ctx: SubgraphContext,
    ) => listRecords(ctx, args.regionCode, args),
  },
  PublicSecurityRecord: {
    __resolveType: (row: RecordRow) => recordType(row),
  },
  PublicSecurityNode: {
    __resolveType: (row: RecordRow) => recordType(row),
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
          createObservationsLoader(ctx.db, rowScopeOf(ctx), since, page),
        )
        .load(a.id);
    },
    latestObservation: (a: CrowdAreaRow, _: unknown, ctx: SubgraphContext) =>
      ctx.loaders
        .get('publicsecurity.latestObservation', null, () =>
          createLatestObservationLoader(ctx.db, rowScopeOf(ctx)),
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
          createRegionCrowdAreasLoader(ctx.db, rowScopeOf(ctx), page),
        )
        .load(regionPrefix(region.code, 'code'));
    },
  },
};
