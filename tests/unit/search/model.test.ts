import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  analyze,
  decodeCursor,
  encodeCursor,
  highlightText,
  latestOps,
  queryTerms,
  SearchRequestError,
  validateRequest,
} from '../../../search/src/model/index.js';
import type { CollectionSpec } from '../../../search/src/SearchBackend.js';

const SPEC: CollectionSpec = {
  name: 'risk-items',
  text: ['name', 'address'],
  keyword: ['level'],
  region: ['regionCode'],
  date: ['updatedAt'],
  numeric: ['levelRank'],
};

describe('analyze (CJK bigrams)', () => {
  it('makes overlapping bigrams of CJK runs with offsets', () => {
    assert.deepEqual(analyze('危化品'), [
      { term: '危化', start: 0, end: 2 },
      { term: '化品', start: 1, end: 3 },
    ]);
  });

  it('keeps a lone CJK character as a unigram, lower-cases words, splits on the rest', () => {
    assert.deepEqual(
      analyze('火 ABC12，Ｘy-油污').map((t) => t.term),
      ['火', 'abc12', 'xy', '油污'],
    );
  });

  it('breaks bigrams at non-CJK characters', () => {
    assert.deepEqual(queryTerms('危化A仓库'), ['危化', 'a', '仓库']);
    assert.deepEqual(queryTerms('  '), []);
    assert.deepEqual(queryTerms(undefined), []);
  });

  it('gives distinct terms in order', () => {
    assert.deepEqual(queryTerms('油污油污'), ['油污', '污油']);
  });
});

describe('highlightText', () => {
  it('wraps matches in <em> and escapes the rest', () => {
    assert.deepEqual(
      highlightText('<b>危化品</b> & 仓库', new Set(['危化', '化品'])),
      ['&lt;b&gt;<em>危化品</em>&lt;/b&gt; &amp; 仓库'],
    );
  });

  it('returns no fragment without a match', () => {
    assert.deepEqual(highlightText('仓库', new Set(['危化'])), []);
  });

  it('bounds fragments around matches', () => {
    const text = `${'甲'.repeat(200)}油污${'乙'.repeat(200)}油污${'丙'.repeat(50)}`;
    const fragments = highlightText(text, new Set(['油污']), {
      fragmentSize: 40,
      maxFragments: 3,
    });
    assert.equal(fragments.length, 2);
    for (const f of fragments) {
      assert.match(f, /<em>油污<\/em>/);
      assert.ok(f.replaceAll(/<\/?em>/g, '').length <= 40);
    }
  });
});

describe('cursors', () => {
  it('round-trips sort values for the same request', () => {
    const c = encodeCursor([3, null, 'RI-1'], 'abc');
    assert.match(c, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(c, 'abc', 3), [3, null, 'RI-1']);
  });

  it('refuses a cursor of another request or a malformed one', () => {
    const c = encodeCursor(['RI-1'], 'abc');
    assert.throws(() => decodeCursor(c, 'def', 1), /another request/);
    assert.throws(() => decodeCursor('%%%', 'abc', 1), SearchRequestError);
    assert.throws(
      () => decodeCursor(Buffer.from('[1]').toString('base64url'), 'abc', 1),
      /malformed/,
    );
  });
});

describe('validateRequest', () => {
  it('applies defaults: score then id with text, id without', () => {
    const withText = validateRequest(SPEC, {
      text: ' 危化 ',
      textFields: ['name'],
      size: 10,
    });
    assert.deepEqual(withText.terms, ['危化']);
    assert.deepEqual(
      withText.sort.map((s) => `${s.field}:${s.order}`),
      ['_score:desc', 'id:asc'],
    );
    const without = validateRequest(SPEC, {
      text: ' ',
      textFields: [],
      size: 10,
    });
    assert.equal(without.terms, null);
    assert.deepEqual(
      without.sort.map((s) => s.field),
      ['id'],
    );
  });

  it('names facets by field and region level', () => {
    const r = validateRequest(SPEC, {
      textFields: [],
      size: 1,
      facets: [
        { field: 'regionCode' },
        { field: 'regionCode', regionLevel: 'street', size: 5 },
        { field: 'level' },
      ],
    });
    assert.deepEqual(
      r.facets.map((f) => [f.key, f.prefixLength, f.size]),
      [
        ['regionCode', 6, 20],
        ['regionCode.street', 9, 5],
        ['level', null, 20],
      ],
    );
  });

  it('hashes what decides the order, not the page size', () => {
    const a = validateRequest(SPEC, {
      text: '危化',
      textFields: ['name'],
      size: 10,
    });
    const b = validateRequest(SPEC, {
      text: '危化',
      textFields: ['name'],
      size: 50,
      highlight: ['name'],
    });
    const c = validateRequest(SPEC, {
      text: '油污',
      textFields: ['name'],
      size: 10,
    });
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, c.hash);
  });

  for (const [label, request, message] of [
    ['size 0', { textFields: [], size: 0 }, /size/],
    [
      'unknown field',
      { textFields: [], size: 1, sortBy: 'x' },
      /unknown field sortBy/,
    ],
    [
      'text field not in spec',
      { textFields: ['secret'], size: 1 },
      /textFields: "secret"/,
    ],
    [
      'range on a keyword',
      {
        textFields: [],
        size: 1,
        filter: { op: 'range', field: 'level', gte: 1 },
      },
      /"level"/,
    ],
    [
      'empty range',
      {
        textFields: [],
        size: 1,
        filter: {
          op: 'range',
          field: 'updatedAt',
          gte: '2025-02-01',
          lt: '2025-01-01',
        },
      },
      /empty range/,
    ],
    [
      'range without bounds',
      { textFields: [], size: 1, filter: { op: 'range', field: 'levelRank' } },
      /needs gte, lt/,
    ],
    [
      'numeric range with a string',
      {
        textFields: [],
        size: 1,
        filter: { op: 'range', field: 'levelRank', gte: '1' },
      },
      /finite number/,
    ],
    [
      'empty in',
      {
        textFields: [],
        size: 1,
        filter: { op: 'in', field: 'level', values: [] },
      },
      /filter/,
    ],
    [
      'malformed cursor',
      { textFields: [], size: 1, after: 'xx' },
      /malformed cursor/,
    ],
  ] as const) {
    it(`refuses ${label}`, () => {
      assert.throws(
        () => validateRequest(SPEC, request as never),
        (e: unknown) =>
          e instanceof SearchRequestError &&
          e.code === 'BAD_USER_INPUT' &&
          message.test(e.message),
      );
    });
  }
});

describe('latestOps', () => {
  it('keeps one op per id, the highest version, a delete winning a tie', () => {
    const doc = (version: number) => ({ id: 'a', version, fields: {} });
    assert.deepEqual(
      latestOps({
        upserts: [doc(2), doc(5), doc(3)],
        deletes: [
          { id: 'a', version: 5 },
          { id: 'b', version: 1 },
        ],
      }),
      [
        { kind: 'delete', id: 'a', version: 5 },
        { kind: 'delete', id: 'b', version: 1 },
      ],
    );
  });
});
