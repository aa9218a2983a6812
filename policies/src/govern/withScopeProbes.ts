import {
  isAbstractType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

import type { RowScope } from '../scope/index.js';
import type { OwnershipCatalog } from './FieldOwnership.js';

/**
 * Response key under which the gateway asks the home department of a
 * region-bearing entity for the entity's `region`, so that a reference to a
 * row outside the caller's scope is answered as `null` (see
 * {@link withScopeProbes}). Stripped from the response.
 */
export const SCOPE_PROBE_KEY = '__govgraph_scope';

/** The field every region-bearing row carries (its home's `region_code`, never null). */
const REGION_FIELD = 'region';

/**
 * Entity types whose rows carry a region in one department (their home:
 * the only department resolving `T.region`) and which other departments
 * reference (they resolve a field of `T` too, at least its key). A reference
 * from another department is a stub holding only the key; without a field
 * of the home the query planner never asks the home, whose
 * `__resolveReference` is where the caller's row scope applies.
 */
export function referencedRegionTypes(
  schema: GraphQLSchema,
  ownership: OwnershipCatalog,
): ReadonlySet<string> {
  const types = new Set<string>();
  const roots = new Set(
    [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ].map((t) => t?.name),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (roots.has(type.name)) continue;
    const region = type.getFields()[REGION_FIELD];
    if (region === undefined || region.args.length > 0) continue;
    const homes = ownership.get(`${type.name}.${REGION_FIELD}`)?.owners ?? [];
    const [home] = homes;
    if (homes.length !== 1 || home === undefined) continue;
    const referenced = Object.keys(type.getFields()).some((field) =>
      (ownership.get(`${type.name}.${field}`)?.owners ?? []).some(
        (owner) => owner !== home,
      ),
    );
    if (referenced) types.add(type.name);
  }
  return types;
}

/** The types of `candidates` whose rows `scope` restricts. */
export function probedTypes(
  candidates: ReadonlySet<string>,
  scope: RowScope | null,
): ReadonlySet<string> {
  if (scope === null) return new Set();
  if (scope.region !== undefined) return candidates;
  return new Set([...candidates].filter((t) => scope.types?.[t] !== undefined));
}

const probeField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: SCOPE_PROBE_KEY },
  name: { kind: Kind.NAME, value: REGION_FIELD },
  selectionSet: {
    kind: Kind.SELECTION_SET,
    selections: [
      { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'code' } },
    ],
  },
};

function probeOn(type: GraphQLObjectType): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: {
      kind: Kind.NAMED_TYPE,
      name: { kind: Kind.NAME, value: type.name },
    },
    selectionSet: { kind: Kind.SELECTION_SET, selections: [probeField] },
  };
}

/**
 * Adds `__govgraph_scope: region { code }` to every selection set on a type
 * of `types` (and `... on T { … }` to every selection set on an interface or
 * union that T implements or belongs to). The home resolves `region` only for
 * a row the caller's scope holds, and a row's region is never null, so a
 * `null` probe marks a reference outside the scope: the gateway answers it
 * as `null` ({@link nullOutOfScope}) whatever else was selected on it. Returns
 * the document unchanged (same object) when nothing is probed.
 */
export function withScopeProbes(
  schema: GraphQLSchema,
  document: DocumentNode,
  types: ReadonlySet<string>,
): DocumentNode {
  if (types.size === 0) return document;
  const typeInfo = new TypeInfo(schema);
  let changed = false;
  const probed = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node: SelectionSetNode): SelectionSetNode | undefined {
        const parent = typeInfo.getParentType();
        // The probe's own fragment (visited after it is added) has it.
        if (parent === null || node.selections.includes(probeField)) {
          return undefined;
        }
        let added: SelectionNode[] = [];
        if (isObjectType(parent)) {
          if (types.has(parent.name)) added = [probeField];
        } else if (isAbstractType(parent)) {
          added = schema
            .getPossibleTypes(parent)
            .filter((t) => types.has(t.name))
            .map(probeOn);
        }
        if (added.length === 0) return undefined;
        changed = true;
        return { ...node, selections: [...node.selections, ...added] };
      },
    }),
  );
  return changed ? probed : document;
}

/**
 * In a response to a document from {@link withScopeProbes}: replaces every
 * object whose probe is `null` (a reference outside the caller's scope) with
 * `null`, and removes the probes. Every position a department other than the
 * home answers with such a reference is nullable (checked against the
 * supergraph by the gateway's tests), so the answer stays well-typed.
 */
export function nullOutOfScope(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      value[i] = nullOutOfScope(value[i]);
    }
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, SCOPE_PROBE_KEY)) {
    if (object[SCOPE_PROBE_KEY] === null) return null;
    delete object[SCOPE_PROBE_KEY];
  }
  for (const key of Object.keys(object)) {
    object[key] = nullOutOfScope(object[key]);
  }
  return object;
}
