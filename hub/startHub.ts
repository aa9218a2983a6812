// Starts the whole hub in one process: the database prepared
// (prepareHubDatabase.ts), the subgraphs, the gateway (createHubGateway.ts),
// the job runners — search indexing, the registry's re-review, alerting —
// as `npm run worker` starts them (startJobRunners.ts), and the replay of
// the demo's scenario 1 (replayScenario.ts). The types are in Hub.ts.
import { randomBytes } from 'node:crypto';

import {
  createAccessLog,
  createIdempotencyKeys,
} from '../policies/store/src/audit/index.js';
import { createPolicyStore } from '../policies/store/src/policy/index.js';
import { readSupergraphFile } from '../subgraphs/kit/src/supergraphFile.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../subgraphs/kit/src/supergraphPath.js';
import { jobMetricsRegistry } from '../subgraphs/kit/src/metrics/jobMetrics.js';
import { createGatewayMetrics } from '../gateway/src/observability/gatewayMetrics.js';
import {
  createCatalogSubgraph,
  createDepartmentSubgraphs,
  createGovernanceSubgraph,
} from '../subgraphs/index.js';
import { createHmacKey } from '../subgraphs/kit/src/signing/keys.js';
import {
  createSubgraph,
  type Subgraph,
} from '../subgraphs/kit/src/createSubgraph.js';
import type { ServedGraphQL } from '../subgraphs/kit/src/http/serveGraphQL.js';
import { createHubGateway } from './createHubGateway.js';
import type { Hub, HubConfig, HubDeps, ScenarioReplay } from './Hub.js';
import {
  prepareHubDatabase as prepareDatabase,
  type PreparedDatabase,
} from './prepareHubDatabase.js';
import { replayScenarioOne } from './replayScenario.js';
import { startJobRunners, type JobRunners } from './startJobRunners.js';

export type { Hub, HubConfig, HubDeps, ScenarioReplay } from './Hub.js';

/** The configuration {@link prepareHubDatabase} reads. */
export type HubDatabaseConfig = Pick<
  HubConfig,
  'seed' | 'supergraphPath' | 'alertWebhookAllowList'
>;

/** What preparing the hub's database did (migrations applied, seeding). */
export type PreparedHubDatabase = PreparedDatabase;

/**
 * The subgraphs a hub serves, over `deps.db`, answering only calls signed
 * with `deps.callKey`.
 */
function createHubSubgraphs(
  config: HubDatabaseConfig,
  supergraphSdl: string,
  deps: HubDeps & { callKey: ReturnType<typeof createHmacKey> },
): Subgraph[] {
  return [
    ...createDepartmentSubgraphs({
      emergency: config.alertWebhookAllowList
        ? { webhookAllowList: config.alertWebhookAllowList }
        : {},
    }),
    createGovernanceSubgraph({ supergraphSdl }),
    createCatalogSubgraph({ supergraphSdl }),
  ].map((definition) => createSubgraph(definition, deps));
}

/**
 * Prepares a database as {@link startHub} does before anything listens
 * (migrations, the demo world, policy, governance and filings), without
 * starting anything: a database prepared once can be copied (the tests
 * clone a PostgreSQL template) and started with `preparedDatabase`.
 */
export async function prepareHubDatabase(
  config: HubDatabaseConfig,
  deps: HubDeps,
): Promise<PreparedHubDatabase> {
  const supergraphSdl = await readSupergraphFile(
    config.supergraphPath ?? DEFAULT_SUPERGRAPH_PATH,
  );
  // The subgraphs only migrate: nothing calls them, whatever the key.
  const callKey = createHmacKey(randomBytes(32).toString('base64url'));
  const subgraphs = createHubSubgraphs(config, supergraphSdl, {
    ...deps,
    callKey,
  });
  return prepareDatabase(deps.db, subgraphs, config, supergraphSdl);
}

export { DEMO_REVIEWERS } from './startJobRunners.js';

/**
 * Starts the whole hub on one database: applies every department's
 * migrations, seeds the database when it is empty, starts the six
 * department subgraphs, the governance subgraph and the gateway over the committed supergraph with the subgraphs' real
 * URLs; the gateway signs every subgraph call with one shared key, and the
 * subgraphs answer nothing else. Once the gateway listens, a start that
 * seeded replays scenario 1 through the alert evaluator
 * ({@link HubConfig.replayScenarios}). Used by `npm start` and by the
 * end-to-end tests.
 */
export async function startHub(config: HubConfig, deps: HubDeps): Promise<Hub> {
  const host = config.host ?? '127.0.0.1';
  const callKey = createHmacKey(
    config.signingSecret ?? randomBytes(32).toString('base64url'),
  );
  const supergraphSdl = await readSupergraphFile(
    config.supergraphPath ?? DEFAULT_SUPERGRAPH_PATH,
  );
  const subgraphs = createHubSubgraphs(config, supergraphSdl, {
    ...deps,
    callKey,
  });
  deps.progress?.('migrating the database (and seeding it when empty)');
  const prepared = await prepareDatabase(
    deps.db,
    subgraphs,
    config,
    supergraphSdl,
  );
  const { applied } = prepared;
  // A copy of a database prepared beforehand counts as seeded at this
  // start: it holds the demo world, and nothing has run on it yet.
  const seeded = prepared.seeded ?? config.preparedDatabase?.seeded ?? null;
  const policy = createPolicyStore({
    db: deps.db,
    logger: deps.logger,
    refreshIntervalMs: config.policyRefreshMs ?? 30_000,
  });
  await policy.start();
  // Created first: the access log reports its batches to them.
  const metrics = config.metrics === false ? null : createGatewayMetrics();
  // The job runners have no HTTP server here: their metrics are served
  // with the gateway's.
  metrics?.endpoint.include(jobMetricsRegistry());
  const accessLog = createAccessLog(
    {
      db: deps.db,
      // Group commit: a record waits at most 2 ms for others; while one
      // batch is written the next gathers.
      flushIntervalMs: 2,
      failClosed: config.accessLogFailClosed ?? true,
      checkpointIntervalMs: config.accessLogCheckpointMs ?? 10_000,
      ...(config.accessLogWriterId === undefined
        ? {}
        : { writerId: config.accessLogWriterId }),
    },
    {
      logger: deps.logger,
      ...(metrics ? { observer: metrics.accessLogObserver } : {}),
    },
  );
  const served: ServedGraphQL[] = [];
  let jobs: JobRunners | null = null;
  const closeAll = async (): Promise<void> => {
    await jobs?.close(); // before the gateway alerting reads through
    for (const s of served.reverse()) await s.close();
    await accessLog.close();
    await policy.close();
  };
  try {
    deps.progress?.(`starting ${String(subgraphs.length)} subgraphs`);
    for (const subgraph of subgraphs) {
      served.push(
        await subgraph.listen({
          port:
            config.subgraphPorts === 'free'
              ? 0
              : subgraph.definition.defaultPort,
          host,
        }),
      );
    }
    const urls = Object.fromEntries(
      subgraphs.map((s, i) => [s.definition.name, served[i]?.url ?? '']),
    );
    deps.progress?.('starting the gateway');
    const gateway = createHubGateway(
      config,
      {
        supergraphSdl,
        subgraphUrls: urls,
        callKey,
        policy,
        accessLog,
        idempotency: createIdempotencyKeys(
          { db: deps.db },
          { logger: deps.logger },
        ),
        metrics,
        database: deps.db,
      },
      deps.logger,
    );
    const gatewayServed = await gateway.listen({
      port: config.gatewayPort,
      host,
    });
    served.push(gatewayServed);
    const readers = {
      db: deps.db,
      logger: deps.logger,
      gatewayUrl: gatewayServed.url,
      tokenSecret: config.tokenSecret,
    };
    // The job runners, as `npm run worker` starts them; alerting reads
    // through the gateway, so they start once it listens.
    deps.progress?.(
      'starting the job runners (search indexing, alerting, re-review)',
    );
    jobs = await startJobRunners(
      {
        ...(config.search ? { search: config.search } : {}),
        reReview: config.reReview ?? null,
        alerting: config.alerting ?? null,
        alertWebhookAllowList: config.alertWebhookAllowList,
        redisLossWatch: config.redisLossWatch ?? null,
      },
      deps.reindexProgress
        ? { ...readers, reindexProgress: deps.reindexProgress }
        : readers,
    );
    let scenarioReplay: ScenarioReplay | null = null;
    if (seeded !== null && (config.replayScenarios ?? true)) {
      deps.progress?.('replaying scenario 1 through the alert evaluator');
      scenarioReplay = await replayScenarioOne(readers);
    }
    return {
      gatewayUrl: gatewayServed.url,
      subgraphs: subgraphs.map((s) => ({
        name: s.definition.name,
        department: s.definition.department,
        url: urls[s.definition.name] ?? '',
      })),
      seeded,
      scenarioReplay,
      applied,
      accessLog,
      policy,
      gateway,
      reReview: jobs.reReview,
      search: jobs.search,
      alerting: jobs.alerting,
      redisLossWatch: jobs.redisLossWatch,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
