/**
 * Time in the seeds: every generated history ends at one fixed reference
 * "now", and every timestamp is written in China Standard Time (+08:00), so
 * the output never depends on the clock or the machine's time zone.
 */
/** One hour in ms. */
export const HOUR_MS = 3_600_000;
/** One day in ms (China has no daylight saving time). */
export const DAY_MS = 24 * HOUR_MS;
const CST_OFFSET_MS = 8 * HOUR_MS;

/** Epoch ms of a wall-clock time in Chongqing (+08:00); month is 1-based. */
export function cst(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) - CST_OFFSET_MS;
}

/** The reference "now" of every generated history: 2025-09-30T00:00:00+08:00. */
export const REFERENCE_NOW_MS = cst(2025, 9, 30);

/** ISO 8601 with the +08:00 offset, e.g. `2025-08-14T06:05:00+08:00`. */
export function timestamp(ms: number): string {
  return `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** The calendar date in Chongqing, `YYYY-MM-DD`. */
export function date(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYYMMDD` of the calendar date in Chongqing, for ids. */
export function compactDate(ms: number): string {
  return date(ms).replaceAll('-', '');
}

/** Midnight (+08:00) of the day containing `ms`. */
export function startOfDay(ms: number): number {
  return ms - ((ms + CST_OFFSET_MS) % DAY_MS);
}
