// Caller identity at the gateway: bearer tokens verified with jose.
export { AuthenticationError, TOKEN_RULES } from './AuthenticationError.js';
export {
  createTokenVerifier,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_TTL_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
} from './createTokenVerifier.js';
export type {
  TokenKeys,
  TokenVerifier,
  TokenVerifierConfig,
  TokenVerifierDeps,
} from './createTokenVerifier.js';
export { mintToken } from './mintToken.js';
export { secretKeyId } from './secretKeyId.js';
export type { MintTokenOptions } from './mintToken.js';
export { formatDuration, parseDuration } from './parseDuration.js';
export { ALGORITHM_ROLE, TokenClaimsSchema } from './TokenClaims.js';
export type { TokenClaims } from './TokenClaims.js';
export type { RevocableToken, TokenRevocations } from './TokenRevocations.js';
export {
  authenticateRequest,
  MissingPurposeError,
  PURPOSE_HEADER,
  PurposeNotDeclarableError,
} from './authenticateRequest.js';
export type { Principal } from './authenticateRequest.js';
