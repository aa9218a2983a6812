// The gateway's half of signed subgraph calls.
export { callContextOf } from './callContextOf.js';
export { CallSigningError } from './CallSigningError.js';
export {
  signingKeyFromEnv,
  type GatewaySigningEnv,
} from './signingKeyFromEnv.js';
