// Runs the gateway as its own process:
//   node scripts/launch.js gateway/src/main.ts [path/to/supergraph.graphql]
// on any Federation 2 supergraph (default: the committed one), with
// SUBGRAPH_<NAME>_URL pointing subgraphs elsewhere. It signs every subgraph
// call with GATEWAY_SIGNING_SECRET or GATEWAY_SIGNING_PRIVATE_KEY_FILE and
// refuses to start without one. Callers' bearer tokens are verified with
// GOVGRAPH_JWKS_URL or GOVGRAPH_TOKEN_SECRET; it refuses to start without one
// of them too. The negative list, grants, roles and filings come from the
// policy store in DATABASE_URL, where the access log is written too (both
// schemas are migrated at start), and so are the idempotency keys of
// mutations; HASH masks use GATEWAY_MASK_SECRET.
// SIGTERM stops accepting requests, lets those in flight finish and writes
// every buffered access-log record before exiting.
import { commandLineOrExit } from '../../subgraphs/kit/src/cli/commandLine.js';
import {
  gatewayLimitsFromEnv,
  readGatewayEnv,
  tokenVerifierConfigFromEnv,
} from './env.js';
import { CallSigningError, signingKeyFromEnv } from './signing/index.js';

const { positionals } = commandLineOrExit({
  command: 'govgraph gateway',
  usage: `usage: npm run gateway -- [path/to/supergraph.graphql]
  The gateway as its own process (default supergraph: SUPERGRAPH_PATH or
  gateway/supergraph.graphql). Needs GATEWAY_SIGNING_SECRET (or
  GATEWAY_SIGNING_PRIVATE_KEY_FILE), GOVGRAPH_TOKEN_SECRET (or
  GOVGRAPH_JWKS_URL) and DATABASE_URL; see docs/configuration.md.`,
  allowPositionals: true,
});
const supergraphArgument = positionals[0];

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
  // What serves the gateway loads once the settings are known to be usable:
  // a misconfigured start says so without paying for Apollo and pg.
  const [
    { readSupergraphFile },
    { createLogger },
    { openDatabase },
    { createAccessLog, createIdempotencyKeys, migrateAccessLog },
    { createPolicyStore, migratePolicyStore },
    { readSafelistFile },
    { createGateway },
    { tracingFromEnv },
    { createGatewayMetrics },
  ] = await Promise.all([
    import('../../subgraphs/kit/src/supergraphFile.js'),
    import('../../subgraphs/kit/src/logger.js'),
    import('../../subgraphs/kit/src/db/openDatabase.js'),
    import('../../policies/store/src/audit/index.js'),
    import('../../policies/store/src/policy/index.js'),
    import('./pipeline/index.js'),
    import('./createGateway.js'),
    import('../../subgraphs/kit/src/tracing/tracing.js'),
    import('./observability/gatewayMetrics.js'),
  ]);
  const supergraphPath = supergraphArgument ?? env.SUPERGRAPH_PATH;
  // Read (and check) the supergraph before connecting to anything.
  const supergraphSdl = await readSupergraphFile(supergraphPath);
  const logger = createLogger('gateway', env.LOG_LEVEL);
  // OpenTelemetry traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await tracingFromEnv(env, 'govgraph-gateway');
  if (!env.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL is required: the policy store and the access log live in PostgreSQL',
    );
  }
  if (!env.GATEWAY_MASK_SECRET) {
    throw new Error(
      'GATEWAY_MASK_SECRET is required: the key of the digest behind HASH masks',
    );
  }
  const safelist = env.GATEWAY_SAFELIST_FILE
    ? await readSafelistFile(env.GATEWAY_SAFELIST_FILE)
    : null;

  const db = await openDatabase({
    kind: 'pg',
    connectionString: env.DATABASE_URL,
  });
  await migratePolicyStore(db);
  await migrateAccessLog(db);
  const policy = createPolicyStore({
    db,
    logger,
    refreshIntervalMs: env.GATEWAY_POLICY_REFRESH_MS,
  });
  await policy.start();
  const metrics = env.GATEWAY_METRICS === 'on' ? createGatewayMetrics() : null;
  const accessLog = createAccessLog(
    {
      db,
      flushIntervalMs: 2,
      failClosed: !env.GATEWAY_ACCESS_LOG_FAIL_OPEN,
      checkpointIntervalMs: env.GATEWAY_ACCESS_LOG_CHECKPOINT_MS,
      ...(env.GATEWAY_ACCESS_LOG_WRITER_ID === undefined
        ? {}
        : { writerId: env.GATEWAY_ACCESS_LOG_WRITER_ID }),
    },
    { logger, ...(metrics ? { observer: metrics.accessLogObserver } : {}) },
  );
  const gateway = createGateway(
    {
      supergraphSdl,
      subgraphUrls: env.subgraphUrls,
      maxBodyBytes: env.MAX_BODY_BYTES,
      subgraphTimeoutMs: env.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      maxConcurrent: env.GATEWAY_MAX_CONCURRENT,
      maxResponseBytes: env.GATEWAY_MAX_RESPONSE_BYTES,
      signing,
      identity,
      limits: gatewayLimitsFromEnv(env),
      governance: {
        policy,
        accessLog,
        accessLogDeadlineMs: env.GATEWAY_ACCESS_LOG_DEADLINE_MS,
        idempotency: createIdempotencyKeys({ db }, { logger }),
        strict: env.GATEWAY_STRICT,
        maskSecret: env.GATEWAY_MASK_SECRET,
        safelist,
      },
    },
    { logger, metrics, database: db },
  );
  const served = await gateway.listen({ port: env.PORT, host: env.HOST });
  logger.info(
    { url: served.url, subgraphs: gateway.subgraphs },
    'gateway listening',
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    void served
      .close()
      .then(() => accessLog.close())
      .then(() => policy.close())
      .then(() => db.close())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(
    `govgraph gateway: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
