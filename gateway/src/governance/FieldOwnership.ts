import { readFieldCatalog } from '../../../policies/src/index.js';

/** Who resolves one field of the supergraph, and how it is classified. */
export interface FieldOwnership {
  /**
   * Departments whose subgraphs resolve the field (a subgraph is named
   * after its department): one for a department's own field, several for
   * entity keys and shared value types such as `PageInfo`.
   */
  readonly owners: readonly string[];
  /** Classification tags without their `class:` prefix, e.g. `PERSONAL`. */
  readonly classification: readonly string[];
}

/** Coordinate → ownership, for every field of every object and interface type. */
export type OwnershipCatalog = ReadonlyMap<string, FieldOwnership>;

/** The prefix classification tags carry in subgraph SDL (`@tag(name: "class:PERSONAL")`). */
export const CLASSIFICATION_TAG_PREFIX = 'class:';

/**
 * Reads ownership and classification of every field from the composed
 * supergraph: the owner of a field is the subgraph that resolves it, and
 * its classification is the `class:` tags declared in subgraph SDL.
 */
export function readOwnership(supergraphSdl: string): OwnershipCatalog {
  const catalog = new Map<string, FieldOwnership>();
  for (const [coordinate, entry] of readFieldCatalog(supergraphSdl)) {
    catalog.set(coordinate, {
      owners: entry.subgraphs,
      classification: entry.tags
        .filter((t) => t.startsWith(CLASSIFICATION_TAG_PREFIX))
        .map((t) => t.slice(CLASSIFICATION_TAG_PREFIX.length)),
    });
  }
  return catalog;
}
