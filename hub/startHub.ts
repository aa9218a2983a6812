import { randomBytes } from 'node:crypto';

import type { Logger } from 'pino';

import {
  createAccessLog,
  migrateAccessLog,
  type AccessLog,
} from '../gateway/src/accessLog/index.js';
import {
  createGateway,
  type Gateway,
  type GatewayLimits,
} from '../gateway/src/createGateway.js';
import {
  createPolicyStore,
  isPolicySeeded,
  migratePolicyStore,
  writePolicyDocument,
  type PolicyStore,
} from '../gateway/src/policyStore/index.js';
import { readSupergraphFile } from '../gateway/src/supergraphFile.js';
import {
  evaluateAlertsOnce,
  startAlerting,
  type Alerting,
  type AlertingConfig,
} from './startAlerting.js';
import {
  startReReviewRunner,
  type ReReviewRunner,
  type ReReviewRunnerConfig,
} from '../catalog/src/jobs/reReviewRunner.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../gateway/src/env.js';
import {
  demoFilings,
  demoPolicy,
  isSeeded,
  SCENARIOS,
  seedDatabase,
  writeDemoFilings,
  writeDemoGovernance,
} from '../seeds/src/index.js';
import {
  createCatalogSubgraph,
  createDepartmentSubgraphs,
  createGovernanceSubgraph,
} from '../subgraphs/index.js';
import {
  EMPTY_WEBHOOK_ALLOW_LIST,
  type WebhookAllowList,
} from '../subgraphs/emergency/src/alerting/webhookTargets.js';
import {
  createHmacKey,
  createSubgraph,
  type Database,
  type ServedGraphQL,
  type Subgraph,
} from '../subgraphs/kit/src/index.js';
import { emergencySearchSource } from '../subgraphs/emergency/src/search/documents.js';
import {
  listAlertInboxes,
  type AlertInboxes,
} from '../subgraphs/emergency/src/alerting/repository.js';
import { openSearchBackend } from '../search/src/openSearchBackend.js';
import type { SearchBackend } from '../search/src/SearchBackend.js';
import {
  startSearchIndexer,
  type SearchIndexer,
  type SearchIndexerConfig,
} from '../search/src/pipeline/startSearchIndexer.js';

/** Configuration of {@link startHub}. */
export interface HubConfig {
  /** Gateway port; 0 picks a free one. */
  gatewayPort: number;
  /**
   * Ports of the subgraphs: `'default'` uses each department's own port
   * (4001–4006), `'free'` lets the system pick.
   */
  subgraphPorts: 'default' | 'free';
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Seed an empty database with this seed; `false` never seeds. */
  seed: { seed: number; scale: 'demo' | 'city' } | false;
  /** @defaultValue the committed gateway/supergraph.graphql */
  supergraphPath?: string;
  /**
   * HS256 secret (at least 32 bytes) the gateway signs its subgraph calls
   * with and the subgraphs check them with.
   * @defaultValue a random secret for this run only
   */
  signingSecret?: string;
  /**
   * HS256 secret (at least 32 bytes) callers' bearer tokens are signed
   * with; mint them with `mintToken` (see hub/demoUsers.ts).
   */
  tokenSecret: string;
  /**
   * Longest lifetime (`exp − iat`) of a bearer token the gateway accepts,
   * in seconds (GOVGRAPH_MAX_TOKEN_TTL).
   * @defaultValue 43200 (12 h)
   */
  maxTokenTtlSeconds?: number;
  /**
   * Clock skew tolerated on bearer tokens, in seconds, at most 60
   * (GOVGRAPH_CLOCK_TOLERANCE).
   * @defaultValue 5
   */
  clockToleranceSeconds?: number;
  /** The gateway's operation limits. @defaultValue DEFAULT_GATEWAY_LIMITS */
  limits?: GatewayLimits;
  /**
   * Secret of the keyed digest behind `HASH` masks.
   * @defaultValue a random secret for this run only
   */
  maskSecret?: string;
  /** Refuse whole operations with a withheld field. @defaultValue false */
  strict?: boolean;
  /** Run only these operations (SHA-256 of their text). @defaultValue every operation */
  safelist?: ReadonlySet<string> | null;
  /**
   * Refuse cross-department reads when the access log cannot be written.
   * @defaultValue true
   */
  accessLogFailClosed?: boolean;
  /**
   * Milliseconds between periodic policy reloads, the safety net behind the
   * reload on change notifications (the store LISTENs from `start()` to
   * `close()`). @defaultValue 30000
   */
  policyRefreshMs?: number;
  /**
   * How the annual re-review job of the algorithm registry runs: on Redis
   * (BullMQ, a daily schedule) or in-process; `null` runs none.
   * @defaultValue null
   */
  reReview?: ReReviewRunnerConfig | null;
  /**
   * How the emergency department's alert evaluator and webhook deliveries
   * run (BullMQ on Redis or in-process); `null` runs none. It reads
   * through this hub's gateway, with a token signed by `tokenSecret`.
   * @defaultValue null
   */
  alerting?: AlertingConfig | null;
  /**
   * Alert webhook targets allowed besides public addresses over https
   * (ALERT_WEBHOOK_ALLOWED_TARGETS, see `readEmergencyEnv`): the emergency
   * subgraph registers webhooks under it and alerting delivers under it
   * (it replaces `alerting.webhooks.allowList`).
   * @defaultValue none
   */
  alertWebhookAllowList?: WebhookAllowList;
  /**
   * After seeding the demo city, evaluate the thresholds of scenario 1's
   * risk item once, through the gateway, as of the scenario's instant
   * (`SCENARIOS.dissolvedOxygen.evaluatedAt`), so that the evaluator raises
   * the 蒲河寨溪大桥 alert from the seeded readings (see `scenarioReplay`
   * of {@link Hub}). Only on the start that seeds (or starts a prepared
   * copy, {@link HubConfig.preparedDatabase}); the evaluation is
   * idempotent anyway.
   * @defaultValue true
   */
  replayScenarios?: boolean;
  /**
   * What {@link prepareHubDatabase} reported for the database this hub
   * starts on, when it was prepared beforehand and copied (the tests clone
   * a seeded template database, tests/utils/demoTemplate.ts): such a copy
   * holds the demo world but nothing has run on it, so this start counts
   * as the one that seeded — `seeded` reports the preparation's seeding
   * and the scenarios are replayed ({@link HubConfig.replayScenarios}).
   * The start still applies pending migrations and never seeds a seeded
   * database again. @defaultValue null
   */
  preparedDatabase?: PreparedHubDatabase | null;
  /**
   * Search: where the index is (Elasticsearch at `elasticsearchUrl`, else
   * PostgreSQL in the hub's database) and how the indexing pipeline runs
   * (its job queue: BullMQ on Redis or in-process).
   * @defaultValue PostgreSQL, in-process
   */
  search?: {
    readonly elasticsearchUrl?: string | undefined;
    readonly indexer?: SearchIndexerConfig;
  };
}

/** The demo city's algorithm reviewers, told when a re-review falls due. */
export const DEMO_REVIEWERS: readonly string[] = [
  'algorithm-reviewer',
  'algorithm-reviewer-2',
];

/** What replaying the demo scenarios' alerts raised. */
export interface ScenarioReplay {
  /** The instant evaluated, as the seeds state it (ISO 8601, +08:00). */
  readonly evaluatedAt: string;
  /** The alerts raised, with the inboxes they were delivered to. */
  readonly alerts: readonly AlertInboxes[];
}

/** Dependencies of {@link startHub}. */
export interface HubDeps {
  db: Database;
  logger: Logger;
}

/**
 * A running hub: six department subgraphs, the governance subgraph and the
 * gateway in one process.
 */
export interface Hub {
  readonly gatewayUrl: string;
  /** Subgraph name → its URL and department. */
  readonly subgraphs: ReadonlyArray<{
    name: string;
    department: string;
    url: string;
  }>;
  /**
   * How seeding went: `null` when the database already held data (unless
   * it is a prepared copy, {@link HubConfig.preparedDatabase}).
   */
  readonly seeded: { ms: number } | null;
  /**
   * The evaluation of the seeded readings as of scenario 1's instant, on
   * the start that seeded (see {@link HubConfig.replayScenarios}); `null`
   * when none ran.
   */
  readonly scenarioReplay: ScenarioReplay | null;
  /** Migrations applied at this start, `schema/NNN_name.sql`. */
  readonly applied: readonly string[];
  /** The gateway's access log (drained by `close`). */
  readonly accessLog: AccessLog;
  /** The policy the gateway decides from. */
  readonly policy: PolicyStore;
  /** The gateway (its governance exposes plan-cache counters). */
  readonly gateway: Gateway;
  /** The annual re-review job, when one runs. */
  readonly reReview: ReReviewRunner | null;
  /** The search indexing pipeline (outbox → queue → index). */
  readonly search: SearchIndexer;
  /** The alert evaluator and webhook deliveries, when they run. */
  readonly alerting: Alerting | null;
  /**
   * Stops accepting requests, lets those in flight finish, writes every
   * access-log record still buffered, then stops the policy reload.
   */
  close(): Promise<void>;
}

/** The configuration {@link prepareHubDatabase} reads. */
export type HubDatabaseConfig = Pick<
  HubConfig,
  'seed' | 'supergraphPath' | 'alertWebhookAllowList'
>;

/** What preparing the hub's database did. */
export interface PreparedHubDatabase {
  /** Migrations applied, `schema/NNN_name.sql`. */
  readonly applied: readonly string[];
  /** How seeding went: `null` when the database already held data. */
  readonly seeded: { ms: number } | null;
}

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
 * What a start does to the database before anything listens: applies every
 * subgraph's migrations and those of the policy store and the access log,
 * seeds the demo world when the database is empty, the demo policy and
 * governance when there is no policy, and the demo filings when the
 * registry is empty.
 */
async function prepareDatabase(
  subgraphs: readonly Subgraph[],
  config: HubDatabaseConfig,
  supergraphSdl: string,
  deps: HubDeps,
): Promise<PreparedHubDatabase> {
  const applied: string[] = [];
  for (const subgraph of subgraphs) {
    const names = await subgraph.migrate();
    applied.push(...names.map((n) => `${subgraph.definition.schema}/${n}`));
  }
  applied.push(
    ...(await migratePolicyStore(deps.db)).map((n) => `policy/${n}`),
    ...(await migrateAccessLog(deps.db)).map((n) => `audit/${n}`),
  );
  let seeded: { ms: number } | null = null;
  if (config.seed !== false && !(await isSeeded(deps.db))) {
    const started = performance.now();
    await seedDatabase(deps.db, config.seed);
    seeded = { ms: Math.round(performance.now() - started) };
  }
  if (config.seed !== false && !(await isPolicySeeded(deps.db))) {
    await writePolicyDocument(deps.db, demoPolicy({ supergraphSdl }), {
      note: { actor: 'npm start', change: 'seed the demo policy' },
    });
    await writeDemoGovernance(deps.db);
  }
  if (config.seed !== false) {
    await writeDemoFilings(deps.db, demoFilings(supergraphSdl), {
      actor: 'npm start',
      change: 'seed the algorithm registry',
    });
  }
  return { applied, seeded };
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
  return prepareDatabase(subgraphs, config, supergraphSdl, deps);
}

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
  const prepared = await prepareDatabase(
    subgraphs,
    config,
    supergraphSdl,
    deps,
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
  const accessLog = createAccessLog(
    {
      db: deps.db,
      // Group commit: a record waits at most 2 ms for others; while one
      // batch is written the next gathers.
      flushIntervalMs: 2,
      failClosed: config.accessLogFailClosed ?? true,
    },
    { logger: deps.logger },
  );
  const served: ServedGraphQL[] = [];
  let reReview: ReReviewRunner | null = null;
  let alerting: Alerting | null = null;
  let search: SearchIndexer | null = null;
  let searchBackend: SearchBackend | null = null;
  const closeAll = async (): Promise<void> => {
    await alerting?.close(); // before the gateway it reads through
    for (const s of served.reverse()) await s.close();
    await search?.close();
    await searchBackend?.close();
    await reReview?.close();
    await accessLog.close();
    await policy.close();
  };
  try {
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
    const gateway = createGateway(
      {
        supergraphSdl,
        subgraphUrls: urls,
        signing: callKey,
        identity: {
          keys: {
            kind: 'secret',
            secret: new TextEncoder().encode(config.tokenSecret),
          },
          ...(config.maxTokenTtlSeconds === undefined
            ? {}
            : { maxTokenTtlSeconds: config.maxTokenTtlSeconds }),
          ...(config.clockToleranceSeconds === undefined
            ? {}
            : { clockToleranceSeconds: config.clockToleranceSeconds }),
        },
        ...(config.limits ? { limits: config.limits } : {}),
        governance: {
          policy,
          accessLog,
          strict: config.strict ?? false,
          maskSecret:
            config.maskSecret ?? randomBytes(32).toString('base64url'),
          safelist: config.safelist ?? null,
        },
      },
      { logger: deps.logger },
    );
    // Search: the outbox the department tables' triggers fill is moved to
    // the index by jobs; an empty index over seeded tables is rebuilt first.
    searchBackend = await openSearchBackend({
      db: deps.db,
      elasticsearchUrl: config.search?.elasticsearchUrl,
    });
    search = await startSearchIndexer(
      config.search?.indexer ?? { queue: { kind: 'in-process' } },
      {
        db: deps.db,
        backend: searchBackend,
        sources: [emergencySearchSource(deps.db)],
        logger: deps.logger,
      },
    );
    if (config.reReview) {
      reReview = await startReReviewRunner(config.reReview, {
        db: deps.db,
        logger: deps.logger,
        reviewers: DEMO_REVIEWERS,
      });
    }
    const gatewayServed = await gateway.listen({
      port: config.gatewayPort,
      host,
    });
    served.push(gatewayServed);
    // Alerting reads through the gateway: it starts once the gateway listens.
    if (config.alerting) {
      alerting = await startAlerting(
        {
          ...config.alerting,
          webhooks: {
            ...config.alerting.webhooks,
            allowList: config.alertWebhookAllowList ?? EMPTY_WEBHOOK_ALLOW_LIST,
          },
        },
        {
          db: deps.db,
          logger: deps.logger,
          gatewayUrl: gatewayServed.url,
          tokenSecret: config.tokenSecret,
        },
      );
    }
    // The demo city's scenario 1 comes from the evaluator: the seeds write
    // the readings, and the evaluator raises the alert from them as of the
    // scenario's instant, for the scenario's risk item (the regular
    // evaluation runs on the real clock, long after the seeded readings).
    let scenarioReplay: ScenarioReplay | null = null;
    if (seeded !== null && (config.replayScenarios ?? true)) {
      const { evaluatedAt, riskItemId } = SCENARIOS.dissolvedOxygen;
      const { raised } = await evaluateAlertsOnce(
        {
          db: deps.db,
          logger: deps.logger,
          gatewayUrl: gatewayServed.url,
          tokenSecret: config.tokenSecret,
        },
        { now: new Date(evaluatedAt), riskItemIds: [riskItemId] },
      );
      scenarioReplay = {
        evaluatedAt,
        alerts: await listAlertInboxes(deps.db, raised),
      };
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
      reReview,
      search,
      alerting,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
