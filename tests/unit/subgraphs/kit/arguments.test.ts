import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parseDistanceKm,
  parsePage,
  parseTimestamp,
} from '../../../../subgraphs/kit/src/index.js';

function code(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions?.[
      'code'
    ];
  }
  return undefined;
}

describe('kit argument parsing', () => {
  it('normalises ISO 8601 timestamps with a zone, and dates, to UTC', () => {
    assert.equal(
      parseTimestamp('2025-06-01T08:00:00+08:00', 'since'),
      '2025-06-01T00:00:00.000Z',
    );
    assert.equal(
      parseTimestamp('2025-06-01T00:00:00.123456Z', 'since'),
      '2025-06-01T00:00:00.123Z',
    );
    assert.equal(
      parseTimestamp('2025-06-01T23:30-01:00', 'since'),
      '2025-06-02T00:30:00.000Z',
    );
    assert.equal(
      parseTimestamp('2024-02-29', 'since'),
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('refuses anything else with BAD_USER_INPUT', () => {
    for (const value of [
      '',
      'yesterday',
      '2025',
      '2025-06-01T08:00:00',
      '2025-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-06-01T24:00:00Z',
      '2025-06-01T12:60:00Z',
      '0000-01-01',
      '2025-06-01 08:00:00Z',
      "2025-06-01'; DROP TABLE x; --",
    ]) {
      assert.equal(
        code(() => parseTimestamp(value, 'since')),
        'BAD_USER_INPUT',
        value,
      );
    }
  });

  it('accepts only positive finite distances', () => {
    assert.equal(parseDistanceKm(0.5, 'withinKm'), 0.5);
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(
        code(() => parseDistanceKm(value, 'withinKm')),
        'BAD_USER_INPUT',
        String(value),
      );
    }
  });

  it('pages like parsePage but refuses cursors past the int4 row numbers', () => {
    const cursor = (position: number) =>
      Buffer.from(`o:${position}`).toString('base64url');
    assert.deepEqual(parsePage({ first: 5, after: cursor(9) }), {
      offset: 10,
      limit: 5,
    });
    assert.deepEqual(parsePage({}), { offset: 0, limit: 20 });
    for (const args of [
      { after: cursor(99_999_999_999) },
      { first: 101 },
      { after: 'nope' },
    ]) {
      assert.equal(
        code(() => parsePage(args)),
        'BAD_USER_INPUT',
        JSON.stringify(args),
      );
    }
  });
});
