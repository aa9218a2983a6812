import { mask, type MaskOptions } from '../../../policies/src/index.js';
import type { MaskedField } from '../../../policies/src/govern/governOperation.js';
import { TYPENAME_KEY } from '../../../policies/src/govern/withTypenames.js';

type Json = unknown;

/**
 * The masks of a plan as one tree of response keys: a walk of the data
 * visits each path prefix once, whatever the number of masked fields.
 */
interface MaskNode {
  readonly children: Map<string, MaskNode>;
  /** Fields masked at this key (in the object that holds it). */
  readonly masks: MaskedField[];
}

function newNode(): MaskNode {
  return { children: new Map(), masks: [] };
}

/** Compiled trees, per masked-field list (a cached plan keeps its list). */
const compiled = new WeakMap<readonly MaskedField[], MaskNode>();

function compile(masked: readonly MaskedField[]): MaskNode {
  let root = compiled.get(masked);
  if (root !== undefined) return root;
  root = newNode();
  for (const field of masked) {
    for (const path of field.paths) {
      let node = root;
      for (const key of path) {
        let child = node.children.get(key);
        if (child === undefined) {
          child = newNode();
          node.children.set(key, child);
        }
        node = child;
      }
      if (path.length > 0) node.masks.push(field);
    }
  }
  compiled.set(masked, root);
  return root;
}

function maskTree(value: Json, node: MaskNode, options: MaskOptions): void {
  if (Array.isArray(value)) {
    for (const item of value) maskTree(item, node, options);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, Json>;
  for (const [key, child] of node.children) {
    if (!Object.hasOwn(object, key)) continue;
    if (child.children.size > 0) maskTree(object[key], child, options);
    for (const field of child.masks) {
      const typename = object[TYPENAME_KEY];
      if (typename !== undefined && typename !== field.typeName) continue;
      object[key] = mask(field.mask, object[key], options);
    }
  }
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
 * type. Then removes the gateway's `__govgraph_typename` keys. The paths
 * are compiled once per masked-field list (a cached plan's) into one tree
 * walked once; nothing is walked when nothing is masked.
 */
export function applyMasks(
  data: Record<string, Json> | null | undefined,
  masked: readonly MaskedField[],
  options: MaskOptions & { stripTypenames: boolean },
): void {
  if (data === null || data === undefined || masked.length === 0) return;
  maskTree(data, compile(masked), options);
  if (options.stripTypenames) stripTypenames(data);
}
