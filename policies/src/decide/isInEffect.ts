// Internal to decide/: not part of the public API.

/**
 * What an unparsable instant means. Restrictions fail closed by applying
 * (`'applies'`: a negative-list entry with a broken window still restricts);
 * permissions fail closed by lapsing (`'lapses'`: a grant with a broken
 * window grants nothing).
 */
export type OnInvalidInstant = 'applies' | 'lapses';

/**
 * True when `now` lies in `[from, until)`. Absent bounds are open. Instants
 * are ISO 8601 strings; see {@link OnInvalidInstant} for unparsable ones.
 */
export function isInEffect(
  now: number,
  from: string | undefined,
  until: string | undefined,
  onInvalid: OnInvalidInstant,
): boolean {
  if (from !== undefined) {
    const start = Date.parse(from);
    if (Number.isNaN(start)) {
      if (onInvalid === 'lapses') return false;
    } else if (now < start) {
      return false;
    }
  }
  if (until !== undefined) {
    const end = Date.parse(until);
    if (Number.isNaN(end)) {
      if (onInvalid === 'lapses') return false;
    } else if (now >= end) {
      return false;
    }
  }
  return true;
}
