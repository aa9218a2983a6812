// SQL of the enforcement department (综合执法局); the only file here that holds SQL.
import DataLoader from 'dataloader';

import {
  addRowScope,
  scopedConditions,
  type RowScopeColumns,
} from '../../kit/src/rowScope/compileRowScope.js';
import { joinRegionPrefixes } from '../../kit/src/regions.js';
import { createRowLoader } from '../../kit/src/loaders/createRowLoader.js';
import {
  createPagedChildrenLoader,
  loadPage,
  type Page,
} from '../../kit/src/pagination.js';
import { SqlConditions } from '../../kit/src/SqlConditions.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import type { RowScope } from '../../../policies/src/scope/RowScope.js';

/** A row of `enforcement.regions`. */
export interface RegionRow {
  code: string;
  name: string;
  full_name: string;
  level: string;
  kind: string;
  parent_code: string | null;
  latitude: number;
  longitude: number;
}

/** A row of `enforcement.squads`. */
export interface SquadRow {
  id: string;
  name: string;
  region_code: string;
  latitude: number;
  longitude: number;
  member_count: number;
  leader_person_id: string;
  duty_phone: string;
}

/** A squad with its distance from a point, whole meters. */
export interface SquadDistanceRow extends SquadRow {
  distance_meters: number;
}

/** A row of `enforcement.complaints`; timestamptz columns arrive as Dates. */
export interface ComplaintRow {
  id: string;
  channel: string;
  summary: string;
  received_at: Date;
  address: string;
  latitude: number;
  longitude: number;
  region_code: string;
  complainant_person_id: string;
  status: string;
  assigned_squad_id: string | null;
  dispatched_at: Date | null;
  resolved_at: Date | null;
  resolution: string | null;
}

/** A merchant a complaint is about: an Enterprise reference. */
export interface MerchantRow {
  creditCode: string;
}

/** A row of `enforcement.inspections`. */
export interface InspectionRow {
  id: string;
  credit_code: string;
  inspected_on: string;
  squad_id: string;
  result: string;
  findings: string;
}

/** A point on the earth, WGS 84 degrees. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** Mean earth radius used for great-circle distances, meters. */
export const EARTH_RADIUS_METERS = 6371000;

/**
 * Great-circle distance in meters between two points given as SQL
 * expressions, by the haversine formula in plain SQL so that it runs the same
 * on PostgreSQL and PGlite without PostGIS or earthdistance. The argument of
 * asin is clamped to 1 against rounding just above it for antipodal points.
 */
export function haversineSql(
  lat1: string,
  lng1: string,
  lat2: string,
  lng2: string,
): string {
  return `(2 * ${EARTH_RADIUS_METERS} * asin(least(1, sqrt(
    power(sin(radians((${lat2}) - (${lat1})) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2}))
      * power(sin(radians((${lng2}) - (${lng1})) / 2), 2)))))`;
}

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  r: 'enforcement.regions',
  s: 'enforcement.squads',
  c: 'enforcement.complaints',
  cm: 'enforcement.complaint_merchants',
  i: 'enforcement.inspections',
} as const;

export const REGION_COLUMNS = `r.code, r.name, r.full_name, r.level, r.kind,
  r.parent_code, r.latitude, r.longitude`;

const SQUAD_COLUMN_NAMES = [
  'id',
  'name',
  'region_code',
  'latitude',
  'longitude',
  'member_count',
  'leader_person_id',
  'duty_phone',
];

function squadColumns(alias: string): string {
  return SQUAD_COLUMN_NAMES.map((column) => `${alias}.${column}`).join(', ');
}

export const SQUAD_COLUMNS = squadColumns('s');

export const COMPLAINT_COLUMNS = `c.id, c.channel, c.summary, c.received_at, c.address,
  c.latitude, c.longitude, c.region_code, c.complainant_person_id, c.status,
  c.assigned_squad_id, c.dispatched_at, c.resolved_at, c.resolution`;

export const COMPLAINT_MERCHANT_COLUMNS = 'cm.credit_code AS "creditCode"';

// Dates are selected as text so that pg and PGlite return the same string.
export const INSPECTION_COLUMNS = `i.id, i.credit_code, i.inspected_on::text AS inspected_on,
  i.squad_id, i.result, i.findings`;

/** Complaints newest first; the id makes the order total. */
const COMPLAINT_ORDER = 'c.received_at DESC, c.id';

/** Row scope of `EnforcementSquad` over alias `alias`: where it is stationed. */
function squadScope(alias: string): RowScopeColumns {
  return {
    region: `${alias}.region_code`,
    attributes: { id: `${alias}.id`, regionCode: `${alias}.region_code` },
  };
}

/** Row scope of `EnforcementSquad` (alias `s`). */
export const SQUAD_SCOPE = squadScope('s');

/** Row scope of `Complaint` (alias `c`): where it happened. */
export const COMPLAINT_SCOPE: RowScopeColumns = {
  region: 'c.region_code',
  attributes: {
    id: 'c.id',
    regionCode: 'c.region_code',
    status: 'c.status',
    channel: 'c.channel',
  },
};

/**
 * Row scope of `Inspection` (alias `i`, joined to its squad as `si`): an
 * inspection has no region column of its own, so its region is that of the
 * squad that made it. The squad's own scope applies as well, so that an
 * inspection is never listed with a squad the caller cannot see.
 */
export const INSPECTION_SCOPE: RowScopeColumns = {
  region: 'si.region_code',
  attributes: {
    id: 'i.id',
    regionCode: 'si.region_code',
    result: 'i.result',
    squadId: 'i.squad_id',
    creditCode: 'i.credit_code',
  },
};

/**
 * Regions by code, one statement per batch. Regions are public geography:
 * no row scope applies to them.
 */
export function createRegionLoader(db: Queryable) {
  return createRowLoader<RegionRow>(db, {
    select: REGION_COLUMNS,
    from: 'enforcement.regions r',
    key: 'r.code',
    keyOf: (row) => row.code,
  });
}

/** Squads in scope by id, one statement per batch. */
export function createSquadLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<SquadRow>(db, {
    select: SQUAD_COLUMNS,
    from: 'enforcement.squads s',
    key: 's.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'EnforcementSquad', SQUAD_SCOPE).listing,
  });
}

/** Complaints in scope by id, one statement per batch. */
export function createComplaintLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<ComplaintRow>(db, {
    select: COMPLAINT_COLUMNS,
    from: 'enforcement.complaints c',
    key: 'c.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'Complaint', COMPLAINT_SCOPE).listing,
  });
}

/** What `regions(parentCode, level)` lists. */
export interface RegionFilter {
  /** Only children of this region. */
  parentCode?: string | undefined;
  /** Only regions of this level. */
  level?: string | undefined;
}

/** One page of regions matching `filter`, ordered by code. */
export function listRegions(db: Queryable, filter: RegionFilter, page: Page) {
  const c = new SqlConditions();
  if (filter.parentCode !== undefined) {
    c.add('r.parent_code = $?', filter.parentCode);
  }
  if (filter.level !== undefined) c.add('r.level = $?', filter.level);
  return loadPage<RegionRow>(
    db,
    {
      select: REGION_COLUMNS,
      from: 'enforcement.regions r',
      ...c.listing,
      orderBy: 'r.code',
    },
    page,
  );
}

/** Pages of child regions per parent code (Region.children), by code. */
export function createRegionChildrenLoader(db: Queryable, page: Page) {
  return createPagedChildrenLoader<RegionRow>(
    db,
    {
      select: REGION_COLUMNS,
      from: 'enforcement.regions r',
      parent: 'r.parent_code',
      orderBy: 'r.code',
    },
    page,
  );
}

/** Pages of squads in scope per region prefix (Region.enforcementSquads), by id. */
export function createRegionSquadsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes, bound after the
  // conditions' values.
  const c = scopedConditions(scope, 'EnforcementSquad', SQUAD_SCOPE);
  return createPagedChildrenLoader<SquadRow>(
    db,
    {
      select: SQUAD_COLUMNS,
      from: joinRegionPrefixes('enforcement.squads', 's', c.values.length + 1),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: 's.id',
    },
    page,
  );
}

/** Filters of complaint listings. */
export interface ComplaintFilter {
  regionPrefix?: string | undefined;
  status?: string | undefined;
}

/** One page of complaints matching `filter`, newest first. */
export function listComplaints(
  db: Queryable,
  scope: RowScope | null,
  filter: ComplaintFilter,
  page: Page,
) {
  const c = scopedConditions(scope, 'Complaint', COMPLAINT_SCOPE);
  if (filter.regionPrefix !== undefined) {
    c.add('c.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.status !== undefined) c.add('c.status = $?', filter.status);
  return loadPage<ComplaintRow>(
    db,
    {
      select: COMPLAINT_COLUMNS,
      from: 'enforcement.complaints c',
      ...c.listing,
      orderBy: COMPLAINT_ORDER,
    },
    page,
  );
}

/** Pages of complaints per region prefix (Region.complaints), newest first. */
export function createRegionComplaintsLoader(
  db: Queryable,
  scope: RowScope | null,
  status: string | undefined,
  page: Page,
) {
  const c = scopedConditions(scope, 'Complaint', COMPLAINT_SCOPE);
  if (status !== undefined) c.add('c.status = $?', status);
  // The loader binds the region prefixes after the conditions' values.
  return createPagedChildrenLoader<ComplaintRow>(
    db,
    {
      select: COMPLAINT_COLUMNS,
      from: joinRegionPrefixes(
        'enforcement.complaints',
        'c',
        c.values.length + 1,
      ),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: COMPLAINT_ORDER,
    },
    page,
  );
}

/** Pages of merchant references per complaint (Complaint.merchants). */
export function createComplaintMerchantsLoader(db: Queryable, page: Page) {
  return createPagedChildrenLoader<MerchantRow>(
    db,
    {
      select: COMPLAINT_MERCHANT_COLUMNS,
      from: 'enforcement.complaint_merchants cm',
      parent: 'cm.complaint_id',
      orderBy: 'cm.credit_code',
    },
    page,
  );
}

/** Pages of inspections in scope per enterprise credit code, newest first. */
export function createInspectionsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  const c = scopedConditions(scope, 'Inspection', INSPECTION_SCOPE);
  addRowScope(c, scope, 'EnforcementSquad', squadScope('si'));
  return createPagedChildrenLoader<InspectionRow>(
    db,
    {
      select: INSPECTION_COLUMNS,
      // The squad is joined only when a condition reads it.
      from:
        c.where !== undefined
          ? 'enforcement.inspections i JOIN enforcement.squads si ON si.id = i.squad_id'
          : 'enforcement.inspections i',
      parent: 'i.credit_code',
      ...c.listing,
      orderBy: 'i.inspected_on DESC, i.id',
    },
    page,
  );
}

/**
 * The `limit` squads nearest to each of many points, closest first (ties by
 * id). One statement per batch whatever the number of points: the points are
 * unnested side by side and each gets its own ordered, limited LATERAL
 * subquery.
 */
export function createNearestSquadsLoader(
  db: Queryable,
  scope: RowScope | null,
  limit: number,
) {
  const distance = haversineSql('p.lat', 'p.lng', 's.latitude', 's.longitude');
  // Squads out of scope are passed over as if they did not exist.
  const c = scopedConditions(scope, 'EnforcementSquad', SQUAD_SCOPE);
  const at = c.values.length;
  return new DataLoader<GeoPoint, SquadDistanceRow[], string>(
    async (points) => {
      const { rows } = await db.query<SquadDistanceRow & { __point: number }>(
        `SELECT p.i::int AS __point, ${squadColumns('d')},
                round(d.distance)::int AS distance_meters
           FROM unnest($${at + 1}::float8[], $${at + 2}::float8[]) WITH ORDINALITY AS p(lat, lng, i)
          CROSS JOIN LATERAL (
                SELECT ${SQUAD_COLUMNS}, ${distance} AS distance
                  FROM enforcement.squads s
                 ${c.where !== undefined ? `WHERE ${c.where}` : ''}
                 ORDER BY distance, s.id
                 LIMIT $${at + 3}
          ) d
          ORDER BY p.i, d.distance, d.id`,
        [
          ...c.values,
          points.map((p) => p.latitude),
          points.map((p) => p.longitude),
          limit,
        ],
      );
      const byPoint: SquadDistanceRow[][] = points.map(() => []);
      for (const { __point, ...row } of rows) {
        byPoint[__point - 1]?.push(row);
      }
      return byPoint;
    },
    { cacheKeyFn: (p) => `${p.latitude},${p.longitude}` },
  );
}
