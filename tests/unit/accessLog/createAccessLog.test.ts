import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pino } from 'pino';

import {
  AccessLogError,
  createAccessLog,
  type AccessLogInput,
} from '../../../policies/store/src/audit/index.js';
import type { Database, Queryable } from '../../../subgraphs/kit/src/index.js';

const input: AccessLogInput = {
  subject: 'u-1',
  department: 'market',
  roles: ['analyst'],
  purpose: 'inspection',
  operationHash: 'h',
  operationText: '{ a }',
  operationName: null,
  read: { water: ['Station.code'] },
  withheld: [],
  masked: [],
  outcome: 'OK',
  latencyMs: 1,
};

const silent = pino({ level: 'silent' });

/**
 * A database that only records the batches written (records per batch
 * statement: the length of its arrays) and answers each with the chain
 * head it moved. A batch must be one statement that also moves the chain's
 * head (PostgreSQL runs a statement all or nothing): one that inserts
 * records without moving the head is refused.
 */
function fakeDatabase(options: { fail?: () => boolean } = {}): {
  db: Database;
  batches: number[];
} {
  const batches: number[] = [];
  const statements: Queryable = {
    query<Row>(text: string, values?: readonly unknown[]) {
      if (/INSERT INTO audit\.access_log \(/.test(text)) {
        if (!/audit\.access_log_chains/.test(text)) {
          return Promise.reject(
            new Error('records inserted without moving the chain head'),
          );
        }
        if (options.fail?.()) return Promise.reject(new Error('disk full'));
        const column = values?.[1]; // $1 the chain, then one array per column
        const rows = Array.isArray(column) ? column.length : -1;
        batches.push(rows);
        return Promise.resolve({ rows: [{ head_seq: rows }] as Row[] });
      }
      return Promise.resolve({ rows: [] as Row[] });
    },
  };
  const db: Database = {
    kind: 'pg',
    query: (text, values) => statements.query(text, values),
    exec: () => Promise.resolve(),
    transaction: (fn) => fn(statements),
    close: () => Promise.resolve(),
  };
  return { db, batches };
}

describe('createAccessLog (batching, without a database)', () => {
  it('writes full batches at once and the rest after the interval', async () => {
    const { db, batches } = fakeDatabase();
    const log = createAccessLog(
      { db, batchSize: 10, flushIntervalMs: 20 },
      { logger: silent },
    );
    const appends = Array.from({ length: 25 }, () => log.append(input));
    await Promise.all(appends);
    assert.deepEqual(batches, [10, 10, 5]);
    await log.close();
  });

  it('resolves a lone append after flushIntervalMs without a flush', async (t) => {
    // On node:test's mocked clock: the interval passes when the test says.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { db, batches } = fakeDatabase();
    const log = createAccessLog(
      { db, flushIntervalMs: 10 },
      { logger: silent },
    );
    let resolved = false;
    const appended = log.append(input).then(() => (resolved = true));
    t.mock.timers.tick(9);
    await new Promise<void>((r) => setImmediate(r));
    assert.equal(resolved, false, 'not resolved before the interval');
    assert.deepEqual(batches, []);
    t.mock.timers.tick(1);
    await appended;
    assert.deepEqual(batches, [1]);
    await log.close();
  });

  it('flush() waits for everything appended before it; close() refuses later appends', async () => {
    const { db, batches } = fakeDatabase();
    const log = createAccessLog(
      { db, batchSize: 4, flushIntervalMs: 60_000 },
      { logger: silent },
    );
    const appends = Array.from({ length: 6 }, () => log.append(input));
    await log.flush();
    assert.deepEqual(batches, [4, 2]);
    await log.flush();
    void log.append(input);
    await log.close();
    assert.deepEqual(batches, [4, 2, 1]);
    await Promise.all(appends);
    await assert.rejects(
      log.append(input),
      (e: unknown) => e instanceof AccessLogError && e.code === 'CLOSED',
    );
    await log.close();
  });

  it('rejects a failed batch when fail-closed, resolves it when fail-open; healthy follows', async () => {
    let failing = true;
    for (const failClosed of [true, false]) {
      failing = true;
      const { db } = fakeDatabase({ fail: () => failing });
      const log = createAccessLog(
        { db, failClosed, flushIntervalMs: 1 },
        { logger: silent },
      );
      assert.equal(log.failClosed, failClosed);
      const a = log.append(input);
      if (failClosed) {
        await assert.rejects(
          a,
          (e: unknown) =>
            e instanceof AccessLogError &&
            e.code === 'WRITE_FAILED' &&
            /disk full/.test(e.message),
        );
      } else {
        await a;
      }
      assert.equal(log.healthy, false);
      failing = false;
      await log.append(input);
      assert.equal(log.healthy, true);
      await log.close();
    }
  });

  it('refuses appends beyond maxPending and invalid configuration', async () => {
    const { db } = fakeDatabase();
    const log = createAccessLog(
      { db, maxPending: 2, batchSize: 10, flushIntervalMs: 60_000 },
      { logger: silent },
    );
    const first = [log.append(input), log.append(input)];
    await assert.rejects(
      log.append(input),
      (e: unknown) => e instanceof AccessLogError && e.code === 'OVERLOADED',
    );
    await log.close();
    await Promise.all(first);
    for (const bad of [
      { batchSize: 0 },
      { batchSize: 1001 },
      { flushIntervalMs: 1.5 },
    ]) {
      assert.throws(
        () => createAccessLog({ db, ...bad }, { logger: silent }),
        (e: unknown) =>
          e instanceof AccessLogError && e.code === 'INVALID_CONFIG',
      );
    }
  });

  it('rejects an invalid record at once without disturbing its batch', async () => {
    const { db, batches } = fakeDatabase();
    const log = createAccessLog({ db, batchSize: 2 }, { logger: silent });
    const good = log.append(input);
    await assert.rejects(
      log.append({ ...input, subject: '\u0000' }),
      (e: unknown) =>
        e instanceof AccessLogError && e.code === 'INVALID_RECORD',
    );
    const other = log.append(input);
    await Promise.all([good, other]);
    assert.deepEqual(batches, [2]);
    await log.close();
  });
});
