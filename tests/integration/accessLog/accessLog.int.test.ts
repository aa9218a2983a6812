import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import {
  AccessLogError,
  createAccessLog,
  GENESIS_HASH,
  hashRecord,
  migrateAccessLog,
  normalizeRecord,
  verifyAccessLog,
  type AccessLog,
} from '../../../policies/store/src/audit/index.js';
import {
  openDatabase,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import {
  countInserts,
  countRows,
  memoryLogger,
  sampleRecord,
  tamper,
} from './helpers.js';

const silent = pino({ level: 'silent' });

/** A fresh database with the access log migrated. */
async function migratedDatabase(): Promise<TestDatabase> {
  const tdb = await createTestDatabase();
  assert.deepEqual(await migrateAccessLog(tdb.db), [
    '001_access_log.sql',
    '002_attempts_and_idempotency.sql',
    '003_chains_checkpoints_texts.sql',
    '004_trace_ids.sql',
  ]);
  return tdb;
}

/** Appends records 1..n through a fresh log and closes it. */
async function fill(db: Database, n: number): Promise<void> {
  const log = createAccessLog({ db, batchSize: 50 }, { logger: silent });
  const appends = Array.from({ length: n }, (_, i) =>
    log.append(sampleRecord(i + 1)),
  );
  await log.close();
  await Promise.all(appends);
}

function kinds(result: Awaited<ReturnType<typeof verifyAccessLog>>): string[] {
  return result.problems.map((p) => `${String(p.seq)} ${p.kind}`);
}

describe('access log on PostgreSQL', () => {
  it('writes 250 appends as 3 statements at batchSize 100, one round trip and one transaction per batch, and the chain verifies', async () => {
    await using tdb = await migratedDatabase();
    const counted = countInserts(tdb.db);
    const log = createAccessLog(
      { db: counted.db, batchSize: 100 },
      { logger: silent },
    );
    const appends = Array.from({ length: 250 }, (_, i) =>
      log.append(sampleRecord(i + 1)),
    );
    await Promise.all(appends);
    assert.equal(counted.inserts, 3);
    // Each batch is one statement, its own transaction: no BEGIN, no
    // set_config, no COMMIT around it.
    assert.equal(counted.statements, 3);
    assert.equal(counted.transactions, 0);
    await log.close();
    assert.equal(await countRows(tdb.db), 250);
    const { rows } = await tdb.db.query<{ batches: number }>(
      'SELECT count(DISTINCT xmin::text)::int AS batches FROM audit.access_log',
    );
    assert.equal(rows[0]?.batches, 3, 'one transaction per batch');
    const result = await verifyAccessLog(tdb.db, { pageSize: 64 });
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.equal(result.records, 250);
    assert.equal(result.head?.seq, 250);
  });

  it('prepares its batch statements once per connection (named statements)', async () => {
    await using tdb = await migratedDatabase();
    // One connection: the statements it prepared are the ones it lists.
    const db = await openDatabase({
      kind: 'pg',
      connectionString: tdb.url,
      maxConnections: 1,
    });
    try {
      const log = createAccessLog({ db, batchSize: 3 }, { logger: silent });
      for (let i = 0; i < 4; i += 1) {
        await Promise.all(
          [1, 2, 3].map((k) => log.append(sampleRecord(i * 3 + k))),
        );
      }
      await log.close();
      const { rows } = await db.query<{ name: string }>(
        `SELECT name FROM pg_prepared_statements
          WHERE name LIKE 'govgraph_access_log_batch%' ORDER BY name`,
      );
      // The chain's first batch, then the next ones, each kind (with or
      // without new operation texts) prepared once and reused.
      const names = rows.map((r) => r.name);
      assert.equal(names.length >= 2 && names.length <= 3, true, `${names}`);
      for (const name of names) {
        assert.match(
          name,
          /^govgraph_access_log_batch_(first|next)(_texts)?$/,
          name,
        );
      }
      assert.equal(names.filter((n) => n.includes('_first')).length, 1);
      assert.equal(await countRows(tdb.db), 12);
      assert.equal((await verifyAccessLog(tdb.db)).ok, true);
    } finally {
      await db.close();
    }
  });

  it('stores each record as appended, chained from 64 zeros', async () => {
    await using tdb = await migratedDatabase();
    const log = createAccessLog({ db: tdb.db }, { logger: silent });
    const recordedAt = new Date('2025-06-01T08:00:00.123Z');
    await Promise.all([
      log.append({ ...sampleRecord(1), recordedAt }),
      log.append({ ...sampleRecord(2), recordedAt }),
    ]);
    await log.close();
    const { rows } = await tdb.db.query<{
      seq: string;
      subject: string;
      roles: string[];
      read: unknown;
      withheld: unknown;
      recorded_at: Date;
      prev_hash: string;
      hash: string;
    }>('SELECT * FROM audit.access_log ORDER BY seq');
    assert.deepEqual(
      rows.map((r) => r.seq),
      ['1', '2'],
    );
    const first = normalizeRecord({ ...sampleRecord(1), recordedAt });
    assert.equal(rows[0]?.subject, 'u-a-1');
    assert.deepEqual(rows[0]?.roles, ['analyst', 'viewer']);
    assert.deepEqual(rows[0]?.read, first.read);
    assert.deepEqual(rows[0]?.withheld, first.withheld);
    assert.equal(rows[0]?.recorded_at.toISOString(), recordedAt.toISOString());
    assert.equal(rows[0]?.prev_hash, GENESIS_HASH);
    assert.equal(rows[0]?.hash, hashRecord(GENESIS_HASH, first));
    assert.equal(rows[1]?.prev_hash, rows[0]?.hash);
  });

  it('refuses UPDATE, DELETE and TRUNCATE through normal SQL', async () => {
    await using tdb = await migratedDatabase();
    await fill(tdb.db, 3);
    for (const sql of [
      `UPDATE audit.access_log SET subject = 'someone-else' WHERE seq = 2`,
      'DELETE FROM audit.access_log WHERE seq = 3',
      'TRUNCATE audit.access_log',
    ]) {
      await assert.rejects(tdb.db.query(sql), /append-only/, sql);
    }
    assert.equal(await countRows(tdb.db), 3);
    assert.equal((await verifyAccessLog(tdb.db)).ok, true);
  });

  describe('finds tampering', () => {
    let tdb: TestDatabase;
    // One database, restored from a pristine copy of the log before each case.
    before(async () => {
      tdb = await migratedDatabase();
      await fill(tdb.db, 10);
      await tdb.db.exec(
        'CREATE TABLE public.pristine AS SELECT * FROM audit.access_log',
      );
    });
    after(async () => {
      await tdb.drop();
    });
    const restore = (): Promise<void> =>
      tamper(
        tdb.db,
        'DELETE FROM audit.access_log; INSERT INTO audit.access_log SELECT * FROM public.pristine',
      );

    it('an altered field', async () => {
      await restore();
      await tamper(
        tdb.db,
        `UPDATE audit.access_log SET purpose = 'statistics' WHERE seq = 5`,
      );
      const result = await verifyAccessLog(tdb.db, { pageSize: 3 });
      assert.equal(result.ok, false);
      assert.deepEqual(kinds(result), ['5 ALTERED']);
    });

    it('a timestamp moved by one microsecond', async () => {
      await restore();
      await tamper(
        tdb.db,
        `UPDATE audit.access_log SET recorded_at = recorded_at + interval '1 microsecond' WHERE seq = 2`,
      );
      assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), ['2 ALTERED']);
    });

    it('a changed jsonb member', async () => {
      await restore();
      await tamper(
        tdb.db,
        `UPDATE audit.access_log SET read = read - 'environment' WHERE seq = 7`,
      );
      assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), ['7 ALTERED']);
    });

    it('a deleted row', async () => {
      await restore();
      await tamper(tdb.db, 'DELETE FROM audit.access_log WHERE seq = 5');
      const result = await verifyAccessLog(tdb.db, { pageSize: 4 });
      assert.deepEqual(kinds(result), ['5 MISSING']);
      assert.equal(result.records, 9);
    });

    it('deleted rows at the start', async () => {
      await restore();
      await tamper(tdb.db, 'DELETE FROM audit.access_log WHERE seq <= 2');
      const result = await verifyAccessLog(tdb.db);
      assert.deepEqual(kinds(result), ['1 MISSING']);
      assert.match(result.problems[0]?.detail ?? '', /records 1 to 2/);
    });

    it('a deleted row with the rest renumbered', async () => {
      await restore();
      const renumber = [6, 7, 8, 9, 10]
        .map(
          (s) =>
            `UPDATE audit.access_log SET seq = ${String(s - 1)} WHERE seq = ${String(s)}`,
        )
        .join('; ');
      await tamper(
        tdb.db,
        `DELETE FROM audit.access_log WHERE seq = 5; ${renumber}`,
      );
      assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), ['5 BROKEN_LINK']);
    });

    it('a record rewritten with a recomputed hash', async () => {
      await restore();
      const { rows } = await tdb.db.query<{ prev_hash: string }>(
        'SELECT prev_hash FROM audit.access_log WHERE seq = 4',
      );
      const forged = normalizeRecord({
        ...sampleRecord(4),
        recordedAt: new Date(),
        subject: 'nobody',
      });
      const hash = hashRecord(rows[0]?.prev_hash ?? '', forged);
      await tamper(
        tdb.db,
        `UPDATE audit.access_log SET subject = 'nobody', recorded_at = '${forged.recordedAt.toISOString()}', hash = '${hash}' WHERE seq = 4`,
      );
      assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), ['5 BROKEN_LINK']);
    });

    it('two rows swapped', async () => {
      await restore();
      await tamper(
        tdb.db,
        `UPDATE audit.access_log SET seq = 1000 WHERE seq = 3;
         UPDATE audit.access_log SET seq = 3 WHERE seq = 4;
         UPDATE audit.access_log SET seq = 4 WHERE seq = 1000`,
      );
      const result = await verifyAccessLog(tdb.db, { pageSize: 2 });
      assert.equal(result.ok, false);
      assert.deepEqual(kinds(result), [
        '3 REORDERED',
        '4 REORDERED',
        '5 REORDERED',
      ]);
      assert.match(
        result.problems[0]?.detail ?? '',
        /record 3 is chained after record 4 but is stored after record 2/,
      );
    });

    it('nothing once restored, and lists at most maxProblems', async () => {
      await restore();
      assert.equal((await verifyAccessLog(tdb.db)).ok, true);
      await tamper(tdb.db, `UPDATE audit.access_log SET latency_ms = 1`);
      const result = await verifyAccessLog(tdb.db, { maxProblems: 3 });
      assert.equal(result.problems.length, 3);
      assert.equal(result.problemsOmitted > 0, true);
      assert.equal(result.ok, false);
    });
  });

  it('close() drains every record appended before it', async () => {
    await using tdb = await migratedDatabase();
    const counted = countInserts(tdb.db);
    const log = createAccessLog(
      { db: counted.db, flushIntervalMs: 60_000 },
      { logger: silent },
    );
    const appends: Promise<void>[] = [];
    for (let i = 1; i <= 500; i += 1) appends.push(log.append(sampleRecord(i)));
    await log.close();
    assert.equal(await countRows(tdb.db), 500);
    assert.equal(counted.inserts, 5);
    const settled = await Promise.allSettled(appends);
    assert.ok(settled.every((s) => s.status === 'fulfilled'));
    const result = await verifyAccessLog(tdb.db);
    assert.equal(result.ok, true);
    assert.equal(result.records, 500);
    await assert.rejects(log.append(sampleRecord(501)), AccessLogError);
  });

  it('keeps one valid chain with two writers on one table', async () => {
    await using tdb = await migratedDatabase();
    const other = await openDatabase({ kind: 'pg', connectionString: tdb.url });
    try {
      const logs: [AccessLog, string][] = [
        [
          createAccessLog(
            { db: tdb.db, batchSize: 7, flushIntervalMs: 1 },
            { logger: silent },
          ),
          'a',
        ],
        [
          createAccessLog(
            { db: other, batchSize: 13, flushIntervalMs: 2 },
            { logger: silent },
          ),
          'b',
        ],
      ];
      await Promise.all(
        logs.map(async ([log, writer]) => {
          for (let round = 0; round < 10; round += 1) {
            await Promise.all(
              Array.from({ length: 30 }, (_, i) =>
                log.append(sampleRecord(round * 30 + i, writer)),
              ),
            );
          }
          await log.close();
        }),
      );
      assert.equal(await countRows(tdb.db), 600);
      const { rows } = await tdb.db.query<{ n: number; writers: number }>(
        `SELECT max(seq)::int AS n, count(DISTINCT split_part(subject, '-', 2))::int AS writers FROM audit.access_log`,
      );
      assert.deepEqual(rows[0], { n: 600, writers: 2 });
      const { rows: switches } = await tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT split_part(subject, '-', 2) <> lag(split_part(subject, '-', 2)) OVER (ORDER BY seq) AS switched
             FROM audit.access_log) s
          WHERE switched`,
      );
      assert.ok(
        (switches[0]?.n ?? 0) >= 2,
        'the batches of the two writers interleave in the chain',
      );
      const result = await verifyAccessLog(tdb.db, { pageSize: 100 });
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 600);
    } finally {
      await other.close();
    }
  });

  it('rejects appends and turns unhealthy while the table cannot be written, then recovers', async () => {
    await using tdb = await migratedDatabase();
    const { logger, lines } = memoryLogger();
    const log = createAccessLog({ db: tdb.db, flushIntervalMs: 5 }, { logger });
    await log.append(sampleRecord(1));
    assert.equal(log.healthy, true);
    await tdb.db.exec('ALTER TABLE audit.access_log RENAME TO access_log_away');
    const failed = [log.append(sampleRecord(2)), log.append(sampleRecord(3))];
    for (const append of failed) {
      await assert.rejects(
        append,
        (e: unknown) =>
          e instanceof AccessLogError && e.code === 'WRITE_FAILED',
      );
    }
    assert.equal(log.healthy, false);
    assert.ok(lines().some((l) => l.includes('access log write failed')));
    await tdb.db.exec('ALTER TABLE audit.access_log_away RENAME TO access_log');
    await log.append(sampleRecord(4));
    assert.equal(log.healthy, true);
    await log.close();
    assert.equal(await countRows(tdb.db), 2);
    assert.equal((await verifyAccessLog(tdb.db)).ok, true);
  });

  it('writes nothing of a batch when one of its rows fails', async () => {
    await using tdb = await migratedDatabase();
    await fill(tdb.db, 3);
    await tdb.db.exec(
      `ALTER TABLE audit.access_log ADD CONSTRAINT test_no_mallory CHECK (subject <> 'mallory')`,
    );
    const log = createAccessLog(
      { db: tdb.db, batchSize: 5, flushIntervalMs: 60_000 },
      { logger: silent },
    );
    const batch = [1, 2, 3, 4, 5].map((i) =>
      log.append(
        i === 4 ? { ...sampleRecord(i), subject: 'mallory' } : sampleRecord(i),
      ),
    );
    const settled = await Promise.allSettled(batch);
    assert.ok(settled.every((s) => s.status === 'rejected'));
    assert.equal(await countRows(tdb.db), 3);
    const sixth = log.append(sampleRecord(6));
    await log.close();
    await sixth;
    const result = await verifyAccessLog(tdb.db);
    assert.equal(result.ok, true);
    assert.equal(result.records, 4);
  });

  it('rejects appends when its database is closed; fail-open resolves them', async () => {
    await using tdb = await migratedDatabase();
    for (const failClosed of [true, false]) {
      const own = await openDatabase({ kind: 'pg', connectionString: tdb.url });
      const log = createAccessLog(
        { db: own, failClosed, flushIntervalMs: 1 },
        { logger: silent },
      );
      await log.append(sampleRecord(1));
      await own.close();
      const append = log.append(sampleRecord(2));
      if (failClosed) await assert.rejects(append, AccessLogError);
      else await append;
      assert.equal(log.healthy, false);
      await log.close();
    }
    assert.equal(await countRows(tdb.db), 2);
  });

  it('refuses to verify a database without the table', async () => {
    await using tdb = await createTestDatabase();
    await assert.rejects(
      verifyAccessLog(tdb.db),
      (e: unknown) => e instanceof AccessLogError && e.code === 'NOT_MIGRATED',
    );
  });
});
