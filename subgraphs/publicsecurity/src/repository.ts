// SQL of the public-security department (公安局); the only file here that holds SQL.
import {
  joinRegionPrefixes,
  createBatchLoader,
  createRowLoader,
  createPagedChildrenLoader,
  loadPage,
  SqlConditions,
  type Page,
  type Queryable,
} from '../../kit/src/index.js';

/** A row of `publicsecurity.persons`. */
export interface PersonRow {
  id: string;
  name: string;
  id_number: string;
  mobile: string;
  gender: string;
  birth_date: string;
  household_address: string;
  region_code: string;
}

/** A row of `publicsecurity.crowd_areas`. */
export interface CrowdAreaRow {
  id: string;
  name: string;
  region_code: string;
  latitude: number;
  longitude: number;
  safe_capacity: number;
}

/** A row of `publicsecurity.crowd_observations`; observed_at arrives as a Date. */
export interface CrowdObservationRow {
  area_id: string;
  observed_at: Date;
  current_count: number;
  visitors_today: number;
  /** jsonb, parsed by the driver; checked by parseCongestionPoints. */
  congestion_points: unknown;
}

// Dates are selected as text so that pg and PGlite return the same string.
const PERSON_COLUMNS = `p.id, p.name, p.id_number, p.mobile, p.gender,
  p.birth_date::text AS birth_date, p.household_address, p.region_code`;

const AREA_COLUMNS = `a.id, a.name, a.region_code, a.latitude, a.longitude,
  a.safe_capacity`;

const OBSERVATION_COLUMNS = `o.area_id, o.observed_at, o.current_count,
  o.visitors_today, o.congestion_points`;

/** Persons by opaque id, one statement per batch. */
export function createPersonLoader(db: Queryable) {
  return createRowLoader<PersonRow>(db, {
    select: PERSON_COLUMNS,
    from: 'publicsecurity.persons p',
    key: 'p.id',
    keyOf: (row) => row.id,
  });
}

/** Crowd areas by id, one statement per batch. */
export function createCrowdAreaLoader(db: Queryable) {
  return createRowLoader<CrowdAreaRow>(db, {
    select: AREA_COLUMNS,
    from: 'publicsecurity.crowd_areas a',
    key: 'a.id',
    keyOf: (row) => row.id,
  });
}

/** One page of crowd areas, optionally inside a region prefix, by id. */
export function listCrowdAreas(
  db: Queryable,
  regionPrefix: string | undefined,
  page: Page,
) {
  const c = new SqlConditions();
  if (regionPrefix !== undefined) {
    c.add('a.region_code LIKE $?', `${regionPrefix}%`);
  }
  return loadPage<CrowdAreaRow>(
    db,
    {
      select: AREA_COLUMNS,
      from: 'publicsecurity.crowd_areas a',
      ...c.listing,
      orderBy: 'a.id',
    },
    page,
  );
}

/** Pages of crowd areas per region prefix (Region.crowdAreas), by id. */
export function createRegionCrowdAreasLoader(db: Queryable, page: Page) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes.
  return createPagedChildrenLoader<CrowdAreaRow>(
    db,
    {
      select: AREA_COLUMNS,
      from: joinRegionPrefixes('publicsecurity.crowd_areas', 'a', 1),
      parent: 'p.prefix',
      orderBy: 'a.id',
    },
    page,
  );
}

/**
 * Pages of observations per crowd area, newest first, optionally only those
 * observed at or after `since` (a UTC ISO timestamp).
 */
export function createObservationsLoader(
  db: Queryable,
  since: string | undefined,
  page: Page,
) {
  const c = new SqlConditions();
  if (since !== undefined) c.add('o.observed_at >= $?::timestamptz', since);
  return createPagedChildrenLoader<CrowdObservationRow>(
    db,
    {
      select: OBSERVATION_COLUMNS,
      from: 'publicsecurity.crowd_observations o',
      parent: 'o.area_id',
      ...c.listing,
      orderBy: 'o.observed_at DESC',
    },
    page,
  );
}

/** The newest observation of each crowd area, one statement per batch. */
export function createLatestObservationLoader(db: Queryable) {
  return createBatchLoader<string, CrowdObservationRow>(
    async (areaIds) =>
      (
        await db.query<CrowdObservationRow>(
          `SELECT DISTINCT ON (o.area_id) ${OBSERVATION_COLUMNS}
             FROM publicsecurity.crowd_observations o
            WHERE o.area_id = ANY($1::text[])
            ORDER BY o.area_id, o.observed_at DESC`,
          [areaIds],
        )
      ).rows,
    (row) => row.area_id,
  );
}
