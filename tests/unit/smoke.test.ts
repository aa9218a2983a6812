import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isCreditCode } from '../../subgraphs/kit/src/index.js';

describe('isCreditCode', () => {
  it('rejects a code whose check character is wrong', () => {
    assert.equal(isCreditCode('91500000MA5U0000X1'), false);
  });
});
