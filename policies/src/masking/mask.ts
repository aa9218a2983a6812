import { type MaskKind } from '../model/MaskKind.js';

/** What masking needs from the edge. */
export interface MaskOptions {
  /**
   * The digest behind `HASH`. Required for `HASH` (masking throws without
   * it); unused by the other kinds.
   *
   * It is injected rather than implemented here for two reasons. First,
   * policies/ may not import `node:crypto`. Second, and decisive: the values
   * worth hashing (ID numbers, mobile numbers) come from small, enumerable
   * spaces, so a plain unkeyed SHA-256 could be reversed by hashing every
   * candidate. The edge should pass a keyed digest, e.g.
   * `(s) => createHmac('sha256', key).update(s).digest('hex')` with a secret
   * key: deterministic (equal inputs link across records and departments),
   * not reversible without the key, and native-speed. Rotating the key
   * breaks linkage with earlier digests, on purpose.
   */
  readonly hash?: (value: string) => string;
}

/** The placeholder that replaces text a mask hides. */
const HIDDEN = '****';

/** Text as code points, so that non-BMP characters (𠀀) count as one. */
function chars(text: string): string[] {
  return Array.from(text);
}

/**
 * Keeps the first `head` and last `tail` characters and stars the rest,
 * one star per hidden character. Text too short to hide anything that way
 * is starred entirely.
 */
function keepEnds(text: string, head: number, tail: number): string {
  const c = chars(text);
  if (c.length <= head + tail) return '*'.repeat(c.length);
  return (
    c.slice(0, head).join('') +
    '*'.repeat(c.length - head - tail) +
    c.slice(c.length - tail).join('')
  );
}

/** `500103198506011234` → `500103********1234`. */
function maskIdNumber(text: string): string {
  return keepEnds(text, 6, 4);
}

/** `13812345678` → `138****5678`. */
function maskMobile(text: string): string {
  return keepEnds(text, 3, 4);
}

/**
 * `王小明` → `王**`: the first character and a fixed two stars, so that the
 * length of the name is not revealed. A one-character value is starred
 * entirely (its first character is the whole value).
 */
function maskName(text: string): string {
  const c = chars(text);
  if (c.length === 1) return '*';
  return `${c[0] ?? ''}**`;
}

/** The city prefix that district search starts after. */
const CITY = '重庆市';
/** Characters that end a district- or county-level name. */
const DISTRICT_ENDS = new Set(['区', '县', '市']);
/**
 * How far after the city prefix a district name may end. The longest
 * Chongqing county name, 彭水苗族土家族自治县, has 10 characters; a marker
 * further in belongs to the street part (e.g. `…大厦东区`) and must not be
 * kept.
 */
const DISTRICT_WINDOW = 12;

/**
 * `重庆市渝中区解放碑街道民族路1号` → `重庆市渝中区****`: the text up to and
 * including the first 区, 县 or 市 after 重庆市 (or after the start, for
 * addresses without it), within {@link DISTRICT_WINDOW} characters; with no
 * such marker, only the city prefix (if any) is kept.
 */
function maskAddress(text: string): string {
  const c = chars(text);
  const start = text.startsWith(CITY) ? chars(CITY).length : 0;
  const limit = Math.min(c.length, start + DISTRICT_WINDOW);
  for (let i = start; i < limit; i += 1) {
    if (DISTRICT_ENDS.has(c[i] ?? '')) {
      return c.slice(0, i + 1).join('') + HIDDEN;
    }
  }
  return c.slice(0, start).join('') + HIDDEN;
}

/** A leading four-digit year: `1985-06-01`, `19850601`, `1985年6月1日`. */
const YEAR = /^(\d{4})(?:$|\D|\d{4}$)/;

/**
 * `1985-06-01` → `1985`. Any text that does not start with a four-digit
 * year (`YYYY`, `YYYY-…`, `YYYY/…`, `YYYY年…`, `YYYYMMDD`) is hidden
 * entirely.
 */
function maskDateToYear(text: string): string {
  return YEAR.exec(text)?.[1] ?? HIDDEN;
}

/** `HASH`: the injected digest of the text. */
function maskHash(text: string, options: MaskOptions): string {
  if (options.hash === undefined) {
    throw new Error('mask: HASH needs options.hash (a keyed digest)');
  }
  return options.hash(text);
}

/** The empty string stays empty: there is nothing to hide. */
function unlessEmpty(
  maskText: (text: string) => string,
): (text: string) => string {
  return (text) => (text === '' ? text : maskText(text));
}

/** One text masker per kind; a `Record` so that every kind has one. */
const MASKERS: Readonly<
  Record<MaskKind, (text: string, options: MaskOptions) => string>
> = {
  ID_NUMBER: unlessEmpty(maskIdNumber),
  MOBILE: unlessEmpty(maskMobile),
  NAME: unlessEmpty(maskName),
  ADDRESS: unlessEmpty(maskAddress),
  DATE_TO_YEAR: unlessEmpty(maskDateToYear),
  HASH: maskHash,
};

/**
 * Masks one value of a conditionally shared field before it leaves the
 * gateway.
 *
 * - `null` and `undefined` are returned unchanged (nothing to hide).
 * - Strings are masked by `kind` (see {@link MaskKind}); the empty string
 *   stays empty except under `HASH`, which digests every string. Characters
 *   are code points, so non-ASCII text is masked by character, not by UTF-16
 *   unit.
 * - Arrays (list fields) are masked element by element.
 * - Any other value (number, boolean, object) becomes `null`. Masks are
 *   defined on text; turning `13812345678` as a number into text would change
 *   the field's type, and returning it unmasked would leak it, so the value is
 *   withheld instead. Policies should mask `String` fields only.
 *
 * @throws Error when `kind` is not a mask kind (plain data from the edge),
 *   or when a string is masked with `HASH` and no `options.hash` was given:
 *   a value is never passed through unmasked.
 */
export function mask(
  kind: MaskKind,
  value: string,
  options?: MaskOptions,
): string;
export function mask(kind: MaskKind, value: null, options?: MaskOptions): null;
export function mask(
  kind: MaskKind,
  value: unknown,
  options?: MaskOptions,
): unknown;
export function mask(
  kind: MaskKind,
  value: unknown,
  options: MaskOptions = {},
): unknown {
  const masker = Object.hasOwn(MASKERS, kind) ? MASKERS[kind] : undefined;
  if (masker === undefined) {
    throw new Error(`mask: unknown mask kind ${JSON.stringify(kind)}`);
  }
  return maskWith(masker, value, options);
}

/** {@link mask} once the kind is known to be valid. */
function maskWith(
  masker: (text: string, options: MaskOptions) => string,
  value: unknown,
  options: MaskOptions,
): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return masker(value, options);
  if (Array.isArray(value)) {
    return value.map((item: unknown) => maskWith(masker, item, options));
  }
  return null;
}
