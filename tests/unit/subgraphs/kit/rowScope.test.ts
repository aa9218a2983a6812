import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  compileRowScope,
  type RowScope as PolicyRowScope,
} from '../../../../policies/src/index.js';

import {
  addRowScope,
  escapeLike,
  MAX_ROW_FILTER_DEPTH,
  parseRowScope,
  rowScopeOf,
  RowScopeError,
  SqlConditions,
  type RowFilter,
  type RowScope,
  type RowScopeColumns,
} from '../../../../subgraphs/kit/src/index.js';

const ENTERPRISE: RowScopeColumns = {
  region: 'e.region_code',
  attributes: {
    regionCode: 'e.region_code',
    industry: 'e.industry',
    status: 'e.status',
  },
};

function compile(
  scope: RowScope | null,
  typeName = 'Enterprise',
  columns = ENTERPRISE,
): { where: string | undefined; values: readonly unknown[]; added: boolean } {
  const c = new SqlConditions();
  const added = addRowScope(c, scope, typeName, columns);
  return { where: c.where, values: c.values, added };
}

function refused(raw: unknown): RowScopeError {
  try {
    parseRowScope(raw);
  } catch (error) {
    assert.ok(error instanceof RowScopeError, String(error));
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`);
}

describe('parseRowScope', () => {
  it('reads null and undefined as no restriction', () => {
    assert.equal(parseRowScope(null), null);
    assert.equal(parseRowScope(undefined), null);
  });

  it('accepts a region and per-type filters', () => {
    const raw = {
      region: '500103001',
      types: {
        Enterprise: {
          op: 'and',
          filters: [
            { op: 'eq', field: 'industry', value: '餐饮' },
            { op: 'in', field: 'status', values: ['ACTIVE', 1, true] },
            { op: 'prefix', field: 'regionCode', value: '500103' },
          ],
        },
      },
    };
    assert.deepEqual(JSON.parse(JSON.stringify(parseRowScope(raw))), raw);
    assert.deepEqual(parseRowScope({}), {});
    const search = {
      region: '500110',
      search: { RiskItem: ['name', 'level'], RiskCategory: [] },
    };
    assert.deepEqual(JSON.parse(JSON.stringify(parseRowScope(search))), search);
    assert.deepEqual(parseRowScope({ region: '500000' }), { region: '500000' });
  });

  it('fails closed with FORBIDDEN on anything malformed', () => {
    const deep: RowFilter = Array.from(
      { length: MAX_ROW_FILTER_DEPTH },
      () => 0,
    ).reduce<RowFilter>((f) => ({ op: 'and', filters: [f] }), {
      op: 'eq',
      field: 'status',
      value: 'ACTIVE',
    });
    const cases: unknown[] = [
      'region=500103',
      [],
      42,
      { region: '5001' },
      { region: '610103' },
      { region: 500103 },
      { regionPrefix: '500103' },
      { region: '500103', extra: true },
      { types: { Enterprise: { op: 'ne', field: 'status', value: 'A' } } },
      { types: { Enterprise: { op: 'eq', field: 'status' } } },
      { types: { Enterprise: { op: 'in', field: 'status', values: 'A' } } },
      { types: { Enterprise: { op: 'eq', field: 'e.status', value: 'A' } } },
      { types: { Enterprise: { op: 'eq', field: 'status', value: null } } },
      {
        types: { Enterprise: { op: 'eq', field: 'status', value: 'a\u0000' } },
      },
      {
        types: {
          Enterprise: { op: 'prefix', field: 'status', value: 'A', x: 1 },
        },
      },
      { types: { 'not a type': { op: 'and', filters: [] } } },
      JSON.parse('{"types":{"__proto__":{"op":"and","filters":[]}}}'),
      { types: { Enterprise: deep } },
      { search: { RiskItem: 'name' } },
      { search: { RiskItem: ['risk item.name'] } },
      { search: { 'not a type': ['name'] } },
      JSON.parse('{"search":{"__proto__":["name"]}}'),
    ];
    for (const raw of cases) {
      const error = refused(raw);
      assert.equal(error.extensions['code'], 'FORBIDDEN');
      assert.equal(error.extensions['rule'], 'row-scope-malformed');
    }
  });

  it('does not overflow on absurd nesting', () => {
    let f: unknown = { op: 'eq', field: 'status', value: 'A' };
    for (let i = 0; i < 100_000; i += 1) f = { op: 'and', filters: [f] };
    refused({ types: { Enterprise: f } });
  });

  it('hands resolvers the scope the call arrived with, validated at the edge', () => {
    // The CallVerifier parses ctx.scope when the call arrives (and refuses
    // a malformed one: keys.int.test.ts); resolvers read it as it is.
    const scope = parseRowScope({ region: '500103' });
    const call = { principal: null, scope };
    assert.equal(rowScopeOf({ call }), scope);
    assert.equal(rowScopeOf({ call: { principal: null, scope: null } }), null);
  });
});

describe('addRowScope', () => {
  it('adds nothing for no scope, an empty scope or the whole city', () => {
    for (const scope of [null, {}, { region: '500000' }]) {
      assert.deepEqual(compile(scope), {
        where: undefined,
        values: [],
        added: false,
      });
    }
  });

  it('matches the region prefix with an index-friendly LIKE on a bound value', () => {
    assert.deepEqual(compile({ region: '500103' }), {
      where: 'e.region_code LIKE $1',
      values: ['500103%'],
      added: true,
    });
    assert.deepEqual(compile({ region: '500103001' }).values, ['500103001%']);
  });

  it('skips the region for a type without a region column', () => {
    const river: RowScopeColumns = { attributes: { basin: 'r.basin' } };
    assert.equal(
      compile({ region: '500103' }, 'River', river).where,
      undefined,
    );
  });

  it('applies only the filter of the asked type', () => {
    const scope: RowScope = {
      types: { Person: { op: 'eq', field: 'gender', value: 'MALE' } },
    };
    assert.equal(compile(scope).where, undefined);
  });

  it('compiles eq, in, prefix and and, with every value bound', () => {
    const { where, values } = compile({
      region: '500103',
      types: {
        Enterprise: {
          op: 'and',
          filters: [
            { op: 'eq', field: 'industry', value: "餐饮'; DROP TABLE x; --" },
            { op: 'in', field: 'status', values: ['ACTIVE', 2, false] },
            { op: 'prefix', field: 'regionCode', value: '500103001' },
            { op: 'and', filters: [] },
          ],
        },
      },
    });
    assert.equal(
      where,
      'e.region_code LIKE $1 AND (e.industry)::text = $2 AND (e.status)::text = ANY($3::text[]) AND (e.region_code)::text LIKE $4',
    );
    assert.deepEqual(values, [
      '500103%',
      "餐饮'; DROP TABLE x; --",
      ['ACTIVE', '2', 'false'],
      '500103001%',
    ]);
    assert.doesNotMatch(where ?? '', /DROP|餐饮|ACTIVE/);
  });

  it('escapes LIKE wildcards in a prefix filter', () => {
    assert.equal(escapeLike('50%_\\'), '50\\%\\_\\\\');
    const { values } = compile({
      types: { Enterprise: { op: 'prefix', field: 'industry', value: '%' } },
    });
    assert.deepEqual(values, ['\\%%']);
  });

  it('compiles an unknown attribute and an empty in-list to FALSE', () => {
    for (const filter of [
      { op: 'eq', field: 'idNumber', value: '500103199001011234' },
      { op: 'in', field: 'constructor', values: ['x'] },
      { op: 'prefix', field: 'toString', value: 'x' },
      { op: 'in', field: 'status', values: [] },
    ] satisfies RowFilter[]) {
      const { where, values, added } = compile({
        types: { Enterprise: filter },
      });
      assert.equal(where, 'FALSE');
      assert.deepEqual(values, []);
      assert.equal(added, true);
    }
  });

  it('numbers after conditions already there and leaves room after', () => {
    const c = new SqlConditions();
    c.add('e.industry = $?', '餐饮');
    addRowScope(c, { region: '500103' }, 'Enterprise', ENTERPRISE);
    assert.equal(c.where, 'e.industry = $1 AND e.region_code LIKE $2');
    assert.equal(c.values.length + 1, 3);
  });
});

describe('SqlConditions.branch', () => {
  it('continues the numbering and shares values, with its own where', () => {
    const c = new SqlConditions();
    c.add('a.x = $?', 1);
    const b = c.branch();
    b.add('b.y = $?', 2);
    c.add('a.z = $?', 3);
    assert.equal(c.where, 'a.x = $1 AND a.z = $3');
    assert.equal(b.where, 'b.y = $2');
    assert.deepEqual(c.values, [1, 2, 3]);
  });
});

describe('RowScope across the boundary', () => {
  it('reads exactly what the policy engine compiles (the same type, kept apart by the folder rules)', () => {
    const compiled: PolicyRowScope | null = compileRowScope(
      { level: 'STREET', regionCode: '500103001' },
      [
        {
          effect: 'MASK',
          coordinate: 'Person.name',
          rule: 'grant:G-1',
          reason: '',
          trail: [],
          mask: 'NAME',
          rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
        },
      ],
    );
    // Compile time: a policies RowScope is a kit RowScope.
    const signed: RowScope | null = compiled;
    const read = parseRowScope(JSON.parse(JSON.stringify(signed)));
    // (parseRowScope keeps per-type filters in a null-prototype object.)
    assert.deepEqual(JSON.parse(JSON.stringify(read)), {
      region: '500103001',
      types: { Person: { op: 'prefix', field: 'regionCode', value: '500103' } },
    });
  });
});
