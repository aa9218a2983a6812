import {
  isAbstractType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Response key under which the gateway asks for `__typename` on abstract
 * selection sets, so that a masked field is masked only on objects of its
 * own type. Client documents may not use it (see RESERVED_PREFIX).
 */
export const TYPENAME_KEY = '__govgraph_typename';

/** Names no client document may contain: the gateway's own response keys. */
export const RESERVED_PREFIX = '__govgraph';

const typenameField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_KEY },
  name: { kind: Kind.NAME, value: '__typename' },
};

/**
 * Adds `__govgraph_typename: __typename` to every selection set on an
 * interface or union, so that {@link applyMasks} can tell which object type
 * each value came from. Returns the document unchanged (same object) when it
 * selects nothing abstract.
 */
export function withTypenames(
  schema: GraphQLSchema,
  document: DocumentNode,
): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node: SelectionSetNode): SelectionSetNode | undefined {
        const parent = typeInfo.getParentType();
        if (parent === null || !isAbstractType(parent)) return undefined;
        return { ...node, selections: [...node.selections, typenameField] };
      },
    }),
  );
}
