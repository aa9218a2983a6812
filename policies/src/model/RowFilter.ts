/** A literal compared in a {@link RowFilter}. */
export type RowFilterValue = string | number | boolean;

/**
 * A neutral row condition carried by negative-list entries and grants and
 * handed, with the decision, to row-scope compilation (each subgraph turns it
 * into its SQL `WHERE`; it is never applied after paging). `field` names a row
 * attribute as the graph exposes it (e.g. `regionCode`, `industry`), not a SQL
 * column.
 *
 * - `and`: every filter holds (an empty list holds for every row).
 * - `eq`: the attribute equals `value`.
 * - `in`: the attribute equals one of `values` (an empty list holds for none).
 * - `prefix`: the attribute starts with `value`: a district code `500103`
 *   covers its streets `500103001`….
 */
export type RowFilter =
  | { readonly op: 'and'; readonly filters: readonly RowFilter[] }
  | {
      readonly op: 'eq';
      readonly field: string;
      readonly value: RowFilterValue;
    }
  | {
      readonly op: 'in';
      readonly field: string;
      readonly values: readonly RowFilterValue[];
    }
  | { readonly op: 'prefix'; readonly field: string; readonly value: string };
