// Shared set-up of the search pipeline tests: an emergency schema with
// fixtures on the real PostgreSQL, the real PostgreSQL search backend behind
// a switch that makes its writes fail, and search helpers.
import { resolve } from 'node:path';

import { createPostgresSearchBackend } from '../../../search/src/postgres/createPostgresSearchBackend.js';
import type {
  SearchBackend,
  SearchFilter,
} from '../../../search/src/SearchBackend.js';
import {
  ALERTS,
  RISK_ITEMS,
} from '../../../subgraphs/emergency/src/search/collections.js';
import {
  migrate,
  readMigrations,
  type Database,
  type Queryable,
} from '../../../subgraphs/kit/src/index.js';

const MIGRATIONS = resolve(
  import.meta.dirname,
  '../../../subgraphs/emergency/migrations',
);

/** Applies the emergency migrations. */
export async function migrateEmergency(db: Database): Promise<void> {
  await migrate(db, 'emergency', await readMigrations(MIGRATIONS));
}

/** Ids of the fixture items, R-001 … R-012. */
export const ITEM_IDS = Array.from(
  { length: 12 },
  (_, i) => `R-${String(i + 1).padStart(3, '0')}`,
);

/**
 * Three categories (HAZCHEM 安全生产, FOREST 自然灾害, FLOOD 城市运行),
 * twelve risk items and three alerts: A-1 NEW on CLOSED on
 * ACKNOWLEDGED on R-005.
 */
export async function insertFixtures(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO emergency.risk_categories (code, name, domain) VALUES
     ('HAZCHEM', '危化品', '安全生产'),
     ('FOREST', '森林防火', '自然灾害'),
     ('FLOOD', '城市内涝', '城市运行')`,
  );
  const categories = ['HAZCHEM', 'FOREST', 'FLOOD'];
  const levels = ['MAJOR', 'HIGH', 'MODERATE', 'LOW'];
  for (const [i, id] of ITEM_IDS.entries()) {
    await insertItem(db, {
      id,
      name: `风险点${i + 1}号`,
      category: categories[i % 3] ?? 'HAZCHEM',
      level: levels[i % 4] ?? 'LOW',
    });
  }
  await insertAlert(db, 'A-1', 'R-001', 'NEW', 'RED');
  await insertAlert(db, 'A-2', 'R-002', 'CLOSED', 'BLUE');
  await insertAlert(db, 'A-3', 'R-005', 'ACKNOWLEDGED', 'YELLOW');
}

export async function insertItem(
  db: Queryable,
  item: { id: string; name: string; category: string; level?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO emergency.risk_items (id, name, category_code, level,
       region_code, address, latitude, longitude, credit_code, section_id,
       thresholds, disposal_measures, responsible_person_id, updated_at)
     VALUES ($1, $2, $3, $4, '500103001', '渝中区解放碑' || $1, 29.55, 106.57,
       NULL, NULL, '[]'::jsonb, ARRAY['疏散人员', '切断气源'], 'P-1', now())`,
    [item.id, item.name, item.category, item.level ?? 'HIGH'],
  );
}

export async function insertAlert(
  db: Database,
  id: string,
  item: string,
  status: string,
  level: string,
): Promise<void> {
  await db.query(
    `INSERT INTO emergency.alerts (id, risk_item_id, level, status, title,
       message, raised_at, region_code, section_id)
     VALUES ($1, $2, $3, $4, '可燃气体浓度超限', '浓度达到 30 %LEL', now(),
       '500103001', NULL)`,
    [id, item, level, status],
  );
}

/** The real backend, with writes that fail while `failing` is set. */
export interface FlakyBackend extends SearchBackend {
  failing: boolean;
  /** While set, writes wait for it (a slow index). */
  hold: Promise<void> | null;
  /** Bulk calls made (failed ones included). */
  bulkCalls: number;
}

/** Opens the PostgreSQL search backend on `db`, wrapped in a switch. */
export async function openBackend(db: Database): Promise<FlakyBackend> {
  const real = await createPostgresSearchBackend({ db });
  const flaky: FlakyBackend = {
    kind: real.kind,
    failing: false,
    hold: null,
    bulkCalls: 0,
    ensureCollection: (spec) => real.ensureCollection(spec),
    bulk: async (collection, ops) => {
      flaky.bulkCalls += 1;
      if (flaky.hold) await flaky.hold;
      if (flaky.failing) throw new Error('search index unavailable');
      return real.bulk(collection, ops);
    },
    search: (collection, request) => real.search(collection, request),
    reindex: (spec, source, options) => real.reindex(spec, source, options),
    count: (collection) => real.count(collection),
    close: () => real.close(),
  };
  return flaky;
}

/** Ids of the documents matching `text` and `filter`, sorted. */
export async function ids(
  backend: SearchBackend,
  collection: 'risk-items' | 'alerts',
  query: { text?: string; filter?: SearchFilter } = {},
): Promise<string[]> {
  const spec = collection === 'risk-items' ? RISK_ITEMS : ALERTS;
  const found: string[] = [];
  let after: string | undefined;
  for (;;) {
    const result = await backend.search(collection, {
      ...(query.text === undefined ? {} : { text: query.text }),
      ...(query.filter === undefined ? {} : { filter: query.filter }),
      ...(after === undefined ? {} : { after }),
      textFields: spec.text,
      size: 100,
    });
    found.push(...result.hits.map((h) => h.id));
    if (!result.hasNextPage || result.endCursor === null) break;
    after = result.endCursor;
  }
  return found.sort();
}

/** `field` in `values`. */
export function is(field: string, ...values: string[]): SearchFilter {
  return { op: 'in', field, values };
}

/** Everything the index holds, as counts per facet: compares two states. */
export async function snapshot(backend: SearchBackend): Promise<unknown> {
  const state: Record<string, unknown> = {};
  for (const [collection, spec] of [
    ['risk-items', RISK_ITEMS],
    ['alerts', ALERTS],
  ] as const) {
    const result = await backend.search(collection, {
      textFields: spec.text,
      size: 100,
      facets: spec.keyword.map((field) => ({ field, size: 100 })),
    });
    state[collection] = {
      total: result.total,
      ids: result.hits.map((h) => h.id).sort(),
      facets: result.facets,
    };
  }
  return state;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
