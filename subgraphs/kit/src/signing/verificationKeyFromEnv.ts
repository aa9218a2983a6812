import type { Env } from '../env.js';
import { SigningKeyError } from './errors.js';
import {
  createHmacKey,
  readVerificationKeyFile,
  type VerificationKey,
} from './keys.js';

/**
 * The key a subgraph checks the gateway's call signatures with, from
 * `GATEWAY_SIGNING_SECRET` (HS256) or `GATEWAY_SIGNING_PUBLIC_KEY_FILE`
 * (ES256/RS256: a PEM public key or a JSON Web Key Set); `null` when
 * neither is set.
 * @throws SigningKeyError when both are set or the key cannot be used
 */
export async function verificationKeyFromEnv(
  env: Pick<Env, 'GATEWAY_SIGNING_SECRET' | 'GATEWAY_SIGNING_PUBLIC_KEY_FILE'>,
): Promise<VerificationKey | null> {
  const secret = env.GATEWAY_SIGNING_SECRET;
  const file = env.GATEWAY_SIGNING_PUBLIC_KEY_FILE;
  if (secret !== undefined && file !== undefined) {
    throw new SigningKeyError(
      'set either GATEWAY_SIGNING_SECRET or GATEWAY_SIGNING_PUBLIC_KEY_FILE, not both',
    );
  }
  if (secret !== undefined) return createHmacKey(secret);
  if (file !== undefined) return readVerificationKeyFile(file);
  return null;
}
