// The access log that scales out: a hash chain per writer, operation texts
// stored once by hash, checkpoints binding every chain's head, and logs
// written before migration 003 kept verifiable as the chain 'legacy'.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import {
  AccessLogError,
  createAccessLog,
  GATEWAY_MIGRATIONS_DIR,
  GENESIS_HASH,
  hashRecord,
  migrateAccessLog,
  normalizeRecord,
  readRecordedOperations,
  verifyAccessLog,
  writeCheckpoint,
  type AccessLog,
} from '../../../policies/store/src/audit/index.js';
import {
  migrate,
  openDatabase,
  readMigrations,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { sampleRecord, tamper } from './helpers.js';

const silent = pino({ level: 'silent' });

function kinds(result: Awaited<ReturnType<typeof verifyAccessLog>>): string[] {
  return result.problems.map((p) => `${String(p.seq)} ${p.kind}`);
}

/** Appends `n` records numbered from `from` through `log` and waits for them. */
async function append(
  log: AccessLog,
  writer: string,
  from: number,
  n: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      log.append(sampleRecord(from + i, writer)),
    ),
  );
}

/** Seqs of a chain's records, in order. */
async function seqsOf(db: Database, chain: string): Promise<number[]> {
  const { rows } = await db.query<{ seq: string }>(
    'SELECT seq FROM audit.access_log WHERE chain_id = $1 ORDER BY seq',
    [chain],
  );
  return rows.map((r) => Number(r.seq));
}

describe('one chain per writer, with checkpoints', () => {
  let tdb: TestDatabase;
  let other: Database;
  let chainA = '';
  let chainB = '';
  // Two writers, interleaved in four rounds, a checkpoint after each of
  // the first three; then restored from a pristine copy before each case.
  before(async () => {
    tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    other = await openDatabase({ kind: 'pg', connectionString: tdb.url });
    const a = createAccessLog(
      { db: tdb.db, batchSize: 3, flushIntervalMs: 1, writerId: 'gw-a' },
      { logger: silent },
    );
    const b = createAccessLog(
      { db: other, batchSize: 4, flushIntervalMs: 1, writerId: 'gw-b' },
      { logger: silent },
    );
    chainA = a.chainId;
    chainB = b.chainId;
    for (let round = 0; round < 4; round += 1) {
      await Promise.all([
        append(a, 'a', round * 5, 5),
        append(b, 'b', round * 5, 5),
      ]);
      if (round < 3) assert.ok(await writeCheckpoint(tdb.db));
    }
    await Promise.all([a.close(), b.close()]);
    await tdb.db.exec(
      `CREATE TABLE public.pristine AS SELECT * FROM audit.access_log;
       CREATE TABLE public.pristine_chains AS SELECT * FROM audit.access_log_chains;
       CREATE TABLE public.pristine_checkpoints AS SELECT * FROM audit.access_log_checkpoints;
       CREATE TABLE public.pristine_texts AS SELECT * FROM audit.operation_texts`,
    );
  });
  after(async () => {
    await other.close();
    await tdb.drop();
  });
  const restore = async (): Promise<void> => {
    await tamper(
      tdb.db,
      `DELETE FROM audit.access_log; INSERT INTO audit.access_log SELECT * FROM public.pristine`,
    );
    await tdb.db.exec(
      `DELETE FROM audit.access_log_chains;
       INSERT INTO audit.access_log_chains SELECT * FROM public.pristine_chains;
       ALTER TABLE audit.access_log_checkpoints DISABLE TRIGGER ALL;
       DELETE FROM audit.access_log_checkpoints;
       INSERT INTO audit.access_log_checkpoints SELECT * FROM public.pristine_checkpoints;
       ALTER TABLE audit.access_log_checkpoints ENABLE TRIGGER ALL;
       ALTER TABLE audit.operation_texts DISABLE TRIGGER ALL;
       DELETE FROM audit.operation_texts;
       INSERT INTO audit.operation_texts SELECT * FROM public.pristine_texts;
       ALTER TABLE audit.operation_texts ENABLE TRIGGER ALL`,
    );
  };

  it('writes each writer’s records into its own chain from 64 zeros, registered with its head', async () => {
    await restore();
    const result = await verifyAccessLog(tdb.db, { pageSize: 7 });
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, 40);
    assert.deepEqual(
      result.chains.map((c) => [c.chain, c.writer, c.records]).sort(),
      [
        [chainA, 'gw-a', 20],
        [chainB, 'gw-b', 20],
      ].sort(),
    );
    assert.equal(result.checkpoints.count, 3);
    const { rows } = await tdb.db.query<{
      chain_id: string;
      prev_hash: string;
      closed_at: Date | null;
      head_hash: string;
      records: string;
    }>(
      `SELECT DISTINCT ON (l.chain_id) l.chain_id, l.prev_hash, c.closed_at, c.head_hash, c.records
         FROM audit.access_log l JOIN audit.access_log_chains c USING (chain_id)
        ORDER BY l.chain_id, l.seq`,
    );
    for (const row of rows) {
      assert.equal(row.prev_hash, GENESIS_HASH);
      assert.notEqual(row.closed_at, null, 'closed by close()');
      assert.equal(row.records, '20');
    }
    // Both writers' batches interleave in the stored order.
    const a = await seqsOf(tdb.db, chainA);
    const b = await seqsOf(tdb.db, chainB);
    assert.ok(a.some((s) => s > (b[0] ?? 0)) && b.some((s) => s > (a[0] ?? 0)));
  });

  it('stores each operation text once and reads it back through audit.access_records', async () => {
    await restore();
    const { rows } = await tdb.db.query<{ texts: number; inline: number }>(
      `SELECT (SELECT count(*)::int FROM audit.operation_texts) AS texts,
              (SELECT count(*)::int FROM audit.access_log WHERE operation_text IS NOT NULL) AS inline`,
    );
    // sampleRecord's texts are per record number: 20 numbers, 2 writers.
    assert.deepEqual(rows[0], { texts: 20, inline: 0 });
    const replayed = await readRecordedOperations(tdb.db);
    assert.equal(replayed.length, 40);
    assert.equal(
      replayed.find((r) => r.subject === 'u-b-7')?.operationText,
      sampleRecord(7).operationText,
    );
  });

  it('finds an altered, a deleted and two swapped records, each in its chain', async () => {
    await restore();
    const a = await seqsOf(tdb.db, chainA);
    const b = await seqsOf(tdb.db, chainB);
    // Chain heads bound by checkpoints are the 5th, 10th and 15th records:
    // none of these.
    const [a3, a7, b6, b7, b8] = [a[3], a[7], b[6], b[7], b[8]].map(Number);
    await tamper(
      tdb.db,
      `UPDATE audit.access_log SET purpose = 'statistics' WHERE seq = ${String(a3)};
       DELETE FROM audit.access_log WHERE seq = ${String(a7)};
       UPDATE audit.access_log SET seq = 1000000 WHERE seq = ${String(b6)};
       UPDATE audit.access_log SET seq = ${String(b6)} WHERE seq = ${String(b7)};
       UPDATE audit.access_log SET seq = ${String(b7)} WHERE seq = 1000000`,
    );
    const result = await verifyAccessLog(tdb.db, { pageSize: 5 });
    assert.equal(result.ok, false);
    const bySeq = (x: unknown[], y: unknown[]): number =>
      Number(x[0]) - Number(y[0]);
    assert.deepEqual(
      result.problems.map((p) => [p.seq, p.kind, p.chain]).sort(bySeq),
      [
        [a3, 'ALTERED', chainA],
        [a7, 'MISSING', chainA],
        [b6, 'REORDERED', chainB],
        [b7, 'REORDERED', chainB],
        [b8, 'REORDERED', chainB],
      ].sort(bySeq),
    );
  });

  it('finds an operation text altered or deleted, in every record that uses it', async () => {
    await restore();
    const text = sampleRecord(2).operationText;
    await tdb.db.exec(
      `ALTER TABLE audit.operation_texts DISABLE TRIGGER ALL;
       UPDATE audit.operation_texts SET text = 'query { nothing }' WHERE text = '${text}';
       ALTER TABLE audit.operation_texts ENABLE TRIGGER ALL`,
    );
    const altered = await verifyAccessLog(tdb.db);
    assert.deepEqual(
      altered.problems.map((p) => p.kind),
      ['ALTERED', 'ALTERED'],
    );
    await tdb.db.exec(
      `ALTER TABLE audit.operation_texts DISABLE TRIGGER ALL;
       DELETE FROM audit.operation_texts WHERE text = 'query { nothing }';
       ALTER TABLE audit.operation_texts ENABLE TRIGGER ALL`,
    );
    const deleted = await verifyAccessLog(tdb.db);
    assert.equal(deleted.problems.length, 2);
    assert.match(deleted.problems[0]?.detail ?? '', /operation text/);
  });

  it('finds a chain’s tail cut before a checkpoint, even with its register moved to match', async () => {
    await restore();
    const a = await seqsOf(tdb.db, chainA);
    // Cut chain A back to 12 records: the third checkpoint bound its 15th.
    const keep = a[11];
    await tamper(
      tdb.db,
      `DELETE FROM audit.access_log WHERE chain_id = '${chainA}' AND seq > ${String(keep)}`,
    );
    await tdb.db.exec(
      `UPDATE audit.access_log_chains
          SET head_seq = ${String(keep)},
              head_hash = (SELECT hash FROM audit.access_log WHERE seq = ${String(keep)})
        WHERE chain_id = '${chainA}'`,
    );
    const result = await verifyAccessLog(tdb.db);
    assert.deepEqual(kinds(result), [`${String(a[14])} TRUNCATED`]);
    assert.equal(result.problems[0]?.chain, chainA);
    assert.match(result.problems[0]?.detail ?? '', /checkpoint 3 bound/);
  });

  it('finds the tail cut after the last checkpoint through the register', async () => {
    await restore();
    const a = await seqsOf(tdb.db, chainA);
    await tamper(
      tdb.db,
      `DELETE FROM audit.access_log WHERE seq = ${String(a[19])}`,
    );
    assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), [
      `${String(a[19])} TRUNCATED`,
    ]);
  });

  it('finds a whole chain dropped, register and all', async () => {
    await restore();
    await tamper(
      tdb.db,
      `DELETE FROM audit.access_log WHERE chain_id = '${chainB}'`,
    );
    await tdb.db.exec(
      `DELETE FROM audit.access_log_chains WHERE chain_id = '${chainB}'`,
    );
    const result = await verifyAccessLog(tdb.db);
    assert.equal(result.records, 20);
    assert.deepEqual(
      [...new Set(result.problems.map((p) => `${p.kind} ${p.chain ?? ''}`))],
      [`TRUNCATED ${chainB}`],
    );
    assert.equal(result.problems.length, 3, 'one per checkpoint');
  });

  it('finds a chain rewritten from a record on with recomputed hashes', async () => {
    await restore();
    const { rows } = await tdb.db.query<{ seq: string; prev_hash: string }>(
      `SELECT seq, prev_hash FROM audit.access_log WHERE chain_id = $1 ORDER BY seq`,
      [chainB],
    );
    // Record 3 of chain B and every record after it, rehashed.
    let prev = rows[2]?.prev_hash ?? '';
    const updates: string[] = [];
    for (const [i, row] of rows.entries()) {
      if (i < 2) continue;
      const n = i % 5;
      const round = Math.floor(i / 5);
      const { rows: stored } = await tdb.db.query<{ recorded_at: Date }>(
        'SELECT recorded_at FROM audit.access_log WHERE seq = $1',
        [row.seq],
      );
      const forged = normalizeRecord({
        ...sampleRecord(round * 5 + n, 'b'),
        ...(i === 2 ? { subject: 'nobody' } : {}),
        recordedAt: stored[0]?.recorded_at ?? new Date(0),
      });
      const hash = hashRecord(prev, forged);
      updates.push(
        `UPDATE audit.access_log SET subject = '${forged.subject}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${row.seq}`,
      );
      prev = hash;
    }
    await tamper(tdb.db, updates.join('; '));
    await tdb.db.exec(
      `UPDATE audit.access_log_chains SET head_hash = '${prev}' WHERE chain_id = '${chainB}'`,
    );
    const result = await verifyAccessLog(tdb.db);
    assert.deepEqual(
      result.problems.map((p) => `${p.kind} ${p.chain ?? ''}`),
      [`TRUNCATED ${chainB}`, `TRUNCATED ${chainB}`, `TRUNCATED ${chainB}`],
    );
  });

  it('finds a checkpoint altered, one deleted, and one rewritten with a recomputed hash', async () => {
    await restore();
    const checkpoints = (sql: string): Promise<void> =>
      tdb.db.exec(
        `ALTER TABLE audit.access_log_checkpoints DISABLE TRIGGER ALL; ${sql}; ALTER TABLE audit.access_log_checkpoints ENABLE TRIGGER ALL`,
      );
    await checkpoints(
      `UPDATE audit.access_log_checkpoints SET created_at = created_at + interval '1 second' WHERE id = 2`,
    );
    assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), [
      '2 CHECKPOINT_ALTERED',
    ]);
    await restore();
    await checkpoints('DELETE FROM audit.access_log_checkpoints WHERE id = 2');
    assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), [
      '2 CHECKPOINT_MISSING',
    ]);
    await restore();
    await checkpoints(
      `UPDATE audit.access_log_checkpoints SET hash = '${'c'.repeat(64)}' WHERE id = 1`,
    );
    assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), [
      '1 CHECKPOINT_ALTERED',
      '2 CHECKPOINT_BROKEN_LINK',
    ]);
  });

  it('writes a checkpoint only when a chain grew, and refuses changes to checkpoints and texts', async () => {
    await restore();
    // The chains of the before() hook grew in round 4 since checkpoint 3.
    const fourth = await writeCheckpoint(tdb.db, { wait: true });
    assert.equal(fourth?.id, 4);
    assert.equal(fourth?.heads.length, 2);
    assert.equal(await writeCheckpoint(tdb.db), null, 'nothing grew');
    assert.equal((await verifyAccessLog(tdb.db)).checkpoints.count, 4);
    for (const sql of [
      'DELETE FROM audit.access_log_checkpoints',
      `UPDATE audit.operation_texts SET text = 'x'`,
    ]) {
      await assert.rejects(tdb.db.query(sql), /append-only/, sql);
    }
  });
});

describe('a writer’s chain and its checkpoints over time', () => {
  it('refuses a batch when its chain’s head moved under it, and goes on from the head once it is back', async () => {
    await using tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    const log = createAccessLog(
      { db: tdb.db, flushIntervalMs: 1, writerId: 'gw-1' },
      { logger: silent },
    );
    await append(log, 'a', 1, 3);
    // Another writer on this chain (impossible through the API: every log
    // has a chain of its own) would move the head; the batch is refused.
    await tdb.db.query(
      `UPDATE audit.access_log_chains SET head_hash = $1 WHERE chain_id = $2`,
      ['e'.repeat(64), log.chainId],
    );
    await assert.rejects(
      log.append(sampleRecord(4)),
      (e: unknown) =>
        e instanceof AccessLogError &&
        e.code === 'WRITE_FAILED' &&
        /does not end where its writer left it/.test(e.message),
    );
    assert.equal((await seqsOf(tdb.db, log.chainId)).length, 3);
    await tdb.db.query(
      `UPDATE audit.access_log_chains c SET head_hash = l.hash
         FROM audit.access_log l WHERE l.seq = c.head_seq AND c.chain_id = $1`,
      [log.chainId],
    );
    await append(log, 'a', 5, 3);
    await log.close();
    const result = await verifyAccessLog(tdb.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, 6);
  });

  it('checkpoints on a timer and at close', async () => {
    await using tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    const log = createAccessLog(
      { db: tdb.db, flushIntervalMs: 1, checkpointIntervalMs: 20 },
      { logger: silent },
    );
    await append(log, 'a', 1, 3);
    // The timer writes checkpoints while the log runs.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await tdb.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit.access_log_checkpoints',
      );
      if ((rows[0]?.n ?? 0) > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await append(log, 'a', 4, 2);
    await log.close();
    const result = await verifyAccessLog(tdb.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, 5);
    // The last checkpoint, written at close, binds the chain's last record.
    const { rows } = await tdb.db.query<{ heads: { seq: number }[] }>(
      'SELECT heads FROM audit.access_log_checkpoints ORDER BY id DESC LIMIT 1',
    );
    assert.equal(rows[0]?.heads[0]?.seq, result.head?.seq);
    assert.ok(result.checkpoints.count >= 2);
  });
});

describe('a log written before migration 003', () => {
  it('verifies as it is, migrates into the chain legacy, and goes on verifying beside new chains', async () => {
    await using tdb = await createTestDatabase();
    const migrations = await readMigrations(GATEWAY_MIGRATIONS_DIR);
    await migrate(
      tdb.db,
      'audit',
      migrations.filter((m) => m.version <= 2),
    );
    // Five records as the single-chain writer stored them.
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 5; seq += 1) {
      const r = normalizeRecord({
        ...sampleRecord(seq, 'old'),
        recordedAt: new Date(Date.UTC(2025, 0, 1, 8, 0, seq)),
      });
      const hash = hashRecord(prev, r);
      await tdb.db.query(
        `INSERT INTO audit.access_log (seq, recorded_at, subject, department, roles, purpose,
           operation_hash, operation_text, operation_name, read, withheld, masked,
           outcome, latency_ms, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          seq,
          r.recordedAt.toISOString(),
          r.subject,
          r.department,
          r.roles,
          r.purpose,
          r.operationHash,
          r.operationText,
          r.operationName,
          JSON.stringify(r.read),
          JSON.stringify(r.withheld),
          JSON.stringify(r.masked),
          r.outcome,
          r.latencyMs,
          prev,
          hash,
        ],
      );
      prev = hash;
    }
    const before = await verifyAccessLog(tdb.db);
    assert.deepEqual(before.problems, []);
    assert.deepEqual(
      before.chains.map((c) => [c.chain, c.records]),
      [['legacy', 5]],
    );

    assert.deepEqual(await migrateAccessLog(tdb.db), [
      '003_chains_checkpoints_texts.sql',
      '004_trace_ids.sql',
    ]);
    const log = createAccessLog(
      { db: tdb.db, flushIntervalMs: 1 },
      { logger: silent },
    );
    // New records, two of them with the trace id of a traced request.
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    await append(log, 'new', 1, 2);
    await Promise.all(
      [3, 4].map((i) => log.append({ ...sampleRecord(i, 'new'), traceId })),
    );
    await log.close();
    const { rows: traced } = await tdb.db.query<{ seq: string }>(
      `SELECT seq FROM audit.access_records WHERE trace_id = $1 ORDER BY seq`,
      [traceId],
    );
    assert.deepEqual(
      traced.map((r) => Number(r.seq)),
      [8, 9],
    );
    assert.ok(await writeCheckpoint(tdb.db));
    const after = await verifyAccessLog(tdb.db);
    assert.deepEqual(after.problems, []);
    assert.deepEqual(
      after.chains.map((c) => [c.chain, c.writer, c.records]),
      [
        ['legacy', 'legacy', 5],
        [log.chainId, `${hostname()}:${String(process.pid)}`, 4],
      ],
    );
    assert.deepEqual(
      (await seqsOf(tdb.db, log.chainId))[0],
      6,
      'new records are numbered after the old ones',
    );
    const replayed = await readRecordedOperations(tdb.db);
    assert.equal(replayed[0]?.operationText, sampleRecord(1).operationText);

    await tamper(
      tdb.db,
      `UPDATE audit.access_log SET subject = 'someone' WHERE seq = 2;
       DELETE FROM audit.access_log WHERE seq = 5;
       UPDATE audit.access_log SET trace_id = '00000000000000000000000000000001' WHERE seq = 8`,
    );
    assert.deepEqual(kinds(await verifyAccessLog(tdb.db)), [
      '2 ALTERED',
      '8 ALTERED',
      '5 TRUNCATED',
      '5 TRUNCATED',
    ]);
  });
});

describe('verifying while writers append', () => {
  it('finds nothing wrong in a log that four writers extend meanwhile', async () => {
    await using tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    const dbs = await Promise.all(
      [1, 2, 3].map(() =>
        openDatabase({ kind: 'pg', connectionString: tdb.url }),
      ),
    );
    try {
      const logs = [tdb.db, ...dbs].map((db, i) =>
        createAccessLog(
          {
            db,
            batchSize: 1 + i * 3,
            flushIntervalMs: 1,
            checkpointIntervalMs: 5,
          },
          { logger: silent },
        ),
      );
      let writing = true;
      const writers = logs.map(async (log, w) => {
        for (let n = 0; writing && n < 2000; n += 10) {
          await append(log, String(w), n, 10);
        }
        await log.close();
      });
      const verifications: Awaited<ReturnType<typeof verifyAccessLog>>[] = [];
      for (let i = 0; i < 6; i += 1) {
        verifications.push(await verifyAccessLog(tdb.db, { pageSize: 16 }));
      }
      writing = false;
      await Promise.all(writers);
      verifications.push(await verifyAccessLog(tdb.db));
      for (const v of verifications) assert.deepEqual(v.problems, []);
      assert.ok((verifications.at(-1)?.records ?? 0) > 40);
      assert.ok((verifications.at(-1)?.checkpoints.count ?? 0) >= 1);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
