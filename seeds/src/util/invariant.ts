/**
 * Asserts an internal invariant of the generators; a failure is a bug in the
 * seeds, never bad input.
 */
export function invariant(
  condition: unknown,
  message: string,
): asserts condition {
  if (!condition) throw new Error(`seeds invariant violated: ${message}`);
}

/** The element at `index`, or a thrown invariant error when it is missing. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  invariant(
    item !== undefined,
    `index ${index} out of range (length ${items.length})`,
  );
  return item;
}
