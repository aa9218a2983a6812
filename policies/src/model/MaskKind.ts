/**
 * Every masking kind, in a stable order (for validating plain data at the
 * edges: `MASK_KINDS.includes(x)`).
 */
export const MASK_KINDS = [
  'ID_NUMBER',
  'MOBILE',
  'NAME',
  'ADDRESS',
  'DATE_TO_YEAR',
  'HASH',
] as const;

/**
 * How a conditionally shared value is masked before it leaves the gateway:
 *
 * - `ID_NUMBER`: first 6 and last 4 characters kept (`500103********1234`).
 * - `MOBILE`: first 3 and last 4 kept (`138****5678`).
 * - `NAME`: first character kept (`王**`).
 * - `ADDRESS`: kept up to the district or county (`重庆市渝中区****`).
 * - `DATE_TO_YEAR`: the year only (`1985`).
 * - `HASH`: a keyed digest, stable for linking records, not readable.
 */
export type MaskKind = (typeof MASK_KINDS)[number];
