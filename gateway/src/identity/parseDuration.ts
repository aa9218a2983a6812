/** Seconds per unit of a duration such as `30m` (no unit: seconds). */
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  '': 1,
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
};

/**
 * Reads a duration as the token settings write it — a whole number with an
 * optional unit `s`, `m`, `h` or `d` (`900`, `900s`, `30m`, `12h`, `1d`) —
 * and returns it in seconds, or `null` when `raw` is not one.
 */
export function parseDuration(raw: string): number | null {
  const match = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (match?.[1] === undefined) return null;
  const unit = UNIT_SECONDS[match[2] ?? ''];
  return unit === undefined ? null : Number(match[1]) * unit;
}

/**
 * A number of seconds as people read it in messages: the largest unit that
 * divides it (`12 h`, `90 min`, `45 s`, `2 d`).
 */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds > 0 && seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
