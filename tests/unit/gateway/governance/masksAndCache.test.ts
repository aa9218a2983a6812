import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildSchema, parse, print } from 'graphql';

import {
  applyMasks,
  PlanCache,
  visibleSchema,
} from '../../../../gateway/src/pipeline/index.js';
import {
  TYPENAME_KEY,
  withTypenames,
  type GovernedPlan,
  type MaskedField,
} from '../../../../policies/src/index.js';
import {
  compileRowScope,
  mayIntrospect,
} from '../../../../policies/src/index.js';
import { policy, principal } from './fixtures.js';

const hash = (s: string): string => `h(${s})`;

const tiny = buildSchema(`
  interface Named { name: String! }
  type Person implements Named { id: ID! name: String! mobile: String! }
  type Area implements Named { id: ID! name: String! }
  union Node = Person | Area
  type Secret { code: String! }
  type Query { node: Node named: [Named!]! secret: Secret person: Person }
`);

function masked(
  coordinate: string,
  mask: MaskedField['mask'],
  ...paths: string[][]
): MaskedField {
  const [typeName = '', fieldName = ''] = coordinate.split('.');
  return { coordinate, typeName, fieldName, paths, mask, rule: 'grant:G-1' };
}

describe('applyMasks', () => {
  it('masks through lists and leaves other fields alone', () => {
    const data = {
      complaints: {
        nodes: [
          { complainant: { mobile: '13812345678', id: 'P-1' } },
          { complainant: null },
          { complainant: { mobile: '13900001111', id: 'P-2' } },
        ],
      },
    };
    applyMasks(
      data,
      [
        masked('Person.mobile', 'MOBILE', [
          'complaints',
          'nodes',
          'complainant',
          'mobile',
        ]),
      ],
      { hash, stripTypenames: false },
    );
    assert.deepEqual(data.complaints.nodes, [
      { complainant: { mobile: '138****5678', id: 'P-1' } },
      { complainant: null },
      { complainant: { mobile: '139****1111', id: 'P-2' } },
    ]);
  });

  it('masks on an abstract selection only objects of the masked type, then strips the typename key', () => {
    const data: Record<string, unknown> = {
      named: [
        { [TYPENAME_KEY]: 'Person', name: '王小明' },
        { [TYPENAME_KEY]: 'Area', name: '解放碑商圈' },
      ],
    };
    applyMasks(data, [masked('Person.name', 'NAME', ['named', 'name'])], {
      hash,
      stripTypenames: true,
    });
    assert.deepEqual(data, {
      named: [{ name: '王**' }, { name: '解放碑商圈' }],
    });
  });

  it('uses the injected digest for HASH', () => {
    const data = { person: { id: 'P-1' } };
    applyMasks(data, [masked('Person.id', 'HASH', ['person', 'id'])], {
      hash,
      stripTypenames: false,
    });
    assert.deepEqual(data, { person: { id: 'h(P-1)' } });
  });
});

describe('withTypenames', () => {
  it('adds the typename key to abstract selection sets, fragments included, and nothing else', () => {
    const document = parse(`{
      node { ... on Person { name } ...A }
      person { name }
    }
    fragment A on Area { name }`);
    const text = print(withTypenames(tiny, document));
    assert.equal(
      text.match(new RegExp(`${TYPENAME_KEY}: __typename`, 'g'))?.length,
      1,
    );
    assert.ok(text.indexOf(TYPENAME_KEY) < text.indexOf('person {'));
  });
});

describe('visibleSchema', () => {
  it('hides rejected fields, then fields whose type has nothing left, then unreachable types', () => {
    const visible = visibleSchema(
      tiny,
      (c) => c !== 'Person.mobile' && c !== 'Secret.code',
      new Set(),
    );
    const person = visible.getType('Person');
    assert.ok(person && 'getFields' in person);
    assert.deepEqual(Object.keys(person.getFields()), ['id', 'name']);
    assert.equal(visible.getType('Secret'), undefined);
    assert.equal(visible.getQueryType()?.getFields()['secret'], undefined);
  });

  it('keeps the fields it is told to keep', () => {
    const visible = visibleSchema(
      tiny,
      () => false,
      new Set(['Query.person', 'Person.id']),
    );
    assert.deepEqual(Object.keys(visible.getQueryType()?.getFields() ?? {}), [
      'person',
    ]);
  });
});

describe('PlanCache', () => {
  const plan = (overrides: Partial<GovernedPlan> = {}): GovernedPlan =>
    ({
      conditionVariables: [],
      policyVersion: 'v1',
      expiresAt: Number.POSITIVE_INFINITY,
      ...overrides,
    }) as GovernedPlan;
  const request = (
    text: string,
    variables: Record<string, unknown> | null = null,
    operationName: string | null = null,
  ) => ({
    queryHash: hash(text),
    document: parse(text),
    operationName,
    variables,
  });

  it('hits for the same document, policy key and version, and misses otherwise', () => {
    const cache = new PlanCache();
    const text = `query Op { person { name } }`;
    cache.set(cache.keyOf(request(text), 'k1', 'v1'), plan());
    assert.ok(cache.get(cache.keyOf(request(text), 'k1', 'v1'), 0));
    assert.equal(
      cache.get(cache.keyOf(request(text), 'k2', 'v1'), 0),
      undefined,
    );
    assert.equal(
      cache.get(cache.keyOf(request(text), 'k1', 'v2'), 0),
      undefined,
    );
    assert.equal(
      cache.get(cache.keyOf(request(text, null, 'Op'), 'k1', 'v1'), 0),
      undefined,
    );
    assert.deepEqual(cache.stats, { hits: 1, misses: 3, size: 1 });
  });

  it('keys on the values of the variables that decide @skip/@include', () => {
    const cache = new PlanCache();
    const text = `query ($show: Boolean!, $other: Int) {
      person { name mobile @include(if: $show) }
    }`;
    cache.set(
      cache.keyOf(request(text, { show: true, other: 1 }), 'k', 'v1'),
      plan({ conditionVariables: ['show'] }),
    );
    assert.ok(
      cache.get(
        cache.keyOf(request(text, { show: true, other: 2 }), 'k', 'v1'),
        0,
      ),
    );
    assert.equal(
      cache.get(cache.keyOf(request(text, { show: false }), 'k', 'v1'), 0),
      undefined,
    );
  });

  it('keys on every condition variable of the text, whichever branches a plan read', () => {
    // Under a = false the analysis never reads b; a plan made then must not
    // be served when a = true, whatever b is.
    const cache = new PlanCache();
    const text = `query ($a: Boolean!, $b: Boolean!) {
      person { name ... @include(if: $a) { mobile @include(if: $b) } }
    }`;
    const keys = [
      { a: false, b: false },
      { a: true, b: false },
      { a: true, b: true },
      { a: false, b: true },
    ].map((v) => cache.keyOf(request(text, v), 'k', 'v1'));
    assert.equal(new Set(keys).size, 4);
  });

  it('keys on coerced values: defaults applied, absent apart from null', () => {
    const cache = new PlanCache();
    const text = `query ($show: Boolean = true, $x: Boolean! = false, $y: Boolean) {
      person { name @include(if: $show) mobile @skip(if: $x) id @include(if: $y) }
    }`;
    const key = (variables: Record<string, unknown> | null): string =>
      cache.keyOf(request(text, variables), 'k', 'v1');
    assert.equal(key(null), key({ show: true, x: false }));
    assert.notEqual(key({}), key({ show: null }));
    assert.notEqual(key({}), key({ y: null }));
    assert.notEqual(key({ y: false }), key({ y: null }));
    assert.equal(key({ y: 'yes' }), key({ y: 3 }), 'both invalid');
    assert.notEqual(key({ y: 'yes' }), key({ y: true }));
  });

  it('finds condition variables in the fragments the operation spreads', () => {
    const cache = new PlanCache();
    const text = `query ($s: Boolean!) { person { ...P } }
      fragment P on Person { ...Q }
      fragment Q on Person { mobile @skip(if: $s) }`;
    assert.notEqual(
      cache.keyOf(request(text, { s: true }), 'k', 'v1'),
      cache.keyOf(request(text, { s: false }), 'k', 'v1'),
    );
  });

  it('never serves a plan at or after its expiry', () => {
    const cache = new PlanCache();
    const key = cache.keyOf(request(`{ person { name } }`), 'k', 'v1');
    cache.set(key, plan({ expiresAt: 1_000 }));
    assert.ok(cache.get(key, 999));
    assert.equal(cache.get(key, 1_000), undefined);
    assert.equal(cache.get(key, 10), undefined, 'dropped once expired');
  });
});

describe('compileRowScope', () => {
  const allow = (coordinate: string, rowFilter?: object) =>
    ({
      effect: 'ALLOW',
      coordinate,
      rule: 'r',
      reason: '',
      trail: [],
      ...(rowFilter ? { rowFilter } : {}),
    }) as never;

  it('is null for a city-level principal without row filters', () => {
    assert.equal(
      compileRowScope({ level: 'CITY', regionCode: '500000' }, [
        allow('Person.name'),
      ]),
      null,
    );
  });

  it('carries the region of district and street principals and ANDs distinct filters per type', () => {
    const a = { op: 'eq', field: 'status', value: 'OPEN' };
    const b = { op: 'prefix', field: 'regionCode', value: '500103' };
    assert.deepEqual(
      compileRowScope({ level: 'DISTRICT', regionCode: '500103' }, [
        allow('Person.name', b),
        allow('Person.mobile', a),
        allow('Person.id', b),
        {
          effect: 'DENY',
          coordinate: 'Enterprise.name',
          rule: 'x',
          reason: '',
          trail: [],
          code: 'FORBIDDEN',
        },
      ]),
      { region: '500103', types: { Person: { op: 'and', filters: [a, b] } } },
    );
  });
});

describe('mayIntrospect', () => {
  it('follows the roles’ introspect rule, and never for an algorithm', () => {
    assert.equal(
      mayIntrospect(principal({ roles: ['reader'] }), policy),
      false,
    );
    assert.equal(
      mayIntrospect(principal({ roles: ['reader', 'inspector'] }), policy),
      true,
    );
    assert.equal(
      mayIntrospect(
        principal({
          roles: ['inspector'],
          algorithm: { filingId: 'ALG-1', inputs: [], state: 'IN_SERVICE' },
        }),
        policy,
      ),
      false,
    );
  });
});
