import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

import {
  analyzeOperation,
  OperationAnalysisError,
  removeFields,
  type OperationAnalysis,
  type OperationOptions,
  type RemoveFieldsResult,
  type RemovePredicate,
} from '../../../policies/src/index.js';
import { supergraphApiSchema, tinySchema } from './fixtures/schemas.js';

const api = supergraphApiSchema();

function valid(schema: GraphQLSchema, source: string): DocumentNode {
  const document = parse(source);
  assert.deepEqual(
    validate(schema, document).map((e) => e.message),
    [],
    'the test document itself must be valid',
  );
  return document;
}

function analyze(
  schema: GraphQLSchema,
  source: string,
  options: OperationOptions = {},
): OperationAnalysis {
  return analyzeOperation(schema, valid(schema, source), options);
}

/** Coordinate → its paths, each written `a.b.c`. */
function pathsOf(analysis: OperationAnalysis): Record<string, string[]> {
  return Object.fromEntries(
    analysis.coordinates.map((c) => [c.coordinate, c.paths.map(joined)]),
  );
}

function joined(path: readonly string[]): string {
  return path.join('.');
}

function coordinatesOf(analysis: OperationAnalysis): string[] {
  return analysis.coordinates.map((c) => c.coordinate);
}

function failsWith(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OperationAnalysisError);
    assert.equal(error.code, code);
    assert.equal(error.name, 'OperationAnalysisError');
    assert.ok(error.message.length > 0);
    return true;
  });
}

/** Removes the listed `Coordinate` (any path) or `Coordinate@a.b.c`. */
function dropping(...targets: string[]): RemovePredicate {
  return (coordinate, path) =>
    targets.includes(coordinate) ||
    targets.includes(`${coordinate}@${joined(path)}`);
}

/** Runs removeFields on a valid document and checks the result validates. */
function strip(
  schema: GraphQLSchema,
  source: string,
  remove: RemovePredicate,
  options: OperationOptions = {},
): RemoveFieldsResult & { text: string; removedAt: string[] } {
  const result = removeFields(valid(schema, source), remove, schema, options);
  assert.deepEqual(
    validate(schema, result.document).map((e) => e.message),
    [],
    `the result must validate:\n${print(result.document)}`,
  );
  return {
    ...result,
    text: print(result.document),
    removedAt: result.removed.map(
      (r) => `${r.coordinate}@${joined(r.path)} (${r.cause})`,
    ),
  };
}

/** The printed form of a document, to compare documents by text. */
function printed(source: string): string {
  return print(parse(source));
}

describe('analyzeOperation', () => {
  describe('coordinates and paths', () => {
    it('reports each coordinate with its response paths, list positions left out', () => {
      const analysis = analyze(
        api,
        `query { complaint(id: "C-1") { summary merchants { nodes { name creditCode } } } }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Complaint.merchants': ['complaint.merchants'],
        'Complaint.summary': ['complaint.summary'],
        'Enterprise.creditCode': ['complaint.merchants.nodes.creditCode'],
        'Enterprise.name': ['complaint.merchants.nodes.name'],
        'EnterpriseConnection.nodes': ['complaint.merchants.nodes'],
        'Query.complaint': ['complaint'],
      });
      assert.deepEqual(analysis.rootFields, ['Query.complaint']);
      assert.equal(analysis.rootType, 'Query');
      assert.equal(analysis.operationType, 'query');
      assert.equal(analysis.operationName, null);
      const name = analysis.coordinates.find(
        (c) => c.coordinate === 'Enterprise.name',
      );
      assert.deepEqual(
        { ...name, paths: undefined },
        {
          coordinate: 'Enterprise.name',
          typeName: 'Enterprise',
          fieldName: 'name',
          abstract: false,
          paths: undefined,
        },
      );
    });

    it('uses aliases as response keys', () => {
      const analysis = analyze(api, `{ p: person(id: "P-1") { a: idNumber } }`);
      assert.deepEqual(pathsOf(analysis), {
        'Person.idNumber': ['p.a'],
        'Query.person': ['p'],
      });
    });

    it('reports the same field under two aliases at both paths', () => {
      const analysis = analyze(
        api,
        `{
          first: person(id: "P-1") { idNumber }
          second: person(id: "P-2") { a: idNumber b: idNumber }
        }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Person.idNumber': ['first.idNumber', 'second.a', 'second.b'],
        'Query.person': ['first', 'second'],
      });
      assert.deepEqual(analysis.rootFields, ['Query.person']);
    });

    it('merges a field selected twice under one response key', () => {
      const analysis = analyze(
        api,
        `{ person(id: "P-1") { idNumber } person(id: "P-1") { idNumber name } }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Person.idNumber': ['person.idNumber'],
        'Person.name': ['person.name'],
        'Query.person': ['person'],
      });
    });

    it('follows named fragments, nested fragments and a fragment spread at two paths', () => {
      const analysis = analyze(
        api,
        `query {
          complaint(id: "C-1") { merchants { nodes { ...Merchant } } }
          e: enterprise(creditCode: "91500000000000000X") { ...Merchant }
        }
        fragment Merchant on Enterprise { name ...Representative }
        fragment Representative on Enterprise {
          legalRepresentative { ...Identity }
        }
        fragment Identity on Person { idNumber }`,
      );
      assert.deepEqual(pathsOf(analysis)['Person.idNumber'], [
        'complaint.merchants.nodes.legalRepresentative.idNumber',
        'e.legalRepresentative.idNumber',
      ]);
      assert.deepEqual(pathsOf(analysis)['Enterprise.legalRepresentative'], [
        'complaint.merchants.nodes.legalRepresentative',
        'e.legalRepresentative',
      ]);
      assert.deepEqual(analysis.rootFields, [
        'Query.complaint',
        'Query.enterprise',
      ]);
    });

    it('follows inline fragments with and without a type condition', () => {
      const analysis = analyze(
        api,
        `{ person(id: "P-1") { ... on Person { idNumber } ... { mobile } } }`,
      );
      assert.deepEqual(coordinatesOf(analysis), [
        'Person.idNumber',
        'Person.mobile',
        'Query.person',
      ]);
    });

    it('sorts coordinates and leaves out fragments and operations not used', () => {
      const analysis = analyze(
        api,
        `query A { person(id: "P-1") { name } }
        query B { enterprise(creditCode: "X") { ...E } }
        fragment E on Enterprise { name }`,
        { operationName: 'A' },
      );
      assert.deepEqual(coordinatesOf(analysis), [
        'Person.name',
        'Query.person',
      ]);
    });
  });

  describe('interfaces and unions', () => {
    it('counts a field on an interface for the interface and every implementation', () => {
      const analysis = analyze(tinySchema, `{ node(id: "1") { id } }`);
      assert.deepEqual(pathsOf(analysis), {
        'Dataset.id': ['node.id'],
        'Enterprise.id': ['node.id'],
        'Node.id': ['node.id'],
        'Person.id': ['node.id'],
        'Query.node': ['node'],
        'Sensor.id': ['node.id'],
      });
      const id = analysis.coordinates.find((c) => c.coordinate === 'Node.id');
      assert.equal(id?.abstract, true);
    });

    it('counts fragments on an interface only for the types possible there', () => {
      const analysis = analyze(
        tinySchema,
        `{ search(text: "x") {
            __typename
            ... on Person { idNumber }
            ... on Named { name }
            ...Identified
        } }
        fragment Identified on Node { id }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Enterprise.id': ['search.id'],
        'Enterprise.name': ['search.name'],
        'Named.name': ['search.name'],
        'Node.id': ['search.id'],
        'Person.id': ['search.id'],
        'Person.idNumber': ['search.idNumber'],
        'Person.name': ['search.name'],
        'Query.search': ['search'],
      });
    });

    it('narrows through an interface that implements an interface', () => {
      const analysis = analyze(
        tinySchema,
        `{ nodes { ... on Resource { owner { name } } ... on Sensor { reading } } }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Dataset.owner': ['nodes.owner'],
        'Person.name': ['nodes.owner.name'],
        'Query.nodes': ['nodes'],
        'Resource.owner': ['nodes.owner'],
        'Sensor.reading': ['nodes.reading'],
      });
    });

    it('counts an interface fragment inside an object type for that type only', () => {
      const analysis = analyze(
        tinySchema,
        `{ person(id: "1") { ... on Named { name } } }`,
      );
      assert.deepEqual(pathsOf(analysis), {
        'Named.name': ['person.name'],
        'Person.name': ['person.name'],
        'Query.person': ['person'],
      });
    });

    it('starts from the mutation root', () => {
      const analysis = analyze(
        tinySchema,
        `mutation Rename { rename(id: "1", name: "n") { name } }`,
      );
      assert.equal(analysis.operationType, 'mutation');
      assert.equal(analysis.rootType, 'Mutation');
      assert.equal(analysis.operationName, 'Rename');
      assert.deepEqual(analysis.rootFields, ['Mutation.rename']);
      assert.deepEqual(coordinatesOf(analysis), [
        'Enterprise.name',
        'Mutation.rename',
        'Named.name',
        'Person.name',
      ]);
    });
  });

  describe('@skip and @include', () => {
    it('drops fields excluded by literal conditions', () => {
      const analysis = analyze(
        api,
        `{ person(id: "P-1") {
            name @include(if: true)
            idNumber @include(if: false)
            mobile @skip(if: true)
            gender @skip(if: false)
            ... @skip(if: true) { birthDate }
            ...Address @include(if: false)
        } }
        fragment Address on Person { householdAddress }`,
      );
      assert.deepEqual(coordinatesOf(analysis), [
        'Person.gender',
        'Person.name',
        'Query.person',
      ]);
      assert.deepEqual(analysis.conditionVariables, []);
    });

    it('evaluates variable conditions: true, false and missing', () => {
      const source = `query ($show: Boolean!, $hide: Boolean!) {
        person(id: "P-1") { idNumber @include(if: $show) mobile @skip(if: $hide) }
      }`;
      const fields = (variables: Record<string, unknown> | null): string[] =>
        coordinatesOf(analyze(api, source, { variables })).filter(
          (c) => c !== 'Query.person',
        );
      assert.deepEqual(fields({ show: true, hide: false }), [
        'Person.idNumber',
        'Person.mobile',
      ]);
      assert.deepEqual(fields({ show: false, hide: true }), []);
      // Missing values count as possibly true: the fields are touched.
      assert.deepEqual(fields({}), ['Person.idNumber', 'Person.mobile']);
      assert.deepEqual(fields(null), ['Person.idNumber', 'Person.mobile']);
      // A value that is not a Boolean (here null) is not known either.
      assert.deepEqual(fields({ show: null, hide: 'yes' }), [
        'Person.idNumber',
        'Person.mobile',
      ]);
      assert.deepEqual(
        analyze(api, source, { variables: {} }).conditionVariables,
        ['hide', 'show'],
      );
    });

    it('uses a variable default when no value is given', () => {
      const source = `query ($show: Boolean = false) {
        person(id: "P-1") { name idNumber @include(if: $show) }
      }`;
      assert.deepEqual(coordinatesOf(analyze(api, source)), [
        'Person.name',
        'Query.person',
      ]);
      assert.deepEqual(
        coordinatesOf(analyze(api, source, { variables: { show: true } })),
        ['Person.idNumber', 'Person.name', 'Query.person'],
      );
    });

    it('excludes a field when either directive excludes it', () => {
      const analysis = analyze(
        api,
        `{ person(id: "P-1") { name idNumber @include(if: true) @skip(if: true) } }`,
      );
      assert.deepEqual(coordinatesOf(analysis), [
        'Person.name',
        'Query.person',
      ]);
    });

    it('keeps a field excluded at one path and included at another', () => {
      const analysis = analyze(
        api,
        `query ($x: Boolean!) {
          a: person(id: "1") { idNumber @include(if: $x) }
          b: person(id: "2") { idNumber }
        }`,
        { variables: { x: false } },
      );
      assert.deepEqual(pathsOf(analysis)['Person.idNumber'], ['b.idNumber']);
    });
  });

  describe('introspection', () => {
    it('reports a bare __typename apart and touches no coordinate', () => {
      const analysis = analyze(api, `{ __typename }`);
      assert.deepEqual(analysis.coordinates, []);
      assert.deepEqual(analysis.rootFields, []);
      assert.deepEqual(analysis.introspection, {
        schema: false,
        type: false,
        typename: true,
        typenameOnly: true,
      });
    });

    it('reports __typename inside data without a coordinate', () => {
      const analysis = analyze(api, `{ person(id: "1") { __typename name } }`);
      assert.deepEqual(coordinatesOf(analysis), [
        'Person.name',
        'Query.person',
      ]);
      assert.equal(analysis.introspection.typenameOnly, true);
    });

    it('detects __schema and __type and does not descend into them', () => {
      const schemaQuery = analyze(api, `{ __schema { types { name } } }`);
      assert.deepEqual(schemaQuery.coordinates, []);
      assert.deepEqual(schemaQuery.introspection, {
        schema: true,
        type: false,
        typename: false,
        typenameOnly: false,
      });
      const typeQuery = analyze(
        api,
        `{ __typename __type(name: "Person") { fields { name } } }`,
      );
      assert.deepEqual(typeQuery.coordinates, []);
      assert.deepEqual(typeQuery.introspection, {
        schema: false,
        type: true,
        typename: true,
        typenameOnly: false,
      });
    });

    it('reports no introspection for plain data', () => {
      const analysis = analyze(api, `{ person(id: "1") { name } }`);
      assert.deepEqual(analysis.introspection, {
        schema: false,
        type: false,
        typename: false,
        typenameOnly: false,
      });
    });
  });

  describe('operation selection', () => {
    const source = `
      query People { person(id: "1") { name } }
      query Firms { enterprise(creditCode: "X") { name } }
    `;

    it('analyses the operation named', () => {
      const analysis = analyze(api, source, { operationName: 'Firms' });
      assert.equal(analysis.operationName, 'Firms');
      assert.deepEqual(analysis.rootFields, ['Query.enterprise']);
    });

    it('refuses to guess between several operations', () => {
      failsWith(() => analyze(api, source), 'AMBIGUOUS_OPERATION');
      failsWith(
        () => analyze(api, source, { operationName: null }),
        'AMBIGUOUS_OPERATION',
      );
    });

    it('fails on an unknown operation name', () => {
      failsWith(
        () => analyze(api, source, { operationName: 'Nope' }),
        'UNKNOWN_OPERATION',
      );
    });

    it('fails on a document without operations', () => {
      failsWith(
        () => analyzeOperation(api, parse(`fragment F on Person { name }`), {}),
        'NO_OPERATION',
      );
    });

    it('fails on an operation type the schema does not have', () => {
      failsWith(
        () => analyzeOperation(tinySchema, parse(`subscription { node }`), {}),
        'UNSUPPORTED_OPERATION_TYPE',
      );
      // The supergraph has queries and (governance) mutations, no subscriptions.
      failsWith(
        () => analyzeOperation(api, parse(`subscription { x }`), {}),
        'UNSUPPORTED_OPERATION_TYPE',
      );
    });
  });

  describe('invalid documents', () => {
    it('fails with UNKNOWN_FIELD on a field the type does not have', () => {
      failsWith(
        () => analyzeOperation(api, parse(`{ person(id: "1") { salary } }`)),
        'UNKNOWN_FIELD',
      );
      failsWith(
        () =>
          analyzeOperation(tinySchema, parse(`{ search(text: "") { id } }`)),
        'UNKNOWN_FIELD',
      );
    });

    it('fails with UNKNOWN_FRAGMENT on a spread of an undefined fragment', () => {
      failsWith(
        () =>
          analyzeOperation(api, parse(`{ person(id: "1") { ...Missing } }`)),
        'UNKNOWN_FRAGMENT',
      );
    });

    it('fails with FRAGMENT_CYCLE instead of looping', () => {
      const document = parse(`
        { person(id: "1") { ...A } }
        fragment A on Person { name ...B }
        fragment B on Person { idNumber ...A }
      `);
      failsWith(() => analyzeOperation(api, document), 'FRAGMENT_CYCLE');
      failsWith(
        () => removeFields(document, () => false, api),
        'FRAGMENT_CYCLE',
      );
    });

    it('fails with UNKNOWN_TYPE on a type condition naming no composite type', () => {
      failsWith(
        () =>
          analyzeOperation(
            api,
            parse(`{ person(id: "1") { ... on String { name } } }`),
          ),
        'UNKNOWN_TYPE',
      );
    });

    it('stops documents whose fragments expand exponentially', () => {
      // Each level doubles the response paths through two aliases: 2^24.
      const levels = 24;
      const document = parse(`
        { person(id: "1") { region { ...G0 } } }
        ${Array.from(
          { length: levels },
          (_, i) =>
            `fragment G${i} on Region { a: parent { ...G${i + 1} } b: parent { ...G${i + 1} } }`,
        ).join('\n')}
        fragment G${levels} on Region { code }
      `);
      failsWith(
        () => analyzeOperation(api, document, { maxSelections: 10_000 }),
        'TOO_MANY_SELECTIONS',
      );
      failsWith(
        () =>
          removeFields(document, () => false, api, { maxSelections: 10_000 }),
        'TOO_MANY_SELECTIONS',
      );
    });

    it('walks fragments spread many times at one path only once', () => {
      const levels = 30;
      const source = `{ person(id: "1") { ...F0 } }
        ${Array.from(
          { length: levels },
          (_, i) => `fragment F${i} on Person { ...F${i + 1} ...F${i + 1} }`,
        ).join('\n')}
        fragment F${levels} on Person { name }`;
      const document = parse(source);
      assert.deepEqual(
        coordinatesOf(
          analyzeOperation(api, document, { maxSelections: 1_000 }),
        ),
        ['Person.name', 'Query.person'],
      );
      const result = removeFields(document, dropping('Person.name'), api, {
        maxSelections: 1_000,
      });
      assert.equal(result.empty, true);
    });
  });

  describe('normalizedText', () => {
    it('prints the selected operation and the fragments it uses, sorted by name', () => {
      const analysis = analyze(
        api,
        `fragment Z on Person { name }
        query Other { person(id: "2") { ...Unused } }
        fragment Unused on Person { mobile }
        query Q { person(id: "1") { ...Z ...A } }
        fragment A on Person { ...B }
        fragment B on Person { idNumber }`,
        { operationName: 'Q' },
      );
      assert.equal(
        analysis.normalizedText,
        printed(`query Q { person(id: "1") { ...Z ...A } }
          fragment A on Person { ...B }
          fragment B on Person { idNumber }
          fragment Z on Person { name }`),
      );
    });

    it('does not depend on whitespace, comments or definition order', () => {
      const one = analyze(
        api,
        `query Q {   person(id: "1") { ...F } }
         # a comment
         fragment F on Person { name }`,
      );
      const two = analyze(
        api,
        `fragment F on Person {
           name
         }
         query Q { person(id: "1") { ...F } }`,
      );
      assert.equal(one.normalizedText, two.normalizedText);
    });
  });
});

describe('removeFields', () => {
  it('changes nothing when the predicate removes nothing', () => {
    const source = `query Q($id: ID!) {
      complaint(id: $id) { merchants { nodes { ...M } } }
    }
    fragment M on Enterprise { name legalRepresentative { name } }`;
    const result = strip(api, source, () => false);
    assert.equal(result.text, printed(source));
    assert.deepEqual(result.removed, []);
    assert.equal(result.empty, false);
  });

  it('removes a field at the paths the predicate names', () => {
    const asked: string[] = [];
    const result = strip(
      api,
      `{ a: person(id: "1") { name idNumber } b: person(id: "2") { idNumber } }`,
      (coordinate, path) => {
        asked.push(`${coordinate}@${joined(path)}`);
        return coordinate === 'Person.idNumber' && path[0] === 'a';
      },
    );
    assert.equal(
      result.text,
      printed(
        `{ a: person(id: "1") { name } b: person(id: "2") { idNumber } }`,
      ),
    );
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@a.idNumber (predicate)',
    ]);
    assert.deepEqual(asked, [
      'Query.person@a',
      'Person.name@a.name',
      'Person.idNumber@a.idNumber',
      'Query.person@b',
      'Person.idNumber@b.idNumber',
    ]);
  });

  it('asks once per coordinate and path, and removes every selection there', () => {
    let calls = 0;
    const result = strip(
      api,
      `{ person(id: "1") { idNumber name ... on Person { idNumber } ...F } }
      fragment F on Person { idNumber }`,
      (coordinate) => {
        calls += coordinate === 'Person.idNumber' ? 1 : 0;
        return coordinate === 'Person.idNumber';
      },
    );
    assert.equal(calls, 1);
    assert.equal(result.text, printed(`{ person(id: "1") { name } }`));
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@person.idNumber (predicate)',
    ]);
  });

  it('inlines a fragment at the one spread of two whose path loses a field', () => {
    const result = strip(
      api,
      `query {
        complaint(id: "C-1") { merchants { nodes { ...Merchant } } }
        e: enterprise(creditCode: "X") { ...Merchant }
      }
      fragment Merchant on Enterprise { name legalRepresentative { name idNumber } }`,
      dropping('Person.idNumber@e.legalRepresentative.idNumber'),
    );
    assert.equal(
      result.text,
      printed(`query {
        complaint(id: "C-1") { merchants { nodes { ...Merchant } } }
        e: enterprise(creditCode: "X") {
          ... on Enterprise { name legalRepresentative { name } }
        }
      }
      fragment Merchant on Enterprise { name legalRepresentative { name idNumber } }`),
    );
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@e.legalRepresentative.idNumber (predicate)',
    ]);
  });

  it('edits a fragment whose field is removed at every spread', () => {
    const result = strip(
      api,
      `query {
        complaint(id: "C-1") { merchants { nodes { ...Merchant } } }
        e: enterprise(creditCode: "X") { ...Merchant }
      }
      fragment Merchant on Enterprise { name legalRepresentative { name idNumber } }`,
      dropping('Person.idNumber'),
    );
    assert.equal(
      result.text,
      printed(`query {
        complaint(id: "C-1") { merchants { nodes { ...Merchant } } }
        e: enterprise(creditCode: "X") { ...Merchant }
      }
      fragment Merchant on Enterprise { name legalRepresentative { name } }`),
    );
    assert.equal(result.removed.length, 2);
  });

  it('inlines the outer and keeps the inner fragment when the change is in the inner one at one path', () => {
    const result = strip(
      api,
      `query {
        a: enterprise(creditCode: "X") { ...Outer }
        b: enterprise(creditCode: "Y") { ...Outer }
        c: person(id: "1") { ...Inner }
      }
      fragment Outer on Enterprise { name legalRepresentative { ...Inner } }
      fragment Inner on Person { name idNumber }`,
      dropping('Person.idNumber@b.legalRepresentative.idNumber'),
    );
    assert.equal(
      result.text,
      printed(`query {
        a: enterprise(creditCode: "X") { ...Outer }
        b: enterprise(creditCode: "Y") {
          ... on Enterprise { name legalRepresentative { ... on Person { name } } }
        }
        c: person(id: "1") { ...Inner }
      }
      fragment Outer on Enterprise { name legalRepresentative { ...Inner } }
      fragment Inner on Person { name idNumber }`),
    );
  });

  it('keeps the spread directives when it inlines a fragment', () => {
    const result = strip(
      api,
      `query ($x: Boolean!) {
        a: person(id: "1") { ...P @include(if: $x) }
        b: person(id: "2") { ...P }
      }
      fragment P on Person { name idNumber }`,
      dropping('Person.idNumber@a.idNumber'),
    );
    assert.equal(
      result.text,
      printed(`query ($x: Boolean!) {
        a: person(id: "1") { ... on Person @include(if: $x) { name } }
        b: person(id: "2") { ...P }
      }
      fragment P on Person { name idNumber }`),
    );
  });

  it('removes the field whose selection set the removal empties, up the tree', () => {
    const result = strip(
      api,
      `{
        complaint(id: "C-1") {
          summary
          merchants { nodes { legalRepresentative { idNumber } } }
        }
      }`,
      dropping('Person.idNumber'),
    );
    assert.equal(result.text, printed(`{ complaint(id: "C-1") { summary } }`));
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@complaint.merchants.nodes.legalRepresentative.idNumber (predicate)',
      'Enterprise.legalRepresentative@complaint.merchants.nodes.legalRepresentative (emptied)',
      'EnterpriseConnection.nodes@complaint.merchants.nodes (emptied)',
      'Complaint.merchants@complaint.merchants (emptied)',
    ]);
    assert.equal(result.empty, false);
  });

  it('empties a fragment and the field that only held it', () => {
    const result = strip(
      api,
      `{ person(id: "1") { name } e: enterprise(creditCode: "X") { legalRepresentative { ...Id } } }
      fragment Id on Person { idNumber ... on Person { mobile } }`,
      dropping('Person.idNumber', 'Person.mobile'),
    );
    assert.equal(result.text, printed(`{ person(id: "1") { name } }`));
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@e.legalRepresentative.idNumber (predicate)',
      'Person.mobile@e.legalRepresentative.mobile (predicate)',
      'Enterprise.legalRepresentative@e.legalRepresentative (emptied)',
      'Query.enterprise@e (emptied)',
    ]);
  });

  it('does not report a field as emptied when it is still selected at that path', () => {
    const result = strip(
      api,
      `{ person(id: "1") { region { code } } person(id: "1") { region { name } } }`,
      dropping('Region.name'),
    );
    assert.equal(
      result.text,
      printed(`{ person(id: "1") { region { code } } }`),
    );
    assert.deepEqual(result.removedAt, [
      'Region.name@person.region.name (predicate)',
    ]);
  });

  it('removes everything: empty, reduced to __typename, variables dropped', () => {
    const result = strip(
      api,
      `query Q($id: ID!, $x: Boolean!) {
        person(id: $id) { idNumber @include(if: $x) ...F }
      }
      fragment F on Person { mobile }`,
      dropping('Query.person'),
      { variables: { x: true } },
    );
    assert.equal(result.empty, true);
    assert.equal(result.text, printed(`query Q { __typename }`));
    assert.deepEqual(result.removedAt, ['Query.person@person (predicate)']);
  });

  it('is empty when every leaf goes', () => {
    const result = strip(
      api,
      `{ person(id: "1") { idNumber } }`,
      dropping('Person.idNumber'),
    );
    assert.equal(result.empty, true);
    assert.equal(result.text, printed(`{ __typename }`));
    assert.deepEqual(result.removedAt, [
      'Person.idNumber@person.idNumber (predicate)',
      'Query.person@person (emptied)',
    ]);
  });

  it('is not empty when __typename is left', () => {
    const result = strip(
      api,
      `{ __typename person(id: "1") { idNumber } }`,
      dropping('Person.idNumber'),
    );
    assert.equal(result.empty, false);
    assert.equal(result.text, printed(`{ __typename }`));
  });

  it('drops variables used only by removed fields, and keeps the others', () => {
    const result = strip(
      api,
      `query ($id: ID!, $code: ID!, $first: Int, $show: Boolean!) {
        person(id: $id) { name }
        enterprise(creditCode: $code) {
          violations(first: $first) @include(if: $show) { totalCount }
        }
      }`,
      dropping('Enterprise.violations'),
      { variables: { show: true } },
    );
    assert.equal(
      result.text,
      printed(`query ($id: ID!) { person(id: $id) { name } }`),
    );
  });

  it('keeps variables used in fragments that are still spread', () => {
    const result = strip(
      api,
      `query ($first: Int, $id: ID!) {
        person(id: $id) { idNumber }
        enterprises { nodes { ...V } }
      }
      fragment V on Enterprise { violations(first: $first) { totalCount } }`,
      dropping('Query.person'),
    );
    assert.equal(
      result.text,
      printed(`query ($first: Int) { enterprises { nodes { ...V } } }
      fragment V on Enterprise { violations(first: $first) { totalCount } }`),
    );
  });

  it('drops fragments no longer spread, and other operations', () => {
    const result = strip(
      api,
      `query A { person(id: "1") { name ...Id } enterprise(creditCode: "X") { ...E } }
      query B { person(id: "2") { ...Id } }
      fragment Id on Person { idNumber }
      fragment E on Enterprise { name }`,
      dropping('Person.idNumber'),
      { operationName: 'A' },
    );
    assert.equal(
      result.text,
      printed(`query A { person(id: "1") { name } enterprise(creditCode: "X") { ...E } }
      fragment E on Enterprise { name }`),
    );
  });

  it('drops selections the variables exclude without asking about them', () => {
    const asked: string[] = [];
    const source = `query ($x: Boolean!) {
      person(id: "1") { name idNumber @include(if: $x) }
    }`;
    const result = strip(
      api,
      source,
      (coordinate) => {
        asked.push(coordinate);
        return coordinate === 'Person.idNumber';
      },
      { variables: { x: false } },
    );
    // Whatever $x is when the result runs, it never selects idNumber,
    // which the predicate was not asked about.
    assert.equal(result.text, printed(`{ person(id: "1") { name } }`));
    assert.deepEqual(asked, ['Query.person', 'Person.name']);
    assert.deepEqual(result.removed, []);
  });

  it('drops the conditions the variables are known to pass', () => {
    const source = `query ($x: Boolean!, $y: Boolean = false, $z: Boolean = true) {
      person(id: "1") @include(if: $x) {
        name @skip(if: $y)
        ... on Person @include(if: $z) { mobile }
        ...P @skip(if: $y)
        gender @include(if: $z) @skip(if: $x)
      }
    }
    fragment P on Person { birthDate @include(if: $x) }`;
    const result = strip(api, source, () => false, {
      variables: { x: true },
    });
    assert.equal(
      result.text,
      printed(`{
        person(id: "1") { name ... on Person { mobile } ...P }
      }
      fragment P on Person { birthDate }`),
    );
  });

  it('keeps a condition whose value is not a Boolean, for execution to refuse', () => {
    const source = `query ($x: Boolean = true) {
      person(id: "1") { name idNumber @include(if: $x) }
    }`;
    const result = strip(api, source, () => false, {
      variables: { x: null },
    });
    assert.equal(result.text, printed(source));
  });

  it('keeps a selection set the variables empty, as one that executes to {}', () => {
    const result = strip(
      api,
      `query ($x: Boolean!) { a: person(id: "1") { idNumber @include(if: $x) } b: person(id: "2") { name } }`,
      () => false,
      { variables: { x: false } },
    );
    assert.equal(
      result.text,
      printed(
        `{ a: person(id: "1") { __typename @skip(if: true) } b: person(id: "2") { name } }`,
      ),
    );
    assert.equal(result.empty, false);
  });

  it('is empty when the variables exclude every top-level selection', () => {
    const result = strip(
      api,
      `query ($x: Boolean!) { person(id: "1") @include(if: $x) { name } }`,
      () => false,
      { variables: { x: false } },
    );
    assert.equal(result.empty, true);
    assert.equal(result.text, printed(`{ __typename }`));
  });

  it('removes a field selected on an interface when one possible type is removed', () => {
    const result = strip(
      tinySchema,
      `{ node(id: "1") { id ... on Sensor { reading } } }`,
      dropping('Person.id'),
    );
    assert.equal(
      result.text,
      printed(`{ node(id: "1") { ... on Sensor { reading } } }`),
    );
    assert.deepEqual(result.removedAt, [
      'Person.id@node.id (predicate)',
      'Node.id@node.id (sharedSelection)',
      'Enterprise.id@node.id (sharedSelection)',
      'Dataset.id@node.id (sharedSelection)',
      'Sensor.id@node.id (sharedSelection)',
    ]);
  });

  it('does not report a shared selection still selected for its own type', () => {
    const result = strip(
      tinySchema,
      `{ search(text: "x") { ... on Named { name } ... on Enterprise { name } } }`,
      dropping('Person.name'),
    );
    assert.equal(
      result.text,
      printed(`{ search(text: "x") { ... on Enterprise { name } } }`),
    );
    assert.deepEqual(result.removedAt, [
      'Person.name@search.name (predicate)',
      'Named.name@search.name (sharedSelection)',
    ]);
  });

  it('removes union members one by one through their fragments', () => {
    const result = strip(
      tinySchema,
      `{ search(text: "x") { __typename ...P ... on Enterprise { legalRepresentative { ...P } } } }
      fragment P on Person { name idNumber }`,
      dropping('Person.idNumber@search.idNumber'),
    );
    assert.equal(
      result.text,
      printed(`{ search(text: "x") { __typename ... on Person { name } ... on Enterprise { legalRepresentative { ...P } } } }
      fragment P on Person { name idNumber }`),
    );
  });

  it('works on mutations', () => {
    const result = strip(
      tinySchema,
      `mutation ($id: ID!, $name: String!) { rename(id: $id, name: $name) { name } }`,
      dropping('Person.name', 'Enterprise.name'),
    );
    assert.equal(result.empty, true);
    assert.equal(result.text, printed(`mutation { __typename }`));
  });

  it('fails like analyzeOperation on an ambiguous document', () => {
    failsWith(
      () =>
        removeFields(
          parse(`query A { __typename } query B { __typename }`),
          () => false,
          api,
        ),
      'AMBIGUOUS_OPERATION',
    );
  });
});
