// The arithmetic of `npm run soak` (bench/soakStats.ts): percentiles,
// growth per minute, the warm-up and the flat/growing verdict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  growthPerMinute,
  memoryVerdict,
  percentile,
  summarizeLatencies,
  warmupEndMs,
  type RssSample,
} from '../../../bench/soakStats.js';

const MiB = 1024 * 1024;

/** Readings every second for `seconds`, of `base` + `perMinute` growth. */
function line(
  seconds: number,
  base: number,
  perMinute: number,
  noise: (i: number) => number = () => 0,
): RssSample[] {
  return Array.from({ length: seconds + 1 }, (_, i) => ({
    atMs: i * 1000,
    bytes: base + (perMinute * i) / 60 + noise(i),
  }));
}

describe('percentile (nearest rank)', () => {
  it('picks the nearest-rank value, whatever the order', () => {
    const values = [15, 20, 35, 40, 50];
    assert.equal(percentile(values, 30), 20);
    assert.equal(percentile(values, 40), 20);
    assert.equal(percentile(values, 50), 35);
    assert.equal(percentile(values, 100), 50);
    assert.equal(percentile([50, 15, 40, 20, 35], 50), 35);
    assert.equal(percentile(values, 0), 15);
  });

  it('is the 95th of 100 values at p95, NaN for none, refused outside 0…100', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(hundred, 95), 95);
    assert.equal(percentile(hundred, 50), 50);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });

  it('summarizes a window: p50, p95 and max', () => {
    const latencies = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.deepEqual(summarizeLatencies(latencies), {
      p50: 10,
      p95: 19,
      max: 20,
    });
    const empty = summarizeLatencies([]);
    assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.max));
  });
});

describe('growthPerMinute', () => {
  it('is the slope of a straight line, in bytes per minute', () => {
    assert.equal(
      Math.round(growthPerMinute(line(120, 100 * MiB, 3 * MiB))),
      3 * MiB,
    );
    assert.equal(growthPerMinute(line(120, 100 * MiB, 0)), 0);
    assert.ok(growthPerMinute(line(120, 100 * MiB, -2 * MiB)) < 0);
  });

  it('follows the trend through a garbage collection’s sawtooth', () => {
    // ±8 MiB every 10 s around a flat line: a first-to-last difference
    // could read anything from -16 to +16 MiB; the slope stays small.
    const sawtooth = line(600, 200 * MiB, 0, (i) => ((i % 10) - 5) * 1.6 * MiB);
    assert.ok(Math.abs(growthPerMinute(sawtooth)) < 0.1 * MiB);
  });

  it('is 0 for fewer than two readings or readings at one instant', () => {
    assert.equal(growthPerMinute([]), 0);
    assert.equal(growthPerMinute([{ atMs: 5, bytes: 9 }]), 0);
    assert.equal(
      growthPerMinute([
        { atMs: 5, bytes: 1 },
        { atMs: 5, bytes: 9 },
      ]),
      0,
    );
  });
});

describe('warmupEndMs', () => {
  it('is the first window, or the first 20 % of a long run', () => {
    assert.equal(warmupEndMs(60_000, 30_000), 30_000);
    assert.equal(warmupEndMs(3_600_000, 30_000), 720_000);
    assert.equal(warmupEndMs(10_000, 30_000), 10_000);
  });
});

describe('memoryVerdict', () => {
  it('is flat under the threshold and growing over it, after warm-up', () => {
    // A steep warm-up (+50 MiB in the first 30 s), then 0.2 MiB/min.
    const samples = line(300, 100 * MiB, 0.2 * MiB).map((s) => ({
      atMs: s.atMs,
      bytes: s.bytes + Math.min(s.atMs, 30_000) * ((50 * MiB) / 30_000),
    }));
    const v = memoryVerdict(samples, 30_000, MiB);
    assert.ok(v);
    assert.equal(v.flat, true);
    assert.ok(Math.abs(v.growthPerMinute - 0.2 * MiB) < 0.01 * MiB);
    assert.equal(Math.round(v.warmBytes / MiB), 150);
    assert.equal(v.endBytes, samples.at(-1)?.bytes);
    assert.equal(v.peakBytes, samples.at(-1)?.bytes);
    assert.equal(v.minutesMeasured, 4.5);
    // The same run judged from the start is dominated by the warm-up.
    assert.equal(memoryVerdict(samples, 0, MiB)?.flat, false);

    const leak = memoryVerdict(line(300, 100 * MiB, 2 * MiB), 30_000, MiB);
    assert.equal(leak?.flat, false);
    const justOver = memoryVerdict(line(300, 100 * MiB, 1.01 * MiB), 0, MiB);
    assert.equal(justOver?.flat, false);
    const justUnder = memoryVerdict(line(300, 100 * MiB, 0.99 * MiB), 0, MiB);
    assert.equal(justUnder?.flat, true);
  });

  it('keeps the peak of the whole run, warm-up included', () => {
    const samples: RssSample[] = [
      { atMs: 0, bytes: 100 },
      { atMs: 1000, bytes: 900 },
      { atMs: 2000, bytes: 200 },
      { atMs: 3000, bytes: 200 },
    ];
    assert.equal(memoryVerdict(samples, 2000, 1)?.peakBytes, 900);
  });

  it('gives no verdict without a reading after warm-up', () => {
    assert.equal(memoryVerdict(line(10, MiB, 0), 20_000, MiB), undefined);
    assert.equal(memoryVerdict([], 0, MiB), undefined);
  });
});
