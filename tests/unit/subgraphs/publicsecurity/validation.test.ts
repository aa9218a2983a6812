import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  BadUserInputError,
  parseTimestamp,
} from '../../../../subgraphs/kit/src/index.js';
import {
  isPersonId,
  parsePersonId,
} from '../../../../subgraphs/publicsecurity/src/validation.js';

function isBadInput(argumentName: string) {
  return (error: unknown): boolean =>
    error instanceof BadUserInputError &&
    error.extensions['code'] === 'BAD_USER_INPUT' &&
    error.extensions['argumentName'] === argumentName;
}

describe('person ids', () => {
  it('accepts P- and 12 lowercase hex digits', () => {
    assert.equal(isPersonId('P-0123456789ab'), true);
    assert.equal(parsePersonId('P-ffffffffffff'), 'P-ffffffffffff');
  });

  it('rejects everything else', () => {
    for (const id of [
      '',
      'P-',
      'P-0123456789AB',
      'P-0123456789a',
      'P-0123456789abc',
      'p-0123456789ab',
      'Q-0123456789ab',
      'P-0123456789ag',
      ' P-0123456789ab',
      'P-0123456789ab\n',
      '500103199001011234',
    ]) {
      assert.equal(isPersonId(id), false, id);
      assert.throws(() => parsePersonId(id), isBadInput('id'));
    }
  });
});

describe('parseTimestamp', () => {
  it('normalises ISO 8601 timestamps with an offset to UTC', () => {
    assert.equal(
      parseTimestamp('2025-05-01T19:00:00+08:00', 'since'),
      '2025-05-01T11:00:00.000Z',
    );
    assert.equal(
      parseTimestamp('2025-05-01T11:00:00.250Z', 'since'),
      '2025-05-01T11:00:00.250Z',
    );
    assert.equal(
      parseTimestamp('2025-05-01T11:00Z', 'since'),
      '2025-05-01T11:00:00.000Z',
    );
    assert.equal(
      parseTimestamp('2024-12-31T23:30:00-01:00', 'since'),
      '2025-01-01T00:30:00.000Z',
    );
  });

  it('reads a bare date as UTC midnight', () => {
    assert.equal(
      parseTimestamp('2024-02-29', 'since'),
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('rejects malformed and impossible timestamps', () => {
    for (const value of [
      '',
      'yesterday',
      '1714561200',
      '2025-5-1',
      '2025-02-29',
      '2025-04-31T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-05-01T24:00:00Z',
      '2025-05-01T10:60:00Z',
      '2025-05-01T10:00:00',
      '2025-05-01 10:00:00+08:00',
      '2025-05-01T10:00:00+0800',
    ]) {
      assert.throws(
        () => parseTimestamp(value, 'since'),
        isBadInput('since'),
        value,
      );
    }
  });
});
