import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  createProgress,
  formatDuration,
  progressLine,
} from '../../../subgraphs/kit/src/index.js';

describe('progress of long work', () => {
  it('says done of all, the rate and the time left on one line', () => {
    assert.equal(
      progressLine({
        label: 'search reindex risk-items',
        unit: 'documents',
        done: 12_000,
        total: 48_000,
        elapsedMs: 3_000,
      }),
      'search reindex risk-items: 12000/48000 documents (25%), 4000/s, ETA 9 s',
    );
    assert.equal(
      progressLine({
        label: 'seeding',
        unit: 'tables',
        done: 0,
        total: 20,
        elapsedMs: 0,
      }),
      'seeding: 0/20 tables (0%), 0/s, ETA ?',
    );
    assert.equal(
      progressLine({
        label: 'seeding',
        unit: 'tables',
        done: 20,
        total: 20,
        elapsedMs: 65_000,
      }),
      'seeding: 20/20 tables (100%), 0/s, done in 1 min 05 s',
    );
    assert.equal(formatDuration(3_725_000), '1 h 02 min');
  });

  it('writes plain lines off a terminal: at most one an interval, and the last', () => {
    let clock = 0;
    let out = '';
    const progress = createProgress({
      label: 'work',
      unit: 'items',
      total: 100,
      prefix: 'govgraph: ',
      stream: { write: (text: string) => (out += text), isTTY: false },
      now: () => clock,
    });
    for (const done of [10, 20, 30]) {
      clock += 400;
      progress.update(done);
    }
    clock += 400;
    progress.update(40);
    clock += 100;
    progress.finish();
    progress.finish();
    assert.deepEqual(out.trimEnd().split('\n'), [
      'govgraph: work: 10/100 items (10%), 25/s, ETA 4 s',
      'govgraph: work: 40/100 items (40%), 25/s, ETA 2 s',
      'govgraph: work: 40/100 items (40%), 24/s, ETA 3 s',
    ]);
  });

  it('counts the rate from when the work began', () => {
    let out = '';
    const progress = createProgress({
      label: 'work',
      unit: 'items',
      total: 100,
      stream: { write: (text: string) => (out += text) },
      now: () => 0,
      startedAgoMs: 2_000,
    });
    progress.update(50);
    assert.equal(out, 'work: 50/100 items (50%), 25/s, ETA 2 s\n');
  });

  it('draws a bar redrawn in place on a terminal', () => {
    let out = '';
    const progress = createProgress({
      label: 'seeding',
      unit: 'tables',
      total: 4,
      stream: { write: (text: string) => (out += text), isTTY: true },
    });
    progress.update(2, 'regions');
    progress.finish();
    assert.match(out, /seeding \[[█░=-]+\] 4\/4 tables/);
    assert.ok(out.includes('\u001b['), 'cursor movements');
  });
});
