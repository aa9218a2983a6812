// Runs the gateway as its own process:
//   tsx gateway/src/main.ts [path/to/supergraph.graphql]
// on any Federation 2 supergraph (default: the committed one), with
// SUBGRAPH_<NAME>_URL pointing subgraphs elsewhere. It signs every subgraph
// call with GATEWAY_SIGNING_SECRET or GATEWAY_SIGNING_PRIVATE_KEY_FILE and
// refuses to start without one. Callers' bearer tokens are verified with
// GOVGRAPH_JWKS_URL or GOVGRAPH_TOKEN_SECRET; it refuses to start without one
// of them too.
import { createLogger } from '../../subgraphs/kit/src/index.js';
import { createGateway } from './createGateway.js';
import {
  gatewayLimitsFromEnv,
  readGatewayEnv,
  tokenVerifierConfigFromEnv,
} from './env.js';
import { CallSigningError, signingKeyFromEnv } from './signing/index.js';
import { readSupergraphFile } from './supergraphFile.js';

try {
  const env = readGatewayEnv();
  const signing = await signingKeyFromEnv(env);
  if (signing === null) {
    throw new CallSigningError(
      'GATEWAY_SIGNING_SECRET (or GATEWAY_SIGNING_PRIVATE_KEY_FILE) is required: subgraphs answer only calls the gateway signs',
    );
  }
  const identity = tokenVerifierConfigFromEnv(env);
  if (identity === null) {
    throw new Error(
      "GOVGRAPH_TOKEN_SECRET (or GOVGRAPH_JWKS_URL) is required: the gateway verifies every caller's bearer token",
    );
  }
  const supergraphPath = process.argv[2] ?? env.SUPERGRAPH_PATH;
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const gateway = createGateway(
    {
      supergraphSdl: await readSupergraphFile(supergraphPath),
      subgraphUrls: env.subgraphUrls,
      maxBodyBytes: env.MAX_BODY_BYTES,
      signing,
      identity,
      limits: gatewayLimitsFromEnv(env),
    },
    { logger },
  );
  const served = await gateway.listen({ port: env.PORT, host: env.HOST });
  logger.info(
    { url: served.url, subgraphs: gateway.subgraphs },
    'gateway listening',
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    void served.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(
    `govgraph gateway: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
