// A small policy over the real supergraph for the governance unit tests:
// person data negative-listed (ID number never shared, mobile shared masked
// under a grant), enforcement's complainant conditional, everything else
// shared, roles that read everything.
import { readFileSync } from 'node:fs';

import { parse, type GraphQLSchema } from 'graphql';

import {
  readOwnership,
  withExplain,
  type OwnershipCatalog,
} from '../../../../policies/src/index.js';
import type { PolicySet, Principal } from '../../../../policies/src/index.js';
import { supergraphApiSchema } from '../../policies/fixtures/schemas.js';

const supergraphSdl = readFileSync(
  new URL('../../../../gateway/supergraph.graphql', import.meta.url),
  'utf8',
);

export const NOW = new Date('2026-11-22T00:00:00Z');

let built:
  | {
      schema: GraphQLSchema;
      local: ReadonlySet<string>;
      ownership: OwnershipCatalog;
    }
  | undefined;

/** The gateway's API schema (with explain), its local coordinates and the ownership catalog. */
export function gatewaySchema(): {
  schema: GraphQLSchema;
  local: ReadonlySet<string>;
  ownership: OwnershipCatalog;
} {
  if (built === undefined) {
    const { schema, localCoordinates } = withExplain(supergraphApiSchema());
    built = {
      schema,
      local: localCoordinates,
      ownership: readOwnership(supergraphSdl),
    };
  }
  return built;
}

export const policy: PolicySet = {
  version: 'test-1',
  entries: [
    {
      id: 'NL-PS-1',
      version: 1,
      ownerDepartment: 'publicsecurity',
      selector: { coordinates: ['Person.idNumber'] },
      shareClass: 'NOT_SHARED',
      legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
      reason: 'ID numbers are sensitive personal information.',
      priority: 10,
      status: 'ACTIVE',
    },
    {
      id: 'NL-PS-2',
      version: 1,
      ownerDepartment: 'publicsecurity',
      selector: { coordinates: ['Person.mobile', 'Person.name'] },
      shareClass: 'CONDITIONAL',
      legalBasis: '《重庆市公共数据资源管理办法》',
      reason: 'Contact data only for case handling.',
      conditions: { masks: { 'Person.mobile': 'MOBILE' } },
      priority: 5,
      status: 'ACTIVE',
    },
  ],
  grants: [
    {
      id: 'G-1',
      entryId: 'NL-PS-2',
      consumerDepartment: 'enforcement',
      purpose: 'complaint-handling',
      coordinates: ['Person.mobile', 'Person.name'],
      masks: { 'Person.name': 'NAME' },
      rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
      expiresAt: '2027-01-01T00:00:00Z',
      revoked: false,
    },
  ],
  roles: {
    reader: [{ action: 'read', subject: 'all' }],
    inspector: [
      { action: 'read', subject: 'all' },
      { action: 'introspect', subject: 'Schema' },
    ],
  },
};

export function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    subject: 'enforcement-jiefangbei',
    department: 'enforcement',
    roles: ['reader'],
    level: 'STREET',
    regionCode: '500103001',
    purposes: ['complaint-handling'],
    ...overrides,
  };
}

export const envAnalyst = principal({
  subject: 'env-analyst',
  department: 'environment',
  level: 'CITY',
  regionCode: '500000',
  purposes: ['water-pollution-tracing'],
});

export { parse, supergraphSdl };
