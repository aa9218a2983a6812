// Validation of scalar arguments shared by every department, so that
// malformed input is BAD_USER_INPUT before it can reach SQL (never a
// database error).
import { BadUserInputError } from './errors/GraphQLErrorWithCode.js';

// A date, or a date and time with an explicit offset: a time without a zone
// would depend on the server's time zone, so it is refused.
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an ISO 8601 timestamp argument (`2025-06-01T08:00:00+08:00`,
 * `2025-06-01T00:00:00Z`, or a date `2025-06-01` meaning midnight UTC) into
 * the normalised UTC form that is safe to bind as `timestamptz`.
 * BAD_USER_INPUT for anything else, including impossible dates (02-30).
 */
export function parseTimestamp(value: string, argumentName: string): string {
  const invalid = (): BadUserInputError =>
    BadUserInputError.invalidArgument(
      argumentName,
      value,
      'an ISO 8601 timestamp with a time zone, e.g. 2025-06-01T08:00:00+08:00, or a date, e.g. 2025-06-01',
    );
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) throw invalid();
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] =
    match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const [offsetHours, offsetMinutes] = [
    Number(match[9] ?? 0),
    Number(match[10] ?? 0),
  ];
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) throw invalid();
  const ms = Date.parse(
    `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${zone}`,
  );
  if (Number.isNaN(ms)) throw invalid();
  const instant = new Date(ms);
  const utcYear = instant.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) throw invalid();
  return instant.toISOString();
}

/**
 * Validates a distance along a river in km (`withinKm`): a finite number
 * above zero, else BAD_USER_INPUT.
 */
export function parseDistanceKm(value: number, argumentName: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'a positive distance in km',
    );
  }
  return value;
}

/**
 * True when `value` can be stored in a PostgreSQL `text` column at all (it
 * cannot hold NUL): an id that fails this names nothing, and binding it
 * would be a database error rather than an answer.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000');
}

/** BAD_USER_INPUT unless `value` is text PostgreSQL can compare (see {@link isStorableText}). */
export function assertStorableText(
  value: string,
  argumentName: string,
): string {
  if (!isStorableText(value)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'text without NUL characters',
    );
  }
  return value;
}
