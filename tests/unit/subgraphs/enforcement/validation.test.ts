import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parseLatitude,
  parseLongitude,
  parseNearestCount,
} from '../../../../subgraphs/enforcement/src/validation.js';
import { BadUserInputError } from '../../../../subgraphs/kit/src/index.js';

function isBadInput(argumentName: string) {
  return (error: unknown): boolean =>
    error instanceof BadUserInputError &&
    error.extensions['code'] === 'BAD_USER_INPUT' &&
    error.extensions['argumentName'] === argumentName;
}

describe('parseLatitude', () => {
  it('accepts −90..90 inclusive', () => {
    for (const value of [-90, -29.5, 0, 29.5575, 90]) {
      assert.equal(parseLatitude(value), value);
    }
  });

  it('rejects anything off the globe', () => {
    for (const value of [-90.0001, 90.0001, 180, Number.NaN, Infinity]) {
      assert.throws(() => parseLatitude(value), isBadInput('latitude'));
    }
  });
});

describe('parseLongitude', () => {
  it('accepts −180..180 inclusive', () => {
    for (const value of [-180, -73.4, 0, 106.577, 180]) {
      assert.equal(parseLongitude(value), value);
    }
  });

  it('rejects anything off the globe', () => {
    for (const value of [-180.0001, 180.0001, 360, Number.NaN, -Infinity]) {
      assert.throws(() => parseLongitude(value), isBadInput('longitude'));
    }
  });
});

describe('parseNearestCount', () => {
  it('uses the fallback when first is omitted or null', () => {
    assert.equal(parseNearestCount(undefined, 3), 3);
    assert.equal(parseNearestCount(null, 1), 1);
  });

  it('accepts 1..100', () => {
    assert.equal(parseNearestCount(1, 3), 1);
    assert.equal(parseNearestCount(100, 3), 100);
  });

  it('rejects counts outside 1..100 and fractions', () => {
    for (const value of [0, -1, 101, 2.5]) {
      assert.throws(() => parseNearestCount(value, 3), isBadInput('first'));
    }
  });
});
