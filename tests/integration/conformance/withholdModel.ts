// The reference model of "withhold exactly the decided coordinates": what
// a governed answer must be, computed from the plain gateway's answer to
// the same operation. A selection of field f on a type S is withheld when
// f is denied on S or on any type S can be (a field selected on an
// interface goes with any implementation's); a selection whose fields are
// all withheld goes too. Withheld keys are left out of the object (not
// set to null), every other value is the plain one.
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The alias under which the model asks the plain gateway for `__typename`. */
export const TYPENAME_ALIAS = 'conformanceTypename';

/** The document asking for `__typename` (as {@link TYPENAME_ALIAS}) in every selection set. */
export function withTypenameAliases(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node) {
      return {
        ...node,
        selections: [
          ...node.selections,
          {
            kind: Kind.FIELD,
            alias: { kind: Kind.NAME, value: TYPENAME_ALIAS },
            name: { kind: Kind.NAME, value: '__typename' },
          },
        ],
      };
    },
  });
}

/** What the model says a governed answer holds. */
export interface ModelAnswer {
  readonly data: unknown;
  /** Response paths (keys only, no list positions) of the withheld selections. */
  readonly withheldPaths: ReadonlySet<string>;
  /** Response paths (with list positions) of values left out. */
  readonly removedPaths: readonly (readonly (string | number)[])[];
  /** The plain values at the denied coordinates. */
  readonly deniedValues: readonly unknown[];
}

interface Scoped {
  readonly selectionSet: SelectionSetNode;
  /** The static type the selections are made on. */
  readonly type: GraphQLCompositeType;
}

/** Applies the model to a plain answer of `withTypenameAliases(document)`. */
export function withheldAnswer(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
  plainData: unknown,
  denied: ReadonlySet<string>,
): ModelAnswer {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(def.name.value, def);
    } else if (
      def.kind === Kind.OPERATION_DEFINITION &&
      (operationName === null || def.name?.value === operationName)
    ) {
      operation = def;
    }
  }
  if (operation === undefined) throw new Error('no such operation');
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) throw new Error('no root type');

  const fieldDenied = (type: GraphQLCompositeType, name: string): boolean => {
    if (name.startsWith('__')) return false;
    const possible = isAbstractType(type)
      ? schema.getPossibleTypes(type)
      : [type];
    return possible.some((t) => denied.has(`${t.name}.${name}`));
  };

  /** Field selections of a scoped set, flattened through fragments, with their static types. */
  const fieldsOf = (
    scoped: Scoped,
    concrete: GraphQLObjectType | null,
  ): { field: FieldNode; type: GraphQLCompositeType }[] => {
    const out: { field: FieldNode; type: GraphQLCompositeType }[] = [];
    for (const selection of scoped.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        out.push({ field: selection, type: scoped.type });
        continue;
      }
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : fragments.get(selection.name.value);
      if (fragment === undefined) continue;
      const condition = fragment.typeCondition
        ? schema.getType(fragment.typeCondition.name.value)
        : scoped.type;
      if (!isCompositeType(condition)) continue;
      if (
        concrete !== null &&
        condition.name !== concrete.name &&
        !(isAbstractType(condition) && schema.isSubType(condition, concrete))
      ) {
        continue;
      }
      out.push(
        ...fieldsOf(
          { selectionSet: fragment.selectionSet, type: condition },
          concrete,
        ),
      );
    }
    return out;
  };

  const memo = new Map<FieldNode, boolean>();
  /** Whether a field selection is withheld, statically (whatever the data). */
  const removed = (field: FieldNode, type: GraphQLCompositeType): boolean => {
    const known = memo.get(field);
    if (known !== undefined) return known;
    const result =
      fieldDenied(type, field.name.value) ||
      (field.selectionSet !== undefined && emptied(field, type));
    memo.set(field, result);
    return result;
  };
  const emptied = (field: FieldNode, parent: GraphQLCompositeType): boolean => {
    const returned = returnType(parent, field.name.value);
    if (returned === null || field.selectionSet === undefined) return false;
    return fieldsOf(
      { selectionSet: field.selectionSet, type: returned },
      null,
    ).every((f) => removed(f.field, f.type));
  };
  const returnType = (
    parent: GraphQLCompositeType,
    name: string,
  ): GraphQLCompositeType | null => {
    if (isAbstractType(parent) && !('getFields' in parent)) return null;
    const fields = 'getFields' in parent ? parent.getFields() : {};
    const def = fields[name];
    if (def === undefined) return null;
    const named = getNamedType(def.type);
    return isCompositeType(named) ? named : null;
  };

  const withheldPaths = new Set<string>();
  const staticWalk = (scoped: Scoped, path: string[]): void => {
    for (const { field, type } of fieldsOf(scoped, null)) {
      if (isAlias(field)) continue;
      const key = field.alias?.value ?? field.name.value;
      const here = [...path, key];
      const denied = fieldDenied(type, field.name.value);
      if (denied) withheldPaths.add(JSON.stringify(here));
      if (!denied && field.selectionSet) {
        const returned = returnType(type, field.name.value);
        if (returned !== null) {
          staticWalk(
            { selectionSet: field.selectionSet, type: returned },
            here,
          );
          if (removed(field, type)) withheldPaths.add(JSON.stringify(here));
        }
      }
    }
  };
  staticWalk({ selectionSet: operation.selectionSet, type: root }, []);

  const removedPaths: (string | number)[][] = [];
  const deniedValues: unknown[] = [];
  const prune = (
    value: unknown,
    scopes: readonly Scoped[],
    path: (string | number)[],
  ): unknown => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) {
      return value.map((v, i) => prune(v, scopes, [...path, i]));
    }
    const object = value as Record<string, unknown>;
    const typename = object[TYPENAME_ALIAS];
    const concrete = schema.getType(String(typename));
    if (!isObjectType(concrete)) {
      throw new Error(`no concrete type at ${path.join('.')}`);
    }
    const byKey = new Map<
      string,
      { field: FieldNode; type: GraphQLCompositeType }[]
    >();
    for (const scoped of scopes) {
      for (const selected of fieldsOf(scoped, concrete)) {
        if (isAlias(selected.field)) continue;
        const key = selected.field.alias?.value ?? selected.field.name.value;
        byKey.set(key, [...(byKey.get(key) ?? []), selected]);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, selections] of byKey) {
      if (!(key in object)) continue;
      const kept = selections.filter((s) => !removed(s.field, s.type));
      const name = selections[0]?.field.name.value ?? key;
      if (denied.has(`${concrete.name}.${name}`)) {
        deniedValues.push(object[key]);
      }
      if (kept.length === 0) {
        removedPaths.push([...path, key]);
        continue;
      }
      const returned = returnType(concrete, name);
      const subScopes: Scoped[] =
        returned === null
          ? []
          : kept
              .filter((s) => s.field.selectionSet !== undefined)
              .map((s) => ({
                selectionSet: s.field.selectionSet as SelectionSetNode,
                type: returned,
              }));
      out[key] =
        subScopes.length === 0
          ? object[key]
          : prune(object[key], subScopes, [...path, key]);
    }
    return out;
  };
  const data =
    plainData === null || plainData === undefined
      ? plainData
      : prune(
          {
            ...(plainData as Record<string, unknown>),
            [TYPENAME_ALIAS]: root.name,
          },
          [{ selectionSet: operation.selectionSet, type: root }],
          [],
        );
  return { data, withheldPaths, removedPaths, deniedValues };
}

function isAlias(field: FieldNode): boolean {
  return field.alias?.value === TYPENAME_ALIAS;
}
