// SQL of the public-security department (公安局); the only file here that holds SQL.
import {
  scopedConditions,
  type RowScopeColumns,
} from '../../kit/src/rowScope/compileRowScope.js';
import { joinRegionPrefixes } from '../../kit/src/regions.js';
import { createBatchLoader } from '../../kit/src/loaders/createBatchLoader.js';
import { createRowLoader } from '../../kit/src/loaders/createRowLoader.js';
import {
  createPagedChildrenLoader,
  loadPage,
  type Connection,
  type Page,
} from '../../kit/src/pagination.js';
import { SqlConditions } from '../../kit/src/SqlConditions.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import type { RowScope } from '../../../policies/src/scope/RowScope.js';

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

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  p: 'publicsecurity.persons',
  a: 'publicsecurity.crowd_areas',
  o: 'publicsecurity.crowd_observations',
} as const;

// Dates are selected as text so that pg and PGlite return the same string.
export const PERSON_COLUMNS = `p.id, p.name, p.id_number, p.mobile, p.gender,
  p.birth_date::text AS birth_date, p.household_address, p.region_code`;

export const AREA_COLUMNS = `a.id, a.name, a.region_code, a.latitude, a.longitude,
  a.safe_capacity`;

export const OBSERVATION_COLUMNS = `o.area_id, o.observed_at, o.current_count,
  o.visitors_today, o.congestion_points`;

/**
 * Row scope of `Person` (alias `p`): the region of residence. Grant row
 * filters may name the region and gender only — never the ID number, name
 * or other personal data.
 */
export const PERSON_SCOPE: RowScopeColumns = {
  region: 'p.region_code',
  attributes: { regionCode: 'p.region_code', gender: 'p.gender' },
};

/** Row scope of `CrowdArea` (alias `a`): the region it lies in. */
export const CROWD_AREA_SCOPE: RowScopeColumns = {
  region: 'a.region_code',
  attributes: { id: 'a.id', regionCode: 'a.region_code' },
};

/**
 * Row scope of `CrowdObservation` (alias `o`): no region of its own; read
 * only under a crowd area already in scope.
 */
export const CROWD_OBSERVATION_SCOPE: RowScopeColumns = {
  attributes: { areaId: 'o.area_id' },
};

/** Persons in scope by opaque id, one statement per batch. */
export function createPersonLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<PersonRow>(db, {
    select: PERSON_COLUMNS,
    from: 'publicsecurity.persons p',
    key: 'p.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'Person', PERSON_SCOPE).listing,
  });
}

/** Crowd areas in scope by id, one statement per batch. */
export function createCrowdAreaLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<CrowdAreaRow>(db, {
    select: AREA_COLUMNS,
    from: 'publicsecurity.crowd_areas a',
    key: 'a.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'CrowdArea', CROWD_AREA_SCOPE).listing,
  });
}

/** Which table a public-security record comes from. */
export type RecordKind = 'CrowdArea' | 'Person';

/** The key of one public-security record on a page of them. */
export interface RecordKeyRow {
  kind: RecordKind;
  id: string;
}

/**
 * One page of the keys of public-security records in scope — crowd areas,
 * then persons, each by id — optionally inside a region prefix. Each table
 * is scoped as its own type in its own branch of a `UNION ALL`, so paging
 * and the count cover only visible rows; the rows themselves are then
 * loaded through the (scoped) row loaders, one statement per type.
 */
export function listRecordKeys(
  db: Queryable,
  scope: RowScope | null,
  regionPrefix: string | undefined,
  page: Page,
): Promise<Connection<RecordKeyRow>> {
  const c = new SqlConditions();
  const areas = scopedConditions(
    scope,
    'CrowdArea',
    CROWD_AREA_SCOPE,
    c.branch(),
  );
  const persons = scopedConditions(scope, 'Person', PERSON_SCOPE, c.branch());
  if (regionPrefix !== undefined) {
    areas.add('a.region_code LIKE $?', `${regionPrefix}%`);
    persons.add('p.region_code LIKE $?', `${regionPrefix}%`);
  }
  const where = (w: string | undefined) =>
    w !== undefined ? `WHERE ${w}` : '';
  return loadPage<RecordKeyRow>(
    db,
    {
      select: 'n.kind, n.id',
      from: `(SELECT 'CrowdArea' AS kind, a.id
                FROM publicsecurity.crowd_areas a ${where(areas.where)}
              UNION ALL
              SELECT 'Person' AS kind, p.id
                FROM publicsecurity.persons p ${where(persons.where)}) n`,
      values: c.values,
      orderBy: 'n.kind, n.id',
    },
    page,
  );
}

/** One page of crowd areas in scope, optionally inside a region prefix, by id. */
export function listCrowdAreas(
  db: Queryable,
  scope: RowScope | null,
  regionPrefix: string | undefined,
  page: Page,
) {
  const c = scopedConditions(scope, 'CrowdArea', CROWD_AREA_SCOPE);
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
export function createRegionCrowdAreasLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes, bound after the
  // conditions' values.
  const c = scopedConditions(scope, 'CrowdArea', CROWD_AREA_SCOPE);
  return createPagedChildrenLoader<CrowdAreaRow>(
    db,
    {
      select: AREA_COLUMNS,
      from: joinRegionPrefixes(
        'publicsecurity.crowd_areas',
        'a',
        c.values.length + 1,
      ),
      parent: 'p.prefix',
      ...c.listing,
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
  scope: RowScope | null,
  since: string | undefined,
  page: Page,
) {
  const c = scopedConditions(
    scope,
    'CrowdObservation',
    CROWD_OBSERVATION_SCOPE,
  );
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
export function createLatestObservationLoader(
  db: Queryable,
  scope: RowScope | null,
) {
  const c = scopedConditions(
    scope,
    'CrowdObservation',
    CROWD_OBSERVATION_SCOPE,
  );
  const idsAt = c.values.length + 1;
  return createBatchLoader<string, CrowdObservationRow>(
    async (areaIds) =>
      (
        await db.query<CrowdObservationRow>(
          `SELECT DISTINCT ON (o.area_id) ${OBSERVATION_COLUMNS}
             FROM publicsecurity.crowd_observations o
            WHERE o.area_id = ANY($${idsAt}::text[])
                  ${c.where !== undefined ? `AND ${c.where}` : ''}
            ORDER BY o.area_id, o.observed_at DESC`,
          [...c.values, areaIds],
        )
      ).rows,
    (row) => row.area_id,
  );
}
