// `npm run bench:search`: the PostgreSQL search backend at city scale.
// Seeds the 520,000 risk items of the city world (seeds' RiskItemStream) as
// search documents, times the index build, then runs a fixed mix of keyword,
// filter and facet queries one after another, with the count cache and then
// again without it (every total and facet counted), and prints one JSON
// line: {backend, documents, indexBuildMs, queries, p50Ms, p95Ms, …,
// withoutCountCache: {p50Ms, p95Ms, …}}.
//
// Runs against DATABASE_URL when set, else on a fresh database of the local
// server (postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
// BENCH_KEEP_DB=<name> (while tuning): uses database <name> of the local
// server and keeps it; when it already holds all the documents the load is
// skipped (BENCH_RELOAD=1 forces it, e.g. after a change of the table layout).
import { randomUUID } from 'node:crypto';

import {
  DOMAIN_DEPARTMENT,
  RISK_CATEGORIES,
} from '../seeds/src/data/riskCategories.js';
import { generateWorld } from '../seeds/src/index.js';
import type { RiskItemRow } from '../seeds/src/tables.js';
import { createPostgresSearchBackend } from '../search/src/postgres/createPostgresSearchBackend.js';
import type {
  FacetRequest,
  SearchBackend,
  SearchDocument,
  SearchRequest,
} from '../search/src/SearchBackend.js';
import {
  RISK_ITEMS,
  RISK_LEVEL_RANK,
} from '../subgraphs/emergency/src/search/collections.js';
import { openDatabase, type Database } from '../subgraphs/kit/src/index.js';

const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const QUERIES = 300;
const BATCH = 5000;

const categories = new Map(RISK_CATEGORIES.map((c) => [c.code, c]));

function toDocument(row: RiskItemRow, version: number): SearchDocument {
  const category = categories.get(row.category_code);
  return {
    id: row.id,
    version,
    fields: {
      name: row.name,
      address: row.address,
      disposalMeasures: row.disposal_measures,
      categoryName: category?.name ?? null,
      categoryCode: row.category_code,
      level: row.level,
      responsibleDepartment: category
        ? DOMAIN_DEPARTMENT[category.domain]
        : null,
      status: 'NORMAL',
      enterpriseCreditCode: row.credit_code,
      sectionId: row.section_id,
      regionCode: row.region_code,
      updatedAt: new Date(row.updated_at).toISOString(),
      levelRank: RISK_LEVEL_RANK[row.level],
    },
  };
}

async function openTarget(): Promise<{
  db: Database;
  cleanup(): Promise<void>;
}> {
  const url = process.env['DATABASE_URL'];
  const keep = process.env['BENCH_KEEP_DB'];
  if (keep !== undefined && keep !== '') {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(keep))
      throw new RangeError('BENCH_KEEP_DB: a lower-case database name');
    const admin = await openDatabase({ kind: 'pg', connectionString: SERVER });
    const { rows } = await admin.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [keep],
    );
    if (rows.length === 0) await admin.query(`CREATE DATABASE ${keep}`);
    await admin.close();
    const target = new URL(SERVER);
    target.pathname = `/${keep}`;
    const db = await openDatabase({
      kind: 'pg',
      connectionString: target.toString(),
    });
    return { db, cleanup: () => db.close() };
  }
  if (url) {
    const db = await openDatabase({ kind: 'pg', connectionString: url });
    return { db, cleanup: () => db.close() };
  }
  const name = `bench_search_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = await openDatabase({ kind: 'pg', connectionString: SERVER });
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(SERVER);
  target.pathname = `/${name}`;
  const db = await openDatabase({
    kind: 'pg',
    connectionString: target.toString(),
  });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

const KEYWORDS = [
  '危化',
  '油污',
  '森林火灾',
  '山体滑坡',
  '水质超标',
  '燃气泄漏',
  '尾矿库',
  '粉尘',
  '加油站',
  '桥梁',
  '内涝',
  '綦江',
];
const TEXT_FIELDS = RISK_ITEMS.text;
const FACET_SETS: readonly (readonly FacetRequest[])[] = [
  [
    { field: 'categoryCode' },
    { field: 'regionCode', regionLevel: 'district' },
    { field: 'level' },
  ],
  [{ field: 'responsibleDepartment' }, { field: 'level' }, { field: 'status' }],
  [
    { field: 'categoryCode', size: 50 },
    { field: 'regionCode', regionLevel: 'street', size: 10 },
  ],
  [
    { field: 'level' },
    { field: 'regionCode', regionLevel: 'district', size: 40 },
  ],
  [{ field: 'sectionId', size: 10 }, { field: 'responsibleDepartment' }],
];

/** The fixed query mix: kind and request, deterministic. */
function queryMix(
  districts: readonly string[],
  categoryCodes: readonly string[],
): { kind: string; request: SearchRequest }[] {
  const mix: { kind: string; request: SearchRequest }[] = [];
  for (let i = 0; mix.length < QUERIES; i += 1) {
    const keyword = KEYWORDS[i % KEYWORDS.length] ?? '危化';
    const district = districts[i % districts.length] ?? '500110';
    const category = categoryCodes[(i * 7) % categoryCodes.length] ?? 'ZR01';
    const scope = {
      op: 'prefix',
      field: 'regionCode',
      values: [district],
    } as const;
    switch (i % 6) {
      case 0:
        mix.push({
          kind: 'keyword',
          request: {
            text: keyword,
            textFields: TEXT_FIELDS,
            size: 20,
            highlight: ['name', 'address'],
          },
        });
        break;
      case 1:
        mix.push({
          kind: 'keyword+scope+facets',
          request: {
            text: keyword,
            textFields: TEXT_FIELDS,
            filter: scope,
            facets: [{ field: 'categoryCode' }, { field: 'level' }],
            size: 20,
            highlight: ['name'],
          },
        });
        break;
      case 2:
        mix.push({
          kind: 'filter',
          request: {
            textFields: TEXT_FIELDS,
            filter: {
              op: 'and',
              filters: [
                scope,
                { op: 'in', field: 'level', values: ['MAJOR', 'HIGH'] },
              ],
            },
            sort: [{ field: 'updatedAt', order: 'desc' }],
            size: 20,
          },
        });
        break;
      case 3:
        // Unscoped dashboard facets: several field sets and sizes, so that
        // not every one is the same (cached) statement.
        mix.push({
          kind: 'facets',
          request: {
            textFields: TEXT_FIELDS,
            facets: FACET_SETS[Math.floor(i / 6) % FACET_SETS.length] ?? [],
            size: 20,
          },
        });
        break;
      case 4:
        mix.push({
          kind: 'filter+facets',
          request: {
            textFields: TEXT_FIELDS,
            filter: { op: 'in', field: 'categoryCode', values: [category] },
            facets: [
              { field: 'regionCode', regionLevel: 'district' },
              { field: 'level' },
            ],
            sort: [{ field: 'levelRank', order: 'desc' }],
            size: 20,
          },
        });
        break;
      default:
        mix.push({
          kind: 'scope+facets',
          request: {
            textFields: TEXT_FIELDS,
            filter: scope,
            facets: [
              { field: 'categoryCode' },
              { field: 'regionCode', regionLevel: 'street' },
              { field: 'level' },
            ],
            size: 20,
          },
        });
    }
  }
  return mix;
}

/** Runs the mix one query after another: latency percentiles, overall and per kind. */
async function runMix(
  backend: SearchBackend,
  mix: readonly { kind: string; request: SearchRequest }[],
): Promise<Record<string, unknown>> {
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  let hits = 0;
  for (const q of mix) {
    const t = performance.now();
    const result = await backend.search(RISK_ITEMS.name, q.request);
    const ms = performance.now() - t;
    hits += result.total;
    latencies.push(ms);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
    meanTotal: Math.round(hits / latencies.length),
    byKind: Object.fromEntries(
      [...byKind].map(([kind, ms]) => {
        const s = [...ms].sort((a, b) => a - b);
        return [
          kind,
          { n: s.length, p50Ms: percentile(s, 50), p95Ms: percentile(s, 95) },
        ];
      }),
    ),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);

const world = generateWorld({ seed: 20250930, scale: 'city' });
const stream = world.tables['emergency.risk_items'];
const target = await openTarget();
try {
  const backend = await createPostgresSearchBackend({ db: target.db });
  await backend.ensureCollection(RISK_ITEMS);
  const districts = new Set<string>();
  async function* source(): AsyncIterable<readonly SearchDocument[]> {
    for (const chunk of stream.chunks(BATCH)) {
      for (const row of chunk.slice(0, 50))
        districts.add(row.region_code.slice(0, 6));
      yield chunk.map((row) => toDocument(row, 1));
    }
  }
  // A kept database that already holds every document is not loaded again.
  const loaded =
    process.env['BENCH_KEEP_DB'] &&
    process.env['BENCH_RELOAD'] !== '1' &&
    (await backend.count(RISK_ITEMS.name).catch(() => -1)) === stream.length;
  const started = performance.now();
  let loadedAt = started;
  if (loaded) {
    for (const chunk of stream.chunks(BATCH))
      for (const row of chunk.slice(0, 50))
        districts.add(row.region_code.slice(0, 6));
  } else {
    await backend.reindex(RISK_ITEMS, source(), {
      total: stream.length,
      onProgress: (p) => {
        if (p.indexed === stream.length && loadedAt === started)
          loadedAt = performance.now();
      },
    });
  }
  const indexBuildMs = loaded ? null : Math.round(performance.now() - started);
  const documents = await backend.count(RISK_ITEMS.name);

  const mix = queryMix(
    [...districts].sort(),
    RISK_CATEGORIES.map((c) => c.code),
  );
  // Warm-up: one pass over the distinct query shapes.
  for (const q of mix.slice(0, 24))
    await backend.search(RISK_ITEMS.name, q.request);
  const cached = await runMix(backend, mix);
  // The same mix without the count cache: every total and facet counted.
  const uncachedBackend = await createPostgresSearchBackend({
    db: target.db,
    countCacheSize: 0,
  });
  const uncached = await runMix(uncachedBackend, mix);
  clearInterval(sampler);
  process.stdout.write(
    `${JSON.stringify({
      backend: backend.kind,
      database: target.db.kind,
      documents,
      indexBuildMs,
      loadMs: loaded ? null : Math.round(loadedAt - started),
      queries: mix.length,
      ...cached,
      peakRssMb: Math.round(peakRss / 1048576),
      withoutCountCache: uncached,
    })}\n`,
  );
  await uncachedBackend.close();
  await backend.close();
} finally {
  clearInterval(sampler);
  await target.cleanup();
}
