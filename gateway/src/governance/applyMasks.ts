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

import { mask, type MaskOptions } from '../../../policies/src/index.js';
import type { MaskedField } from './governOperation.js';

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

type Json = unknown;

function maskAt(
  value: Json,
  field: MaskedField,
  path: readonly string[],
  depth: number,
  options: MaskOptions,
): void {
  if (Array.isArray(value)) {
    for (const item of value) maskAt(item, field, path, depth, options);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, Json>;
  const key = path[depth];
  if (key === undefined || !Object.hasOwn(object, key)) return;
  if (depth < path.length - 1) {
    maskAt(object[key], field, path, depth + 1, options);
    return;
  }
  const typename = object[TYPENAME_KEY];
  if (typename !== undefined && typename !== field.typeName) return;
  object[key] = mask(field.mask, object[key], options);
}

/** Removes every {@link TYPENAME_KEY} the gateway added. */
function stripTypenames(value: Json): void {
  if (Array.isArray(value)) {
    for (const item of value) stripTypenames(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, Json>;
  delete object[TYPENAME_KEY];
  for (const child of Object.values(object)) stripTypenames(child);
}

/**
 * Masks, in place, every value of every masked field in a response's
 * `data`, at each of its response paths (through lists); on objects of an
 * abstract selection only where `__govgraph_typename` names the field's
 * type. Then removes the gateway's `__govgraph_typename` keys.
 */
export function applyMasks(
  data: Record<string, Json> | null | undefined,
  masked: readonly MaskedField[],
  options: MaskOptions & { stripTypenames: boolean },
): void {
  if (data === null || data === undefined) return;
  for (const field of masked) {
    for (const path of field.paths) maskAt(data, field, path, 0, options);
  }
  if (options.stripTypenames) stripTypenames(data);
}
