import { rulesToAST } from '@casl/ability/extra';

import type {
  AdministrationAbility,
  AdministrationAction,
  AdministrationSubjectType,
} from '../../../policies/src/index.js';
import type { SqlWhere } from '../../../policies/store/src/administration/index.js';

/** A node of CASL's condition AST (@ucast's Condition). */
type Condition = NonNullable<ReturnType<typeof rulesToAST>>;

/**
 * Turns what a CASL ability allows into a SQL condition over a table, so
 * that lists are filtered in SQL (counts and pages agree) by the same rules
 * that check single objects: CASL's rules become an AST (`rulesToAST`),
 * each field maps to a column. No rule is `FALSE` (deny by default); a rule
 * with no conditions is `TRUE`. Only `eq`, `ne`, `in`, `and`, `or` and
 * `not` are known: any other operator or an unmapped field raises rather
 * than widening access. A column named with a trailing `[]` (e.g.
 * `p.awaiting[]`) is a SQL array, matched the way CASL matches an array
 * field: `eq` means "contains", `ne` "does not contain", `in` "overlaps".
 *
 * @param columns - condition field → SQL column (`[]`-suffixed: an array)
 */
export function toSqlWhere(
  ability: AdministrationAbility,
  action: AdministrationAction,
  subjectType: Exclude<AdministrationSubjectType, 'all'>,
  columns: Readonly<Record<string, string>>,
): SqlWhere {
  const ast = rulesToAST(ability, action, subjectType);
  if (ast === null) return { text: 'FALSE', values: [] };
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return '$?';
  };
  const column = (field: string): { name: string; array: boolean } => {
    const name = Object.hasOwn(columns, field) ? columns[field] : undefined;
    if (name === undefined) {
      throw new Error(`toSqlWhere: no column for condition field "${field}"`);
    }
    return name.endsWith('[]')
      ? { name: name.slice(0, -2), array: true }
      : { name, array: false };
  };
  const walk = (node: Condition): string => {
    const { operator } = node;
    const value: unknown = node.value;
    if (operator === 'and' || operator === 'or') {
      const parts = (value as Condition[]).map(walk);
      if (parts.length === 0) return operator === 'and' ? 'TRUE' : 'FALSE';
      return `(${parts.join(operator === 'and' ? ' AND ' : ' OR ')})`;
    }
    if (operator === 'not') {
      const [inner] = value as Condition[];
      return inner === undefined ? 'FALSE' : `NOT (${walk(inner)})`;
    }
    const field = (node as Condition & { field?: string }).field ?? '';
    const { name, array } = column(field);
    switch (operator) {
      case 'eq':
        return array
          ? `${param(value)} = ANY(${name})`
          : `${name} IS NOT DISTINCT FROM ${param(value)}`;
      case 'ne':
        return array
          ? `NOT (${param(value)} = ANY(${name}))`
          : `${name} IS DISTINCT FROM ${param(value)}`;
      case 'in':
        return array
          ? `${name} && ${param(value)}::text[]`
          : `${name} = ANY(${param(value)})`;
      default:
        throw new Error(
          `toSqlWhere: operator "${operator}" is not supported (field ${field})`,
        );
    }
  };
  return { text: walk(ast), values };
}
