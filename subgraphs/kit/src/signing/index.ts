// Signed subgraph calls: the gateway signs every call it makes to a
// subgraph; a subgraph answers nothing else.
export { CallVerifier, type CallVerifierOptions } from './CallVerifier.js';
export {
  CallRejectedError,
  CallScopeError,
  CallSignatureError,
  type CallSignatureFailure,
  ReplayWindowFullError,
  SigningKeyError,
} from './errors.js';
export {
  createHmacKey,
  createJwksVerificationKey,
  type HmacKey,
  importPrivateKeyPem,
  importPublicKeyPem,
  MIN_SECRET_BYTES,
  readSigningKeyFile,
  readVerificationKeyFile,
  type SigningAlgorithm,
  type SigningKey,
  type VerificationKey,
} from './keys.js';
export { ReplayCache, type ReplayCacheOptions } from './ReplayCache.js';
export {
  RedisReplayCache,
  ReplayCheckUnavailableError,
  type CallIdStore,
  type RedisReplayCacheOptions,
} from './RedisReplayCache.js';
export {
  bodyHash,
  encodeCallContext,
  signCall,
  signEncodedCall,
  type CallClaims,
  type CallToSign,
  type EncodedCallToSign,
} from './signCall.js';
export {
  EMPTY_CALL_CONTEXT,
  SIGNATURE_HEADER,
  SIGNATURE_ISSUER,
  SIGNATURE_TTL_SECONDS,
  SIGNATURE_TYPE,
  type SignedCallContext,
} from './SignedCallContext.js';
export { verificationKeyFromEnv } from './verificationKeyFromEnv.js';
export { RequestPrincipalSchema, requirePrincipal } from './principal.js';
