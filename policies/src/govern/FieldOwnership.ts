import { readFieldCatalog, type UnownedField } from '../readFieldCatalog.js';

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
  /**
   * Types a search field searches, from its `@tag(name: "search:RiskItem")`
   * tags: the gateway signs which fields of them the caller may read
   * unmasked into the call's row scope (`search`), so that the text matches
   * and is highlighted only there. Empty for every other field.
   */
  readonly searches: readonly string[];
  /**
   * What a mutation writes besides its own department's data, from its
   * `@tag(name: "writes:policy")` tags: a mutation that writes the policy
   * answers once the gateway decides from the policy it wrote.
   */
  readonly writes: readonly string[];
  /**
   * The field or its type is `@inaccessible`: never in the API schema, and
   * withheld should an operation ever reach it.
   */
  readonly inaccessible: boolean;
  /** Why no subgraph owns it (empty owners), else `null`. */
  readonly unowned: UnownedField | null;
}

/** Coordinate → ownership, for every field of every object and interface type. */
export type OwnershipCatalog = ReadonlyMap<string, FieldOwnership>;

/** The prefix classification tags carry in subgraph SDL (`@tag(name: "class:PERSONAL")`). */
export const CLASSIFICATION_TAG_PREFIX = 'class:';

/** The prefix of the tags naming the types a search field searches. */
export const SEARCH_TAG_PREFIX = 'search:';

/** The prefix of the tags naming what a mutation writes (`writes:policy`). */
export const WRITES_TAG_PREFIX = 'writes:';

/** What a `writes:policy` tag names: the policy store. */
export const POLICY_WRITES = 'policy';

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
      classification: withPrefix(entry.tags, CLASSIFICATION_TAG_PREFIX),
      searches: withPrefix(entry.tags, SEARCH_TAG_PREFIX),
      writes: withPrefix(entry.tags, WRITES_TAG_PREFIX),
      inaccessible: entry.inaccessible,
      unowned: entry.unowned,
    });
  }
  return catalog;
}

/** The tags with a prefix, without it. */
function withPrefix(tags: readonly string[], prefix: string): string[] {
  return tags
    .filter((t) => t.startsWith(prefix))
    .map((t) => t.slice(prefix.length));
}
