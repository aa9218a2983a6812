import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  type GraphQLOutputType,
} from 'graphql';

import {
  nullOutOfScope,
  probedTypes,
  readOwnership,
  referencedRegionTypes,
  SCOPE_PROBE_KEY,
  withScopeProbes,
} from '../../../../policies/src/index.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../../../subgraphs/kit/src/index.js';

const sdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const ownership = readOwnership(sdl);
const regionTypes = referencedRegionTypes(schema, ownership);

describe('scope probes: references to scoped rows go through their home', () => {
  it('finds the region-bearing entities other departments reference', () => {
    for (const type of ['Person', 'Enterprise', 'MonitoringSection']) {
      assert.ok(regionTypes.has(type), `${type} is probed`);
    }
    // Roots have a `region(code:)` field, Region is the scope itself, and
    // a department's own rows (never referenced elsewhere) need no probe.
    for (const type of ['Query', 'Mutation', 'Region', 'RiskItem', 'Alert']) {
      assert.ok(!regionTypes.has(type), `${type} is not probed`);
    }
  });

  it('answers every position another department fills with such a reference as nullable', () => {
    // nullOutOfScope replaces an out-of-scope reference with null in place,
    // which is well-typed only where null is allowed.
    const home = (type: string): string | undefined =>
      ownership.get(`${type}.region`)?.owners[0];
    const offenders: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type).name;
        if (!regionTypes.has(target)) continue;
        const owners =
          ownership.get(`${type.name}.${field.name}`)?.owners ?? [];
        if (owners.every((o) => o === home(target))) continue;
        let position: GraphQLOutputType = field.type;
        if (isNonNullType(position)) position = getNullableType(position);
        while (isListType(position)) {
          position = position.ofType;
          if (isNonNullType(position)) break;
        }
        if (isNonNullType(position)) {
          offenders.push(`${type.name}.${field.name}: ${String(field.type)}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('probes object, abstract and fragment selections once each', () => {
    const document = parse(`
      query ($in: Boolean!) {
        riskItem(id: "RI-1") { responsiblePerson @include(if: $in) { id } }
        publicSecurityRecords(first: 1) { nodes { ... on CrowdArea { id } } }
        enterprise(creditCode: "x") { ...E }
        alerts(first: 1) { totalCount }
      }
      fragment E on Enterprise { creditCode }
    `);
    const probed = print(withScopeProbes(schema, document, regionTypes));
    assert.match(
      probed,
      /responsiblePerson @include\(if: \$in\) \{\s+id\s+__govgraph_scope: region \{\s+code\s+\}\s+\}/,
    );
    // The interface gets the probe for the one of its types that is probed.
    assert.match(
      probed,
      /nodes \{\s+\.\.\. on CrowdArea \{\s+id\s+\}\s+\.\.\. on Person \{\s+__govgraph_scope: region \{\s+code\s+\}\s+\}\s+\}/,
    );
    assert.match(
      probed,
      /fragment E on Enterprise \{\s+creditCode\s+__govgraph_scope: region/,
    );
    // Enterprise's selection set holds only the spread: probed too.
    assert.match(
      probed,
      /enterprise\(creditCode: "x"\) \{\s+\.\.\.E\s+__govgraph_scope: region/,
    );
    assert.equal(probed.match(/__govgraph_scope/g)?.length, 4, probed);
    assert.doesNotMatch(probed, /alerts\(first: 1\) \{\s+totalCount\s+__gov/);
  });

  it('probes nothing when the scope restricts none of the types', () => {
    const document = parse(
      `{ riskItem(id: "RI-1") { responsiblePerson { id } } }`,
    );
    assert.equal(withScopeProbes(schema, document, new Set()), document);
    assert.equal(probedTypes(regionTypes, null).size, 0);
    assert.equal(probedTypes(regionTypes, { region: '500103' }), regionTypes);
    assert.deepEqual(
      [
        ...probedTypes(regionTypes, {
          types: { Person: { op: 'eq', field: 'regionCode', value: '500103' } },
        }),
      ],
      ['Person'],
    );
  });

  it('answers a reference with a null probe as null, in fields and lists, and strips the probes', () => {
    const data = {
      riskItem: {
        id: 'RI-1',
        responsiblePerson: { id: 'P-out', [SCOPE_PROBE_KEY]: null },
      },
      complaint: {
        merchants: {
          nodes: [
            { creditCode: 'in', [SCOPE_PROBE_KEY]: { code: '500103001' } },
            { creditCode: 'out', [SCOPE_PROBE_KEY]: null },
          ],
        },
      },
      nested: { person: { id: 'P-in', [SCOPE_PROBE_KEY]: { code: '500103' } } },
    };
    nullOutOfScope(data);
    assert.deepEqual(data, {
      riskItem: { id: 'RI-1', responsiblePerson: null },
      complaint: { merchants: { nodes: [{ creditCode: 'in' }, null] } },
      nested: { person: { id: 'P-in' } },
    });
  });
});
