// Checks of a CollectionSpec: names that end up in table, column and index
// names must be plain, and a field has one kind only.
import type { CollectionSpec } from '../SearchBackend.js';

const COLLECTION_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

/** Throws a RangeError when a spec's names are unusable or a field has two kinds. */
export function assertCollectionSpec(spec: CollectionSpec): void {
  if (!COLLECTION_NAME.test(spec.name)) {
    throw new RangeError(
      `collection name "${spec.name}": use lowercase letters, digits and dashes (at most 40)`,
    );
  }
  const seen = new Set<string>(['id']);
  for (const kind of [
    'text',
    'keyword',
    'region',
    'date',
    'numeric',
  ] as const) {
    for (const field of spec[kind]) {
      if (!FIELD_NAME.test(field)) {
        throw new RangeError(
          `collection ${spec.name}: field name "${field}" must be letters, digits and _`,
        );
      }
      if (seen.has(field)) {
        throw new RangeError(
          `collection ${spec.name}: field "${field}" is declared twice (or is "id")`,
        );
      }
      seen.add(field);
    }
  }
}

/** Weight of a text field in the relevance score: the spec's first text field (the name) counts double. */
export function textFieldWeight(spec: CollectionSpec, field: string): number {
  return spec.text[0] === field ? 2 : 1;
}
