// The access log on embedded PostgreSQL (PGlite), as `npm start` keeps it
// without DATABASE_URL: the same migrations, batches, verification and
// append-only triggers as on PostgreSQL (accessLog.int.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pino } from 'pino';

import {
  createAccessLog,
  migrateAccessLog,
  verifyAccessLog,
} from '../../../policies/store/src/audit/index.js';
import { sampleRecord } from './helpers.js';
import { openMemoryPglite } from '../../utils/pglite.js';

const silent = pino({ level: 'silent' });

describe('access log on embedded PostgreSQL (PGlite)', () => {
  it('migrates, appends in batches, verifies and refuses changes', async () => {
    const db = await openMemoryPglite();
    try {
      assert.deepEqual(await migrateAccessLog(db), [
        '001_access_log.sql',
        '002_attempts_and_idempotency.sql',
        '003_chains_checkpoints_texts.sql',
        '004_trace_ids.sql',
      ]);
      assert.deepEqual(await migrateAccessLog(db), []);
      const log = createAccessLog({ db, batchSize: 2 }, { logger: silent });
      await Promise.all(
        [1, 2, 3, 4, 5].map((i) => log.append(sampleRecord(i))),
      );
      await log.close();
      const result = await verifyAccessLog(db, { pageSize: 2 });
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 5);
      await assert.rejects(
        db.query(`UPDATE audit.access_log SET subject = 'x'`),
        /append-only/,
      );
      await assert.rejects(
        db.query('DELETE FROM audit.access_log'),
        /append-only/,
      );
      await assert.rejects(
        db.query('TRUNCATE audit.access_log'),
        /append-only/,
      );
      await db.exec(
        `ALTER TABLE audit.access_log DISABLE TRIGGER ALL; UPDATE audit.access_log SET outcome = 'OK' WHERE seq = 3`,
      );
      assert.deepEqual(
        (await verifyAccessLog(db)).problems.map((p) => p.kind),
        ['ALTERED'],
      );
    } finally {
      await db.close();
    }
  });
});
