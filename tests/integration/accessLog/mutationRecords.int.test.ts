// The store side of mutations under audit: attempt and outcome records in
// the hash chain (and counted once by the report and the impact replay),
// and the durable idempotency keys of mutations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import {
  accessReport,
  createAccessLog,
  createIdempotencyKeys,
  migrateAccessLog,
  readRecordedOperations,
  verifyAccessLog,
} from '../../../policies/store/src/audit/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { sampleRecord } from './helpers.js';

const silent = pino({ level: 'silent' });
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

let tdb: TestDatabase;

before(async () => {
  tdb = await createTestDatabase();
  await migrateAccessLog(tdb.db);
});
after(async () => {
  await tdb.drop();
});

describe('attempt records', () => {
  it('chain, verify, are counted once, and a changed attempt_id is found', async () => {
    const log = createAccessLog({ db: tdb.db }, { logger: silent });
    const read = { ...sampleRecord(1), outcome: 'OK' as const };
    await log.append(read);
    await log.append({
      ...sampleRecord(2),
      outcome: 'ATTEMPTED',
      attemptId: 'att-1',
    });
    await log.append({ ...sampleRecord(2), outcome: 'OK', attemptId: 'att-1' });
    await log.close();
    const verification = await verifyAccessLog(tdb.db);
    assert.deepEqual(verification.problems, []);
    assert.equal(verification.records, 3);

    const replayed = await readRecordedOperations(tdb.db);
    assert.deepEqual(
      replayed.map((r) => r.subject),
      ['u-a-1', 'u-a-2'],
      'a mutation is replayed once',
    );
    const report = await accessReport(tdb.db, {
      owner: 'market',
      ownedCoordinates: ['Enterprise.name'],
    });
    assert.deepEqual(
      report.map((r) => [r.coordinate, r.reads]),
      [['Enterprise.name', 2]],
      'a mutation is counted once',
    );

    await tdb.db.exec(
      `ALTER TABLE audit.access_log DISABLE TRIGGER ALL;
       UPDATE audit.access_log SET attempt_id = 'att-2' WHERE seq = 3;
       ALTER TABLE audit.access_log ENABLE TRIGGER ALL`,
    );
    const tampered = await verifyAccessLog(tdb.db);
    assert.deepEqual(
      tampered.problems.map((p) => [p.seq, p.kind]),
      [[3, 'ALTERED']],
    );
  });

  it('refuses an ATTEMPTED row without its attempt id', async () => {
    await assert.rejects(
      tdb.db.query(
        `INSERT INTO audit.access_log
           (seq, recorded_at, subject, department, roles, purpose, operation_hash,
            operation_text, operation_name, read, withheld, masked, outcome,
            latency_ms, prev_hash, hash)
         VALUES (1000, now(), 's', 'd', '{}', 'p', 'h', 't', NULL, '{}', '[]',
                 '[]', 'ATTEMPTED', 0, $1, $1)`,
        [HASH_A],
      ),
      /access_log_attempt_check/,
    );
  });
});

describe('idempotency keys', () => {
  it('claims once, replays the stored answer, refuses another request, and frees a released key', async () => {
    const keys = createIdempotencyKeys({ db: tdb.db }, { logger: silent });
    assert.deepEqual(await keys.claim('alice', 'k1', HASH_A), {
      kind: 'CLAIMED',
    });
    assert.deepEqual(await keys.claim('alice', 'k1', HASH_A), {
      kind: 'PENDING',
    });
    assert.deepEqual(await keys.claim('alice', 'k1', HASH_B), {
      kind: 'MISMATCH',
    });
    // Keys are per caller.
    assert.deepEqual(await keys.claim('bob', 'k1', HASH_B), {
      kind: 'CLAIMED',
    });
    const answer = { data: { created: { id: 'X-1' } } };
    await keys.complete('alice', 'k1', HASH_A, answer);
    assert.deepEqual(await keys.claim('alice', 'k1', HASH_A), {
      kind: 'DONE',
      response: answer,
    });
    // Releasing is only for a key whose request did not run.
    await keys.release('alice', 'k1', HASH_A);
    assert.equal((await keys.claim('alice', 'k1', HASH_A)).kind, 'DONE');
    await keys.release('bob', 'k1', HASH_B);
    assert.equal((await keys.claim('bob', 'k1', HASH_A)).kind, 'CLAIMED');
  });

  it('lets two claims race to one winner', async () => {
    const keys = createIdempotencyKeys({ db: tdb.db }, { logger: silent });
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => keys.claim('carol', 'race', HASH_A)),
    );
    assert.equal(claims.filter((c) => c.kind === 'CLAIMED').length, 1);
    assert.equal(claims.filter((c) => c.kind === 'PENDING').length, 7);
  });

  it('forgets a key after its lifetime and purges expired keys', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const keys = createIdempotencyKeys(
      { db: tdb.db, ttlMs: 60_000 },
      { logger: silent, now: () => now },
    );
    assert.equal((await keys.claim('dave', 'old', HASH_A)).kind, 'CLAIMED');
    await keys.complete('dave', 'old', HASH_A, { data: null });
    now = new Date('2030-01-01T00:00:59Z');
    assert.equal((await keys.claim('dave', 'old', HASH_B)).kind, 'MISMATCH');
    now = new Date('2030-01-01T00:01:00Z');
    // Expired: the key may name a new request.
    assert.equal((await keys.claim('dave', 'old', HASH_B)).kind, 'CLAIMED');
    assert.equal((await keys.claim('dave', 'gone', HASH_A)).kind, 'CLAIMED');
    now = new Date('2030-01-02T00:00:00Z');
    assert.ok((await keys.purgeExpired()) >= 2);
    const { rows } = await tdb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit.idempotency_keys WHERE subject = 'dave'`,
    );
    assert.equal(rows[0]?.n, 0);
  });
});
