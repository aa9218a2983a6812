// SQL of the market department (市场监管局); the only file here that holds SQL.
import {
  addRowScope,
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

export interface EnterpriseRow {
  credit_code: string;
  name: string;
  industry: string;
  status: string;
  registered_capital_wan: number;
  established_on: string;
  address: string;
  region_code: string;
  latitude: number;
  longitude: number;
  legal_rep_person_id: string;
  credit_grade: string;
  licence_number: string;
  licence_issued_on: string;
  licence_valid_until: string | null;
  business_scope: string;
  issuing_authority: string;
}

export interface ViolationRow {
  id: string;
  credit_code: string;
  occurred_on: string;
  category: string;
  description: string;
  penalty: string;
  fine_yuan: number;
  rectified: boolean;
}

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  e: 'market.enterprises',
  v: 'market.violations',
} as const;

// Dates are selected as text so that pg and PGlite return the same string.
export const ENTERPRISE_COLUMNS = `e.credit_code, e.name, e.industry, e.status,
  e.registered_capital_wan, e.established_on::text AS established_on, e.address,
  e.region_code, e.latitude, e.longitude, e.legal_rep_person_id, e.credit_grade,
  e.licence_number, e.licence_issued_on::text AS licence_issued_on,
  e.licence_valid_until::text AS licence_valid_until, e.business_scope,
  e.issuing_authority`;

export const VIOLATION_COLUMNS = `v.id, v.credit_code, v.occurred_on::text AS occurred_on,
  v.category, v.description, v.penalty, v.fine_yuan, v.rectified`;

/**
 * Row scope of `Enterprise` (alias `e`): the region it is registered in,
 * and the attributes grant row filters may name.
 */
export const ENTERPRISE_SCOPE: RowScopeColumns = {
  region: 'e.region_code',
  attributes: {
    regionCode: 'e.region_code',
    creditCode: 'e.credit_code',
    industry: 'e.industry',
    status: 'e.status',
    creditGrade: 'e.credit_grade',
  },
};

/**
 * Row scope of `Violation` (alias `v`): no region of its own; violations
 * are listed only under an enterprise already in scope.
 */
export const VIOLATION_SCOPE: RowScopeColumns = {
  attributes: {
    category: 'v.category',
    rectified: 'v.rectified',
  },
};

/** Conditions keeping enterprises (alias `e`) inside `scope`. */
function enterpriseConditions(scope: RowScope | null): SqlConditions {
  const c = new SqlConditions();
  addRowScope(c, scope, 'Enterprise', ENTERPRISE_SCOPE);
  return c;
}

/** Enterprises in scope by credit code, one statement per batch. */
export function createEnterpriseLoader(db: Queryable, scope: RowScope | null) {
  return createRowLoader<EnterpriseRow>(db, {
    select: ENTERPRISE_COLUMNS,
    from: 'market.enterprises e',
    key: 'e.credit_code',
    keyOf: (row) => row.credit_code,
    ...enterpriseConditions(scope).listing,
  });
}

/** Filters of the enterprise listing. */
export interface EnterpriseFilter {
  regionPrefix?: string | undefined;
  industry?: string | undefined;
  nameContains?: string | undefined;
}

/** One page of enterprises in scope matching `filter`, ordered by credit code. */
export function listEnterprises(
  db: Queryable,
  scope: RowScope | null,
  filter: EnterpriseFilter,
  page: Page,
) {
  const c = enterpriseConditions(scope);
  if (filter.regionPrefix !== undefined) {
    c.add('e.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.industry !== undefined) c.add('e.industry = $?', filter.industry);
  if (filter.nameContains !== undefined) {
    c.add('e.name LIKE $?', `%${filter.nameContains}%`);
  }
  return loadPage<EnterpriseRow>(
    db,
    {
      select: ENTERPRISE_COLUMNS,
      from: 'market.enterprises e',
      ...c.listing,
      orderBy: 'e.credit_code',
    },
    page,
  );
}

/** Pages of enterprises per region prefix (Region.enterprises). */
export function createRegionEnterprisesLoader(
  db: Queryable,
  scope: RowScope | null,
  industry: string | undefined,
  page: Page,
) {
  // The parent key is the region's prefix, matched with LIKE; rows are keyed
  // back to it through a join on the list of prefixes, which the loader
  // binds as the parameter after the conditions' values.
  const c = enterpriseConditions(scope);
  if (industry !== undefined) c.add('e.industry = $?', industry);
  return createPagedChildrenLoader<EnterpriseRow>(
    db,
    {
      select: ENTERPRISE_COLUMNS,
      from: joinRegionPrefixes('market.enterprises', 'e', c.values.length + 1),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: 'e.credit_code',
    },
    page,
  );
}

/** Pages of enterprises per legal representative (Person.legalRepresentativeOf). */
export function createRepresentedEnterprisesLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  return createPagedChildrenLoader<EnterpriseRow>(
    db,
    {
      select: ENTERPRISE_COLUMNS,
      from: 'market.enterprises e',
      parent: 'e.legal_rep_person_id',
      ...enterpriseConditions(scope).listing,
      orderBy: 'e.credit_code',
    },
    page,
  );
}

/** Pages of violations per enterprise, newest first. */
export function createViolationsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
) {
  const c = new SqlConditions();
  addRowScope(c, scope, 'Violation', VIOLATION_SCOPE);
  return createPagedChildrenLoader<ViolationRow>(
    db,
    {
      select: VIOLATION_COLUMNS,
      from: 'market.violations v',
      parent: 'v.credit_code',
      ...c.listing,
      orderBy: 'v.occurred_on DESC, v.id',
    },
    page,
  );
}
