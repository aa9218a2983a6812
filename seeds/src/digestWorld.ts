import { createHash } from 'node:crypto';

import type { World } from './generateWorld.js';
import { TABLE_ORDER } from './tables.js';

/**
 * JSON with object keys sorted, so that equal data always serialises to the
 * same text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256 (hex) of every row of every table in canonical JSON: equal for
 * equal worlds, so a world can be fingerprinted without keeping two copies.
 */
export function digestWorld(world: World): string {
  const hash = createHash('sha256');
  for (const table of TABLE_ORDER) {
    hash.update(`${table}\n`);
    for (const row of world.tables[table])
      hash.update(`${canonicalJson(row)}\n`);
  }
  return hash.digest('hex');
}
