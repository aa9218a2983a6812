import { BadUserInputError } from './errors/GraphQLErrorWithCode.js';

/**
 * Chongqing's administrative codes nest by prefix: the city is 500000, a
 * district or county six digits (500103 渝中区), a street or town nine
 * (500103001), a grid twelve (500103001001). "In region X" therefore means
 * "code starts with X's prefix", which every department compiles into
 * `region_code LIKE prefix || '%'` on an indexed column.
 */
export const CITY_CODE = '500000';

const REGION_CODE = /^50(\d{4}|\d{7}|\d{10})$/;

/** True when `code` has the form of a region code of this city. */
export function isRegionCode(code: string): boolean {
  return REGION_CODE.test(code);
}

/**
 * The prefix that every code inside `code` starts with; BAD_USER_INPUT for
 * anything that is not a region code of this city.
 *
 * @param argumentName - the argument named in the error message
 */
export function regionPrefix(
  code: string,
  argumentName = 'regionCode',
): string {
  if (!isRegionCode(code)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      code,
      'an administrative code of Chongqing: 500000 (city), 6 digits (district/county), 9 digits (street/town) or 12 digits (grid)',
    );
  }
  return code === CITY_CODE ? '50' : code;
}

/**
 * SQL `FROM` clause joining `table` (aliased `alias`) to the region prefixes
 * bound as parameter `$param` (a text[]), exposing each as `p.prefix`, so one
 * statement serves many regions (a DataLoader batch keyed by prefix). The
 * range on `~>=~`/`~<~` is what the `text_pattern_ops` index on
 * `region_code` can answer per prefix (a `LIKE` whose pattern is a column is
 * not); region codes are digits, so every code that starts with a prefix
 * sorts below the prefix followed by `:` (the character after `9`). The
 * `LIKE` keeps the match exact whatever the data.
 */
export function joinRegionPrefixes(
  table: string,
  alias: string,
  param: number,
): string {
  return `${table} ${alias} JOIN unnest($${param}::text[]) AS p(prefix)
    ON ${alias}.region_code ~>=~ p.prefix
   AND ${alias}.region_code ~<~ (p.prefix || ':')
   AND ${alias}.region_code LIKE (p.prefix || '%')`;
}
