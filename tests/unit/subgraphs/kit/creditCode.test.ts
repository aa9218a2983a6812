import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  creditCodeCheckChar,
  isCreditCode,
  organisationCodeCheckChar,
} from '../../../../subgraphs/kit/src/index.js';

describe('isCreditCode', () => {
  it('accepts a code whose check character matches GB 32100', () => {
    const body = '91500103MA5U1A2B3';
    assert.equal(isCreditCode(body + creditCodeCheckChar(body)), true);
  });

  it('rejects a code whose check character is wrong', () => {
    const body = '91500103MA5U1A2B3';
    const wrong = creditCodeCheckChar(body) === '0' ? '1' : '0';
    assert.equal(isCreditCode(body + wrong), false);
  });

  it('rejects characters outside the alphabet (I, O, S, V, Z) and wrong lengths', () => {
    assert.equal(isCreditCode('91500103MA5U1A2BI0'), false);
    assert.equal(isCreditCode('91500103MA5U1A2B'), false);
    assert.equal(isCreditCode(''), false);
  });
});

describe('organisationCodeCheckChar', () => {
  it('computes the GB 11714 check character, X for 10', () => {
    // D2143569: 13*3+2*7+1*9+4*10+3*5+5*8+6*4+9*2 = 199; 11 - 199 % 11 = 10 → X
    assert.equal(organisationCodeCheckChar('D2143569'), 'X');
  });
});
