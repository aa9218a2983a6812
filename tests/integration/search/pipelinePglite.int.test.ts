// The search indexing pipeline on PGlite, the embedded database of a hub
// without DATABASE_URL: the outbox triggers (TRUNCATE included), document
// loading and the PostgreSQL search backend, on the in-process queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startSearchIndexer } from '../../../search/src/pipeline/startSearchIndexer.js';
import { emergencySearchSource } from '../../../subgraphs/emergency/src/search/documents.js';
import { createLogger } from '../../../subgraphs/kit/src/index.js';
import {
  ids,
  insertFixtures,
  insertItem,
  is,
  migrateEmergency,
  openBackend,
} from './pipelineHelpers.js';
import { openMemoryPglite } from '../../utils/pglite.js';

const logger = createLogger('search-pipeline-pglite-test', 'silent');

describe('search pipeline on PGlite (the embedded database)', () => {
  it('rebuilds at start, carries changes and rebuilds after a truncate', async () => {
    const db = await openMemoryPglite();
    try {
      await migrateEmergency(db);
      await insertFixtures(db);
      const backend = await openBackend(db);
      const indexer = await startSearchIndexer(
        { queue: { kind: 'in-process' }, pollIntervalMs: 100 },
        { db, backend, sources: [emergencySearchSource(db)], logger },
      );
      try {
        await indexer.flush();
        assert.equal(await backend.count('risk-items'), 12);
        await insertItem(db, {
          id: 'R-100',
          name: '江北码头仓库',
          category: 'FLOOD',
        });
        await db.query(
          `UPDATE emergency.alerts SET status = 'CLOSED' WHERE id = 'A-1'`,
        );
        await indexer.flush();
        assert.deepEqual(await ids(backend, 'risk-items', { text: '码头' }), [
          'R-100',
        ]);
        assert.deepEqual(
          await ids(backend, 'risk-items', {
            filter: is('status', 'ALERTING'),
          }),
          ['R-005'],
        );
        assert.deepEqual(await indexer.reindex('alerts'), {
          indexed: 3,
          total: 3,
        });
        await db.query(
          'TRUNCATE emergency.alerts, emergency.risk_items CASCADE',
        );
        await indexer.flush();
        assert.equal(await backend.count('risk-items'), 0);
        assert.equal((await indexer.status()).pending, 0);
      } finally {
        await indexer.close();
        await backend.close();
      }
    } finally {
      await db.close();
    }
  });
});
