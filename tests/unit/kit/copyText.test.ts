import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { copyLine } from '../../../subgraphs/kit/src/db/copyText.js';

describe("copyLine (COPY's text format)", () => {
  it('separates columns with tabs, ends with a line break and writes NULL as \\N', () => {
    assert.equal(copyLine(['a', null, undefined, 'b']), 'a\t\\N\t\\N\tb\n');
  });

  it('escapes backslash, tab, line break and carriage return', () => {
    assert.equal(copyLine(['a\\b\tc\nd\re']), 'a\\\\b\\tc\\nd\\re\n');
    assert.equal(copyLine(['\\N']), '\\\\N\n');
  });

  it('writes numbers, booleans and dates in their SQL spelling', () => {
    const at = new Date('2025-08-14T00:00:00Z');
    assert.equal(
      copyLine([3.2, -0, 10n, true, false, at]),
      '3.2\t0\t10\tt\tf\t2025-08-14T00:00:00.000Z\n',
    );
  });

  it('writes arrays as array literals, each element quoted and escaped', () => {
    assert.equal(
      copyLine([['a', 'b "c"', 'd\\e', null, '']]),
      '{"a","b \\\\"c\\\\"","d\\\\\\\\e",NULL,""}\n',
    );
    assert.equal(copyLine([[]]), '{}\n');
  });

  it('writes other objects as JSON', () => {
    assert.equal(copyLine([{ a: 'x\ty' }]), '{"a":"x\\\\ty"}\n');
  });

  it('refuses what has no SQL text', () => {
    assert.throws(() => copyLine([Symbol('s')]), TypeError);
    assert.throws(() => copyLine([() => 1]), TypeError);
  });
});
