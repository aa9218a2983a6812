import { type Decision } from '../model/Decision.js';
import { type Principal } from '../model/Principal.js';
import { type RowFilter } from '../model/RowFilter.js';
import { type RowScope } from './RowScope.js';

/** The type name of `Type.field`. */
function typeOf(coordinate: string): string {
  const dot = coordinate.indexOf('.');
  return dot < 0 ? coordinate : coordinate.slice(0, dot);
}

/** A stable text for a filter, to drop exact duplicates. */
function filterKey(filter: RowFilter): string {
  return JSON.stringify(filter);
}

/**
 * The row scope of one operation for one principal: the principal's region
 * unless it acts at city level, and, per type, the row filters of every
 * allowed or masked decision on a field of that type (an entry's or grant's
 * `rowFilter` restricts the rows of the type whose fields it shares).
 * Denied decisions contribute nothing (their fields are not read). Returns
 * `null` when nothing is restricted. Pure and deterministic: equal inputs
 * give equal (deep-equal, same key order) scopes.
 */
export function compileRowScope(
  principal: Pick<Principal, 'level' | 'regionCode'>,
  decisions: readonly Decision[],
): RowScope | null {
  const perType = new Map<string, Map<string, RowFilter>>();
  for (const decision of decisions) {
    if (decision.effect === 'DENY' || decision.rowFilter === undefined) {
      continue;
    }
    const type = typeOf(decision.coordinate);
    let filters = perType.get(type);
    if (filters === undefined) {
      filters = new Map();
      perType.set(type, filters);
    }
    filters.set(filterKey(decision.rowFilter), decision.rowFilter);
  }
  const types: Record<string, RowFilter> = {};
  for (const type of [...perType.keys()].sort()) {
    const filters = [...(perType.get(type)?.entries() ?? [])]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, filter]) => filter);
    const [only] = filters;
    types[type] =
      filters.length === 1 && only !== undefined
        ? only
        : { op: 'and', filters };
  }
  const region = principal.level === 'CITY' ? undefined : principal.regionCode;
  const hasTypes = Object.keys(types).length > 0;
  if (region === undefined && !hasTypes) return null;
  return {
    ...(region === undefined ? {} : { region }),
    ...(hasTypes ? { types } : {}),
  };
}
