import { CITY_CODE } from '../regions.js';
import { SqlConditions } from '../SqlConditions.js';
import type { RowFilter, RowFilterValue, RowScope } from './RowScope.js';

/**
 * How one GraphQL type's rows are found in SQL, for row scoping: SQL
 * expressions over the aliases of the statement that lists them.
 */
export interface RowScopeColumns {
  /**
   * The row's administrative region code (a `text` column with a
   * `text_pattern_ops` index, e.g. `e.region_code`), which the scope's
   * `region` prefix is matched against. Absent for a type with no region of
   * its own (public geography, or rows that follow their parent's scope):
   * the region part of the scope then does not apply to it.
   */
  readonly region?: string;
  /**
   * The attributes grant row filters may name (`field`), as the graph
   * exposes them, to their SQL expressions, e.g.
   * `{ regionCode: 'e.region_code', industry: 'e.industry' }`. A filter
   * naming any other attribute matches no row.
   */
  readonly attributes: Readonly<Record<string, string>>;
}

/** `value` with LIKE's wildcards and escape character escaped. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Attributes are compared as text: the same literal then works against text,
// numeric and boolean columns alike (never a database error), and on a text
// column the cast is a no-op, so its indexes still apply.
function literal(value: RowFilterValue): string {
  return String(value);
}

function compileFilter(
  filter: RowFilter,
  columns: RowScopeColumns,
  c: SqlConditions,
): void {
  switch (filter.op) {
    case 'and':
      for (const f of filter.filters) compileFilter(f, columns, c);
      return;
    case 'eq':
    case 'in':
    case 'prefix': {
      const column = Object.hasOwn(columns.attributes, filter.field)
        ? columns.attributes[filter.field]
        : undefined;
      if (column === undefined) {
        // An attribute this type does not map: the filter cannot hold.
        c.addFalse();
        return;
      }
      if (filter.op === 'eq') {
        c.add(`(${column})::text = $?`, literal(filter.value));
      } else if (filter.op === 'in') {
        if (filter.values.length === 0) c.addFalse();
        else {
          c.add(
            `(${column})::text = ANY($?::text[])`,
            filter.values.map(literal),
          );
        }
      } else {
        c.add(`(${column})::text LIKE $?`, `${escapeLike(filter.value)}%`);
      }
      return;
    }
  }
}

/**
 * Adds to `c` the conditions that keep the rows of GraphQL type `typeName`
 * inside `scope`, with bound parameters only:
 *
 * - the scope's region prefix, as `<region> LIKE '<prefix>%'` (the form the
 *   `text_pattern_ops` index answers, as in `regions.ts`), unless the
 *   region is the whole city or the type has no region column;
 * - the scope's filter for `typeName`, if any; a filter naming an attribute
 *   that `columns` does not map compiles to `FALSE` (no rows).
 *
 * A `null` scope adds nothing.
 *
 * @returns whether any condition was added.
 */
export function addRowScope(
  c: SqlConditions,
  scope: RowScope | null,
  typeName: string,
  columns: RowScopeColumns,
): boolean {
  if (scope === null) return false;
  const before = c.where;
  if (
    scope.region !== undefined &&
    scope.region !== CITY_CODE &&
    columns.region !== undefined
  ) {
    // A validated region code is digits only: nothing to escape.
    c.add(`${columns.region} LIKE $?`, `${scope.region}%`);
  }
  const types = scope.types;
  const filter =
    types !== undefined && Object.hasOwn(types, typeName)
      ? types[typeName]
      : undefined;
  if (filter !== undefined) compileFilter(filter, columns, c);
  return c.where !== before;
}

/**
 * New conditions (or `c`, extended) holding the row scope of `typeName`:
 * {@link addRowScope} for the common case of a statement that starts from
 * the scope.
 */
export function scopedConditions(
  scope: RowScope | null,
  typeName: string,
  columns: RowScopeColumns,
  c: SqlConditions = new SqlConditions(),
): SqlConditions {
  addRowScope(c, scope, typeName, columns);
  return c;
}
