/**
 * JSON with the keys of every object sorted (by UTF-16 code units) and no
 * whitespace, so that equal data always gives the same text whatever order
 * its keys were built or stored in (jsonb reorders them). Keys whose value is
 * `undefined` are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${String(value)} is not JSON`);
    }
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) {
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
    }
    return json;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v: unknown) => canonicalJson(v)).join(',')}]`;
  }
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
}
