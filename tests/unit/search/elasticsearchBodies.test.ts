import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  bulkOperations,
  createIndexBody,
  documentSource,
  indexNames,
  indexTemplateBody,
  searchBody,
  swapAliasesBody,
} from '../../../search/src/elasticsearch/requestBodies.js';
import {
  encodeCursor,
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
const NAMES = indexNames('gg-', 'risk-items');

describe('Elasticsearch request bodies', () => {
  it('names alias, building alias, template and pattern', () => {
    assert.deepEqual(NAMES, {
      alias: 'gg-risk-items',
      buildingAlias: 'gg-risk-items-building',
      template: 'gg-risk-items',
      pattern: 'gg-risk-items-g*',
    });
  });

  it('builds the index template with the CJK bigram analyzer', () => {
    assert.deepEqual(indexTemplateBody('gg-', SPEC), {
      name: 'gg-risk-items',
      index_patterns: ['gg-risk-items-g*'],
      priority: 100,
      template: {
        settings: {
          number_of_shards: 1,
          gc_deletes: '1d',
          analysis: {
            analyzer: {
              cjk_text: {
                type: 'custom',
                tokenizer: 'standard',
                filter: ['cjk_width', 'lowercase', 'cjk_bigram'],
              },
            },
          },
        },
        mappings: {
          dynamic: 'strict',
          _meta: { spec: { ...SPEC } },
          properties: {
            id: { type: 'keyword' },
            name: { type: 'text', analyzer: 'cjk_text' },
            address: { type: 'text', analyzer: 'cjk_text' },
            level: { type: 'keyword' },
            regionCode: { type: 'keyword' },
            regionCode__district: { type: 'keyword' },
            regionCode__street: { type: 'keyword' },
            updatedAt: { type: 'date' },
            levelRank: { type: 'double' },
          },
        },
      },
    });
  });

  it('builds versioned bulk operations with region prefixes', () => {
    const doc = {
      id: 'RI-1',
      version: 7,
      fields: {
        name: '危化品仓库',
        regionCode: '500110001001',
        level: 'HIGH',
        levelRank: 3,
        updatedAt: null,
        other: 'x',
      },
    };
    assert.deepEqual(documentSource(SPEC, doc), {
      id: 'RI-1',
      name: '危化品仓库',
      regionCode: '500110001001',
      level: 'HIGH',
      levelRank: 3,
      regionCode__district: '500110',
      regionCode__street: '500110001',
    });
    assert.deepEqual(
      bulkOperations(SPEC, 'gg-risk-items-g1', [
        { kind: 'upsert', doc },
        { kind: 'delete', id: 'RI-2', version: 9 },
      ]),
      [
        {
          index: {
            _index: 'gg-risk-items-g1',
            _id: 'RI-1',
            version: 7,
            version_type: 'external_gte',
          },
        },
        documentSource(SPEC, doc),
        {
          delete: {
            _index: 'gg-risk-items-g1',
            _id: 'RI-2',
            version: 9,
            version_type: 'external_gte',
          },
        },
      ],
    );
  });

  it('creates a building index and swaps aliases in one call', () => {
    assert.deepEqual(createIndexBody('gg-risk-items-g2', NAMES), {
      index: 'gg-risk-items-g2',
      aliases: { 'gg-risk-items-building': {} },
    });
    assert.deepEqual(
      swapAliasesBody(NAMES, ['gg-risk-items-g1'], 'gg-risk-items-g2'),
      {
        actions: [
          { remove: { index: 'gg-risk-items-g1', alias: 'gg-risk-items' } },
          {
            add: {
              index: 'gg-risk-items-g2',
              alias: 'gg-risk-items',
              is_write_index: true,
            },
          },
          {
            remove: {
              index: 'gg-risk-items-g2',
              alias: 'gg-risk-items-building',
            },
          },
        ],
      },
    );
  });

  it('builds a text search with filters, facets, highlight and search_after', () => {
    const first = validateRequest(SPEC, {
      text: '危化',
      textFields: ['name', 'address'],
      filter: {
        op: 'and',
        filters: [
          { op: 'prefix', field: 'regionCode', values: ['500110'] },
          {
            op: 'or',
            filters: [
              { op: 'in', field: 'level', values: ['HIGH', 'MAJOR'] },
              { op: 'range', field: 'levelRank', gte: 3 },
            ],
          },
        ],
      },
      facets: [
        { field: 'level' },
        { field: 'regionCode', regionLevel: 'street', size: 5 },
      ],
      size: 10,
      highlight: ['name'],
    });
    assert.deepEqual(searchBody(SPEC, first, '危化'), {
      size: 11,
      track_total_hits: true,
      track_scores: true,
      _source: false,
      query: {
        bool: {
          must: [
            {
              bool: {
                should: [
                  {
                    match: {
                      name: { query: '危化', operator: 'and', boost: 2 },
                    },
                  },
                  {
                    match: {
                      address: { query: '危化', operator: 'and', boost: 1 },
                    },
                  },
                ],
                minimum_should_match: 1,
              },
            },
          ],
          filter: [
            {
              bool: {
                filter: [
                  { prefix: { regionCode: '500110' } },
                  {
                    bool: {
                      should: [
                        { terms: { level: ['HIGH', 'MAJOR'] } },
                        { range: { levelRank: { gte: 3 } } },
                      ],
                      minimum_should_match: 1,
                    },
                  },
                ],
              },
            },
          ],
        },
      },
      sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
      aggs: {
        level: {
          terms: {
            field: 'level',
            size: 20,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
        'regionCode.street': {
          terms: {
            field: 'regionCode__street',
            size: 5,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
      },
      highlight: {
        pre_tags: ['<em>'],
        post_tags: ['</em>'],
        encoder: 'html',
        require_field_match: true,
        fields: { name: { fragment_size: 100, number_of_fragments: 3 } },
      },
    });
  });

  it('sorts dates as formatted strings, missing last, and pages with search_after', () => {
    const request = {
      textFields: [],
      sort: [{ field: 'updatedAt', order: 'desc' as const }],
      size: 2,
    };
    const first = validateRequest(SPEC, request);
    const body = searchBody(SPEC, first, undefined);
    assert.deepEqual(body.query, { match_all: {} });
    assert.deepEqual(body.sort, [
      {
        updatedAt: {
          order: 'desc',
          missing: '_last',
          format: 'strict_date_optional_time_nanos',
        },
      },
      { id: { order: 'asc' } },
    ]);
    assert.equal(body.track_scores, false);
    assert.equal(body.highlight, undefined);
    const after = encodeCursor(
      ['2025-01-01T00:00:00.000Z', 'RI-9'],
      first.hash,
    );
    const second = validateRequest(SPEC, { ...request, after });
    assert.deepEqual(searchBody(SPEC, second, undefined).search_after, [
      '2025-01-01T00:00:00.000Z',
      'RI-9',
    ]);
  });

  it('matches nothing for text without terms or without text fields', () => {
    const r = validateRequest(SPEC, {
      text: '！！',
      textFields: ['name'],
      size: 1,
    });
    assert.deepEqual(searchBody(SPEC, r, '！！').query, { match_none: {} });
    const none = validateRequest(SPEC, {
      text: '危化',
      textFields: [],
      size: 1,
    });
    assert.deepEqual(searchBody(SPEC, none, '危化').query, { match_none: {} });
  });
});
