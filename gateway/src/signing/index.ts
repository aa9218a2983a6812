// The gateway's half of signed subgraph calls.
export { callContextOf } from './callContextOf.js';
export { CallSigningError } from './CallSigningError.js';
export {
  createSigningFetcher,
  type Fetcher,
  type SigningFetcherOptions,
} from './createSigningFetcher.js';
export {
  signingKeyFromEnv,
  type GatewaySigningEnv,
} from './signingKeyFromEnv.js';
