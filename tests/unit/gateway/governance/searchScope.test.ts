import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { validate } from 'graphql';

import {
  governOperation,
  type GovernedPlan,
} from '../../../../policies/src/index.js';
import type { PolicySet, Principal } from '../../../../policies/src/index.js';
import { gatewaySchema, NOW, parse, policy, principal } from './fixtures.js';

// Emergency data under the negative list: addresses never shared, names and
// disposal measures only under a grant for one category, names masked.
const withEmergencyEntries: PolicySet = {
  ...policy,
  version: 'test-search',
  entries: [
    ...policy.entries,
    {
      id: 'NL-EM-1',
      version: 1,
      ownerDepartment: 'emergency',
      selector: { coordinates: ['RiskItem.address'] },
      shareClass: 'NOT_SHARED',
      legalBasis: '《重庆市公共数据资源管理办法》',
      reason: 'Exact hazard locations stay with emergency management.',
      priority: 10,
      status: 'ACTIVE',
    },
    {
      id: 'NL-EM-2',
      version: 1,
      ownerDepartment: 'emergency',
      selector: {
        coordinates: ['RiskItem.name', 'RiskItem.disposalMeasures'],
      },
      shareClass: 'CONDITIONAL',
      legalBasis: '《重庆市公共数据资源管理办法》',
      reason: 'Shared for the categories a grant names.',
      priority: 5,
      status: 'ACTIVE',
    },
  ],
  grants: [
    ...policy.grants,
    {
      id: 'G-EM-1',
      entryId: 'NL-EM-2',
      consumerDepartment: 'enforcement',
      purpose: 'complaint-handling',
      coordinates: ['RiskItem.name', 'RiskItem.disposalMeasures'],
      masks: { 'RiskItem.name': 'NAME' },
      rowFilter: { op: 'in', field: 'categoryCode', values: ['AQ01'] },
      expiresAt: '2027-01-01T00:00:00Z',
      revoked: false,
    },
  ],
};

function govern(query: string, who: Principal = principal()): GovernedPlan {
  const { schema, local, ownership } = gatewaySchema();
  const document = parse(query);
  assert.deepEqual(validate(schema, document), [], 'test query must be valid');
  return governOperation({
    schema,
    document,
    operationName: null,
    variables: null,
    principal: who,
    purpose: who.purposes[0] ?? '',
    policy: withEmergencyEntries,
    ownership,
    localCoordinates: local,
    now: NOW,
  });
}

const SEARCH = `{ searchRiskItems(text: "危化") { totalCount } }`;

describe('the row scope of a search field', () => {
  it('signs the fields of each searched type the caller may read unmasked', () => {
    const plan = govern(SEARCH);
    const readable = plan.scope?.search?.['RiskItem'] ?? [];
    assert.ok(readable.includes('disposalMeasures'), readable.join());
    assert.ok(readable.includes('level'));
    assert.ok(!readable.includes('address'), 'NOT_SHARED: never searchable');
    assert.ok(!readable.includes('name'), 'masked: never searchable');
    assert.ok(plan.scope?.search?.['RiskCategory']?.includes('name'));
    assert.equal(plan.scope?.region, '500103001');
  });

  it('restricts the searched type by the row filters of the grants that made its fields readable, even when no field of it is selected', () => {
    const plan = govern(SEARCH);
    assert.deepEqual(plan.scope?.types?.['RiskItem'], {
      op: 'in',
      field: 'categoryCode',
      values: ['AQ01'],
    });
  });

  it('lets the owning department search every field', () => {
    const plan = govern(
      SEARCH,
      principal({
        subject: 'emergency-duty',
        department: 'emergency',
        level: 'CITY',
        regionCode: '500000',
        purposes: ['emergency-response'],
      }),
    );
    const readable = plan.scope?.search?.['RiskItem'] ?? [];
    assert.ok(readable.includes('address') && readable.includes('name'));
    assert.equal(plan.scope?.region, undefined);
    assert.equal(plan.scope?.types, undefined);
  });

  it('adds nothing to operations without a search field', () => {
    const plan = govern(`{ riskItem(id: "RI-PUHE-ZHAIXI") { id level } }`);
    assert.equal(plan.scope?.search, undefined);
  });

  it('covers the types each search field names: alerts and their risk items', () => {
    const plan = govern(`{ searchAlerts(text: "溶解氧") { totalCount } }`);
    assert.deepEqual(Object.keys(plan.scope?.search ?? {}).sort(), [
      'Alert',
      'RiskItem',
    ]);
    assert.ok(plan.scope?.search?.['Alert']?.includes('message'));
  });
});
