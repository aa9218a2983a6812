// `npm run worker`: the job runners as a process of their own, for the
// production shape where the subgraphs and the gateway run separately
// (docs/operations.md): the search indexing pipeline, the alert evaluator
// with the webhook relay and deliveries, and the registry's annual
// re-review, all on the BullMQ queues in REDIS_URL (several workers may run
// at once: each job is taken by one), against DATABASE_URL, the evaluator
// reading through the gateway at GATEWAY_URL with a service token signed
// with GOVGRAPH_TOKEN_SECRET. It watches Redis for the loss of its data and
// recovers at once. SIGTERM lets the jobs in progress finish.
import { commandLineOrExit } from '../../subgraphs/kit/src/cli/commandLine.js';
import { createLogger } from '../../subgraphs/kit/src/logger.js';
import { DatabaseUnavailableError } from '../../subgraphs/kit/src/db/Database.js';
import { EnvError, readEnv } from '../../subgraphs/kit/src/env.js';
import { readEmergencyEnv } from '../../subgraphs/emergency/src/env.js';
import { readWorkerEnv } from './env.js';

commandLineOrExit({
  command: 'govgraph worker',
  usage: `usage: npm run worker
  The job runners (search indexing, alerting, the registry's re-review) on
  the BullMQ queues of REDIS_URL, against DATABASE_URL; see docs/operations.md.`,
});

try {
  const env = readEnv();
  if (!env.REDIS_URL) {
    throw new EnvError(
      'REDIS_URL is required: the worker takes its jobs from the BullMQ queues in Redis (npm start runs the jobs in-process instead)',
    );
  }
  if (!env.DATABASE_URL) {
    throw new EnvError(
      'DATABASE_URL is required: the worker indexes, evaluates and delivers from the PostgreSQL the subgraphs use',
    );
  }
  const workerEnv = readWorkerEnv();
  const emergencyEnv = readEmergencyEnv();
  const logger = createLogger('worker', env.LOG_LEVEL);
  // The job runners' modules (BullMQ, search, alerting, the registry) load
  // once the settings are known to be usable: a refusal costs no more than
  // reading them.
  const [
    { openDatabase },
    { databaseCheck },
    { jobMetricsEndpoint },
    { serveProbes },
    { PENDING_COUNT_BOUND, readSearchIndexState },
    { EMERGENCY_OUTBOX },
    { reindexProgressPrinter },
    { startJobRunners },
  ] = await Promise.all([
    import('../../subgraphs/kit/src/db/openDatabase.js'),
    import('../../subgraphs/kit/src/http/readiness.js'),
    import('../../subgraphs/kit/src/metrics/jobMetrics.js'),
    import('../../subgraphs/kit/src/http/serveProbes.js'),
    import('../../search/src/pipeline/searchIndexState.js'),
    import('../../subgraphs/emergency/src/search/documents.js'),
    import('../reindexProgress.js'),
    import('../startJobRunners.js'),
  ]);
  const db = await openDatabase({
    kind: 'pg',
    connectionString: env.DATABASE_URL,
  });
  const prefix =
    env.REDIS_PREFIX === undefined ? {} : { prefix: env.REDIS_PREFIX };
  const redis = { url: env.REDIS_URL, ...prefix };
  const jobs = await startJobRunners(
    {
      search: {
        elasticsearchUrl: env.ELASTICSEARCH_URL,
        indexer: { queue: { kind: 'redis', ...redis } },
      },
      reReview: { kind: 'redis', connection: redis.url, ...prefix },
      alerting: { kind: 'redis', connection: redis.url, ...prefix },
      alertWebhookAllowList: emergencyEnv.webhookAllowList,
      redisLossWatch: redis,
    },
    {
      db,
      logger,
      gatewayUrl: workerEnv.GATEWAY_URL,
      tokenSecret: workerEnv.GOVGRAPH_TOKEN_SECRET,
      reindexProgress: reindexProgressPrinter(process.stdout, 'worker: '),
    },
  );
  // For probes and Prometheus: the job queues' and the search index's
  // metrics, readiness (database, search index).
  const probes = await serveProbes({
    port: workerEnv.WORKER_PORT,
    host: env.HOST,
    health: { worker: 'ok' },
    ready: {
      database: databaseCheck(db),
      searchIndex: async () => {
        const index = await readSearchIndexState(
          db,
          [EMERGENCY_OUTBOX],
          PENDING_COUNT_BOUND,
        );
        return {
          ...index,
          status: index.state === 'building' ? 'building' : 'ok',
        };
      },
    },
    metrics: { endpoint: jobMetricsEndpoint() },
  });
  logger.info(
    {
      probes: probes.url,
      gateway: workerEnv.GATEWAY_URL,
      search: env.ELASTICSEARCH_URL ? 'elasticsearch' : 'postgres',
      prefix: env.REDIS_PREFIX ?? 'bull',
    },
    'worker running: search indexing, alert evaluation and webhooks, re-review',
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    void jobs
      .close()
      .then(() => probes.close())
      .then(() => db.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof DatabaseUnavailableError || error instanceof EnvError) {
    process.stderr.write(`govgraph: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
