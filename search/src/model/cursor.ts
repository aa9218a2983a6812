// Opaque page cursors: base64url JSON of the sort values of the last hit and
// a hash of the request, so that a cursor handed to another request (other
// text, filter or sort) is refused instead of silently skipping documents.
import { SearchRequestError } from './SearchRequestError.js';

/** A sort value as a cursor carries it. */
export type SortValue = string | number | null;

interface CursorBody {
  /** Sort values of the last hit, the trailing id included. */
  readonly v: readonly SortValue[];
  /** Hash of the request the cursor belongs to. */
  readonly h: string;
}

/**
 * A stable 64-bit hash (two FNV-1a 32-bit lanes), hex: enough to tell
 * requests apart, not a security measure.
 */
export function hashString(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (
    (a >>> 0).toString(16).padStart(8, '0') +
    (b >>> 0).toString(16).padStart(8, '0')
  );
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Encodes a cursor. */
export function encodeCursor(
  values: readonly SortValue[],
  requestHash: string,
): string {
  const body: CursorBody = { v: values, h: requestHash };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the request with hash
 * `requestHash` and `length` sort values; throws {@link SearchRequestError}
 * for anything else.
 */
export function decodeCursor(
  cursor: string,
  requestHash: string,
  length: number,
): SortValue[] {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new SearchRequestError('after: malformed cursor');
  }
  if (
    body === null ||
    typeof body !== 'object' ||
    !('v' in body) ||
    !('h' in body) ||
    !Array.isArray(body.v) ||
    typeof body.h !== 'string' ||
    !body.v.every(
      (x: unknown) =>
        x === null ||
        typeof x === 'string' ||
        (typeof x === 'number' && Number.isFinite(x)),
    )
  ) {
    throw new SearchRequestError('after: malformed cursor');
  }
  if (body.h !== requestHash || body.v.length !== length) {
    throw new SearchRequestError(
      'after: the cursor belongs to another request (text, filter or sort differ)',
    );
  }
  return body.v as SortValue[];
}
