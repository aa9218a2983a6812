// SQL of the ecology and environment department (生态环境局); the only file
// here that holds SQL. Every loader answers a whole batch of parents with one
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

/** A row of `environment.sections`. */
export interface SectionRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
  latitude: number;
  longitude: number;
  target_class: string;
}

/** A reading, with the target class of its section to judge it against. */
export interface ReadingRow {
  section_id: string;
  parameter: string;
  measured_at: Date;
  value: number;
  target_class: string;
}

/** A row of `environment.pollution_sources`. */
export interface PollutionSourceRow {
  id: string;
  name: string;
  kind: string;
  credit_code: string;
  river_id: string;
  river_km: number;
  region_code: string;
  permit_number: string;
}

/** A pollution source with its distance upstream of a section or incident. */
export interface SuspectedSourceRow extends PollutionSourceRow {
  distance_km: number;
}

/** A row of `environment.discharge_records`. */
export interface DischargeRecordRow {
  id: string;
  source_id: string;
  recorded_at: Date;
  pollutant: string;
  concentration: number;
  unit: string;
  permitted_limit: number;
}

/** A row of `environment.incidents`. */
export interface IncidentRow {
  id: string;
  kind: string;
  description: string;
  river_id: string;
  river_km: number;
  region_code: string;
  area_sqm: number;
  detected_at: Date;
}

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  s: 'environment.sections',
  r: 'environment.readings',
  p: 'environment.pollution_sources',
  d: 'environment.discharge_records',
  i: 'environment.incidents',
} as const;

export const SECTION_COLUMNS = `s.id, s.name, s.river_id, s.river_km, s.region_code,
  s.latitude, s.longitude, s.target_class`;
// Sections list from the source of each river downwards.
const SECTION_ORDER = 's.river_id, s.river_km, s.id';

export const READING_COLUMNS = `r.section_id, r.parameter, r.measured_at, r.value,
  s.target_class`;

export const SOURCE_COLUMNS = `p.id, p.name, p.kind, p.credit_code, p.river_id,
  p.river_km, p.region_code, p.permit_number`;

export const DISCHARGE_COLUMNS = `d.id, d.source_id, d.recorded_at, d.pollutant,
  d.concentration, d.unit, d.permitted_limit`;

export const INCIDENT_COLUMNS = `i.id, i.kind, i.description, i.river_id, i.river_km,
  i.region_code, i.area_sqm, i.detected_at`;

/** Row scope of `MonitoringSection` (alias `s`): the region it lies in. */
export const SECTION_SCOPE: RowScopeColumns = {
  region: 's.region_code',
  attributes: {
    id: 's.id',
    regionCode: 's.region_code',
    riverId: 's.river_id',
    targetClass: 's.target_class',
  },
};

/** Row scope of `PollutionSource` (alias `p`): the region it lies in. */
export const POLLUTION_SOURCE_SCOPE: RowScopeColumns = {
  region: 'p.region_code',
  attributes: {
    id: 'p.id',
    regionCode: 'p.region_code',
    kind: 'p.kind',
    creditCode: 'p.credit_code',
    riverId: 'p.river_id',
  },
};

/** Row scope of `PollutionIncident` (alias `i`): where it was detected. */
export const INCIDENT_SCOPE: RowScopeColumns = {
  region: 'i.region_code',
  attributes: {
    id: 'i.id',
    regionCode: 'i.region_code',
    kind: 'i.kind',
    riverId: 'i.river_id',
  },
};

/**
 * Row scope of `Reading` (alias `r`): no region of its own; readings are
 * read only under their section, whose scope (alias `s`) applies as well.
 */
export const READING_SCOPE: RowScopeColumns = {
  attributes: { parameter: 'r.parameter', sectionId: 'r.section_id' },
};

/**
 * Row scope of `DischargeRecord` (alias `d`): no region of its own;
 * listed only under a pollution source already in scope.
 */
export const DISCHARGE_RECORD_SCOPE: RowScopeColumns = {
  attributes: { pollutant: 'd.pollutant', sourceId: 'd.source_id' },
};

/** Sections in scope by id, one statement per batch. */
export function createSectionLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<SectionRow>(db, {
    select: SECTION_COLUMNS,
    from: 'environment.sections s',
    key: 's.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE).listing,
  });
}

/** Filters of the section listing. */
export interface SectionFilter {
  regionPrefix?: string | undefined;
  riverId?: string | undefined;
}

/** One page of sections in scope matching `filter`, by river and from source downwards. */
export function listSections(
  db: Queryable,
  scope: RowScope | null,
  filter: SectionFilter,
  page: Page,
) {
  const c = scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE);
  if (filter.regionPrefix !== undefined) {
    c.add('s.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.riverId !== undefined) c.add('s.river_id = $?', filter.riverId);
  return loadPage<SectionRow>(
    db,
    {
      select: SECTION_COLUMNS,
      from: 'environment.sections s',
      ...c.listing,
      orderBy: SECTION_ORDER,
    },
    page,
  );
}

/** Filters of a section's readings. */
export interface ReadingFilter {
  parameter?: string | undefined;
  /** A validated, normalised ISO 8601 timestamp (inclusive lower bound). */
  since?: string | undefined;
  /** A validated, normalised ISO 8601 timestamp (exclusive upper bound). */
  until?: string | undefined;
}

/** Pages of readings per section, newest first (MonitoringSection.readings). */
export function createReadingsLoader(
  db: Queryable,
  scope: RowScope | null,
  filter: ReadingFilter,
  page: Page,
) {
  const c = scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE);
  addRowScope(c, scope, 'Reading', READING_SCOPE);
  if (filter.parameter !== undefined) {
    c.add('r.parameter = $?', filter.parameter);
  }
  if (filter.since !== undefined) {
    c.add('r.measured_at >= $?::timestamptz', filter.since);
  }
  if (filter.until !== undefined) {
    c.add('r.measured_at < $?::timestamptz', filter.until);
  }
  return createPagedChildrenLoader<ReadingRow>(
    db,
    {
      select: READING_COLUMNS,
      from: 'environment.readings r JOIN environment.sections s ON s.id = r.section_id',
      parent: 'r.section_id',
      ...c.listing,
      orderBy: 'r.measured_at DESC, r.parameter',
    },
    page,
  );
}

/** The latest reading of one parameter per section (MonitoringSection.latestReading). */
export function createLatestReadingLoader(
  db: Queryable,
  scope: RowScope | null,
  parameter: string,
) {
  const c = scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE);
  addRowScope(c, scope, 'Reading', READING_SCOPE);
  c.add('r.parameter = $?', parameter);
  const idsAt = c.values.length + 1;
  return createBatchLoader<string, ReadingRow>(
    async (sectionIds) =>
      (
        await db.query<ReadingRow>(
          `SELECT DISTINCT ON (r.section_id) ${READING_COLUMNS}
             FROM environment.readings r
             JOIN environment.sections s ON s.id = r.section_id
            WHERE r.section_id = ANY($${idsAt}::text[]) AND ${c.where}
            ORDER BY r.section_id, r.measured_at DESC`,
          [...c.values, sectionIds],
        )
      ).rows,
    (row) => row.section_id,
  );
}

/** Which way along the river a neighbouring section is looked for. */
export type Direction = 'upstream' | 'downstream';

/**
 * The nearest section in scope on the same river upstream (smaller
 * river_km) or downstream (larger river_km) of each section; one lateral
 * join per batch. Sections out of scope are passed over as if they did not
 * exist.
 */
export function createNeighbourSectionLoader(
  db: Queryable,
  scope: RowScope | null,
  direction: Direction,
) {
  const [comparison, order] =
    direction === 'upstream' ? ['<', 'DESC'] : ['>', 'ASC'];
  const c = scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE);
  const idsAt = c.values.length + 1;
  return createBatchLoader<string, SectionRow & { of_section: string }>(
    async (ids) =>
      (
        await db.query<SectionRow & { of_section: string }>(
          `SELECT o.id AS of_section, n.*
             FROM environment.sections o
            CROSS JOIN LATERAL (
              SELECT ${SECTION_COLUMNS}
                FROM environment.sections s
               WHERE s.river_id = o.river_id AND s.river_km ${comparison} o.river_km
                     ${c.where !== undefined ? `AND ${c.where}` : ''}
               ORDER BY s.river_km ${order}, s.id
               LIMIT 1
            ) n
            WHERE o.id = ANY($${idsAt}::text[])`,
          [...c.values, ids],
        )
      ).rows,
    (row) => row.of_section,
  );
}

/**
 * Pages of the pollution sources on the reach above each section
 * (MonitoringSection.suspectedSources): sources on the same river from the
 * next section upstream (or the river's source, km 0) down to the section,
 * both ends included, nearest first. The reach of every section of the batch
 * is computed in the same statement (a lateral join per section).
 */
export function createSuspectedSourcesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  const c = scopedConditions(scope, 'PollutionSource', POLLUTION_SOURCE_SCOPE);
  return createPagedChildrenLoader<SuspectedSourceRow>(
    db,
    {
      select: `${SOURCE_COLUMNS}, round((s.river_km - p.river_km)::numeric, 3)::float8 AS distance_km`,
      from: `environment.sections s
        CROSS JOIN LATERAL (
          SELECT coalesce(max(u.river_km), 0) AS from_km
            FROM environment.sections u
           WHERE u.river_id = s.river_id AND u.river_km < s.river_km
        ) reach
        JOIN environment.pollution_sources p
          ON p.river_id = s.river_id
         AND p.river_km >= reach.from_km
         AND p.river_km <= s.river_km`,
      parent: 's.id',
      ...c.listing,
      orderBy: 's.river_km - p.river_km, p.id',
    },
    page,
  );
}

/** Pollution sources in scope by id, one statement per batch. */
export function createPollutionSourceLoader(
  db: Queryable,
  scope: RowScope | null,
) {
  return createRowLoader<PollutionSourceRow>(db, {
    select: SOURCE_COLUMNS,
    from: 'environment.pollution_sources p',
    key: 'p.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'PollutionSource', POLLUTION_SOURCE_SCOPE)
      .listing,
  });
}

/** Pages of discharge records per pollution source, newest first. */
export function createDischargeRecordsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  const c = scopedConditions(scope, 'DischargeRecord', DISCHARGE_RECORD_SCOPE);
  return createPagedChildrenLoader<DischargeRecordRow>(
    db,
    {
      select: DISCHARGE_COLUMNS,
      from: 'environment.discharge_records d',
      parent: 'd.source_id',
      ...c.listing,
      orderBy: 'd.recorded_at DESC, d.id',
    },
    page,
  );
}

/** Pages of pollution sources per enterprise (Enterprise.pollutionSources). */
export function createEnterpriseSourcesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<PollutionSourceRow>(
    db,
    {
      select: SOURCE_COLUMNS,
      from: 'environment.pollution_sources p',
      parent: 'p.credit_code',
      ...scopedConditions(scope, 'PollutionSource', POLLUTION_SOURCE_SCOPE)
        .listing,
      orderBy: 'p.id',
    },
    page,
  );
}

/** Incidents in scope by id, one statement per batch. */
export function createIncidentLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<IncidentRow>(db, {
    select: INCIDENT_COLUMNS,
    from: 'environment.incidents i',
    key: 'i.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'PollutionIncident', INCIDENT_SCOPE).listing,
  });
}

/** One page of incidents in scope, in a region when given, newest first. */
export function listIncidents(
  db: Queryable,
  scope: RowScope | null,
  filter: { regionPrefix?: string | undefined },
  page: Page,
) {
  const c = scopedConditions(scope, 'PollutionIncident', INCIDENT_SCOPE);
  if (filter.regionPrefix !== undefined) {
    c.add('i.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  return loadPage<IncidentRow>(
    db,
    {
      select: INCIDENT_COLUMNS,
      from: 'environment.incidents i',
      ...c.listing,
      orderBy: 'i.detected_at DESC, i.id',
    },
    page,
  );
}

/**
 * Pages of the pollution sources on the same river up to `withinKm`
 * upstream of each incident (PollutionIncident.candidateSources), nearest
 * first; a source at the incident's own position counts (distance 0).
 */
export function createCandidateSourcesLoader(
  db: Queryable,
  scope: RowScope | null,
  withinKm: number,
  page: Page,
) {
  const c = new SqlConditions();
  c.add('p.river_km >= i.river_km - $?::double precision', withinKm);
  addRowScope(c, scope, 'PollutionSource', POLLUTION_SOURCE_SCOPE);
  return createPagedChildrenLoader<SuspectedSourceRow>(
    db,
    {
      select: `${SOURCE_COLUMNS}, round((i.river_km - p.river_km)::numeric, 3)::float8 AS distance_km`,
      from: `environment.incidents i
        JOIN environment.pollution_sources p
          ON p.river_id = i.river_id
         AND p.river_km <= i.river_km`,
      parent: 'i.id',
      ...c.listing,
      orderBy: 'i.river_km - p.river_km, p.id',
    },
    page,
  );
}

/** Pages of sections per river, from its source downwards (River.monitoringSections). */
export function createRiverSectionsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<SectionRow>(
    db,
    {
      select: SECTION_COLUMNS,
      from: 'environment.sections s',
      parent: 's.river_id',
      ...scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE).listing,
      orderBy: SECTION_ORDER,
    },
    page,
  );
}

/** Pages of sections per region prefix (Region.monitoringSections). */
export function createRegionSectionsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes, which the loader
  // binds as the parameter after the conditions' values.
  const c = scopedConditions(scope, 'MonitoringSection', SECTION_SCOPE);
  return createPagedChildrenLoader<SectionRow>(
    db,
    {
      select: SECTION_COLUMNS,
      from: joinRegionPrefixes(
        'environment.sections',
        's',
        c.values.length + 1,
      ),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: SECTION_ORDER,
    },
    page,
  );
}
