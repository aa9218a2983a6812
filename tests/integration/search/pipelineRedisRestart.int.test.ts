// The search pipeline survives a Redis restart that loses every job: a
// redis-server of the test's own (no persistence) is killed while one job is
// running, one is queued and a change has not been queued yet, then started
// again, empty, on the same port. Every change still reaches the index.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';

import {
  startSearchIndexer,
  type SearchIndexer,
} from '../../../search/src/pipeline/startSearchIndexer.js';
import { emergencySearchSource } from '../../../subgraphs/emergency/src/search/documents.js';
import { createLogger } from '../../../subgraphs/kit/src/index.js';
import { freePort } from '../../utils/net.js';
import { killRedis, startRedis } from '../../utils/privateRedis.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import {
  ids,
  insertFixtures,
  insertItem,
  migrateEmergency,
  openBackend,
  until,
  type FlakyBackend,
} from './pipelineHelpers.js';

const logger = createLogger('search-redis-restart-test', 'silent');

describe('search pipeline across a Redis restart', () => {
  let tdb: TestDatabase;
  let backend: FlakyBackend;
  let indexer: SearchIndexer;
  let redis: ChildProcess;
  let port: number;

  before(async () => {
    port = await freePort();
    redis = await startRedis(port);
    tdb = await createTestDatabase();
    await migrateEmergency(tdb.db);
    await insertFixtures(tdb.db);
    backend = await openBackend(tdb.db);
    indexer = await startSearchIndexer(
      {
        queue: { kind: 'redis', url: `redis://127.0.0.1:${port}` },
        pollIntervalMs: 100,
        attempts: 3,
        backoffMs: 50,
        // Rows whose job Redis lost are handed to a new job after this.
        requeueAfterMs: 1500,
      },
      { db: tdb.db, backend, sources: [emergencySearchSource(tdb.db)], logger },
    );
  });

  after(async () => {
    await indexer?.close();
    await backend?.close();
    await tdb?.drop();
    if (redis) await killRedis(redis);
  });

  it('indexes every change made before, during and after the outage', async () => {
    const { db } = tdb;
    await indexer.flush();
    await insertItem(db, {
      id: 'R-300',
      name: '朝天门码头',
      category: 'FLOOD',
    });
    await indexer.flush();
    assert.deepEqual(await ids(backend, 'risk-items', { text: '朝天门' }), [
      'R-300',
    ]);

    // A slow index: one job running, one queued in Redis.
    let release!: () => void;
    backend.hold = new Promise((resolve) => (release = resolve));
    const calls = backend.bulkCalls;
    await insertItem(db, {
      id: 'R-301',
      name: '洪崖洞景区',
      category: 'FLOOD',
    });
    await until('the first job to run', async () => backend.bulkCalls > calls);
    await insertItem(db, { id: 'R-302', name: '鹅岭公园', category: 'FOREST' });
    await until('the second job to be queued', async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM emergency.search_outbox
          WHERE doc_id = 'R-302' AND enqueued_at IS NOT NULL`,
      );
      return rows[0]?.n === 1;
    });

    // Redis dies with both jobs; changes made meanwhile stay pending.
    await killRedis(redis);
    await insertItem(db, {
      id: 'R-303',
      name: '磁器口古镇',
      category: 'FOREST',
    });
    await db.query(
      `UPDATE emergency.risk_items SET name = '南山一棵树' WHERE id = 'R-001'`,
    );
    await until(
      'the relay to notice',
      async () => (await indexer.status()).relayError !== null,
    );
    const down = await indexer.status();
    assert.ok(down.pending >= 4, `pending ${down.pending}`);
    release();
    backend.hold = null;

    // Back, empty, on the same port.
    redis = await startRedis(port);
    await until(
      'every change to be indexed',
      async () => (await indexer.status()).pending === 0,
      15_000,
    );
    const up = await indexer.status();
    assert.equal(up.relayError, null);
    // R-302's job was lost with Redis: its row went to a second job.
    const { rows } = await db.query<{ attempts: number }>(
      `SELECT attempts FROM emergency.search_outbox WHERE doc_id = 'R-302'`,
    );
    assert.equal(rows[0]?.attempts, 2);
    for (const [text, id] of [
      ['洪崖洞', 'R-301'],
      ['鹅岭', 'R-302'],
      ['磁器口', 'R-303'],
      ['一棵树', 'R-001'],
      ['朝天门', 'R-300'],
    ] as const) {
      assert.deepEqual(await ids(backend, 'risk-items', { text }), [id], text);
    }
    assert.equal(await backend.count('risk-items'), 16);

    // And the pipeline keeps working on the new Redis.
    await insertItem(db, {
      id: 'R-304',
      name: '李子坝轻轨站',
      category: 'FLOOD',
    });
    await indexer.flush();
    assert.deepEqual(await ids(backend, 'risk-items', { text: '李子坝' }), [
      'R-304',
    ]);
  });
});
