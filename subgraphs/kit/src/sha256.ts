import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text (operation hashes, safelist entries, plan keys). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
