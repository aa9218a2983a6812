// The search contract against every backend: PostgreSQL (a fresh database),
// PGlite (in memory) and Elasticsearch when ELASTICSEARCH_URL is set.
//
// One suite every backend must pass. The
// fixtures are small Chinese risk items; expectations are computed from the
// fixtures in plain TypeScript, so the suite states what a hit is, not what a
// backend happens to return.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SearchRequestError } from '../../../search/src/model/SearchRequestError.js';
import type {
  CollectionSpec,
  SearchBackend,
  SearchDocument,
  SearchRequest,
  SearchResult,
} from '../../../search/src/SearchBackend.js';
import { createElasticsearchSearchBackend } from '../../../search/src/elasticsearch/createElasticsearchSearchBackend.js';
import { createPostgresSearchBackend } from '../../../search/src/postgres/createPostgresSearchBackend.js';
import { createTestDatabase } from '../../utils/testDatabase.js';
import { openMemoryPglite } from '../../utils/pglite.js';

/** A backend under test and how to dispose of it. */
interface BackendUnderTest {
  backend: SearchBackend;
  dispose(): Promise<void>;
}

const spec = (name: string): CollectionSpec => ({
  name,
  text: ['name', 'address', 'disposalMeasures', 'categoryName'],
  keyword: ['categoryCode', 'level', 'status'],
  region: ['regionCode'],
  date: ['updatedAt'],
  numeric: ['levelRank'],
});
const TEXT = ['name', 'address', 'disposalMeasures', 'categoryName'];
const RANK = { MAJOR: 4, HIGH: 3, MODERATE: 2, LOW: 1 } as const;
type Level = keyof typeof RANK;

interface Fixture {
  id: string;
  name: string;
  address: string;
  categoryName: string;
  categoryCode: string;
  level: Level;
  regionCode: string;
  updatedAt: string | null;
  measures: string[];
}

const NAMED: Fixture[] = [
  {
    id: 'd01',
    name: '危化品仓库火灾风险',
    address: '重庆市綦江区古南街道桥河社区12号',
    categoryName: '危险化学品储存',
    categoryCode: 'HAZCHEM',
    level: 'MAJOR',
    regionCode: '500110001001',
    updatedAt: '2025-01-05T08:00:00.000Z',
    measures: ['立即停止相关作业', '疏散作业人员并设置警戒区'],
  },
  {
    id: 'd02',
    name: '汝溪河礼让断面油污风险',
    address: '重庆市梁平区礼让镇汝溪河',
    categoryName: '水体污染',
    categoryCode: 'WATER',
    level: 'HIGH',
    regionCode: '500155101002',
    updatedAt: '2025-02-01T00:00:00.000Z',
    measures: ['设置应急截污设施'],
  },
  {
    // 危 and 化 occur, but never next to each other: no 危化.
    id: 'd03',
    name: '化工园区危险废物风险',
    address: '重庆市长寿区晏家街道',
    categoryName: '危险废物',
    categoryCode: 'HAZWASTE',
    level: 'MODERATE',
    regionCode: '500115003004',
    updatedAt: null,
    measures: ['开展隐患整改'],
  },
  {
    // 油污 only in the address.
    id: 'd04',
    name: '东溪加油站风险',
    address: '重庆市綦江区东溪镇油污处理厂旁',
    categoryName: '加油站',
    categoryCode: 'FUEL',
    level: 'LOW',
    regionCode: '500110102003',
    updatedAt: '2024-11-20T10:30:00.000Z',
    measures: ['加强巡查'],
  },
];

const LEVELS: Level[] = ['MAJOR', 'HIGH', 'MODERATE', 'LOW'];
const REGIONS = ['500110001', '500110102', '500155101', '500115003'];
const GENERATED: Fixture[] = Array.from({ length: 26 }, (_, i) => ({
  id: `g${String(i).padStart(2, '0')}`,
  name: `${['山体滑坡', '森林火灾', '城市内涝', '桥梁垮塌'][i % 4]}隐患点${i}`,
  address: `重庆市第${i}号路`,
  categoryName: ['地质灾害', '森林防火', '城市运行', '交通设施'][i % 4] ?? '',
  categoryCode: ['GEO', 'FOREST', 'FLOOD', 'BRIDGE'][i % 4] ?? '',
  level: LEVELS[(i * 7) % 4] ?? 'LOW',
  regionCode: `${REGIONS[i % 4]}${String(i).padStart(3, '0')}`,
  updatedAt:
    i % 5 === 0
      ? null
      : new Date(Date.UTC(2024, 6, 1) + i * 86_400_000 * 3).toISOString(),
  measures: ['加密巡查和监测频次'],
}));
const FIXTURES = [...NAMED, ...GENERATED];

function toDocument(f: Fixture, version = 1): SearchDocument {
  return {
    id: f.id,
    version,
    fields: {
      name: f.name,
      address: f.address,
      categoryName: f.categoryName,
      disposalMeasures: f.measures,
      categoryCode: f.categoryCode,
      level: f.level,
      status: 'NORMAL',
      regionCode: f.regionCode,
      updatedAt: f.updatedAt,
      levelRank: RANK[f.level],
    },
  };
}

const ids = (r: SearchResult): string[] => r.hits.map((h) => h.id);
const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const stripTags = (s: string): string => s.replaceAll(/<\/?em>/g, '');

function countBy<T>(
  xs: readonly T[],
  key: (x: T) => string,
): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

async function rejectsBadInput(
  promise: Promise<unknown>,
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(
      error instanceof SearchRequestError,
      `not a SearchRequestError: ${String(error)}`,
    );
    assert.equal(error.code, 'BAD_USER_INPUT');
    assert.match(error.message, message);
    return true;
  });
}

/** Registers the contract suite for one backend. */
function searchContract(
  name: string,
  open: () => Promise<BackendUnderTest>,
  options: { skip?: string } = {},
): void {
  describe(`search contract: ${name}`, { skip: options.skip ?? false }, () => {
    let sut: BackendUnderTest;
    let backend: SearchBackend;
    const C = spec('contract-items');
    const all = async (
      request: Partial<SearchRequest> = {},
    ): Promise<SearchResult> =>
      backend.search(C.name, { textFields: TEXT, size: 100, ...request });

    before(async () => {
      sut = await open();
      backend = sut.backend;
      await backend.ensureCollection(C);
      await backend.ensureCollection(C); // idempotent
      await backend.bulk(C.name, {
        upserts: FIXTURES.map((f) => toDocument(f)),
        deletes: [],
      });
    });
    after(async () => {
      await sut?.dispose();
    });

    it('counts the documents', async () => {
      assert.equal(await backend.count(C.name), FIXTURES.length);
      const r = await all();
      assert.equal(r.total, FIXTURES.length);
    });

    it('matches Chinese two-character words and highlights them', async () => {
      const r = await all({ text: '危化', highlight: ['name', 'address'] });
      assert.deepEqual(ids(r), ['d01']);
      assert.equal(r.total, 1);
      const name = r.hits[0]?.highlights['name'] ?? [];
      assert.equal(name.length, 1);
      assert.match(name[0] ?? '', /<em>危化<\/em>/);
      assert.equal(stripTags(name[0] ?? ''), '危化品仓库火灾风险');
      assert.equal(r.hits[0]?.highlights['address'], undefined);

      const oil = await all({ text: '油污' });
      assert.deepEqual(sorted(ids(oil)), ['d02', 'd04']);
      const longer = await all({ text: '汝溪河礼让断面' });
      assert.deepEqual(ids(longer), ['d02']);
    });

    it('does not make hits of single or scattered characters', async () => {
      // d03 has 危 and 化 but not the word 危化.
      assert.deepEqual(ids(await all({ text: '危化' })), ['d01']);
      assert.deepEqual(ids(await all({ text: '化危' })), []);
      assert.deepEqual(ids(await all({ text: '危' })), []);
      assert.deepEqual(ids(await all({ text: '危化 油污' })), []);
    });

    it('matches only in textFields and highlights only there', async () => {
      const nameOnly = await all({
        text: '油污',
        textFields: ['name'],
        highlight: ['name'],
      });
      assert.deepEqual(ids(nameOnly), ['d02']);
      const both = await all({
        text: '油污',
        textFields: ['name', 'address'],
        highlight: ['name'],
      });
      assert.deepEqual(sorted(ids(both)), ['d02', 'd04']);
      const d04 = both.hits.find((h) => h.id === 'd04');
      assert.deepEqual(d04?.highlights, {});
      const none = await all({ text: '油污', textFields: [] });
      assert.equal(none.total, 0);
      // A name hit outranks an address-only hit.
      assert.deepEqual(ids(both), ['d02', 'd04']);
      assert.ok((both.hits[0]?.score ?? 0) > (both.hits[1]?.score ?? 0));
    });

    it('escapes HTML around highlights', async () => {
      await backend.bulk(C.name, {
        upserts: [
          {
            id: 'h01',
            version: 1,
            fields: {
              name: '<b>尾矿库</b> & 溃坝风险',
              level: 'LOW',
              levelRank: 1,
            },
          },
        ],
        deletes: [],
      });
      const r = await all({ text: '尾矿', highlight: ['name'] });
      assert.deepEqual(ids(r), ['h01']);
      const f = r.hits[0]?.highlights['name']?.[0] ?? '';
      assert.match(f, /&lt;b&gt;<em>尾矿/);
      assert.match(f, /&amp;/);
      assert.doesNotMatch(f, /<b>/);
      await backend.bulk(C.name, {
        upserts: [],
        deletes: [{ id: 'h01', version: 2 }],
      });
      assert.equal((await all({ text: '尾矿' })).total, 0);
    });

    it('filters with in, prefix, range, and, or', async () => {
      const cases: [SearchRequest['filter'], (f: Fixture) => boolean][] = [
        [
          { op: 'in', field: 'level', values: ['MAJOR', 'HIGH'] },
          (f) => f.level === 'MAJOR' || f.level === 'HIGH',
        ],
        [
          { op: 'prefix', field: 'regionCode', values: ['500110'] },
          (f) => f.regionCode.startsWith('500110'),
        ],
        [
          {
            op: 'prefix',
            field: 'regionCode',
            values: ['500110102', '500115'],
          },
          (f) =>
            f.regionCode.startsWith('500110102') ||
            f.regionCode.startsWith('500115'),
        ],
        [
          { op: 'in', field: 'regionCode', values: ['500110001001'] },
          (f) => f.regionCode === '500110001001',
        ],
        [
          { op: 'range', field: 'levelRank', gte: 2, lt: 4 },
          (f) => RANK[f.level] >= 2 && RANK[f.level] < 4,
        ],
        [
          {
            op: 'range',
            field: 'updatedAt',
            gte: '2024-08-01T00:00:00Z',
            lt: '2025-01-06',
          },
          (f) =>
            f.updatedAt !== null &&
            f.updatedAt >= '2024-08-01T00:00:00.000Z' &&
            f.updatedAt < '2025-01-06T00:00:00.000Z',
        ],
        [
          {
            op: 'and',
            filters: [
              { op: 'prefix', field: 'regionCode', values: ['500110'] },
              {
                op: 'or',
                filters: [
                  { op: 'in', field: 'level', values: ['LOW'] },
                  { op: 'in', field: 'categoryCode', values: ['HAZCHEM'] },
                ],
              },
            ],
          },
          (f) =>
            f.regionCode.startsWith('500110') &&
            (f.level === 'LOW' || f.categoryCode === 'HAZCHEM'),
        ],
      ];
      for (const [filter, predicate] of cases) {
        const r = await all(filter ? { filter } : {});
        const expected = FIXTURES.filter(predicate).map((f) => f.id);
        assert.deepEqual(
          sorted(ids(r)),
          sorted(expected),
          JSON.stringify(filter),
        );
        assert.equal(r.total, expected.length);
      }
      const textAndFilter = await all({
        text: '油污',
        filter: { op: 'prefix', field: 'regionCode', values: ['500155'] },
      });
      assert.deepEqual(ids(textAndFilter), ['d02']);
    });

    it('counts facets over the same filter as the total (row scope)', async () => {
      const unscoped = await all({
        size: 1,
        facets: [
          { field: 'level' },
          { field: 'regionCode', regionLevel: 'district' },
          { field: 'regionCode', regionLevel: 'street', size: 2 },
        ],
      });
      const expectLevel = countBy(FIXTURES, (f) => f.level);
      assert.deepEqual(
        new Map(
          (unscoped.facets['level'] ?? []).map((b) => [b.value, b.count]),
        ),
        expectLevel,
      );
      const levelSum = (unscoped.facets['level'] ?? []).reduce(
        (s, b) => s + b.count,
        0,
      );
      assert.equal(levelSum, unscoped.total);
      const districts = unscoped.facets['regionCode.district'] ?? [];
      assert.deepEqual(
        new Map(districts.map((b) => [b.value, b.count])),
        countBy(FIXTURES, (f) => f.regionCode.slice(0, 6)),
      );
      // Count descending, then value.
      for (let i = 1; i < districts.length; i += 1) {
        const [a, b] = [districts[i - 1], districts[i]];
        assert.ok(
          a &&
            b &&
            (a.count > b.count || (a.count === b.count && a.value < b.value)),
        );
      }
      assert.equal(unscoped.facets['regionCode.street']?.length, 2);

      const scoped = await all({
        size: 5,
        filter: { op: 'prefix', field: 'regionCode', values: ['500110'] },
        facets: [
          { field: 'regionCode', regionLevel: 'district' },
          { field: 'categoryCode' },
        ],
      });
      const inScope = FIXTURES.filter((f) => f.regionCode.startsWith('500110'));
      assert.equal(scoped.total, inScope.length);
      assert.deepEqual(scoped.facets['regionCode.district'], [
        { value: '500110', count: inScope.length },
      ]);
      assert.deepEqual(
        new Map(
          (scoped.facets['categoryCode'] ?? []).map((b) => [b.value, b.count]),
        ),
        countBy(inScope, (f) => f.categoryCode),
      );
      const withText = await all({
        text: '油污',
        facets: [{ field: 'level' }],
      });
      assert.deepEqual(
        sorted(
          (withText.facets['level'] ?? []).map((b) => `${b.value}:${b.count}`),
        ),
        ['HIGH:1', 'LOW:1'],
      );
    });

    it('pages with cursors through every document exactly once, in order', async () => {
      const orders: [
        SearchRequest['sort'],
        (a: Fixture, b: Fixture) => number,
      ][] = [
        [
          [{ field: 'levelRank', order: 'desc' }],
          (a, b) => RANK[b.level] - RANK[a.level] || (a.id < b.id ? -1 : 1),
        ],
        [
          [{ field: 'updatedAt', order: 'asc' }],
          (a, b) =>
            a.updatedAt === b.updatedAt
              ? a.id < b.id
                ? -1
                : 1
              : a.updatedAt === null
                ? 1
                : b.updatedAt === null
                  ? -1
                  : a.updatedAt < b.updatedAt
                    ? -1
                    : 1,
        ],
        [
          [
            { field: 'updatedAt', order: 'desc' },
            { field: 'categoryCode', order: 'asc' },
          ],
          (a, b) =>
            a.updatedAt === b.updatedAt
              ? a.categoryCode === b.categoryCode
                ? a.id < b.id
                  ? -1
                  : 1
                : a.categoryCode < b.categoryCode
                  ? -1
                  : 1
              : a.updatedAt === null
                ? 1
                : b.updatedAt === null
                  ? -1
                  : a.updatedAt > b.updatedAt
                    ? -1
                    : 1,
        ],
        [undefined, (a, b) => (a.id < b.id ? -1 : 1)],
      ];
      for (const [sort, compare] of orders) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const r: SearchResult = await all({
            size: 4,
            ...(sort ? { sort } : {}),
            ...(cursor ? { after: cursor } : {}),
          });
          seen.push(...ids(r));
          assert.equal(r.hasNextPage, r.endCursor !== null);
          cursor = r.endCursor;
          pages += 1;
          assert.ok(pages < 50, 'paging does not end');
        } while (cursor);
        const expected = [...FIXTURES].sort(compare).map((f) => f.id);
        assert.deepEqual(seen, expected, JSON.stringify(sort));
      }
      // Text relevance order pages too.
      const first = await all({ text: '风险', size: 2 });
      const rest = await all({
        text: '风险',
        size: 100,
        after: first.endCursor ?? '',
      });
      const whole = await all({ text: '风险', size: 100 });
      assert.deepEqual([...ids(first), ...ids(rest)], ids(whole));
      // Text with other sort keys pages too, in that order.
      const sort: SearchRequest['sort'] = [
        { field: '_score', order: 'desc' },
        { field: 'updatedAt', order: 'desc' },
      ];
      const paged: string[] = [];
      let next: string | null = null;
      do {
        const r: SearchResult = await all({
          text: '风险',
          size: 3,
          sort,
          ...(next ? { after: next } : {}),
        });
        paged.push(...ids(r));
        next = r.endCursor;
      } while (next);
      const wholeSorted = await all({ text: '风险', size: 100, sort });
      assert.deepEqual(paged, ids(wholeSorted));
      assert.equal(paged.length, wholeSorted.total);
      // An `in` value no document has matches nothing, the others still do.
      const unknown = await all({
        filter: { op: 'in', field: 'level', values: ['NOPE', 'MAJOR'] },
      });
      assert.deepEqual(
        sorted(ids(unknown)),
        sorted(FIXTURES.filter((f) => f.level === 'MAJOR').map((f) => f.id)),
      );
      assert.equal(
        (await all({ filter: { op: 'in', field: 'level', values: ['NOPE'] } }))
          .total,
        0,
      );
    });

    it('applies versioned upserts and deletes idempotently', async () => {
      const V = spec('contract-versions');
      await backend.ensureCollection(V);
      const doc = (version: number, name: string): SearchDocument => ({
        id: 'v1',
        version,
        fields: { name, level: 'LOW', levelRank: 1 },
      });
      const find = async (text: string): Promise<string[]> =>
        ids(
          await backend.search(V.name, {
            text,
            textFields: ['name'],
            size: 10,
          }),
        );
      await backend.bulk(V.name, {
        upserts: [doc(5, '山洪沟道风险')],
        deletes: [],
      });
      await backend.bulk(V.name, {
        upserts: [doc(3, '尾矿库风险')],
        deletes: [],
      });
      assert.deepEqual(await find('山洪'), ['v1']);
      assert.deepEqual(await find('尾矿'), []);
      // Replays are harmless; the same version again keeps the document.
      await backend.bulk(V.name, {
        upserts: [doc(5, '山洪沟道风险')],
        deletes: [],
      });
      assert.deepEqual(await find('山洪'), ['v1']);
      // An older delete is ignored, a newer one wins.
      await backend.bulk(V.name, {
        upserts: [],
        deletes: [{ id: 'v1', version: 4 }],
      });
      assert.equal(await backend.count(V.name), 1);
      await backend.bulk(V.name, {
        upserts: [],
        deletes: [{ id: 'v1', version: 6 }],
      });
      assert.equal(await backend.count(V.name), 0);
      // An upsert older than the delete does not bring it back; a newer one does.
      await backend.bulk(V.name, {
        upserts: [doc(5, '山洪沟道风险')],
        deletes: [],
      });
      assert.deepEqual(await find('山洪'), []);
      await backend.bulk(V.name, {
        upserts: [],
        deletes: [{ id: 'v1', version: 6 }],
      });
      await backend.bulk(V.name, {
        upserts: [doc(7, '泥石流风险')],
        deletes: [],
      });
      assert.deepEqual(await find('泥石'), ['v1']);
      // Within one batch the highest version wins.
      await backend.bulk(V.name, {
        upserts: [doc(9, '地面塌陷风险'), doc(8, '危岩崩塌风险')],
        deletes: [{ id: 'v1', version: 8 }],
      });
      assert.deepEqual(await find('塌陷'), ['v1']);
      assert.equal(await backend.count(V.name), 1);
    });

    it('reindexes without downtime and keeps writes made meanwhile', async () => {
      const R = spec('contract-reindex');
      await backend.ensureCollection(R);
      const base = Array.from({ length: 120 }, (_, i) => ({
        id: `r${String(i).padStart(3, '0')}`,
        version: 1,
        fields: {
          name: `第${i}号危化品储罐`,
          level: i % 2 ? 'LOW' : 'HIGH',
          levelRank: i % 2 ? 1 : 3,
        },
      }));
      await backend.bulk(R.name, { upserts: base, deletes: [] });
      const search = (text = '危化'): Promise<SearchResult> =>
        backend.search(R.name, { text, textFields: ['name'], size: 5 });
      let releaseSource: () => void = () => undefined;
      const sourceBlocked = new Promise<void>((resolve) => {
        releaseSource = resolve;
      });
      let firstBatchWritten: () => void = () => undefined;
      const midway = new Promise<void>((resolve) => {
        firstBatchWritten = resolve;
      });
      async function* source(): AsyncIterable<readonly SearchDocument[]> {
        yield base.slice(0, 60);
        firstBatchWritten();
        await sourceBlocked;
        yield base.slice(60);
      }
      const progress: number[] = [];
      const reindexing = backend.reindex(R, source(), {
        total: base.length,
        onProgress: (p) => progress.push(p.indexed),
      });
      await midway;
      // Searches keep working on the old generation.
      assert.equal((await search()).total, 120);
      // Writes during the reindex: a new document, an update, a delete.
      await backend.bulk(R.name, {
        upserts: [
          {
            id: 'r900',
            version: 1,
            fields: { name: '新增油污风险', level: 'LOW', levelRank: 1 },
          },
          {
            id: 'r100',
            version: 2,
            fields: {
              name: '更新后的山体滑坡风险',
              level: 'LOW',
              levelRank: 1,
            },
          },
        ],
        deletes: [{ id: 'r101', version: 2 }],
      });
      assert.equal((await search('油污')).total, 1);
      releaseSource();
      const done = await reindexing;
      assert.equal(done.indexed, 120);
      assert.equal(progress.at(-1), 120);
      assert.equal((await search('油污')).total, 1);
      assert.deepEqual(ids(await search('滑坡')), ['r100']);
      assert.equal((await search()).total, 118);
      assert.equal(await backend.count(R.name), 120);
      // And again: a second reindex swaps once more; its source is the
      // truth (here the original 120 documents).
      async function* again(): AsyncIterable<readonly SearchDocument[]> {
        yield base;
      }
      await backend.reindex(R, again(), { total: base.length });
      assert.equal((await search()).total, 120);
      assert.equal((await search('油污')).total, 0);
      assert.equal(await backend.count(R.name), 120);
    });

    it('keeps district and city-wide counts exact through moves, deletes, replays and a reindex', async () => {
      const K = spec('contract-counts');
      await backend.ensureCollection(K);
      interface Item {
        category: string;
        level: Level;
        region: string;
        version: number;
      }
      const live = new Map<string, Item>();
      const gone = new Map<string, number>();
      const doc = (id: string, item: Item): SearchDocument => ({
        id,
        version: item.version,
        fields: {
          name: `计数${id}`,
          categoryCode: item.category,
          level: item.level,
          levelRank: RANK[item.level],
          regionCode: item.region,
        },
      });
      const upsert = async (
        items: [string, Item][],
        apply = true,
      ): Promise<void> => {
        await backend.bulk(K.name, {
          upserts: items.map(([id, item]) => doc(id, item)),
          deletes: [],
        });
        if (apply) for (const [id, item] of items) live.set(id, item);
      };
      const remove = async (id: string, version: number): Promise<void> => {
        await backend.bulk(K.name, { upserts: [], deletes: [{ id, version }] });
        live.delete(id);
        gone.set(id, version);
      };
      const CATEGORIES = ['GEO', 'FOREST', 'FLOOD'];
      const DISTRICT_STREETS = [
        '500110001',
        '500110102',
        '500112003',
        '500155101',
      ];
      await upsert(
        Array.from({ length: 40 }, (_, i): [string, Item] => [
          `k${String(i).padStart(2, '0')}`,
          {
            category: CATEGORIES[i % 3] ?? 'GEO',
            level: LEVELS[i % 4] ?? 'LOW',
            region: `${DISTRICT_STREETS[i % 4] ?? '500110001'}${String(i).padStart(3, '0')}`,
            version: 1,
          },
        ]),
      );
      const facets = [
        { field: 'categoryCode', size: 50 },
        { field: 'level', size: 50 },
        { field: 'regionCode', regionLevel: 'district' as const, size: 50 },
        { field: 'regionCode', regionLevel: 'street' as const, size: 50 },
      ];
      const asMap = (r: SearchResult, key: string): Map<string, number> =>
        new Map((r.facets[key] ?? []).map((b) => [b.value, b.count]));
      const check = async (when: string): Promise<void> => {
        const scopes: [
          string,
          (region: string) => boolean,
          SearchRequest['filter'],
        ][] = [
          ['city-wide', () => true, undefined],
          [
            'one district',
            (r) => r.startsWith('500110'),
            { op: 'prefix', field: 'regionCode', values: ['500110'] },
          ],
          [
            'two districts and a scope',
            (r) => r.startsWith('500110') || r.startsWith('500112'),
            {
              op: 'and',
              filters: [
                { op: 'prefix', field: 'regionCode', values: ['5001'] },
                {
                  op: 'prefix',
                  field: 'regionCode',
                  values: ['500110', '500112'],
                },
              ],
            },
          ],
          [
            'one street',
            (r) => r.startsWith('500110102'),
            { op: 'prefix', field: 'regionCode', values: ['500110102'] },
          ],
          [
            'a level filter',
            () => true,
            { op: 'in', field: 'level', values: LEVELS },
          ],
        ];
        for (const [scope, inScope, filter] of scopes) {
          const r = await backend.search(K.name, {
            textFields: ['name'],
            size: 1,
            facets,
            ...(filter ? { filter } : {}),
          });
          const items = [...live.values()].filter((i) => inScope(i.region));
          const what = `${when}, ${scope}`;
          assert.equal(r.total, items.length, `${what}: total`);
          assert.deepEqual(
            asMap(r, 'categoryCode'),
            countBy(items, (i) => i.category),
            `${what}: categories`,
          );
          assert.deepEqual(
            asMap(r, 'level'),
            countBy(items, (i) => i.level),
            `${what}: levels`,
          );
          assert.deepEqual(
            asMap(r, 'regionCode.district'),
            countBy(items, (i) => i.region.slice(0, 6)),
            `${what}: districts`,
          );
          assert.deepEqual(
            asMap(r, 'regionCode.street'),
            countBy(items, (i) => i.region.slice(0, 9)),
            `${what}: streets`,
          );
        }
      };
      await check('after the first load');

      // Moves to another category, level and district; a replay of an
      // older version changes nothing; the same version again neither.
      const moved: [string, Item][] = ['k01', 'k02', 'k07'].map((id, i) => [
        id,
        {
          category: 'FLOOD',
          level: 'MAJOR',
          region: `500155101${String(900 + i)}`,
          version: 2,
        },
      ]);
      await upsert(moved);
      const k01 = live.get('k01');
      assert.ok(k01);
      await upsert([['k01', { ...k01, category: 'GEO', version: 1 }]], false);
      await upsert([['k02', live.get('k02') ?? k01]]);
      await check('after moves and replays');

      // Deletes; an older delete is ignored; an upsert older than the delete
      // does not bring a document back, a newer one does.
      await remove('k03', 3);
      await remove('k04', 3);
      await backend.bulk(K.name, {
        upserts: [],
        deletes: [{ id: 'k05', version: 0 }],
      });
      await upsert(
        [
          [
            'k03',
            {
              category: 'GEO',
              level: 'LOW',
              region: '500110001003',
              version: 2,
            },
          ],
        ],
        false,
      );
      await upsert([
        [
          'k04',
          {
            category: 'FOREST',
            level: 'HIGH',
            region: '500112003004',
            version: 4,
          },
        ],
      ]);
      await check('after deletes');

      // A reindex from a source, with writes made meanwhile.
      const sourceDocs = [...live].map(([id, item]) =>
        doc(id, { ...item, version: 10 }),
      );
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reached: () => void = () => undefined;
      const midway = new Promise<void>((resolve) => {
        reached = resolve;
      });
      async function* source(): AsyncIterable<readonly SearchDocument[]> {
        yield sourceDocs.slice(0, 20);
        reached();
        await blocked;
        yield sourceDocs.slice(20);
      }
      const reindexing = backend.reindex(K, source(), {
        total: sourceDocs.length,
      });
      await midway;
      for (const [id, item] of live) live.set(id, { ...item, version: 10 });
      await upsert([
        [
          'k30',
          {
            category: 'GEO',
            level: 'LOW',
            region: '500110001930',
            version: 20,
          },
        ],
        [
          'k90',
          {
            category: 'FOREST',
            level: 'MAJOR',
            region: '500112003990',
            version: 20,
          },
        ],
      ]);
      await remove('k31', 20);
      release();
      await reindexing;
      await check('after a reindex with writes meanwhile');
    });

    it('refuses bad requests with BAD_USER_INPUT', async () => {
      const bad = (request: unknown): Promise<SearchResult> =>
        backend.search(C.name, request as SearchRequest);
      await rejectsBadInput(bad({ textFields: TEXT, size: 0 }), /size/);
      await rejectsBadInput(bad({ textFields: TEXT, size: 101 }), /size/);
      await rejectsBadInput(bad({ textFields: TEXT, size: 1.5 }), /size/);
      await rejectsBadInput(
        bad({ textFields: TEXT, size: 5, query: 'x' }),
        /unknown field.*query/,
      );
      await rejectsBadInput(
        bad({ textFields: ['secret'], size: 5, text: '危化' }),
        /textFields: "secret"/,
      );
      await rejectsBadInput(
        bad({ textFields: ['name'], size: 5, highlight: ['address'] }),
        /highlight: "address"/,
      );
      await rejectsBadInput(
        bad({ textFields: TEXT, size: 5, after: 'not a cursor!' }),
        /malformed cursor/,
      );
      await rejectsBadInput(
        bad({ textFields: TEXT, size: 5, after: 'eyJ4IjoxfQ' }),
        /malformed cursor/,
      );
      const page = await all({
        size: 2,
        sort: [{ field: 'levelRank', order: 'desc' }],
      });
      await rejectsBadInput(
        bad({ textFields: TEXT, size: 2, after: page.endCursor }),
        /another request/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          filter: { op: 'range', field: 'levelRank', gte: 4, lt: 2 },
        }),
        /empty range on "levelRank"/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          filter: { op: 'range', field: 'updatedAt', gte: 'yesterday' },
        }),
        /not an ISO 8601 date/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          filter: { op: 'range', field: 'name', gte: 1 },
        }),
        /"name"/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          filter: { op: 'in', field: 'nope', values: ['x'] },
        }),
        /"nope"/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          filter: { op: 'like', field: 'level', values: ['x'] },
        }),
        /filter/,
      );
      await rejectsBadInput(
        bad({ textFields: TEXT, size: 5, facets: [{ field: 'name' }] }),
        /facet on "name"/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          facets: [{ field: 'level', regionLevel: 'street' }],
        }),
        /regionLevel/,
      );
      await rejectsBadInput(
        bad({
          textFields: TEXT,
          size: 5,
          sort: [{ field: 'address', order: 'asc' }],
        }),
        /sort on "address"/,
      );
    });
  });
}

searchContract('PostgreSQL', async () => {
  const test = await createTestDatabase();
  const backend = await createPostgresSearchBackend({ db: test.db });
  return {
    backend,
    dispose: async () => {
      await backend.close();
      await test.drop();
    },
  };
});

searchContract('PGlite', async () => {
  const db = await openMemoryPglite();
  const backend = await createPostgresSearchBackend({ db });
  return {
    backend,
    dispose: async () => {
      await backend.close();
      await db.close();
    },
  };
});

const ELASTICSEARCH_URL = process.env['ELASTICSEARCH_URL'];
searchContract(
  'Elasticsearch',
  async () => {
    const backend = await createElasticsearchSearchBackend({
      url: ELASTICSEARCH_URL ?? '',
      prefix: `contract-${Date.now()}-`,
    });
    return { backend, dispose: () => backend.close() };
  },
  ELASTICSEARCH_URL ? {} : { skip: 'ELASTICSEARCH_URL is not set' },
);
