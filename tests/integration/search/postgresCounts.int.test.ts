// The PostgreSQL backend's district counts (search/src/postgres): a
// generation made before the backend kept counts — an existing embedded
// database from an earlier version — gets its counts table, triggers and
// exact counts from ensureCollection, and keeps them through later writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createPostgresSearchBackend } from '../../../search/src/postgres/createPostgresSearchBackend.js';
import {
  countsFunctionName,
  countsTableName,
  countsViewName,
} from '../../../search/src/postgres/sql.js';
import type {
  CollectionSpec,
  SearchBackend,
  SearchDocument,
} from '../../../search/src/SearchBackend.js';
import { type Database } from '../../../subgraphs/kit/src/index.js';
import { createTestDatabase } from '../../utils/testDatabase.js';
import { openMemoryPglite } from '../../utils/pglite.js';

const SPEC: CollectionSpec = {
  name: 'upgrade-items',
  text: ['name'],
  keyword: ['level'],
  region: ['regionCode'],
  date: [],
  numeric: [],
};

const LEVELS = ['MAJOR', 'HIGH', 'LOW'];
const REGIONS = ['500110001', '500112003', '500155101'];
const doc = (i: number, version = 1, level?: string): SearchDocument => ({
  id: `u${String(i).padStart(2, '0')}`,
  version,
  fields: {
    name: `升级${i}`,
    level: level ?? LEVELS[i % 3] ?? 'LOW',
    regionCode: `${REGIONS[i % 3] ?? '500110001'}${String(i).padStart(3, '0')}`,
  },
});

function countsSuite(
  name: string,
  open: () => Promise<{ db: Database; dispose(): Promise<void> }>,
): void {
  describe(`search counts of an earlier layout: ${name}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ db, dispose } = await open());
    });
    after(async () => {
      await dispose();
    });

    const facets = async (
      backend: SearchBackend,
      district?: string,
    ): Promise<{ total: number; levels: Record<string, number> }> => {
      const r = await backend.search(SPEC.name, {
        textFields: ['name'],
        size: 1,
        facets: [{ field: 'level' }],
        ...(district
          ? {
              filter: {
                op: 'prefix' as const,
                field: 'regionCode',
                values: [district],
              },
            }
          : {}),
      });
      return {
        total: r.total,
        levels: Object.fromEntries(
          (r.facets['level'] ?? []).map((b) => [b.value, b.count]),
        ),
      };
    };

    it('builds the counts of an existing generation and keeps them', async () => {
      const first = await createPostgresSearchBackend({
        db,
        countCacheSize: 0,
      });
      await first.ensureCollection(SPEC);
      await first.bulk(SPEC.name, {
        upserts: Array.from({ length: 30 }, (_, i) => doc(i)),
        deletes: [],
      });
      // The layout before counts: no view, table, function or triggers.
      await db.query(`DROP VIEW ${countsViewName(SPEC.name)}`);
      await db.query(`DROP TABLE ${countsTableName(SPEC.name, 1)}`);
      await db.query(
        `DROP FUNCTION ${countsFunctionName(SPEC.name, 1)}() CASCADE`,
      );
      // Writes made by the earlier version are counted too.
      await first.bulk(SPEC.name, {
        upserts: [doc(30), doc(0, 2, 'MAJOR')],
        deletes: [{ id: 'u01', version: 2 }],
      });

      const upgraded = await createPostgresSearchBackend({
        db,
        countCacheSize: 0,
      });
      await upgraded.ensureCollection(SPEC);
      const expected = (district?: string) => {
        const live = Array.from({ length: 31 }, (_, i) => i)
          .filter((i) => i !== 1)
          .filter(
            (i) => !district || (REGIONS[i % 3] ?? '').startsWith(district),
          )
          .map((i) => (i === 0 ? 'MAJOR' : (LEVELS[i % 3] ?? 'LOW')));
        const levels: Record<string, number> = {};
        for (const l of live) levels[l] = (levels[l] ?? 0) + 1;
        return { total: live.length, levels };
      };
      assert.deepEqual(await facets(upgraded), expected());
      assert.deepEqual(await facets(upgraded, '500112'), expected('500112'));
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${countsViewName(SPEC.name)}`,
      );
      assert.ok(Number(rows[0]?.n) > 0, 'the counts table is filled');

      // Later writes keep them exact; ensureCollection again changes nothing.
      await upgraded.bulk(SPEC.name, {
        upserts: [doc(1, 3, 'HIGH')],
        deletes: [{ id: 'u02', version: 2 }],
      });
      await upgraded.ensureCollection(SPEC);
      const after = await facets(upgraded);
      const before = expected();
      assert.equal(after.total, before.total);
      assert.deepEqual(after.levels, {
        ...before.levels,
        HIGH: (before.levels['HIGH'] ?? 0) + 1,
        [LEVELS[2] ?? 'LOW']: (before.levels[LEVELS[2] ?? 'LOW'] ?? 0) - 1,
      });
    });
  });
}

countsSuite('PostgreSQL', async () => {
  const test = await createTestDatabase();
  return { db: test.db, dispose: () => test.drop() };
});
countsSuite('PGlite', async () => {
  const db = await openMemoryPglite();
  return { db, dispose: () => db.close() };
});
