// Seeding the demo world on PostgreSQL; on PGlite in seedPglite.int.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  generateWorld,
  isSeeded,
  migrateDepartments,
  SeedError,
  seedDatabase,
} from '../../../seeds/src/index.js';
import { departmentSubgraphs } from '../../../subgraphs/index.js';
import type { Database } from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { expected, OPTIONS, tableCounts } from './helpers.js';

/**
 * A database whose transactions fail at the `failAt`-th write (an INSERT or
 * a COPY, which the seeds use where the database takes it).
 */
function failingAt(db: Database, failAt: number): Database {
  return {
    kind: db.kind,
    query: (text, values) => db.query(text, values),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) => {
        let writes = 0;
        const injected = () => Promise.reject(new Error('injected failure'));
        assert.ok(tx.copyRows, 'the pg adapter takes COPY');
        return fn({
          query: (text, values) => {
            if (text.startsWith('INSERT') && ++writes === failAt) {
              return injected();
            }
            return tx.query(text, values);
          },
          copyRows: (table, columns, lines) =>
            ++writes === failAt
              ? injected()
              : tx.copyRows!(table, columns, lines),
        });
      }),
  };
}

describe('seedDatabase on PostgreSQL', () => {
  let tdb: TestDatabase;

  before(async () => {
    tdb = await createTestDatabase();
    await migrateDepartments(tdb.db, departmentSubgraphs);
  });
  after(async () => {
    await tdb.drop();
  });

  it('reports a migrated but empty database as not seeded', async () => {
    assert.equal(await isSeeded(tdb.db), false);
  });

  it('writes nothing when a statement fails halfway', async () => {
    await assert.rejects(
      seedDatabase(failingAt(tdb.db, 12), OPTIONS),
      /injected failure/,
    );
    const counts = await tableCounts(tdb.db);
    assert.ok(
      Object.values(counts).every((n) => n === 0),
      JSON.stringify(counts),
    );
    assert.equal(await isSeeded(tdb.db), false);
  });

  it('seeds the demo world with the generated row counts', async (t) => {
    const started = performance.now();
    const report = await seedDatabase(tdb.db, OPTIONS);
    t.diagnostic(
      `demo seeding on pg: ${Math.round(performance.now() - started)} ms`,
    );
    assert.deepEqual(report.counts, expected);
    assert.deepEqual(await tableCounts(tdb.db), expected);
    assert.equal(await isSeeded(tdb.db), true);
  });

  it('refuses to seed again without reset and leaves the data as it was', async () => {
    await assert.rejects(
      seedDatabase(tdb.db, { seed: 2, scale: 'demo' }),
      (error: unknown) =>
        error instanceof SeedError && error.code === 'NOT_EMPTY',
    );
    assert.deepEqual(await tableCounts(tdb.db), expected);
  });

  it('stores jsonb as JSON and text[] as arrays', async () => {
    const { rows } = await tdb.db.query<{
      thresholds: unknown;
      measures: unknown;
      kind: string;
    }>(
      `SELECT thresholds, disposal_measures AS measures, jsonb_typeof(thresholds) AS kind
         FROM emergency.risk_items WHERE id = 'RI-PUHE-ZHAIXI'`,
    );
    assert.equal(rows[0]?.kind, 'array');
    assert.deepEqual((rows[0]!.thresholds as unknown[])[0], {
      metric: 'DISSOLVED_OXYGEN',
      comparator: 'LT',
      value: 5,
      unit: 'mg/L',
      windowDays: 3,
      alertLevel: 'ORANGE',
    });
    assert.ok(Array.isArray(rows[0]?.measures));
    // Scenario 2's alert (scenario 1's is raised by the evaluator, not seeded).
    const alert = await tdb.db.query<{ n: number; parties: string[] }>(
      `SELECT cardinality(suspected_credit_codes) AS n, notified_parties AS parties
         FROM emergency.alerts WHERE id = 'AL-20250718-RUXI'`,
    );
    assert.equal(alert.rows[0]?.n, 1);
    assert.deepEqual(alert.rows[0]?.parties, [
      '梁平区生态环境局',
      '梁平区水利局',
      '礼让镇人民政府',
      '梁平区应急管理局',
      '梁平区市场监督管理局',
    ]);
    const peak = await tdb.db.query<{ n: number; v: number }>(
      `SELECT jsonb_array_length(congestion_points) AS n, visitors_today AS v
         FROM publicsecurity.crowd_observations
        WHERE area_id = 'CA-JIEFANGBEI' ORDER BY visitors_today DESC LIMIT 1`,
    );
    assert.deepEqual(peak.rows[0], { n: 3, v: 1_800_000 });
  });

  it('writes the alerts’ lifecycle: timestamps, rules (SQL NULL when none) and events in order, and queues every alert for search', async () => {
    const world = generateWorld(OPTIONS);
    const { rows: alerts } = await tdb.db.query<{
      id: string;
      status: string;
      rule_type: string | null;
      closed_at: Date | null;
    }>(
      `SELECT id, status, jsonb_typeof(rule) AS rule_type, closed_at
         FROM emergency.alerts ORDER BY id`,
    );
    assert.equal(alerts.length, world.tables['emergency.alerts'].length);
    for (const a of alerts) {
      const seeded = world.tables['emergency.alerts'].find(
        (x) => x.id === a.id,
      );
      assert.ok(seeded, a.id);
      // The oil-slick alert was raised by hand: no rule, as SQL NULL.
      assert.equal(a.rule_type, seeded.rule === null ? null : 'object', a.id);
      assert.equal(
        a.closed_at?.getTime() ?? null,
        seeded.closed_at === null ? null : new Date(seeded.closed_at).getTime(),
        a.id,
      );
    }
    const { rows: events } = await tdb.db.query<{
      from_status: string | null;
      to_status: string;
      actor: string;
      at: Date;
    }>(
      `SELECT from_status, to_status, actor, at FROM emergency.alert_events
        WHERE alert_id = 'AL-20250718-RUXI' ORDER BY id`,
    );
    assert.deepEqual(
      events.map((e) => [e.from_status, e.to_status, e.at.toISOString()]),
      [
        [null, 'NEW', '2025-07-17T22:55:00.000Z'],
        ['NEW', 'ACKNOWLEDGED', '2025-07-17T23:03:00.000Z'],
        ['ACKNOWLEDGED', 'DISPOSED', '2025-07-18T03:10:00.000Z'],
        ['DISPOSED', 'CLOSED', '2025-07-18T08:30:00.000Z'],
      ],
    );
    // Every alert's events, by id, run from the raise to its status.
    const { rows: paths } = await tdb.db.query<{
      status: string;
      path: string[];
    }>(
      `SELECT a.status, array_agg(e.to_status ORDER BY e.id) AS path
         FROM emergency.alerts a JOIN emergency.alert_events e ON e.alert_id = a.id
        GROUP BY a.id, a.status`,
    );
    assert.equal(paths.length, alerts.length);
    const order = ['NEW', 'ACKNOWLEDGED', 'DISPOSED', 'CLOSED'];
    for (const p of paths) {
      assert.deepEqual(p.path, order.slice(0, order.indexOf(p.status) + 1));
    }
    const { rows: outbox } = await tdb.db.query<{ n: number }>(
      `SELECT count(DISTINCT doc_id)::int AS n FROM emergency.search_outbox
        WHERE collection = 'alerts'`,
    );
    assert.equal(outbox[0]?.n, alerts.length);
  });

  it('replaces the data with reset', async () => {
    const report = await seedDatabase(tdb.db, {
      seed: 2,
      scale: 'demo',
      reset: true,
    });
    assert.deepEqual(await tableCounts(tdb.db), report.counts);
    const { rows } = await tdb.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM emergency.risk_items',
    );
    assert.equal(Number(rows[0]?.n), 6000);
  });
});
