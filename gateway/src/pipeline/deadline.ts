/** What {@link withinDeadline} resolves with when the deadline passed first. */
export const PAST_DEADLINE = Symbol('past deadline');

/**
 * Waits for `promise` at most `ms` milliseconds, by a timer of this
 * process (so it fires however the database or the path to it stalls).
 * Resolves with its value, or {@link PAST_DEADLINE}; rejects when it
 * rejects first. A rejection after the deadline is left handled (the
 * caller's `promise` may still settle, e.g. a record written late).
 */
export async function withinDeadline<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof PAST_DEADLINE> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof PAST_DEADLINE>((resolve) => {
    timer = setTimeout(() => {
      resolve(PAST_DEADLINE);
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
