import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  assertStorableText,
  BadUserInputError,
  isStorableText,
} from '../../../../subgraphs/kit/src/index.js';
import { pageSuspectedEnterprises } from '../../../../subgraphs/emergency/src/resolvers.js';

describe('pageSuspectedEnterprises', () => {
  const codes = ['A', 'B', 'C', 'D', 'E'];

  it('pages the credit codes as Enterprise stubs with cursors', () => {
    const first = pageSuspectedEnterprises(codes, { first: 2 });
    assert.deepEqual(first.nodes, [{ creditCode: 'A' }, { creditCode: 'B' }]);
    assert.equal(first.totalCount, 5);
    assert.equal(first.pageInfo.hasNextPage, true);
    const last = pageSuspectedEnterprises(codes, {
      first: 10,
      after: first.pageInfo.endCursor,
    });
    assert.deepEqual(
      last.nodes.map((n) => n.creditCode),
      ['C', 'D', 'E'],
    );
    assert.equal(last.pageInfo.hasNextPage, false);
  });

  it('answers an empty page past the end and for no suspects', () => {
    const end = pageSuspectedEnterprises(codes, {
      first: 5,
      after: pageSuspectedEnterprises(codes, {}).pageInfo.endCursor,
    });
    assert.deepEqual(end, {
      nodes: [],
      totalCount: 5,
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    assert.equal(pageSuspectedEnterprises([], {}).totalCount, 0);
  });

  it('refuses a page size above the maximum and a bad cursor', () => {
    assert.throws(
      () => pageSuspectedEnterprises(codes, { first: 101 }),
      BadUserInputError,
    );
    assert.throws(
      () => pageSuspectedEnterprises(codes, { after: 'nope' }),
      BadUserInputError,
    );
  });
});

describe('isStorableText and assertStorableText', () => {
  it('refuses text PostgreSQL cannot store', () => {
    assert.equal(isStorableText('R-001'), true);
    assert.equal(isStorableText('R-\u0000'), false);
    assert.throws(
      () => assertStorableText('R-\u0000', 'id'),
      BadUserInputError,
    );
    assert.doesNotThrow(() => assertStorableText('风险-1', 'id'));
  });
});
