// Caller identity at the gateway: bearer tokens verified with jose.
export { AuthenticationError } from './AuthenticationError.js';
export { createTokenVerifier } from './createTokenVerifier.js';
export type {
  TokenKeys,
  TokenVerifier,
  TokenVerifierConfig,
} from './createTokenVerifier.js';
export { mintToken } from './mintToken.js';
export type { MintTokenOptions } from './mintToken.js';
export { TokenClaimsSchema } from './TokenClaims.js';
export type { TokenClaims } from './TokenClaims.js';
export {
  authenticateRequest,
  MissingPurposeError,
  PURPOSE_HEADER,
  PurposeNotDeclarableError,
} from './authenticateRequest.js';
export type { Principal } from './authenticateRequest.js';
