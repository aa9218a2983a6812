import { createHash } from 'node:crypto';

/**
 * A short public name of a token-signing secret (the first 12 characters
 * of its SHA-256 in base64url), written as `kid` in the tokens it signs:
 * a gateway that refuses a token's signature can then tell whether the
 * token was signed with another secret, such as an earlier run's.
 */
export function secretKeyId(secret: Uint8Array): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 12);
}
