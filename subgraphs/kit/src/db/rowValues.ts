// Reading nullable columns into plain objects under exactOptionalPropertyTypes.

/** A timestamp column as ISO 8601, or `undefined` for NULL. */
export function isoOrUndefined(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value as string | Date).toISOString();
}

/**
 * `{ [key]: value }` for a non-NULL column, else no property at all (not
 * `undefined`), to spread into an object with optional properties.
 */
export function optionalProperty<K extends string, V>(
  key: K,
  value: V | null | undefined,
): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as {
    [P in K]?: V;
  };
}
