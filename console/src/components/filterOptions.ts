// The options of a filter's select: "all" first (the empty value), then
// every value with its Chinese label, in the labels' order.

/** One option of an Ant Design select. */
export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

/**
 * `[{ value: '', label: all }, …labels]`: a filter over the values of
 * `labels` (an enum's or the departments' Chinese names), '' for none.
 */
export function filterOptions(
  all: string,
  labels: Readonly<Record<string, string>>,
): FilterOption[] {
  return [
    { value: '', label: all },
    ...Object.entries(labels).map(([value, label]) => ({ value, label })),
  ];
}
