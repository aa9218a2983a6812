// Calendar days in China Standard Time (UTC+8, no daylight saving): the days
// of a windowed threshold rule ("3 consecutive days") are the city's days,
// not the server's.

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** China Standard Time is UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The China Standard Time calendar day of an instant, `YYYY-MM-DD`. */
export function chinaDay(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day `days` days after `day` (before, when negative), `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

/** The instant `day` starts in China Standard Time (00:00 +08:00). */
export function chinaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

/** `YYYYMMDD` of a `YYYY-MM-DD` day, for alert ids. */
export function compactDay(day: string): string {
  return day.replaceAll('-', '');
}

/** `8月12日` of a `YYYY-MM-DD` day, for alert messages. */
export function chineseMonthDay(day: string): string {
  const [, month = '', date = ''] = day.split('-');
  return `${Number(month)}月${Number(date)}日`;
}
