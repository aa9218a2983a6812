// Seeding the demo world on PGlite, the embedded default (PostgreSQL in
// seed.int.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  isSeeded,
  migrateDepartments,
  SeedError,
  seedDatabase,
} from '../../../seeds/src/index.js';
import { departmentSubgraphs } from '../../../subgraphs/index.js';
import { type Database } from '../../../subgraphs/kit/src/index.js';
import { expected, OPTIONS, tableCounts } from './helpers.js';
import { openMemoryPglite } from '../../utils/pglite.js';

describe('seedDatabase on PGlite', () => {
  let db: Database;

  before(async () => {
    db = await openMemoryPglite();
    await migrateDepartments(db, departmentSubgraphs);
  });
  after(async () => {
    await db.close();
  });

  // How long it takes is measured by `npm run bench:seed`, not here.
  it('seeds the same world with the same row counts', async () => {
    const report = await seedDatabase(db, OPTIONS);
    assert.deepEqual(report.counts, expected);
    assert.deepEqual(await tableCounts(db), expected);
    assert.equal(await isSeeded(db), true);
    const { rows } = await db.query<{
      no_rule: boolean;
      closed_at: Date | null;
      events: number;
    }>(
      `SELECT a.rule IS NULL AS no_rule, a.closed_at,
              (SELECT count(*)::int FROM emergency.alert_events e
                WHERE e.alert_id = a.id) AS events
         FROM emergency.alerts a WHERE a.id = 'AL-20250718-RUXI'`,
    );
    assert.equal(rows[0]?.no_rule, true);
    assert.equal(rows[0]?.closed_at?.toISOString(), '2025-07-18T08:30:00.000Z');
    assert.equal(rows[0]?.events, 4);
  });

  it('refuses to seed again without reset', async () => {
    await assert.rejects(seedDatabase(db, OPTIONS), SeedError);
  });
});

describe('seedDatabase before the migrations', () => {
  it('refuses a database without the department tables', async () => {
    const db = await openMemoryPglite();
    try {
      assert.equal(await isSeeded(db), false);
      await assert.rejects(
        seedDatabase(db, OPTIONS),
        (error: unknown) =>
          error instanceof SeedError && error.code === 'NOT_MIGRATED',
      );
    } finally {
      await db.close();
    }
  });
});
