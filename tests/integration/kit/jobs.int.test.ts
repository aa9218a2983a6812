// The JobQueue contract, run against both implementations: BullMQ over the
// real Redis at 127.0.0.1:6379 (a unique key prefix per test, removed
// afterwards) and the in-process queue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';

import { Queue } from 'bullmq';

import {
  createBullJobQueue,
  createInProcessJobQueue,
  type AwaitableJobQueue,
  type JobInfo,
} from '../../../subgraphs/kit/src/jobs/index.js';
import { freePort } from '../../utils/net.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

interface Payload {
  n: number;
}

type Factory = (options?: {
  maxDeadLetters?: number;
}) => AwaitableJobQueue<Payload, number>;

const opened: { queue: AwaitableJobQueue<Payload, number>; prefix?: string }[] =
  [];

afterEach(async () => {
  for (const { queue, prefix } of opened.splice(0)) {
    await queue.close();
    if (prefix !== undefined) {
      const admin = new Queue(queue.name, {
        prefix,
        connection: { url: REDIS_URL },
      });
      await admin.obliterate({ force: true });
      await admin.close();
    }
  }
});

const factories: Record<'redis' | 'in-process', Factory> = {
  redis: (options = {}) => {
    const prefix = `govgraph-test-${randomUUID()}`;
    const queue = createBullJobQueue<Payload, number>({
      url: REDIS_URL,
      name: 'contract',
      prefix,
      ...options,
    });
    opened.push({ queue, prefix });
    return queue;
  },
  'in-process': (options = {}) => {
    const queue = createInProcessJobQueue<Payload, number>({
      name: 'contract',
      ...options,
    });
    opened.push({ queue });
    return queue;
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const [kind, create] of Object.entries(factories)) {
  describe(`JobQueue contract (${kind})`, () => {
    it('runs added jobs and hands their results to run()', async () => {
      const queue = create();
      assert.equal(queue.kind, kind);
      const seen: JobInfo<Payload>[] = [];
      await queue.process(async (job) => {
        seen.push(job);
        await job.updateProgress(50);
        return job.data.n * 2;
      });
      const { id } = await queue.add('double', { n: 1 });
      assert.equal(typeof id, 'string');
      assert.equal(await queue.run('double', { n: 21 }), 42);
      await queue.drained();
      assert.deepEqual(
        seen.map((j) => [j.name, j.data.n, j.attemptsMade]).sort(),
        [
          ['double', 1, 0],
          ['double', 21, 0],
        ],
      );
      assert.equal(seen.find((j) => j.data.n === 1)?.id, id);
    });

    it('ignores an id that is still queued, accepts it again once completed', async () => {
      const queue = create();
      const first = await queue.add('x', { n: 1 }, { jobId: 'dedupe-1' });
      const second = await queue.add('x', { n: 2 }, { jobId: 'dedupe-1' });
      assert.equal(first.id, 'dedupe-1');
      assert.equal(second.id, 'dedupe-1');
      const runs: number[] = [];
      await queue.process(async (job) => {
        runs.push(job.data.n);
        return job.data.n;
      });
      await queue.drained();
      assert.deepEqual(runs, [1]);
      await queue.add('x', { n: 3 }, { jobId: 'dedupe-1' });
      await queue.drained();
      assert.deepEqual(runs, [1, 3]);
    });

    it('retries with exponential backoff and counts the attempts', async () => {
      const queue = create();
      const attempts: { made: number; at: number }[] = [];
      await queue.process(async (job) => {
        attempts.push({ made: job.attemptsMade, at: Date.now() });
        if (job.attemptsMade < 2) throw new Error('flaky');
        return 7;
      });
      assert.equal(
        await queue.run('flaky', { n: 0 }, { attempts: 3, backoffMs: 100 }),
        7,
      );
      assert.deepEqual(
        attempts.map((a) => a.made),
        [0, 1, 2],
      );
      const [a0, a1, a2] = attempts.map((a) => a.at);
      // 100 ms, then 200 ms (some slack for timer granularity).
      assert.ok(a1! - a0! >= 90, `first retry after ${a1! - a0!} ms`);
      assert.ok(a2! - a1! >= 190, `second retry after ${a2! - a1!} ms`);
      assert.deepEqual(await queue.deadLetters(), []);
    });

    it('keeps a job that failed every attempt as a dead letter until retried', async () => {
      const queue = create();
      let healthy = false;
      const runs: number[] = [];
      await queue.process(async (job) => {
        runs.push(job.attemptsMade);
        if (!healthy) throw new Error(`index down (${job.data.n})`);
        return job.data.n;
      });
      await assert.rejects(
        queue.run(
          'index',
          { n: 5 },
          { jobId: 'batch-5', attempts: 2, backoffMs: 20 },
        ),
        /index down \(5\)/,
      );
      await queue.drained();
      const dead = await queue.deadLetters();
      assert.equal(dead.length, 1);
      assert.equal(dead[0]?.id, 'batch-5');
      assert.equal(dead[0]?.name, 'index');
      assert.deepEqual(dead[0]?.data, { n: 5 });
      assert.equal(dead[0]?.attemptsMade, 2);
      assert.equal(dead[0]?.failedReason, 'index down (5)');
      assert.ok(!Number.isNaN(Date.parse(dead[0]?.failedAt ?? '')));
      assert.deepEqual(runs, [0, 1]);

      // Still dead: adding the same id does nothing.
      await queue.add('index', { n: 6 }, { jobId: 'batch-5' });
      await queue.drained();
      assert.deepEqual(runs, [0, 1]);

      healthy = true;
      await queue.retryDeadLetter('batch-5');
      await queue.drained();
      assert.deepEqual(runs, [0, 1, 0]);
      assert.deepEqual(await queue.deadLetters(), []);
      await assert.rejects(queue.retryDeadLetter('batch-5'), /no dead letter/);
    });

    it('dead-letters an unrecoverable error at once and lists newest first', async () => {
      const queue = create();
      await queue.process(async (job) => {
        throw Object.assign(new Error(`bad payload ${job.data.n}`), {
          unrecoverable: true,
        });
      });
      await assert.rejects(
        queue.run('x', { n: 1 }, { attempts: 5 }),
        /bad payload 1/,
      );
      await sleep(5);
      await assert.rejects(
        queue.run('x', { n: 2 }, { attempts: 5 }),
        /bad payload 2/,
      );
      const dead = await queue.deadLetters();
      assert.deepEqual(
        dead.map((d) => [d.data.n, d.attemptsMade]),
        [
          [2, 1],
          [1, 1],
        ],
      );
      assert.equal((await queue.deadLetters(1)).length, 1);
    });

    it('keeps the newest maxDeadLetters dead letters', async () => {
      const queue = create({ maxDeadLetters: 2 });
      await queue.process(async (job) => {
        throw Object.assign(new Error(`bad payload ${job.data.n}`), {
          unrecoverable: true,
        });
      });
      for (const n of [1, 2, 3]) {
        await assert.rejects(queue.run('x', { n }), /bad payload/);
        await sleep(5);
      }
      assert.deepEqual(
        (await queue.deadLetters()).map((d) => d.data.n),
        [3, 2],
      );
    });

    it('drained() waits for delayed jobs and retries', async () => {
      const queue = create();
      const done: number[] = [];
      await queue.process(async (job) => {
        if (job.data.n === 2 && job.attemptsMade === 0) throw new Error('once');
        done.push(job.data.n);
        return 0;
      });
      await queue.add('x', { n: 1 }, { delayMs: 150 });
      await queue.add('x', { n: 2 }, { backoffMs: 150 });
      await queue.drained();
      assert.deepEqual(done.sort(), [1, 2]);
    });

    it('refuses ids BullMQ cannot store', async () => {
      const queue = create();
      await assert.rejects(queue.add('x', { n: 1 }, { jobId: 'a:b' }));
      await assert.rejects(queue.add('x', { n: 1 }, { jobId: '42' }));
      await assert.rejects(queue.add('x', { n: 1 }, { attempts: 0 }));
    });

    it('closes after the active job, idempotently, and refuses work after', async () => {
      const queue = create();
      let finished = false;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      await queue.process(async () => {
        started();
        await sleep(200);
        finished = true;
        return 1;
      });
      await queue.add('slow', { n: 1 });
      await running;
      await Promise.all([queue.close(), queue.close()]);
      assert.equal(finished, true);
      await queue.close();
      await assert.rejects(queue.add('x', { n: 1 }), /closed/);
    });
  });
}

describe('JobQueue on Redis', () => {
  it('rejects add() quickly when Redis cannot be reached', async () => {
    const port = await freePort();
    const queue = createBullJobQueue<Payload, number>({
      url: `redis://127.0.0.1:${port}`,
      name: 'unreachable',
      addTimeoutMs: 300,
      reconnectDelayMs: 100,
    });
    const started = Date.now();
    await assert.rejects(queue.add('x', { n: 1 }), /within 300 ms/);
    assert.ok(Date.now() - started < 2000);
    await queue.close();
  });
});
