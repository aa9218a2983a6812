// The emergency department's search documents, built from its tables: risk
// items and alerts by batches of ids (for the outbox's changes) and page by
// page (for a full reindex). Fields as `collections.ts` describes them.
import type { Queryable } from '../../../kit/src/db/Database.js';
import type { SearchDocument } from '../../../../search/src/SearchBackend.js';
import type {
  CollectionSource,
  DocumentBatch,
  SearchSource,
} from '../../../../search/src/pipeline/SearchSource.js';
import type { AlertLevel, AlertStatus, RiskLevel } from '../repository.js';
import {
  ALERT_LEVEL_RANK,
  ALERTS,
  RISK_ITEMS,
  RISK_LEVEL_RANK,
} from './collections.js';

/** The outbox the emergency triggers write (migration 003_search.sql). */
export const EMERGENCY_OUTBOX = 'emergency.search_outbox';
/** The channel the emergency outbox triggers notify. */
export const EMERGENCY_OUTBOX_CHANNEL = 'emergency_search_outbox';

/** Alert statuses that make a risk item ALERTING. */
const OPEN_ALERT_STATUSES: readonly AlertStatus[] = ['NEW', 'ACKNOWLEDGED'];

/**
 * The version of every document a statement loads: the statement's start in
 * epoch microseconds. A later load sees a later state and gets a higher
 * version, so the index keeps the newest whatever order batches arrive in.
 * Exact as a double (below 2^53 until the year 2255).
 */
const VERSION = `floor(extract(epoch FROM statement_timestamp()) * 1000000)::float8`;

interface RiskItemDocRow {
  key: string;
  version: number;
  id: string | null;
  name: string;
  address: string;
  disposal_measures: string[];
  category_name: string;
  category_code: string;
  level: RiskLevel;
  responsible_department: string | null;
  alerting: boolean;
  credit_code: string | null;
  section_id: string | null;
  region_code: string;
  updated_at: Date;
}

const RISK_ITEM_SELECT = `r.id, r.name, r.address, r.disposal_measures,
  c.name AS category_name, r.category_code, r.level, c.responsible_department,
  EXISTS (SELECT 1 FROM emergency.alerts a
           WHERE a.risk_item_id = r.id
             AND a.status = ANY('{${OPEN_ALERT_STATUSES.join(',')}}'::text[])) AS alerting,
  r.credit_code, r.section_id, r.region_code, r.updated_at, ${VERSION} AS version`;

function riskItemDocument(
  row: RiskItemDocRow & { id: string },
): SearchDocument {
  return {
    id: row.id,
    version: Number(row.version),
    fields: {
      name: row.name,
      address: row.address,
      disposalMeasures: row.disposal_measures,
      categoryName: row.category_name,
      categoryCode: row.category_code,
      level: row.level,
      responsibleDepartment: row.responsible_department,
      status: row.alerting ? 'ALERTING' : 'NORMAL',
      enterpriseCreditCode: row.credit_code,
      sectionId: row.section_id,
      regionCode: row.region_code,
      updatedAt: new Date(row.updated_at).toISOString(),
      levelRank: RISK_LEVEL_RANK[row.level],
    },
  };
}

interface AlertDocRow {
  key: string;
  version: number;
  id: string | null;
  title: string;
  message: string;
  risk_item_name: string;
  category_code: string;
  level: AlertLevel;
  status: AlertStatus;
  responsible_department: string | null;
  risk_item_id: string;
  region_code: string;
  raised_at: Date;
}

const ALERT_SELECT = `a.id, a.title, a.message, r.name AS risk_item_name,
  r.category_code, a.level, a.status, c.responsible_department, a.risk_item_id,
  a.region_code, a.raised_at, ${VERSION} AS version`;

const ALERT_JOINS = `JOIN emergency.risk_items r ON r.id = a.risk_item_id
  JOIN emergency.risk_categories c ON c.code = r.category_code`;

function alertDocument(row: AlertDocRow & { id: string }): SearchDocument {
  return {
    id: row.id,
    version: Number(row.version),
    fields: {
      title: row.title,
      message: row.message,
      riskItemName: row.risk_item_name,
      categoryCode: row.category_code,
      level: row.level,
      status: row.status,
      responsibleDepartment: row.responsible_department,
      riskItemId: row.risk_item_id,
      regionCode: row.region_code,
      raisedAt: new Date(row.raised_at).toISOString(),
      levelRank: ALERT_LEVEL_RANK[row.level],
    },
  };
}

/** Splits rows loaded per requested key into upserts and deletes. */
function toBatch<
  Row extends { key: string; version: number; id: string | null },
>(
  rows: readonly Row[],
  build: (row: Row & { id: string }) => SearchDocument,
): DocumentBatch {
  const upserts: SearchDocument[] = [];
  const deletes: { id: string; version: number }[] = [];
  for (const row of rows) {
    if (row.id === null) {
      deletes.push({ id: row.key, version: Number(row.version) });
    } else {
      upserts.push(build(row as Row & { id: string }));
    }
  }
  return { upserts, deletes };
}

/** Keyset pages of `sql` (which takes `$1` after-id and `$2` limit). */
async function* keysetPages<Row extends { id: string }>(
  db: Queryable,
  sql: string,
  pageSize: number,
  build: (row: Row) => SearchDocument,
): AsyncIterable<readonly SearchDocument[]> {
  let after = '';
  for (;;) {
    const { rows } = await db.query<Row>(sql, [after, pageSize]);
    if (rows.length === 0) return;
    yield rows.map(build);
    after = rows[rows.length - 1]?.id ?? after;
    if (rows.length < pageSize) return;
  }
}

/** Risk items (风险清单) as search documents. */
export function riskItemDocuments(db: Queryable): CollectionSource {
  return {
    spec: RISK_ITEMS,
    async load(ids) {
      if (ids.length === 0) return { upserts: [], deletes: [] };
      // One row per requested id; r.id is null for an item that is gone.
      const { rows } = await db.query<RiskItemDocRow>(
        `SELECT k.key, ${RISK_ITEM_SELECT}
           FROM unnest($1::text[]) AS k(key)
           LEFT JOIN emergency.risk_items r ON r.id = k.key
           LEFT JOIN emergency.risk_categories c ON c.code = r.category_code`,
        [[...new Set(ids)]],
      );
      return toBatch(rows, riskItemDocument);
    },
    async count() {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM emergency.risk_items',
      );
      return rows[0]?.n ?? 0;
    },
    pages(pageSize) {
      return keysetPages<RiskItemDocRow & { id: string }>(
        db,
        `SELECT r.id AS key, ${RISK_ITEM_SELECT}
           FROM emergency.risk_items r
           JOIN emergency.risk_categories c ON c.code = r.category_code
          WHERE r.id > $1
          ORDER BY r.id
          LIMIT $2`,
        pageSize,
        riskItemDocument,
      );
    },
  };
}

/** Alerts (预警) as search documents. */
export function alertDocuments(db: Queryable): CollectionSource {
  return {
    spec: ALERTS,
    async load(ids) {
      if (ids.length === 0) return { upserts: [], deletes: [] };
      const { rows } = await db.query<AlertDocRow>(
        `SELECT k.key, ${ALERT_SELECT}
           FROM unnest($1::text[]) AS k(key)
           LEFT JOIN (emergency.alerts a ${ALERT_JOINS}) ON a.id = k.key`,
        [[...new Set(ids)]],
      );
      return toBatch(rows, alertDocument);
    },
    async count() {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM emergency.alerts',
      );
      return rows[0]?.n ?? 0;
    },
    pages(pageSize) {
      return keysetPages<AlertDocRow & { id: string }>(
        db,
        `SELECT a.id AS key, ${ALERT_SELECT}
           FROM emergency.alerts a ${ALERT_JOINS}
          WHERE a.id > $1
          ORDER BY a.id
          LIMIT $2`,
        pageSize,
        alertDocument,
      );
    },
  };
}

/**
 * The emergency department's search source for `startSearchIndexer`: its
 * outbox, notification channel and the risk-items and alerts collections.
 */
export function emergencySearchSource(db: Queryable): SearchSource {
  return {
    outboxTable: EMERGENCY_OUTBOX,
    channel: EMERGENCY_OUTBOX_CHANNEL,
    collections: [riskItemDocuments(db), alertDocuments(db)],
  };
}
