// Argument checks of the enforcement department that need no database.
import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';
import { MAX_PAGE_SIZE } from '../../kit/src/pagination.js';

/**
 * The latitude `value` in degrees; BAD_USER_INPUT outside −90..90, so that a
 * point off the globe never reaches SQL.
 */
export function parseLatitude(
  value: number,
  argumentName = 'latitude',
): number {
  if (!Number.isFinite(value) || value < -90 || value > 90) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'a latitude in degrees from -90 to 90',
    );
  }
  return value;
}

/**
 * The longitude `value` in degrees; BAD_USER_INPUT outside −180..180, so
 * that a point off the globe never reaches SQL.
 */
export function parseLongitude(
  value: number,
  argumentName = 'longitude',
): number {
  if (!Number.isFinite(value) || value < -180 || value > 180) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'a longitude in degrees from -180 to 180',
    );
  }
  return value;
}

/**
 * How many nearest squads to return: the plain (unpaged) nearest-squad lists
 * take the same bound as paged ones, 1 to {@link MAX_PAGE_SIZE}, so that a
 * request cannot ask for the whole table per point.
 */
export function parseNearestCount(
  value: number | null | undefined,
  fallback: number,
  argumentName = 'first',
): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE_SIZE) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      count,
      `an integer from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  return count;
}
