// SQL of the emergency department (应急管理局); the only file here that holds SQL.
import DataLoader from 'dataloader';

import {
  addRowScope,
  scopedConditions,
  type RowScopeColumns,
} from '../../kit/src/rowScope/compileRowScope.js';
import { createRowLoader } from '../../kit/src/loaders/createRowLoader.js';
import { joinRegionPrefixes } from '../../kit/src/regions.js';
import {
  createPagedChildrenLoader,
  loadPage,
  type Connection,
  type Page,
} from '../../kit/src/pagination.js';
import type { SqlConditions } from '../../kit/src/SqlConditions.js';
import type { Queryable } from '../../kit/src/db/Database.js';
import type { RowScope } from '../../../policies/src/scope/RowScope.js';

/** 风险等级 — the level of a risk item, from 重大 (MAJOR) down to 低 (LOW). */
export type RiskLevel = 'MAJOR' | 'HIGH' | 'MODERATE' | 'LOW';
/** The colour of an alert, from BLUE (least) to RED (most severe). */
export type AlertLevel = 'BLUE' | 'YELLOW' | 'ORANGE' | 'RED';
/** Where an alert stands in its handling. */
export type AlertStatus = 'NEW' | 'ACKNOWLEDGED' | 'DISPOSED' | 'CLOSED';
/** How a threshold compares a reading with its value. */
export type Comparator = 'LT' | 'LTE' | 'GT' | 'GTE';

/** A row of `emergency.risk_categories`. */
export interface RiskCategoryRow {
  code: string;
  name: string;
  domain: string;
  responsible_department: string;
}

/**
 * One element of `emergency.risk_items.thresholds` (jsonb), stored with the
 * GraphQL field names so that it resolves as it is.
 */
export interface RiskThresholdRow {
  metric: string;
  comparator: Comparator;
  value: number;
  unit: string;
  windowDays: number;
  alertLevel: AlertLevel;
}

/** A row of `emergency.risk_items` as both pg and PGlite return it. */
export interface RiskItemRow {
  id: string;
  name: string;
  category_code: string;
  level: RiskLevel;
  region_code: string;
  address: string;
  latitude: number;
  longitude: number;
  credit_code: string | null;
  section_id: string | null;
  thresholds: RiskThresholdRow[];
  disposal_measures: string[];
  responsible_person_id: string;
  updated_at: Date;
}

/** A row of `emergency.alerts` as both pg and PGlite return it. */
export interface AlertRow {
  id: string;
  risk_item_id: string;
  level: AlertLevel;
  status: AlertStatus;
  title: string;
  message: string;
  raised_at: Date;
  region_code: string;
  section_id: string | null;
  suspected_credit_codes: string[];
  notified_parties: string[];
}

/**
 * The tables behind the aliases of this file's column lists (the exported
 * `*_COLUMNS`); tests/unit/subgraphs/columnLists.test.ts checks every column
 * they name against the migrations.
 */
export const COLUMN_ALIASES = {
  c: 'emergency.risk_categories',
  r: 'emergency.risk_items',
  a: 'emergency.alerts',
} as const;

export const CATEGORY_COLUMNS =
  'c.code, c.name, c.domain, c.responsible_department';

export const RISK_ITEM_COLUMNS = `r.id, r.name, r.category_code, r.level, r.region_code,
  r.address, r.latitude, r.longitude, r.credit_code, r.section_id, r.thresholds,
  r.disposal_measures, r.responsible_person_id, r.updated_at`;

export const ALERT_COLUMNS = `a.id, a.risk_item_id, a.level, a.status, a.title,
  a.message, a.raised_at, a.region_code, a.section_id, a.suspected_credit_codes,
  a.notified_parties`;

/** Risk items in id order: the order of every risk-item listing. */
const RISK_ITEM_ORDER = 'r.id';
/** Alerts newest first, ties broken by id: the order of every alert listing. */
const ALERT_ORDER = 'a.raised_at DESC, a.id';

/** Row scope of `RiskItem` over alias `alias`: the region the hazard is in. */
function riskItemScope(alias: string): RowScopeColumns {
  return {
    region: `${alias}.region_code`,
    attributes: {
      id: `${alias}.id`,
      regionCode: `${alias}.region_code`,
      level: `${alias}.level`,
      categoryCode: `${alias}.category_code`,
      creditCode: `${alias}.credit_code`,
      sectionId: `${alias}.section_id`,
    },
  };
}

/** Row scope of `RiskItem` (alias `r`). */
export const RISK_ITEM_SCOPE = riskItemScope('r');

/** Row scope of `Alert` (alias `a`): the region it was raised for. */
export const ALERT_SCOPE: RowScopeColumns = {
  region: 'a.region_code',
  attributes: {
    id: 'a.id',
    regionCode: 'a.region_code',
    level: 'a.level',
    status: 'a.status',
    riskItemId: 'a.risk_item_id',
    sectionId: 'a.section_id',
  },
};

/**
 * Conditions keeping alerts (alias `a`) in scope, and the join to add after
 * `emergency.alerts a`. An alert's risk item is non-null in the schema, so
 * an alert is visible only when its risk item is too: the item (alias `ri`)
 * is joined and scoped as `RiskItem` whenever the scope restricts risk
 * items; otherwise the join is empty.
 */
function scopedAlerts(scope: RowScope | null): {
  c: SqlConditions;
  join: string;
} {
  const c = scopedConditions(scope, 'Alert', ALERT_SCOPE);
  const item = c.branch();
  const joined = addRowScope(item, scope, 'RiskItem', riskItemScope('ri'));
  return {
    c,
    join: joined
      ? ` JOIN emergency.risk_items ri ON ri.id = a.risk_item_id AND ${item.where}`
      : '',
  };
}

/** Risk categories by code, one statement per batch. */
export function createRiskCategoryLoader(
  db: Queryable,
): DataLoader<string, RiskCategoryRow | null> {
  return createRowLoader<RiskCategoryRow>(db, {
    select: CATEGORY_COLUMNS,
    from: 'emergency.risk_categories c',
    key: 'c.code',
    keyOf: (row) => row.code,
  });
}

/** One page of risk categories in code order. */
export function listRiskCategories(
  db: Queryable,
  page: Page,
): Promise<Connection<RiskCategoryRow>> {
  return loadPage<RiskCategoryRow>(
    db,
    {
      select: CATEGORY_COLUMNS,
      from: 'emergency.risk_categories c',
      orderBy: 'c.code',
    },
    page,
  );
}

/**
 * The number of risk items in scope of each category: one grouped count per
 * batch of categories (on the `category_code` index); 0 for a category
 * without items.
 */
export function createRiskItemCountLoader(
  db: Queryable,
  scope: RowScope | null,
): DataLoader<string, number> {
  const c = scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE);
  const codesAt = c.values.length + 1;
  return new DataLoader<string, number>(async (codes) => {
    const { rows } = await db.query<{ category_code: string; n: number }>(
      `SELECT r.category_code, count(*)::int AS n
         FROM emergency.risk_items r
        WHERE r.category_code = ANY($${codesAt}::text[])
              ${c.where !== undefined ? `AND ${c.where}` : ''}
        GROUP BY r.category_code`,
      [...c.values, codes],
    );
    const counts = new Map(rows.map((row) => [row.category_code, row.n]));
    return codes.map((code) => counts.get(code) ?? 0);
  });
}

/** Risk items in scope by id, one statement per batch. */
export function createRiskItemLoader(
  db: Queryable,
  scope: RowScope | null,
): DataLoader<string, RiskItemRow | null> {
  return createRowLoader<RiskItemRow>(db, {
    select: RISK_ITEM_COLUMNS,
    from: 'emergency.risk_items r',
    key: 'r.id',
    keyOf: (row) => row.id,
    ...scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE).listing,
  });
}

/** Filters of the risk-item listing; each one is served by an index. */
export interface RiskItemFilter {
  /** From `regionPrefix`: digits that every code in the region starts with. */
  regionPrefix?: string | undefined;
  /** A category code known to exist. */
  categoryCode?: string | undefined;
  level?: RiskLevel | undefined;
}

/**
 * One page of risk items matching `filter`, in id order.
 *
 * The filter runs in a subquery fenced with `OFFSET 0`: unfenced, the
 * planner costs `ORDER BY r.id LIMIT n` as if it could stop after n rows and
 * walks the primary key over the whole inventory, filtering row by row,
 * although `count(*) OVER ()` reads every matching row first (PostgreSQL 15
 * does not charge a window aggregate for that). Fenced, the rows come from the
 * index that serves the filter (region, category) and only they are sorted.
 */
export function listRiskItems(
  db: Queryable,
  scope: RowScope | null,
  filter: RiskItemFilter,
  page: Page,
): Promise<Connection<RiskItemRow>> {
  const c = scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE);
  if (filter.regionPrefix !== undefined) {
    c.add('r.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.categoryCode !== undefined) {
    c.add('r.category_code = $?', filter.categoryCode);
  }
  if (filter.level !== undefined) c.add('r.level = $?', filter.level);
  const { where, values } = c.listing;
  return loadPage<RiskItemRow>(
    db,
    {
      select: RISK_ITEM_COLUMNS,
      from: `(SELECT * FROM emergency.risk_items r
               ${where !== undefined ? `WHERE ${where}` : ''}
              OFFSET 0) r`,
      values,
      orderBy: RISK_ITEM_ORDER,
    },
    page,
  );
}

/**
 * Pages of risk items per region prefix (Region.riskItems), optionally of one
 * category; the loader's keys are prefixes from `regionPrefix`.
 */
export function createRegionRiskItemsLoader(
  db: Queryable,
  scope: RowScope | null,
  categoryCode: string | undefined,
  page: Page,
): DataLoader<string, Connection<RiskItemRow>> {
  const c = scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE);
  if (categoryCode !== undefined) c.add('r.category_code = $?', categoryCode);
  // The loader appends the parent keys as the next parameter.
  return createPagedChildrenLoader<RiskItemRow>(
    db,
    {
      select: RISK_ITEM_COLUMNS,
      from: joinRegionPrefixes(
        'emergency.risk_items',
        'r',
        c.values.length + 1,
      ),
      parent: 'p.prefix',
      ...c.listing,
      orderBy: RISK_ITEM_ORDER,
    },
    page,
  );
}

/** Pages of risk items per operating enterprise's credit code. */
export function createEnterpriseRiskItemsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
): DataLoader<string, Connection<RiskItemRow>> {
  return createPagedChildrenLoader<RiskItemRow>(
    db,
    {
      select: RISK_ITEM_COLUMNS,
      from: 'emergency.risk_items r',
      parent: 'r.credit_code',
      ...scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE).listing,
      orderBy: RISK_ITEM_ORDER,
    },
    page,
  );
}

/** Pages of risk items per responsible person (Person.responsibleFor). */
export function createResponsibleRiskItemsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
): DataLoader<string, Connection<RiskItemRow>> {
  return createPagedChildrenLoader<RiskItemRow>(
    db,
    {
      select: RISK_ITEM_COLUMNS,
      from: 'emergency.risk_items r',
      parent: 'r.responsible_person_id',
      ...scopedConditions(scope, 'RiskItem', RISK_ITEM_SCOPE).listing,
      orderBy: RISK_ITEM_ORDER,
    },
    page,
  );
}

/** Alerts in scope by id, one statement per batch. */
export function createAlertLoader(
  db: Queryable,
  scope: RowScope | null,
): DataLoader<string, AlertRow | null> {
  const { c, join } = scopedAlerts(scope);
  return createRowLoader<AlertRow>(db, {
    select: ALERT_COLUMNS,
    from: `emergency.alerts a${join}`,
    key: 'a.id',
    keyOf: (row) => row.id,
    ...c.listing,
  });
}

/** Filters of the alert listing. */
export interface AlertFilter {
  /** From `regionPrefix`: digits that every code in the region starts with. */
  regionPrefix?: string | undefined;
  status?: AlertStatus | undefined;
  level?: AlertLevel | undefined;
}

/** One page of alerts matching `filter`, newest first. */
export function listAlerts(
  db: Queryable,
  scope: RowScope | null,
  filter: AlertFilter,
  page: Page,
): Promise<Connection<AlertRow>> {
  const { c, join } = scopedAlerts(scope);
  if (filter.regionPrefix !== undefined) {
    c.add('a.region_code LIKE $?', `${filter.regionPrefix}%`);
  }
  if (filter.status !== undefined) c.add('a.status = $?', filter.status);
  if (filter.level !== undefined) c.add('a.level = $?', filter.level);
  return loadPage<AlertRow>(
    db,
    {
      select: ALERT_COLUMNS,
      from: `emergency.alerts a${join}`,
      ...c.listing,
      orderBy: ALERT_ORDER,
    },
    page,
  );
}

/** Pages of alerts per risk item, newest first. */
export function createRiskItemAlertsLoader(
  db: Queryable,
  scope: RowScope | null,
  page: Page,
): DataLoader<string, Connection<AlertRow>> {
  const { c, join } = scopedAlerts(scope);
  return createPagedChildrenLoader<AlertRow>(
    db,
    {
      select: ALERT_COLUMNS,
      from: `emergency.alerts a${join}`,
      parent: 'a.risk_item_id',
      ...c.listing,
      orderBy: ALERT_ORDER,
    },
    page,
  );
}

/**
 * Pages of alerts per region prefix (Region.alerts), optionally in one
 * status; the loader's keys are prefixes from `regionPrefix`.
 */
export function createRegionAlertsLoader(
  db: Queryable,
  scope: RowScope | null,
  status: AlertStatus | undefined,
  page: Page,
): DataLoader<string, Connection<AlertRow>> {
  const { c, join } = scopedAlerts(scope);
  if (status !== undefined) c.add('a.status = $?', status);
  return createPagedChildrenLoader<AlertRow>(
    db,
    {
      select: ALERT_COLUMNS,
      from: `${joinRegionPrefixes('emergency.alerts', 'a', c.values.length + 1)}${join}`,
      parent: 'p.prefix',
      ...c.listing,
      orderBy: ALERT_ORDER,
    },
    page,
  );
}

/** Pages of alerts per monitoring section, optionally in one status. */
export function createSectionAlertsLoader(
  db: Queryable,
  scope: RowScope | null,
  status: AlertStatus | undefined,
  page: Page,
): DataLoader<string, Connection<AlertRow>> {
  const { c, join } = scopedAlerts(scope);
  if (status !== undefined) c.add('a.status = $?', status);
  return createPagedChildrenLoader<AlertRow>(
    db,
    {
      select: ALERT_COLUMNS,
      from: `emergency.alerts a${join}`,
      parent: 'a.section_id',
      ...c.listing,
      orderBy: ALERT_ORDER,
    },
    page,
  );
}

/**
 * Which of the given risk items have an open alert (NEW or ACKNOWLEDGED):
 * one statement per batch, on the alerts' risk-item index.
 */
export function createAlertingLoader(
  db: Queryable,
): DataLoader<string, boolean> {
  return new DataLoader<string, boolean>(async (ids) => {
    const { rows } = await db.query<{ risk_item_id: string }>(
      `SELECT DISTINCT a.risk_item_id FROM emergency.alerts a
        WHERE a.risk_item_id = ANY($1::text[])
          AND a.status IN ('NEW', 'ACKNOWLEDGED')`,
      [ids],
    );
    const open = new Set(rows.map((r) => r.risk_item_id));
    return ids.map((id) => open.has(id));
  });
}
