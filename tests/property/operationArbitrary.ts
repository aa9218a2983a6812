// fast-check arbitraries of operations, drawn from the API schema the
// gateway serves: every root field whose required arguments can be filled
// (ids from the seeded data), aliases (including another field's name),
// inline and named fragments on object types, interfaces and unions,
// nested entities across departments, `@skip`/`@include` on variables and
// literals, `__typename`, `__schema`/`__type`, `Query.explain` of another
// generated operation, and mutations called on ids that exist nowhere.
import fc from 'fast-check';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  validate,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

import {
  CONDITION_VARIABLES,
  PAGE_VARIABLE,
  printOperation,
  type ArgumentSpec,
  type ConditionSpec,
  type FieldSpec,
  type FragmentSpec,
  type OperationSpec,
  type SelectionSpec,
  type ValueSpec,
  type VariableDeclarations,
} from './operationSpec.js';

/**
 * Where argument values come from: the world knows the seeded data. `null`
 * means the argument cannot be filled (a required one makes its field
 * unavailable; an optional one is left out).
 */
export interface ArgumentSource {
  valuesFor(
    parentType: string,
    field: GraphQLField<unknown, unknown>,
    argument: GraphQLArgument,
  ): fc.Arbitrary<ValueSpec> | null;
}

/** Bounds of the generated operations. */
export interface OperationBounds {
  /** How often selections are conditional. @defaultValue 'mixed' */
  readonly density?: ConditionDensity;
  /** Deepest selection set (the root's is 0). @defaultValue 3 */
  readonly maxDepth?: number;
  /** Most selections in one selection set. @defaultValue 4 */
  readonly maxSelections?: number;
}

/** The id mutations are called on: no row anywhere has it. */
export const NOWHERE_ID = 'PROPERTY-TEST-NOWHERE';

type Arb<T> = fc.Arbitrary<T>;

const conditionArb: Arb<ConditionSpec> = fc.record({
  directive: fc.constantFrom('include' as const, 'skip' as const),
  if: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...CONDITION_VARIABLES) },
    { weight: 1, arbitrary: fc.boolean() },
  ),
});

/**
 * How often a selection carries `@skip`/`@include`: each text is drawn at
 * one density, so that some texts are plain and some are conditions almost
 * everywhere (nested conditions on several variables, where which
 * variables are read at all depends on their values).
 */
export type ConditionDensity = 'sparse' | 'mixed' | 'dense';

/**
 * Per density: weight of no condition, weight of some, and how many
 * directives a conditional selection carries at most (both on one
 * selection: each must let it through, and evaluation stops at the first
 * that does not, so the variables read depend on the values). Neither
 * `@skip` nor `@include` is repeatable, so two is the most a valid
 * selection carries: one of each, in either order.
 */
const DENSITIES: Readonly<
  Record<ConditionDensity, { none: number; some: number; most: 1 | 2 }>
> = {
  sparse: { none: 4, some: 1, most: 1 },
  mixed: { none: 1, some: 1, most: 2 },
  dense: { none: 1, some: 9, most: 2 },
};

function conditionsArb(
  density: ConditionDensity,
): Arb<readonly ConditionSpec[]> {
  const { none, some, most } = DENSITIES[density];
  return fc.oneof(
    { weight: none, arbitrary: fc.constant<readonly ConditionSpec[]>([]) },
    {
      weight: some,
      // One directive of a name at most: a second `@include` on one
      // selection is invalid, and an operation with one was drawn only to
      // be refused (nine in ten draws were, when they could repeat).
      arbitrary: fc.uniqueArray(conditionArb, {
        minLength: 1,
        maxLength: most,
        selector: (c) => c.directive,
      }),
    },
  );
}

const declarationsArb: Arb<VariableDeclarations> = fc.record({
  c0: fc.constantFrom(
    'Boolean = false' as const,
    'Boolean' as const,
    'Boolean!' as const,
    'Boolean = true' as const,
  ),
  c1: fc.constantFrom(
    'Boolean = false' as const,
    'Boolean' as const,
    'Boolean!' as const,
    'Boolean = true' as const,
  ),
  c2: fc.constantFrom(
    'Boolean = false' as const,
    'Boolean' as const,
    'Boolean!' as const,
    'Boolean = true' as const,
  ),
  n0: fc.constantFrom('Int = 2' as const, 'Int' as const, 'Int!' as const),
});

/** Page sizes: small literals, or the page-size variable. */
const pageSizeArb: Arb<ValueSpec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 0, max: 3 })
      .map((value) => ({ kind: 'int' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ kind: 'variable' as const, value: PAGE_VARIABLE }),
  },
);

/** Builds and memoizes the arbitraries of one schema. */
class OperationArbitraries {
  readonly #schema: GraphQLSchema;
  readonly #source: ArgumentSource;
  readonly #maxDepth: number;
  readonly #maxSelections: number;
  readonly #conditions: Arb<readonly ConditionSpec[]>;
  readonly #sets = new Map<string, Arb<SelectionSpec[]>>();
  #inner: Arb<string> | undefined;

  constructor(
    schema: GraphQLSchema,
    source: ArgumentSource,
    bounds: OperationBounds,
  ) {
    this.#schema = schema;
    this.#source = source;
    this.#maxDepth = bounds.maxDepth ?? 3;
    this.#maxSelections = bounds.maxSelections ?? 4;
    this.#conditions = conditionsArb(bounds.density ?? 'mixed');
  }

  /** A non-empty selection set on `type` at `depth`. */
  selectionSet(
    type: GraphQLCompositeType,
    depth: number,
    inFragment: boolean,
  ): Arb<SelectionSpec[]> {
    const key = `${type.name}|${String(depth)}|${String(inFragment)}`;
    let arb = this.#sets.get(key);
    if (arb === undefined) {
      const choices: Array<fc.WeightedArbitrary<SelectionSpec>> = [];
      const field = this.#anyField(type, depth);
      if (field !== null) choices.push({ weight: 8, arbitrary: field });
      if (!inFragment) {
        for (const named of [false, true]) {
          const fragment = this.fragment(type, depth, named);
          if (fragment !== null) {
            choices.push({
              weight: isUnionType(type) ? 4 : 1,
              arbitrary: fragment,
            });
          }
        }
      }
      arb =
        choices.length === 0
          ? fc.constant([])
          : fc.array(fc.oneof(...choices), {
              minLength: 1,
              maxLength: this.#maxSelections,
            });
      this.#sets.set(key, arb);
    }
    return arb;
  }

  /** Any selectable field of `type` (none on a union). */
  #anyField(
    type: GraphQLCompositeType,
    depth: number,
  ): Arb<SelectionSpec> | null {
    if (isUnionType(type)) return null;
    const arbs = Object.values(type.getFields())
      .map((f) => this.field(type, f, depth))
      .filter((a): a is Arb<FieldSpec> => a !== null);
    return arbs.length === 0 ? null : fc.oneof(...arbs);
  }

  /**
   * One field of `type`, or null when it cannot be selected here: a
   * required argument nobody can fill, or a composite field at the
   * deepest level.
   */
  field(
    type: GraphQLCompositeType,
    field: GraphQLField<unknown, unknown>,
    depth: number,
  ): Arb<FieldSpec> | null {
    const named = getNamedType(field.type);
    const composite = isCompositeType(named);
    if (composite && depth >= this.#maxDepth) return null;
    if (type === this.#schema.getQueryType() && field.name === 'explain') {
      return this.#explain(field, depth);
    }
    const args: Array<Arb<ArgumentSpec | null>> = [];
    for (const argument of field.args) {
      const required =
        isNonNullType(argument.type) && argument.defaultValue === undefined;
      if (argument.name === 'first' || argument.name === 'last') {
        args.push(pageSizeArb.map((value) => ({ name: argument.name, value })));
        continue;
      }
      const values = this.#source.valuesFor(type.name, field, argument);
      if (values === null) {
        if (required) return null;
        continue;
      }
      const given = values.map((value) => ({ name: argument.name, value }));
      args.push(required ? given : fc.option(given, { freq: 4, nil: null }));
    }
    const leafNames = Object.values(
      isObjectType(type) || isInterfaceType(type) ? type.getFields() : {},
    )
      .filter((f) => isLeafType(getNamedType(f.type)) && f.name !== field.name)
      .map((f) => f.name);
    const alias = fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('a', 'b', `${field.name}2`) },
      ...(leafNames.length > 0
        ? [{ weight: 1, arbitrary: fc.constantFrom(...leafNames) }]
        : []),
    );
    const selections: Arb<SelectionSpec[] | null> = composite
      ? this.selectionSet(named, depth + 1, false)
      : fc.constant(null);
    return fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant(field.name),
      alias,
      args: fc
        .tuple(...args)
        .map((list) => list.filter((a): a is ArgumentSpec => a !== null)),
      conditions: this.#conditions,
      selections,
    });
  }

  /** An inline or named fragment on a type that may be there. */
  fragment(
    type: GraphQLCompositeType,
    depth: number,
    named: boolean,
  ): Arb<FragmentSpec> | null {
    const candidates: Array<string | null> = named ? [] : [null];
    candidates.push(type.name);
    if (isObjectType(type)) {
      candidates.push(...type.getInterfaces().map((i) => i.name));
      for (const t of Object.values(this.#schema.getTypeMap())) {
        if (isUnionType(t) && t.getTypes().includes(type))
          candidates.push(t.name);
      }
    } else {
      candidates.push(
        ...this.#schema.getPossibleTypes(type).map((t) => t.name),
      );
    }
    const arbs = candidates.map((on) => {
      const inner =
        on === null ? type : (this.#schema.getType(on) as GraphQLCompositeType);
      return fc.record({
        kind: fc.constant('fragment' as const),
        named: fc.constant(named),
        on: fc.constant(on),
        conditions: this.#conditions,
        selections: this.selectionSet(inner, depth, true),
      });
    });
    return arbs.length === 0 ? null : fc.oneof(...arbs);
  }

  /** `Query.explain` of another generated operation (never itself an explain). */
  #explain(
    field: GraphQLField<unknown, unknown>,
    depth: number,
  ): Arb<FieldSpec> | null {
    const result = getNamedType(field.type);
    if (!isCompositeType(result)) return null;
    this.#inner ??= innerQueryArb(this.#schema, this.#source).map(
      (spec) => printOperation(this.#schema, spec).text,
    );
    const inner = this.#inner;
    const variables = fc.record({
      c0: fc.boolean(),
      c1: fc.boolean(),
      c2: fc.boolean(),
    });
    return fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant(field.name),
      alias: fc.constant(null),
      args: fc
        .tuple(inner, fc.option(variables, { nil: null }))
        .map(([operation, vars]) => [
          {
            name: 'operation',
            value: { kind: 'string' as const, value: operation },
          },
          ...(vars === null
            ? []
            : [
                {
                  name: 'variables',
                  value: { kind: 'object' as const, value: vars },
                },
              ]),
        ]),
      conditions: this.#conditions,
      selections: this.selectionSet(result, depth + 1, false),
    });
  }

  /** `__schema { … }` or `__type(name: …) { … }`. */
  introspection(): Arb<FieldSpec> {
    const schemaType = this.#schema.getType('__Schema') as GraphQLCompositeType;
    const typeType = this.#schema.getType('__Type') as GraphQLCompositeType;
    const names = Object.keys(this.#schema.getTypeMap()).filter(
      (n) => !n.startsWith('__'),
    );
    return fc.oneof(
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant('__schema'),
        alias: fc.constant(null),
        args: fc.constant([]),
        conditions: this.#conditions,
        selections: this.selectionSet(schemaType, this.#maxDepth - 1, false),
      }),
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant('__type'),
        alias: fc.constant(null),
        args: fc
          .constantFrom(...names)
          .map((value) => [
            { name: 'name', value: { kind: 'string' as const, value } },
          ]),
        conditions: this.#conditions,
        selections: this.selectionSet(typeType, this.#maxDepth - 1, false),
      }),
    );
  }

  /**
   * A root mutation called on an id that exists nowhere, so that it changes
   * nothing either way: a mutation the principal may not run must not
   * reach its subgraph, one it may run answers "not found". Mutations
   * without a required id argument, or with required input objects, are
   * not generated (they would create or change state).
   */
  mutationField(field: GraphQLField<unknown, unknown>): Arb<FieldSpec> | null {
    const args: ArgumentSpec[] = [];
    let targetsAnId = false;
    for (const argument of field.args) {
      if (
        !isNonNullType(argument.type) ||
        argument.defaultValue !== undefined
      ) {
        continue;
      }
      const type = argument.type.ofType;
      if (isListType(type) || isInputObjectType(type)) return null;
      const named = getNamedType(type);
      let value: ValueSpec;
      if (isEnumType(named)) {
        const first = named.getValues()[0];
        if (first === undefined) return null;
        value = { kind: 'enum', value: first.name };
      } else if (named.name === 'ID') {
        targetsAnId = true;
        value = { kind: 'string', value: NOWHERE_ID };
      } else if (named.name === 'String') {
        value = { kind: 'string', value: 'property test' };
      } else if (named.name === 'Int') {
        value = { kind: 'int', value: 1 };
      } else {
        return null;
      }
      args.push({ name: argument.name, value });
    }
    if (!targetsAnId) return null;
    const result = getNamedType(field.type);
    return fc.record({
      kind: fc.constant('field' as const),
      name: fc.constant(field.name),
      alias: fc.constant(null),
      args: fc.constant(args),
      conditions: this.#conditions,
      selections: isCompositeType(result)
        ? this.selectionSet(result, 1, false)
        : fc.constant(null),
    });
  }
}

/** A query without explain or introspection, for `Query.explain` to explain. */
function innerQueryArb(
  schema: GraphQLSchema,
  source: ArgumentSource,
): Arb<OperationSpec> {
  const arbs = new OperationArbitraries(schema, source, {
    maxDepth: 2,
    maxSelections: 3,
  });
  const query = schema.getQueryType();
  if (query === null || query === undefined) throw new Error('no Query type');
  const fields = Object.values(query.getFields())
    .filter((f) => f.name !== 'explain')
    .map((f) => arbs.field(query, f, 0))
    .filter((a): a is Arb<FieldSpec> => a !== null);
  return fc
    .record({
      operation: fc.constant('query' as const),
      named: fc.constant(false),
      variables: declarationsArb,
      selections: fc.array(fc.oneof(...fields), { minLength: 1, maxLength: 2 }),
    })
    .filter((spec) => isValidOperation(schema, spec));
}

/** Whether graphql-js validates the printed operation against `schema`. */
export function isValidOperation(
  schema: GraphQLSchema,
  spec: OperationSpec,
): boolean {
  const printed = printOperation(schema, spec, { operationName: 'Valid' });
  // Whether there is an error, not which: graphql-js stops at the first
  // (most drawn operations are refused, each with many errors, and each
  // error costs a stack trace).
  return (
    validate(schema, printed.document, undefined, { maxErrors: 1 }).length === 0
  );
}

/**
 * Operations drawn from `schema`: queries (root fields, fragments on the
 * query type, introspection, explain) and, less often, mutations. Only
 * operations valid against the schema are drawn; the gateway's limits
 * (depth, aliases, cost, …) may still refuse some, which is part of what
 * is tested.
 */
export function operationArbitrary(
  schema: GraphQLSchema,
  source: ArgumentSource,
  bounds: OperationBounds = {},
): Arb<OperationSpec> {
  if (bounds.density !== undefined) {
    return operationsAt(schema, source, bounds);
  }
  return fc.oneof(
    ...(['sparse', 'mixed', 'dense'] as const).map((density) =>
      operationsAt(schema, source, { ...bounds, density }),
    ),
  );
}

function operationsAt(
  schema: GraphQLSchema,
  source: ArgumentSource,
  bounds: OperationBounds,
): Arb<OperationSpec> {
  const arbs = new OperationArbitraries(schema, source, bounds);
  const query = schema.getQueryType();
  if (query === null || query === undefined) throw new Error('no Query type');
  const rootFields = Object.values(query.getFields())
    .map((f) => arbs.field(query, f, 0))
    .filter((a): a is Arb<FieldSpec> => a !== null);
  const querySelection: Arb<SelectionSpec> = fc.oneof(
    { weight: 14, arbitrary: fc.oneof(...rootFields) },
    { weight: 1, arbitrary: arbs.introspection() },
    ...[false, true].flatMap((named) => {
      const fragment = arbs.fragment(query, 0, named);
      return fragment === null ? [] : [{ weight: 1, arbitrary: fragment }];
    }),
  );
  const queries = fc.record({
    operation: fc.constant('query' as const),
    named: fc.boolean(),
    variables: declarationsArb,
    selections: fc.array(querySelection, { minLength: 1, maxLength: 3 }),
  });
  const mutation = schema.getMutationType();
  const mutationFields =
    mutation === null || mutation === undefined
      ? []
      : Object.values(mutation.getFields())
          .map((f) => arbs.mutationField(f))
          .filter((a): a is Arb<FieldSpec> => a !== null);
  const operations =
    mutationFields.length === 0
      ? queries
      : fc.oneof(
          { weight: 9, arbitrary: queries },
          {
            weight: 1,
            arbitrary: fc.record({
              operation: fc.constant('mutation' as const),
              named: fc.boolean(),
              variables: declarationsArb,
              selections: fc.array(fc.oneof(...mutationFields), {
                minLength: 1,
                maxLength: 2,
              }),
            }),
          },
        );
  return operations.filter((spec) => isValidOperation(schema, spec));
}

/** Coverage of a generator: the root fields and mutations it can draw. */
export function generatableRoots(
  schema: GraphQLSchema,
  source: ArgumentSource,
): { queries: string[]; mutations: string[]; left: string[] } {
  const arbs = new OperationArbitraries(schema, source, {});
  const queries: string[] = [];
  const mutations: string[] = [];
  const left: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (root === null || root === undefined) continue;
    for (const f of Object.values(root.getFields())) {
      const arb =
        root === schema.getQueryType()
          ? arbs.field(root, f, 0)
          : arbs.mutationField(f);
      const list = root === schema.getQueryType() ? queries : mutations;
      (arb === null ? left : list).push(`${root.name}.${f.name}`);
    }
  }
  return { queries, mutations, left };
}
