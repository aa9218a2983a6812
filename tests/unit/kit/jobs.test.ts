// What only the in-process job queue does (the shared contract runs against
// both queues in tests/integration/kit/jobs.int.test.ts): concurrency,
// run() timeouts, closing with waiters, and the id and option checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  assertJobId,
  createInProcessJobQueue,
  isUnrecoverable,
} from '../../../subgraphs/kit/src/jobs/index.js';

// Timers run on node:test's mocked clock (`t.mock.timers`), moved by the
// tests; `turn` lets everything already due run (setImmediate is not mocked).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('in-process job queue', () => {
  it('runs at most `concurrency` jobs at once, in the order added', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const queue = createInProcessJobQueue<number, number>({ name: 't' });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await queue.process(
      async (job) => {
        running += 1;
        most = Math.max(most, running);
        order.push(job.data);
        await sleep(10);
        running -= 1;
        return job.data;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i += 1) await queue.add('x', i);
    const drained = queue.drained();
    // Every job holds for 10 ms: three rounds of two.
    for (let round = 0; round < 3; round += 1) {
      await turn();
      t.mock.timers.tick(10);
    }
    await drained;
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    await queue.close();
  });

  it('holds jobs added before a worker starts; drained() waits for them', async () => {
    const queue = createInProcessJobQueue<number, number>({ name: 't' });
    await queue.add('x', 1);
    let done = false;
    const drained = queue.drained().then(() => (done = true));
    await turn();
    assert.equal(done, false);
    await queue.process(async (job) => job.data);
    await drained;
    assert.equal(done, true);
    await assert.rejects(
      queue.process(async () => 0),
      /already has a worker/,
    );
    await queue.close();
  });

  it('times out run() and rejects waiting runs on close', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const queue = createInProcessJobQueue<number, number>({ name: 't' });
    const timedOut = assert.rejects(
      queue.run('x', 1, { timeoutMs: 20 }),
      /did not finish within 20 ms/,
    );
    t.mock.timers.tick(20);
    await timedOut;
    const waiting = queue.run('x', 2);
    await queue.close();
    await assert.rejects(waiting, /closed/);
    assert.deepEqual(await queue.deadLetters(), []);
  });

  it('keeps at most maxDeadLetters, newest first', async () => {
    const queue = createInProcessJobQueue<number, number>({
      name: 't',
      maxDeadLetters: 2,
    });
    await queue.process(async (job) => {
      throw new Error(`no ${job.data}`);
    });
    for (let i = 1; i <= 3; i += 1) {
      await queue.run('x', i, { attempts: 1 }).catch(() => undefined);
    }
    assert.deepEqual(
      (await queue.deadLetters()).map((d) => d.failedReason),
      ['no 3', 'no 2'],
    );
    await queue.close();
  });

  it('checks job ids and recognises unrecoverable errors', () => {
    assert.equal(
      assertJobId('emergency.search_outbox.1-500.g1'),
      'emergency.search_outbox.1-500.g1',
    );
    assert.throws(() => assertJobId(''), RangeError);
    assert.throws(() => assertJobId('7'), RangeError);
    assert.throws(() => assertJobId('a:b'), RangeError);
    assert.equal(
      isUnrecoverable(Object.assign(new Error('x'), { unrecoverable: true })),
      true,
    );
    const named = new Error('y');
    named.name = 'UnrecoverableError';
    assert.equal(isUnrecoverable(named), true);
    assert.equal(isUnrecoverable(new Error('z')), false);
    assert.equal(isUnrecoverable('text'), false);
  });
});
