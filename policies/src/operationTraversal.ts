// Not part of the public API of policies/: the pieces of an operation's
// traversal that analyzeOperation and removeFields share, so that both see
// the same fields at the same response paths.
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isUnionType,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
  visit,
} from 'graphql';

import { OperationAnalysisError } from './OperationAnalysisError.js';

/** The default of `OperationOptions.maxSelections`. */
export const DEFAULT_MAX_SELECTIONS = 100_000;

/** Meta-fields (https://spec.graphql.org/October2021/#sec-Introspection). */
export const TYPENAME = '__typename';
export const SCHEMA = '__schema';
export const TYPE = '__type';

/** Whether a field name is one of the three introspection meta-fields. */
export function isMetaField(name: string): boolean {
  return name === TYPENAME || name === SCHEMA || name === TYPE;
}

/**
 * Picks the operation to run, as GetOperation does
 * (https://spec.graphql.org/October2021/#GetOperation()).
 */
export function selectOperation(
  document: DocumentNode,
  operationName: string | null,
): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName === null) {
    const [only, ...others] = operations;
    if (only === undefined) throw OperationAnalysisError.noOperation();
    if (others.length > 0) {
      throw OperationAnalysisError.ambiguousOperation(operations.length);
    }
    return only;
  }
  const named = operations.find((o) => o.name?.value === operationName);
  if (named === undefined) {
    throw OperationAnalysisError.unknownOperation(operationName);
  }
  return named;
}

/** The document's fragment definitions by name (the first of each name). */
export function fragmentDefinitions(
  document: DocumentNode,
): ReadonlyMap<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.FRAGMENT_DEFINITION &&
      !fragments.has(definition.name.value)
    ) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

/** Names of the fragments spread directly in a list of selections. */
function directSpreads(selections: readonly SelectionNode[]): string[] {
  return selections.flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FRAGMENT_SPREAD:
        return [selection.name.value];
      case Kind.FIELD:
        return selection.selectionSet
          ? directSpreads(selection.selectionSet.selections)
          : [];
      case Kind.INLINE_FRAGMENT:
        return directSpreads(selection.selectionSet.selections);
    }
  });
}

/**
 * The fragments a list of selections uses, directly or through other
 * fragments, whatever their `@skip`/`@include`, ordered so that a fragment
 * comes after every fragment it spreads. Throws on an unknown fragment and on
 * a cycle (https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles),
 * so a traversal that starts from these selections always ends.
 */
export function usedFragments(
  selections: readonly SelectionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode | undefined>,
): FragmentDefinitionNode[] {
  const ordered: FragmentDefinitionNode[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    const cycleStart = stack.indexOf(name);
    if (cycleStart >= 0) {
      throw OperationAnalysisError.fragmentCycle([
        ...stack.slice(cycleStart),
        name,
      ]);
    }
    const fragment = fragments.get(name);
    if (fragment === undefined) {
      throw OperationAnalysisError.unknownFragment(name);
    }
    stack.push(name);
    for (const spread of directSpreads(fragment.selectionSet.selections)) {
      visit(spread);
    }
    stack.pop();
    done.add(name);
    ordered.push(fragment);
  };
  for (const name of directSpreads(selections)) visit(name);
  return ordered;
}

/**
 * Where a selection set is evaluated: the type its fields are looked up on,
 * and the object types the value can have at run time there (narrowed by
 * every type condition on the way in).
 */
export interface Scope {
  readonly type: GraphQLCompositeType;
  readonly possible: readonly GraphQLObjectType[];
}

/** The scope of a selection set on a value of the given type. */
export function scopeOf(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
): Scope {
  return {
    type,
    possible: isAbstractType(type) ? schema.getPossibleTypes(type) : [type],
  };
}

/** The scope of the operation's top-level selection set. */
export function rootScope(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): Scope {
  const root = schema.getRootType(operation.operation);
  if (!root) {
    throw OperationAnalysisError.unsupportedOperationType(operation.operation);
  }
  return scopeOf(schema, root);
}

/**
 * The scope inside a fragment with the given type condition: the runtime
 * types are those of the outer scope the fragment applies to
 * (https://spec.graphql.org/October2021/#DoesFragmentTypeApply()). An empty
 * `possible` means the fragment can never apply here.
 */
export function narrowScope(
  schema: GraphQLSchema,
  scope: Scope,
  typeCondition: NamedTypeNode | undefined,
): Scope {
  if (typeCondition === undefined) return scope;
  const type = schema.getType(typeCondition.name.value);
  if (!isCompositeType(type)) {
    throw OperationAnalysisError.unknownType(typeCondition.name.value);
  }
  return {
    type,
    possible: scope.possible.filter(
      (object) =>
        object === type ||
        (isAbstractType(type) && schema.isSubType(type, object)),
    ),
  };
}

/** A key that tells scopes apart, for memoising by scope. */
export function scopeKey(scope: Scope): string {
  return `${scope.type.name}:${scope.possible.map((t) => t.name).join(',')}`;
}

/** One schema coordinate (https://spec.graphql.org/draft/#sec-Schema-Coordinates). */
export interface FieldCoordinate {
  /** `Type.field`. */
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /** Whether `typeName` is an interface (a union has no fields of its own). */
  readonly abstract: boolean;
}

/** What a field selected in a scope resolves to. */
export interface ResolvedField {
  /**
   * The coordinate on the scope's type first, then, when that type is
   * abstract, the coordinate on every possible object type.
   */
  readonly coordinates: readonly [FieldCoordinate, ...FieldCoordinate[]];
  /** The scope of its selection set, or null for a leaf field. */
  readonly child: Scope | null;
}

function fieldOf(
  type: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return isUnionType(type) ? undefined : type.getFields()[name];
}

/**
 * Resolves a (non-meta) field selected in a scope. A field selected on an
 * abstract type is touched on the abstract type and on every object type it
 * can resolve to there.
 */
export function resolveField(
  schema: GraphQLSchema,
  scope: Scope,
  fieldName: string,
): ResolvedField {
  const field = fieldOf(scope.type, fieldName);
  if (field === undefined) {
    throw OperationAnalysisError.unknownField(scope.type.name, fieldName);
  }
  const own: FieldCoordinate = {
    coordinate: `${scope.type.name}.${fieldName}`,
    typeName: scope.type.name,
    fieldName,
    abstract: !isObjectType(scope.type),
  };
  const concrete: FieldCoordinate[] = isAbstractType(scope.type)
    ? scope.possible
        .filter((object) => fieldOf(object, fieldName) !== undefined)
        .map((object) => ({
          coordinate: `${object.name}.${fieldName}`,
          typeName: object.name,
          fieldName,
          abstract: false,
        }))
    : [];
  const named = getNamedType(field.type);
  return {
    coordinates: [own, ...concrete],
    child: isCompositeType(named) ? scopeOf(schema, named) : null,
  };
}

/** The key under which a field's value appears in the response. */
export function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/** A response path as one string (names never contain a dot). */
export function pathKey(path: readonly string[]): string {
  return path.join('.');
}

/**
 * The value a variable of a `@skip(if:)` / `@include(if:)` has once the
 * request's values are coerced
 * (https://spec.graphql.org/October2021/#sec-Coercing-Variable-Values):
 * the Boolean given, or its default when none is given; `null` when the
 * request gives `null` (it does not fall back to the default); `'invalid'`
 * for any other value given (execution refuses it); `'absent'` when neither
 * a value nor a default is there. An absent value and an explicit `null` are
 * told apart.
 */
export type ConditionValue = boolean | null | 'invalid' | 'absent';

/**
 * The coerced value of one variable (see {@link ConditionValue}), from its
 * definition in the operation (`undefined` for a variable it does not
 * define, which validation refuses).
 */
export function coerceConditionValue(
  name: string,
  definition: VariableDefinitionNode | undefined,
  variables: Readonly<Record<string, unknown>> | null,
): ConditionValue {
  if (variables !== null && Object.hasOwn(variables, name)) {
    const given = variables[name];
    return typeof given === 'boolean' || given === null ? given : 'invalid';
  }
  const defaultValue = definition?.defaultValue;
  switch (defaultValue?.kind) {
    case undefined:
      return 'absent';
    case Kind.BOOLEAN:
      return defaultValue.value;
    case Kind.NULL:
      return null;
    default:
      return 'invalid';
  }
}

/**
 * The variables any `@skip(if:)` / `@include(if:)` of the operation or of
 * a fragment it spreads reads, whatever the conditions around it: found in
 * the text, so that the list never depends on the values. Sorted by name.
 */
export function conditionVariableNames(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): string[] {
  const names = new Set<string>();
  const visitor = {
    Directive(node: DirectiveNode): void {
      if (!isConditionDirective(node)) return;
      const argument = node.arguments?.find((a) => a.name.value === 'if');
      if (argument?.value.kind === Kind.VARIABLE) {
        names.add(argument.value.name.value);
      }
    },
  };
  visit(operation.selectionSet, visitor);
  for (const fragment of fragments) visit(fragment.selectionSet, visitor);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isConditionDirective(directive: DirectiveNode): boolean {
  const name = directive.name.value;
  return (
    name === GraphQLSkipDirective.name || name === GraphQLIncludeDirective.name
  );
}

/**
 * What the `@skip`/`@include` directives of a selection say under the
 * request's variables:
 * - `unconditional`: it has none;
 * - `excluded`: one of them certainly keeps it from executing;
 * - `included`: every one of them is known and lets it execute;
 * - `unknown`: none excludes it, but some value is not a Boolean, so
 *   execution will decide (or refuse the request).
 */
export type ConditionOutcome =
  'unconditional' | 'excluded' | 'included' | 'unknown';

/**
 * Evaluates `@skip` and `@include`
 * (https://spec.graphql.org/October2021/#sec--skip,
 * https://spec.graphql.org/October2021/#sec--include) against the request's
 * variables, erring towards "included" whenever a value is not known.
 */
export class Conditions {
  readonly #values: ReadonlyMap<string, boolean | undefined>;

  constructor(
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>> | null,
  ) {
    const values = new Map<string, boolean | undefined>();
    for (const definition of operation.variableDefinitions ?? []) {
      // Anything but a Boolean (null included) fails coercion of the
      // Boolean! argument at execution; here it just stays unknown.
      const value = coerceConditionValue(
        definition.variable.name.value,
        definition,
        variables,
      );
      values.set(
        definition.variable.name.value,
        typeof value === 'boolean' ? value : undefined,
      );
    }
    this.#values = values;
  }

  /** Whether the directives certainly keep the selection from executing. */
  excludes(directives: readonly DirectiveNode[] | undefined): boolean {
    return this.evaluate(directives) === 'excluded';
  }

  /** What the directives say (see {@link ConditionOutcome}). */
  evaluate(directives: readonly DirectiveNode[] | undefined): ConditionOutcome {
    let outcome: ConditionOutcome = 'unconditional';
    for (const directive of directives ?? []) {
      if (!isConditionDirective(directive)) continue;
      const condition = this.#valueOf(directive);
      if (condition === undefined) {
        outcome = 'unknown';
      } else if (condition === (directive.name.value === 'skip')) {
        return 'excluded';
      } else if (outcome === 'unconditional') {
        outcome = 'included';
      }
    }
    return outcome;
  }

  #valueOf(directive: DirectiveNode): boolean | undefined {
    const argument = directive.arguments?.find((a) => a.name.value === 'if');
    switch (argument?.value.kind) {
      case Kind.BOOLEAN:
        return argument.value.value;
      case Kind.VARIABLE:
        return this.#values.get(argument.value.name.value);
      default:
        return undefined;
    }
  }
}

/** The selection without its `@skip`/`@include` directives. */
export function withoutConditions<T extends SelectionNode>(selection: T): T {
  const directives = selection.directives?.filter(
    (d) => !isConditionDirective(d),
  );
  return { ...selection, directives };
}

/** Counts field visits and stops a traversal that runs away. */
export class SelectionBudget {
  #left: number;
  readonly #limit: number;

  constructor(limit: number | undefined) {
    this.#limit = limit ?? DEFAULT_MAX_SELECTIONS;
    this.#left = this.#limit;
  }

  spend(): void {
    this.#left -= 1;
    if (this.#left < 0) {
      throw OperationAnalysisError.tooManySelections(this.#limit);
    }
  }
}
