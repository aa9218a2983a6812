import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  type FieldNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';

import {
  SCHEMA,
  fragmentDefinitions,
  rootScope,
  selectOperation,
} from './operationTraversal.js';

/** How {@link operationCost} weighs an operation. */
export interface CostOptions {
  /** Cost of a field with a selection set. @defaultValue 2 */
  readonly objectCost?: number;
  /** Cost of a leaf field. @defaultValue 1 */
  readonly scalarCost?: number;
  /** Factor on the cost of each nested level. @defaultValue 1.5 */
  readonly depthCostFactor?: number;
  /**
   * The page size a list gets when `first`/`last` is absent and has no
   * default in the schema, or is `null` (the subgraphs' default).
   * @defaultValue 20
   */
  readonly defaultPageSize?: number;
  /**
   * The largest page a subgraph serves: the page size of a list whose
   * `first`/`last` is not known (a variable without a usable value), and
   * the most any `first`/`last` counts for.
   * @defaultValue 100
   */
  readonly maxPageSize?: number;
}

/** What {@link operationCost} needs of the request besides its document. */
export interface CostRequest {
  /** @defaultValue null */
  readonly operationName?: string | null | undefined;
  /** The request's variable values, as sent. @defaultValue null */
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The page-size arguments of a paginated field. */
const PAGE_ARGUMENTS = ['first', 'last'] as const;

/**
 * The cost of the operation a request selects, after GraphQL Armor's cost
 * model (https://escape.tech/graphql-armor/docs/plugins/cost-limit) but
 * with the request's variables and counting only what a page returns: a
 * leaf costs `scalarCost`, a field with a selection set `objectCost` plus
 * `depthCostFactor` times what it selects. A field with a `first` or `last`
 * argument has a page of that many items — the literal or the variable's
 * value as sent, the variable's default, the argument's default in the
 * schema, `defaultPageSize` for `null` or nothing, `maxPageSize` when the
 * value is not a usable integer, never more than `maxPageSize` — and the
 * lists it returns count that many times: the field itself when it is a
 * list, else the list-typed fields of its selection (a connection's `nodes`
 * and `edges`, not its `totalCount` or `pageInfo`). Fragments are costed
 * where they are spread (each fragment once per page size, as Armor does),
 * and `__schema` costs nothing. Every selection counts, whatever its
 * `@skip`/`@include`.
 *
 * @throws OperationAnalysisError when the request selects no operation of
 *   the document
 */
export function operationCost(
  schema: GraphQLSchema,
  document: Parameters<typeof selectOperation>[0],
  request: CostRequest = {},
  options: CostOptions = {},
): number {
  const objectCost = options.objectCost ?? 2;
  const scalarCost = options.scalarCost ?? 1;
  const factor = options.depthCostFactor ?? 1.5;
  const defaultPageSize = options.defaultPageSize ?? 20;
  const maxPageSize = options.maxPageSize ?? 100;
  const operation = selectOperation(document, request.operationName ?? null);
  const fragments = fragmentDefinitions(document);
  const variables = request.variables ?? null;
  const definitions = new Map<string, VariableDefinitionNode>(
    (operation.variableDefinitions ?? []).map((d) => [
      d.variable.name.value,
      d,
    ]),
  );
  /** Costs of fragments already met, by name. */
  const fragmentCosts = new Map<string, number>();

  const pageOf = (field: FieldNode, type: GraphQLCompositeType): number => {
    if (!isObjectType(type) && !isInterfaceType(type)) return 1;
    const definition = type.getFields()[field.name.value];
    if (definition === undefined) return 1;
    let size = 1;
    for (const name of PAGE_ARGUMENTS) {
      const argument = definition.args.find((a) => a.name === name);
      if (argument === undefined) continue;
      size = Math.max(size, pageArgument(field, argument));
    }
    return size;
  };

  const pageArgument = (
    field: FieldNode,
    argument: GraphQLArgument,
  ): number => {
    const node = field.arguments?.find((a) => a.name.value === argument.name);
    let value: unknown;
    if (node === undefined) {
      value = argument.defaultValue;
    } else if (node.value.kind === Kind.VARIABLE) {
      const name = node.value.name.value;
      if (variables !== null && Object.hasOwn(variables, name)) {
        value = variables[name];
      } else {
        const fallback = definitions.get(name)?.defaultValue;
        value =
          fallback === undefined
            ? argument.defaultValue
            : valueFromAST(fallback, argument.type);
      }
    } else {
      value = valueFromAST(node.value, argument.type);
    }
    if (value === undefined || value === null) return defaultPageSize;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return maxPageSize;
    }
    return Math.min(Math.max(value, 1), maxPageSize);
  };

  /**
   * What the selections of a set cost, each one level deeper. `pageSize`
   * is the page of the paginated field the set belongs to: its list-typed
   * fields (`nodes`, `edges`) count that many times.
   */
  const selectionSetCost = (
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType,
    pageSize: number,
  ): number =>
    selectionSet.selections.reduce(
      (sum, selection) =>
        sum + factor * selectionCost(selection, type, pageSize),
      0,
    );

  const selectionCost = (
    selection: SelectionNode,
    type: GraphQLCompositeType,
    pageSize: number,
  ): number => {
    switch (selection.kind) {
      case Kind.FIELD:
        return fieldCost(selection, type, pageSize);
      case Kind.INLINE_FRAGMENT:
        return (
          objectCost +
          selectionSetCost(
            selection.selectionSet,
            typeNamed(selection.typeCondition?.name.value) ?? type,
            pageSize,
          )
        );
      case Kind.FRAGMENT_SPREAD:
        return spreadCost(selection.name.value, type, pageSize);
    }
  };

  const fieldCost = (
    field: FieldNode,
    parent: GraphQLCompositeType,
    pageSize: number,
  ): number => {
    if (field.name.value === SCHEMA) return 0;
    const definition =
      isObjectType(parent) || isInterfaceType(parent)
        ? parent.getFields()[field.name.value]
        : undefined;
    const list =
      definition !== undefined && isListType(getNullableType(definition.type));
    // A list in a page (`nodes`) has as many items as the page.
    const items = list ? pageSize : 1;
    if (field.selectionSet === undefined) return scalarCost * items;
    const named = definition ? getNamedType(definition.type) : undefined;
    const child = named && isCompositeType(named) ? named : parent;
    const page = pageOf(field, parent);
    // A paginated list is its page; a paginated connection passes its page
    // on to the lists it holds, not to `totalCount` or `pageInfo`.
    return list
      ? (objectCost + selectionSetCost(field.selectionSet, child, 1)) *
          Math.max(page, items)
      : objectCost + selectionSetCost(field.selectionSet, child, page);
  };

  /** A spread: its fragment's cost, a level down (once per fragment and page). */
  const spreadCost = (
    name: string,
    type: GraphQLCompositeType,
    pageSize: number,
  ): number => {
    const key = `${name}@${String(pageSize)}`;
    let cost = fragmentCosts.get(key);
    if (cost === undefined) {
      const fragment = fragments.get(name);
      if (fragment === undefined) return scalarCost;
      // A cycle (which validation refuses) counts nothing the second time.
      fragmentCosts.set(key, 0);
      cost =
        objectCost +
        selectionSetCost(
          fragment.selectionSet,
          typeNamed(fragment.typeCondition.name.value) ?? type,
          pageSize,
        );
      fragmentCosts.set(key, cost);
    }
    return scalarCost + factor * cost;
  };

  const typeNamed = (
    name: string | undefined,
  ): GraphQLCompositeType | undefined => {
    if (name === undefined) return undefined;
    const type = schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  // The top level is not scaled (Armor's model).
  const root = rootScope(schema, operation).type;
  return operation.selectionSet.selections.reduce(
    (sum, selection) => sum + selectionCost(selection, root, 1),
    0,
  );
}
