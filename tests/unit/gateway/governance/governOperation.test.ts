import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { print, validate } from 'graphql';

import {
  decideCoordinate,
  governOperation,
  TYPENAME_KEY,
  UNOWNED_FIELD_RULE,
  type GovernedPlan,
} from '../../../../policies/src/index.js';
import type { Principal } from '../../../../policies/src/index.js';
import {
  envAnalyst,
  gatewaySchema,
  NOW,
  parse,
  policy,
  principal,
} from './fixtures.js';

function govern(
  query: string,
  who: Principal = principal(),
  purpose = who.purposes[0] ?? '',
  variables: Record<string, unknown> | null = null,
): GovernedPlan {
  const { schema, local, ownership } = gatewaySchema();
  const document = parse(query);
  assert.deepEqual(validate(schema, document), [], 'test query must be valid');
  return governOperation({
    schema,
    document,
    operationName: null,
    variables,
    principal: who,
    purpose,
    policy,
    ownership,
    localCoordinates: local,
    now: NOW,
  });
}

describe('governOperation', () => {
  it('removes a NOT_SHARED field before planning and reports it with its path, code and rule', () => {
    const plan = govern(`{
      complaint(id: "C-20250915-JCK") { id summary complainant { id idNumber } }
    }`);
    assert.doesNotMatch(plan.text, /idNumber/);
    assert.match(plan.text, /summary/);
    assert.deepEqual(
      plan.withheld.map((w) => [w.coordinate, w.path, w.code, w.rule, w.cause]),
      [
        [
          'Person.idNumber',
          ['complaint', 'complainant', 'idNumber'],
          'FORBIDDEN_BY_NEGATIVE_LIST',
          'negative-list:NL-PS-1@1',
          'predicate',
        ],
      ],
    );
    assert.equal(plan.crossDepartment, true);
    assert.deepEqual(plan.read['enforcement'], [
      'Complaint.complainant',
      'Complaint.id',
      'Complaint.summary',
      'Query.complaint',
    ]);
  });

  it('takes a field whose whole selection is withheld with it, under the child’s code', () => {
    const plan = govern(
      `{ complaint(id: "C-1") { id complainant { idNumber } } }`,
    );
    assert.doesNotMatch(plan.text, /complainant/);
    const emptied = plan.withheld.find((w) => w.cause === 'emptied');
    assert.equal(emptied?.coordinate, 'Complaint.complainant');
    assert.equal(emptied?.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(emptied?.rule, 'negative-list:NL-PS-1@1');
  });

  it('reduces an operation of nothing but withheld fields to an empty one', () => {
    const plan = govern(
      `{ person(id: "P-1") { idNumber } }`,
      envAnalyst,
      'water-pollution-tracing',
    );
    assert.equal(plan.empty, true);
    assert.ok(plan.withheld.length >= 2);
  });

  it('finds withheld fields behind aliases, fragments and inline fragments', () => {
    const plan = govern(`
      query Q {
        a: complaint(id: "C-1") { ...C }
        b: complaint(id: "C-2") { complainant { ... on Person { card: idNumber id } } }
      }
      fragment C on Complaint { complainant { x: idNumber y: idNumber id } }
    `);
    assert.doesNotMatch(plan.text, /idNumber/);
    assert.deepEqual(
      plan.withheld
        .filter((w) => w.cause === 'predicate')
        .map((w) => w.path.join('.'))
        .sort(),
      ['a.complainant.x', 'a.complainant.y', 'b.complainant.card'],
    );
  });

  it('follows @include with the request’s variables', () => {
    const query = `query($show: Boolean!) {
      complaint(id: "C-1") { id complainant { id idNumber @include(if: $show) } }
    }`;
    assert.equal(
      govern(query, principal(), undefined, { show: false }).withheld.length,
      0,
    );
    const shown = govern(query, principal(), undefined, { show: true });
    assert.equal(shown.withheld.length, 1);
    assert.deepEqual(shown.conditionVariables, ['show']);
  });

  it('masks under the grant (entry mask first, grant mask next) and scopes rows', () => {
    const plan = govern(`{
      complaints(first: 5) { nodes { complainant { name mobile } } }
    }`);
    assert.deepEqual(
      plan.masked.map((m) => [m.coordinate, m.mask, m.rule]),
      [
        ['Person.mobile', 'MOBILE', 'grant:G-1'],
        ['Person.name', 'NAME', 'grant:G-1'],
      ],
    );
    assert.deepEqual(plan.scope, {
      region: '500103001',
      types: {
        Person: { op: 'prefix', field: 'regionCode', value: '500103' },
      },
    });
    assert.equal(plan.expiresAt, Date.parse('2027-01-01T00:00:00Z'));
  });

  it('answers GRANT_REQUIRED to a consumer without a grant, and no scope at city level', () => {
    const plan = govern(
      `{ complaint(id: "C-1") { complainant { name } } }`,
      envAnalyst,
      'water-pollution-tracing',
    );
    assert.equal(plan.withheld[0]?.code, 'GRANT_REQUIRED');
    assert.equal(plan.scope, null);
  });

  it('treats the principal’s own department’s data as its own (no cross-department read)', () => {
    const plan = govern(
      `{ complaints(first: 3) { totalCount pageInfo { hasNextPage } } }`,
    );
    assert.equal(plan.crossDepartment, false);
    assert.deepEqual(plan.withheld, []);
  });

  it('denies every field to a principal without a role that permits it', () => {
    const plan = govern(
      `{ enterprise(creditCode: "x") { name } }`,
      principal({ roles: ['nobody'] }),
    );
    assert.equal(plan.withheld[0]?.rule, 'casl:no-rule');
    assert.equal(plan.withheld[0]?.code, 'FORBIDDEN');
  });

  it('never decides the gateway’s own explain fields', () => {
    const plan = govern(
      `{ explain(operation: "{ __typename }") { fields { rule } } }`,
    );
    assert.deepEqual(plan.decisions, []);
    assert.deepEqual(plan.rootFields, ['Query.explain']);
  });

  it('asks for __typename on abstract selections only when something is masked', () => {
    const plan = govern(`{ complaint(id: "C-1") { complainant { mobile } } }`);
    // No interface or union on this path: nothing added.
    assert.equal(plan.typenames, false);
    assert.doesNotMatch(print(plan.document), new RegExp(TYPENAME_KEY));
  });

  it('withholds a field no department owns', () => {
    const { ownership } = gatewaySchema();
    const { owners, decision } = decideCoordinate('Query.notOwned', {
      principal: principal(),
      purpose: 'complaint-handling',
      policy,
      ownership,
      now: NOW,
    });
    assert.deepEqual(owners, []);
    assert.equal(decision.effect, 'DENY');
    assert.equal(decision.rule, UNOWNED_FIELD_RULE);
  });

  it('decides a field several departments resolve as the strictest owner would', () => {
    const { ownership } = gatewaySchema();
    const owners = ownership.get('Person.id')?.owners ?? [];
    assert.ok(owners.length > 1, 'Person.id is an entity key');
    const own = decideCoordinate('Person.id', {
      principal: principal({ department: 'market' }),
      purpose: 'complaint-handling',
      policy,
      ownership,
      now: NOW,
    });
    assert.equal(own.decision.rule, 'own-department');
    const other = decideCoordinate('Person.id', {
      principal: principal({ roles: [] }),
      purpose: 'complaint-handling',
      policy,
      ownership,
      now: NOW,
    });
    assert.equal(other.decision.effect, 'DENY');
  });
});
