// The search indexing pipeline end to end on the real PostgreSQL (outbox
// triggers, document loading, the PostgreSQL search backend) and on both
// job queues (BullMQ over the real Redis, in-process): start-up reindex,
// changes reaching the index, idempotent replay, and an index that is down
// for a while losing nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { Queue } from 'bullmq';

import {
  startSearchIndexer,
  SEARCH_QUEUE,
  type SearchIndexer,
  type SearchQueueConfig,
} from '../../../search/src/pipeline/startSearchIndexer.js';
import { reindexProgressPrinter } from '../../../hub/reindexProgress.js';
import { emergencySearchSource } from '../../../subgraphs/emergency/src/search/documents.js';
import { createLogger } from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import {
  ids,
  insertAlert,
  insertFixtures,
  insertItem,
  is,
  ITEM_IDS,
  migrateEmergency,
  openBackend,
  snapshot,
  until,
  type FlakyBackend,
} from './pipelineHelpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const logger = createLogger('search-pipeline-test', 'silent');

const queues: Record<string, () => SearchQueueConfig> = {
  redis: () => ({
    kind: 'redis',
    url: REDIS_URL,
    prefix: `govgraph-test-${randomUUID()}`,
  }),
  'in-process': () => ({ kind: 'in-process' }),
};

for (const [kind, queueConfig] of Object.entries(queues)) {
  describe(`search pipeline (${kind} queue)`, () => {
    let tdb: TestDatabase;
    let backend: FlakyBackend;
    let indexer: SearchIndexer;
    const queue = queueConfig();
    // What npm start prints of each reindex when stdout is not a terminal.
    let printed = '';
    const printReindex = reindexProgressPrinter({
      write: (text: string) => (printed += text),
    });

    before(async () => {
      tdb = await createTestDatabase();
      await migrateEmergency(tdb.db);
      await insertFixtures(tdb.db);
      backend = await openBackend(tdb.db);
      indexer = await startSearchIndexer(
        {
          queue,
          pollIntervalMs: 100,
          attempts: 2,
          backoffMs: 20,
          deadLetterRetryMs: 300,
          requeueAfterMs: 5000,
          reindexPageSize: 5,
        },
        {
          db: tdb.db,
          backend,
          sources: [emergencySearchSource(tdb.db)],
          logger,
          onReindexProgress: printReindex,
        },
      );
    });

    after(async () => {
      await indexer?.close();
      await backend?.close();
      await tdb?.drop();
      if (queue.kind === 'redis') {
        for (const name of [SEARCH_QUEUE, `${SEARCH_QUEUE}-reindex`]) {
          const q = new Queue(name, {
            prefix: queue.prefix ?? 'bull',
            connection: { url: REDIS_URL },
          });
          await q.obliterate({ force: true });
          await q.close();
        }
      }
    });

    it('rebuilds the empty collections at start from the seeded tables', async () => {
      await indexer.flush();
      assert.equal(await backend.count('risk-items'), 12);
      assert.equal(await backend.count('alerts'), 3);
      assert.deepEqual(await ids(backend, 'risk-items'), ITEM_IDS);
      // Derived fields: status from open alerts, department from the domain.
      assert.deepEqual(
        await ids(backend, 'risk-items', { filter: is('status', 'ALERTING') }),
        ['R-001', 'R-005'],
      );
      assert.deepEqual(
        await ids(backend, 'risk-items', {
          filter: is('responsibleDepartment', '规划自然资源局'),
        }),
        ['R-002', 'R-005', 'R-008', 'R-011'],
      );
      assert.deepEqual(
        await ids(backend, 'alerts', { filter: is('riskItemId', 'R-005') }),
        ['A-3'],
      );
      const status = await indexer.status();
      assert.equal(status.queue, kind);
      assert.equal(status.pending, 0);
      assert.equal(status.deadLetters, 0);
      assert.deepEqual(status.reindexing, []);
    });

    it('carries inserts, updates, deletes and the derived fields to the index', async () => {
      const { db } = tdb;
      await insertItem(db, {
        id: 'R-100',
        name: '江北码头仓库',
        category: 'HAZCHEM',
      });
      await db.query(
        `UPDATE emergency.risk_items SET name = '较场口油库' WHERE id = 'R-003'`,
      );
      await db.query(`DELETE FROM emergency.risk_items WHERE id = 'R-012'`);
      await insertAlert(db, 'A-4', 'R-002', 'NEW', 'ORANGE');
      await db.query(
        `UPDATE emergency.alerts SET status = 'DISPOSED' WHERE id = 'A-1'`,
      );
      await db.query(
        `UPDATE emergency.risk_categories SET name = '森林火险' WHERE code = 'FOREST'`,
      );
      await db.query(
        `UPDATE emergency.risk_items SET name = '歌乐山林区' WHERE id = 'R-002'`,
      );
      await indexer.flush();

      assert.deepEqual(await ids(backend, 'risk-items', { text: '码头' }), [
        'R-100',
      ]);
      assert.deepEqual(await ids(backend, 'risk-items', { text: '油库' }), [
        'R-003',
      ]);
      assert.equal(await backend.count('risk-items'), 12);
      assert.deepEqual(
        await ids(backend, 'risk-items', { filter: is('status', 'ALERTING') }),
        ['R-002', 'R-005'],
      );
      assert.deepEqual(await ids(backend, 'risk-items', { text: '火险' }), [
        'R-002',
        'R-005',
        'R-008',
        'R-011',
      ]);
      assert.deepEqual(
        await ids(backend, 'alerts', {
          filter: is('status', 'NEW', 'ACKNOWLEDGED'),
        }),
        ['A-3', 'A-4'],
      );
      // Alert documents carry their item's (new) name and category.
      assert.deepEqual(
        await ids(backend, 'alerts', {
          text: '歌乐山',
          filter: is('categoryCode', 'FOREST'),
        }),
        ['A-2', 'A-4'],
      );
      assert.equal((await indexer.status()).pending, 0);
    });

    it('replays processed changes without changing the index', async () => {
      const before = await snapshot(backend);
      const { rows } = await tdb.db.query<{ n: number }>(
        `WITH again AS (UPDATE emergency.search_outbox
            SET processed_at = NULL, retry_at = NULL RETURNING 1)
         SELECT count(*)::int AS n FROM again`,
      );
      assert.ok((rows[0]?.n ?? 0) > 12);
      const calls = backend.bulkCalls;
      await indexer.flush();
      assert.ok(backend.bulkCalls > calls);
      assert.deepEqual(await snapshot(backend), before);
      assert.equal((await indexer.status()).pending, 0);
    });

    it('keeps changes while the index is down, dead-letters the batch and indexes it after recovery', async () => {
      const { db } = tdb;
      backend.failing = true;
      // One transaction: one batch.
      await db.transaction(async (tx) => {
        await insertItem(tx, {
          id: 'R-200',
          name: '长江防洪堤',
          category: 'FLOOD',
        });
        await tx.query(
          `UPDATE emergency.risk_items SET name = '观音岩加油站' WHERE id = 'R-004'`,
        );
      });
      await until(
        'a dead letter',
        async () => ((await indexer.status()).deadLetters ?? 0) > 0,
      );
      const down = await indexer.status();
      assert.ok(down.pending >= 2, `pending ${down.pending}`);
      assert.match(down.lastIndexError ?? '', /search index unavailable/);
      const [letter] = await indexer.deadLetters();
      assert.equal(letter?.data.collection, 'risk-items');
      assert.deepEqual([...(letter?.data.docs ?? [])].sort(), [
        'R-004',
        'R-200',
      ]);
      assert.equal(letter?.attemptsMade, 2);
      assert.match(letter?.failedReason ?? '', /search index unavailable/);
      assert.deepEqual(
        await ids(backend, 'risk-items', { text: '防洪堤' }),
        [],
      );

      // The relay hands the rows to a new job by itself once the index is back.
      backend.failing = false;
      await until(
        'the pending rows to be indexed',
        async () => (await indexer.status()).pending === 0,
      );
      assert.deepEqual(await ids(backend, 'risk-items', { text: '防洪堤' }), [
        'R-200',
      ]);
      assert.deepEqual(await ids(backend, 'risk-items', { text: '观音岩' }), [
        'R-004',
      ]);
      const up = await indexer.status();
      assert.equal(up.lastIndexError, null);
      // The dead letter stays visible as a record of the outage.
      assert.ok((up.deadLetters ?? 0) >= 1);
    });

    it('rebuilds a collection on demand, reporting progress', async () => {
      printed = '';
      const progress = await indexer.reindex('risk-items');
      assert.deepEqual(progress, { indexed: 13, total: 13 });
      // Documents done of all, the rate and the time left, a line each
      // report, the last when it is done.
      const lines = printed.trimEnd().split('\n');
      for (const line of lines) {
        assert.match(
          line,
          /^search reindex risk-items: \d+\/13 documents \(\d+%\), \d+\/s, (ETA \d+ s|done in \d+ s)$/,
        );
      }
      assert.match(lines.at(-1) ?? '', /13\/13 documents \(100%\).*done in/);
      assert.equal(lines.filter((l) => l.includes('done in')).length, 1);
      assert.equal(await backend.count('risk-items'), 13);
      assert.deepEqual(await ids(backend, 'risk-items', { text: '防洪堤' }), [
        'R-200',
      ]);
      await assert.rejects(
        indexer.reindex('nope'),
        /unknown search collection/,
      );
    });

    it('rebuilds after the tables are truncated', async () => {
      const { db } = tdb;
      await db.query('TRUNCATE emergency.alerts, emergency.risk_items CASCADE');
      await insertItem(db, {
        id: 'R-900',
        name: '新风险点',
        category: 'FLOOD',
      });
      await indexer.flush();
      await until(
        'the rebuild after truncate',
        async () =>
          (await backend.count('alerts')) === 0 &&
          (await backend.count('risk-items')) === 1,
      );
      assert.deepEqual(await ids(backend, 'risk-items'), ['R-900']);
    });
  });
}
