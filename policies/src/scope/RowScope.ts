import { type RowFilter } from '../model/RowFilter.js';

/**
 * The rows a principal may see for one operation: what the gateway signs
 * into every subgraph call (`ctx.call.scope`) and each subgraph compiles
 * into its SQL `WHERE`, so that paging and counts stay correct.
 */
export interface RowScope {
  /**
   * Administrative-code prefix every region-bearing row must fall under:
   * the region of a district- or street-level principal. Absent for a
   * city-level principal (the whole city).
   */
  readonly region?: string;
  /**
   * Row filters per GraphQL type name, from the negative-list entries and
   * grants that made the operation's fields of that type shareable; every
   * filter listed for a type must hold (AND).
   */
  readonly types?: Readonly<Record<string, RowFilter>>;
  /**
   * Per type a search field of the operation searches (its
   * `search:<Type>` tags): the fields of that type the principal may read
   * unmasked. A search matches its text, highlights, filters and facets only
   * on these; a type absent here may not be searched at all.
   */
  readonly search?: Readonly<Record<string, readonly string[]>>;
}
