import { mask, type MaskOptions } from '../../../policies/src/index.js';
import type { MaskedField } from '../../../policies/src/govern/governOperation.js';
import { TYPENAME_KEY } from '../../../policies/src/govern/withTypenames.js';

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
