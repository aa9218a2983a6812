import {
  createHmacKey,
  readSigningKeyFile,
  type SigningKey,
} from '../../../subgraphs/kit/src/signing/keys.js';
import { SigningKeyError } from '../../../subgraphs/kit/src/signing/errors.js';

/** The environment variables that configure the gateway's call-signing key. */
export interface GatewaySigningEnv {
  /** HS256 secret shared with every subgraph. */
  readonly GATEWAY_SIGNING_SECRET?: string | undefined;
  /** PEM private key (ES256/RS256); subgraphs hold its public key. */
  readonly GATEWAY_SIGNING_PRIVATE_KEY_FILE?: string | undefined;
}

/**
 * The gateway's call-signing key from `GATEWAY_SIGNING_SECRET` (HS256) or
 * `GATEWAY_SIGNING_PRIVATE_KEY_FILE` (ES256/RS256); `null` when neither is
 * set.
 * @throws SigningKeyError when both are set or the key cannot be used
 */
export async function signingKeyFromEnv(
  env: GatewaySigningEnv,
): Promise<SigningKey | null> {
  const secret = env.GATEWAY_SIGNING_SECRET;
  const file = env.GATEWAY_SIGNING_PRIVATE_KEY_FILE;
  if (secret && file) {
    throw new SigningKeyError(
      'set either GATEWAY_SIGNING_SECRET or GATEWAY_SIGNING_PRIVATE_KEY_FILE, not both',
    );
  }
  if (secret) return createHmacKey(secret);
  if (file) return readSigningKeyFile(file);
  return null;
}
