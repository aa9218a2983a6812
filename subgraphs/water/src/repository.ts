// SQL of the water resources department (水利局); the only file here that
// holds SQL. Every loader answers a whole batch of parents with one
// statement, however many parents ask.
import {
  addRowScope,
  scopedConditions,
  type RowScopeColumns,
} from '../../kit/src/rowScope/compileRowScope.js';
import { joinRegionPrefixes } from '../../kit/src/regions.js';
import { createBatchLoader } from '../../kit/src/loaders/createBatchLoader.js';
import { createRowLoader } from '../../kit/src/loaders/createRowLoader.js';
import {
  createPagedChildrenLoader,
  loadPage,
  type Page,
} from '../../kit/src/pagination.js';
import { SqlConditions } from '../../kit/src/SqlConditions.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import type { RowScope } from '../../../policies/src/scope/RowScope.js';

/** A row of `water.rivers`. */
export interface RiverRow {
  id: string;
  name: string;
  length_km: number;
  basin: string;
  region_code: string;
  parent_id: string | null;
  confluence_km: number | null;
}

/** A row of `water.stations`. */
export interface StationRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
}

/** A row of `water.flow_readings`. */
export interface FlowReadingRow {
  station_id: string;
  measured_at: Date;
  flow_rate: number;
  water_level: number;
  velocity: number;
}

/** A row of `water.intakes`. */
export interface IntakeRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
  population_served: number;
}

/** A station with its signed offset from a point on its river. */
export interface StationDistanceRow extends StationRow {
  offset_km: number;
}

/** An intake downstream of a point, with the distance and travel time to it. */
export interface IntakeDistanceRow extends IntakeRow {
  distance_km: number;
  travel_hours: number | null;
}

/**
 * A point on a river, as another department knows it (a monitoring
 * section's `river { id } riverKm`).
 */
export interface RiverPoint {
  riverId: string;
  riverKm: number;
}

/**
 * The loader key of a {@link RiverPoint}: a JSON array `[riverId, riverKm]`
 * that SQL unpacks again, so that one text array carries a whole batch of
 * points into a single statement. Points at the same place share a key.
 */
export function riverPointKey(point: RiverPoint): string {
  return JSON.stringify([point.riverId, point.riverKm]);
}

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  r: 'water.rivers',
  st: 'water.stations',
  i: 'water.intakes',
  f: 'water.flow_readings',
} as const;

export const RIVER_COLUMNS = `r.id, r.name, r.length_km, r.basin, r.region_code,
  r.parent_id, r.confluence_km`;
export const STATION_COLUMNS =
  'st.id, st.name, st.river_id, st.river_km, st.region_code';
export const INTAKE_COLUMNS = `i.id, i.name, i.river_id, i.river_km, i.region_code,
  i.population_served`;
export const FLOW_COLUMNS =
  'f.station_id, f.measured_at, f.flow_rate, f.water_level, f.velocity';

/**
 * The batch of river points (the parent keys of a paged loader, bound at
 * placeholder `$at`: one after the query's own values), unpacked into
 * `pt.river_id` and `pt.river_km`, keyed by `k.key`.
 */
function riverPoints(at: number): string {
  return `unnest($${at}::text[]) AS k(key)
    CROSS JOIN LATERAL (
      SELECT (k.key::jsonb ->> 0) AS river_id,
             (k.key::jsonb ->> 1)::double precision AS river_km
    ) pt`;
}

/**
 * Row scope of `River` (alias `r`). Rivers are shared topology that crosses
 * districts (like regions): the scope's region does not hide them, but a
 * grant's row filter for `River` applies.
 */
export const RIVER_SCOPE: RowScopeColumns = {
  attributes: {
    id: 'r.id',
    regionCode: 'r.region_code',
    basin: 'r.basin',
    parentId: 'r.parent_id',
  },
};

/** Row scope of `HydrologicalStation` (alias `st`): the region it stands in. */
export const STATION_SCOPE: RowScopeColumns = {
  region: 'st.region_code',
  attributes: {
    id: 'st.id',
    regionCode: 'st.region_code',
    riverId: 'st.river_id',
  },
};

/** Row scope of `DrinkingWaterIntake` (alias `i`): the region it stands in. */
export const INTAKE_SCOPE: RowScopeColumns = {
  region: 'i.region_code',
  attributes: {
    id: 'i.id',
    regionCode: 'i.region_code',
    riverId: 'i.river_id',
  },
};

/**
 * Row scope of `FlowReading` (alias `f`): no region of its own; read only
 * under a station already in scope.
 */
export const FLOW_READING_SCOPE: RowScopeColumns = {
  attributes: { stationId: 'f.station_id' },
};

/** Rivers in scope by id, one statement per batch. */
export function createRiverLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<RiverRow>(db, {
    select: RIVER_COLUMNS,
    from: 'water.rivers r',
    key: 'r.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'River', RIVER_SCOPE).listing,
  });
}

/** Filters of the river listing. */
export interface RiverFilter {
  regionPrefix?: string | undefined;
  nameContains?: string | undefined;
}

/** One page of rivers matching `filter`, ordered by id. */
export function listRivers(
  db: Queryable,
  scope: RowScope | null,
  filter: RiverFilter,
  page: Page,
) {
  const c = scopedConditions(scope, 'River', RIVER_SCOPE);
  if (filter.regionPrefix !== undefined) {
    c.add('r.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.nameContains !== undefined) {
    c.add('r.name LIKE $?', `%${filter.nameContains}%`);
  }
  return loadPage<RiverRow>(
    db,
    {
      select: RIVER_COLUMNS,
      from: 'water.rivers r',
      ...c.listing,
      orderBy: 'r.id',
    },
    page,
  );
}

/** Pages of tributaries per river, from the parent's source downwards. */
export function createTributariesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<RiverRow>(
    db,
    {
      select: RIVER_COLUMNS,
      from: 'water.rivers r',
      parent: 'r.parent_id',
      ...scopedConditions(scope, 'River', RIVER_SCOPE).listing,
      orderBy: 'r.confluence_km, r.id',
    },
    page,
  );
}

/** Pages of rivers rising in each region prefix (Region.rivers). */
export function createRegionRiversLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes, which the loader
  // binds as the parameter after the conditions' values.
  const c = scopedConditions(scope, 'River', RIVER_SCOPE);
  return createPagedChildrenLoader<RiverRow>(
    db,
    {
      select: RIVER_COLUMNS,
      from: joinRegionPrefixes('water.rivers', 'r', c.values.length + 1),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: 'r.id',
    },
    page,
  );
}

/** Stations in scope by id, one statement per batch. */
export function createStationLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<StationRow>(db, {
    select: STATION_COLUMNS,
    from: 'water.stations st',
    key: 'st.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'HydrologicalStation', STATION_SCOPE).listing,
  });
}

/** Pages of stations in scope per river, from its source downwards. */
export function createRiverStationsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<StationRow>(
    db,
    {
      select: STATION_COLUMNS,
      from: 'water.stations st',
      parent: 'st.river_id',
      ...scopedConditions(scope, 'HydrologicalStation', STATION_SCOPE).listing,
      orderBy: 'st.river_km, st.id',
    },
    page,
  );
}

/** Intakes in scope by id, one statement per batch. */
export function createIntakeLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<IntakeRow>(db, {
    select: INTAKE_COLUMNS,
    from: 'water.intakes i',
    key: 'i.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'DrinkingWaterIntake', INTAKE_SCOPE).listing,
  });
}

/** Pages of drinking-water intakes in scope per river, from its source downwards. */
export function createRiverIntakesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<IntakeRow>(
    db,
    {
      select: INTAKE_COLUMNS,
      from: 'water.intakes i',
      parent: 'i.river_id',
      ...scopedConditions(scope, 'DrinkingWaterIntake', INTAKE_SCOPE).listing,
      orderBy: 'i.river_km, i.id',
    },
    page,
  );
}

/**
 * Pages of flow readings per station, newest first; `since` is a validated,
 * normalised ISO 8601 timestamp (inclusive lower bound).
 */
export function createFlowReadingsLoader(
  db: Queryable,
  scope: RowScope | null,
  since: string | undefined,
  page: Page,
) {
  const c = scopedConditions(scope, 'FlowReading', FLOW_READING_SCOPE);
  if (since !== undefined) c.add('f.measured_at >= $?::timestamptz', since);
  return createPagedChildrenLoader<FlowReadingRow>(
    db,
    {
      select: FLOW_COLUMNS,
      from: 'water.flow_readings f',
      parent: 'f.station_id',
      ...c.listing,
      orderBy: 'f.measured_at DESC',
    },
    page,
  );
}

/** The latest flow reading per station (HydrologicalStation.latestFlow). */
export function createLatestFlowLoader(db: Queryable, scope: RowScope | null) {
  const c = scopedConditions(scope, 'FlowReading', FLOW_READING_SCOPE);
  const idsAt = c.values.length + 1;
  return createBatchLoader<string, FlowReadingRow>(
    async (stationIds) =>
      (
        await db.query<FlowReadingRow>(
          `SELECT DISTINCT ON (f.station_id) ${FLOW_COLUMNS}
             FROM water.flow_readings f
            WHERE f.station_id = ANY($${idsAt}::text[])
                  ${c.where !== undefined ? `AND ${c.where}` : ''}
            ORDER BY f.station_id, f.measured_at DESC`,
          [...c.values, stationIds],
        )
      ).rows,
    (row) => row.station_id,
  );
}

/**
 * Pages of the stations on the same river within `withinKm` of each river
 * point (keys from {@link riverPointKey}), either way, nearest first;
 * `offset_km` is negative upstream and positive downstream.
 */
export function createNearbyStationsLoader(
  db: Queryable,
  scope: RowScope | null,
  withinKm: number,
  page: Page,
) {
  const c = new SqlConditions();
  c.add('abs(st.river_km - pt.river_km) <= $?::double precision', withinKm);
  addRowScope(c, scope, 'HydrologicalStation', STATION_SCOPE);
  return createPagedChildrenLoader<StationDistanceRow>(
    db,
    {
      select: `${STATION_COLUMNS}, round((st.river_km - pt.river_km)::numeric, 3)::float8 AS offset_km`,
      from: `${riverPoints(c.values.length + 1)}
        JOIN water.stations st
          ON st.river_id = pt.river_id`,
      parent: 'k.key',
      ...c.listing,
      orderBy: 'abs(st.river_km - pt.river_km), st.id',
    },
    page,
  );
}

/**
 * Pages of the drinking-water intakes downstream of each river point (keys
 * from {@link riverPointKey}), nearest first, with the travel time of water
 * to each: distance over the latest velocity measured at the station nearest
 * the point on that river (null without a positive reading there).
 */
export function createDownstreamIntakesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  const c = scopedConditions(scope, 'DrinkingWaterIntake', INTAKE_SCOPE);
  return createPagedChildrenLoader<IntakeDistanceRow>(
    db,
    {
      select: `${INTAKE_COLUMNS}, round((i.river_km - pt.river_km)::numeric, 3)::float8 AS distance_km,
        CASE WHEN flow.velocity > 0
             THEN round(((i.river_km - pt.river_km) / (flow.velocity * 3.6))::numeric, 2)::float8
        END AS travel_hours`,
      from: `${riverPoints(c.values.length + 1)}
        LEFT JOIN LATERAL (
          SELECT (
            SELECT f.velocity
              FROM water.flow_readings f
             WHERE f.station_id = st.id
             ORDER BY f.measured_at DESC
             LIMIT 1
          ) AS velocity
            FROM water.stations st
           WHERE st.river_id = pt.river_id
           ORDER BY abs(st.river_km - pt.river_km), st.id
           LIMIT 1
        ) flow ON true
        JOIN water.intakes i
          ON i.river_id = pt.river_id AND i.river_km > pt.river_km`,
      parent: 'k.key',
      ...c.listing,
      orderBy: 'i.river_km - pt.river_km, i.id',
    },
    page,
  );
}
