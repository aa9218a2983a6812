// What the hub is started with and what a running hub offers (see
// startHub.ts).
import type { Logger } from 'pino';

import type { AccessLog } from '../policies/store/src/audit/index.js';
import type {
  Gateway,
  GatewayConfig,
  GatewayLimits,
} from '../gateway/src/createGateway.js';
import type { PolicyStore } from '../policies/store/src/policy/index.js';
import type {
  ReReviewRunner,
  ReReviewRunnerConfig,
} from '../catalog/src/jobs/reReviewRunner.js';
import type { WebhookAllowList } from '../subgraphs/emergency/src/alerting/webhookTargets.js';
import type { AlertInboxes } from '../subgraphs/emergency/src/alerting/repository/inboxRepository.js';
import type { Database } from '../subgraphs/kit/src/db/Database.js';
import type {
  RedisLossWatch,
  RedisLossWatchOptions,
} from '../subgraphs/kit/src/jobs/index.js';
import type {
  SearchIndexer,
  SearchIndexerConfig,
} from '../search/src/pipeline/startSearchIndexer.js';
import type { ReindexReport } from '../search/src/pipeline/SearchIndexer.js';
import type { Alerting, AlertingConfig } from './startAlerting.js';

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
   * The gateway's bounded waits and load shedding (subgraph call timeout,
   * requests in flight, answer size); each defaults as in createGateway.
   */
  bounds?: Pick<
    GatewayConfig,
    'subgraphTimeoutMs' | 'maxConcurrent' | 'maxResponseBytes'
  >;
  /**
   * Secret of the keyed digest behind `HASH` masks.
   * @defaultValue a random secret for this run only
   */
  maskSecret?: string;
  /** Refuse whole operations with a withheld field. @defaultValue false */
  strict?: boolean;
  /**
   * Count the gateway's metrics and serve `/metrics` (GATEWAY_METRICS);
   * the job runners' metrics are served with the gateway's.
   * @defaultValue true
   */
  metrics?: boolean;
  /** Run only these operations (SHA-256 of their text). @defaultValue every operation */
  safelist?: ReadonlySet<string> | null;
  /**
   * Refuse cross-department reads when the access log cannot be written.
   * @defaultValue true
   */
  accessLogFailClosed?: boolean;
  /**
   * Longest wait for an access-log append, in milliseconds: past it the
   * read, or the mutation (not run), is refused with `AUDIT_UNAVAILABLE`.
   * @defaultValue 2000
   */
  accessLogDeadlineMs?: number;
  /**
   * The access-log writer's name in `audit.access_log_chains` (each start
   * writes a chain of its own). @defaultValue `<hostname>:<pid>`
   */
  accessLogWriterId?: string;
  /**
   * Milliseconds between the access-log checkpoints this hub attempts
   * (binding every chain's head; a last one at close). @defaultValue 10000
   */
  accessLogCheckpointMs?: number;
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
   * What `prepareHubDatabase` reported for the database this hub starts
   * on, when it was prepared beforehand and copied (the tests clone a
   * seeded template database, tests/utils/demoTemplate.ts): such a copy
   * holds the demo world but nothing has run on it, so this start counts as
   * the one that seeded — `seeded` reports the preparation's seeding and
   * the scenarios are replayed ({@link HubConfig.replayScenarios}). The
   * start still applies pending migrations and never seeds a seeded
   * database again. @defaultValue null
   */
  preparedDatabase?: {
    readonly applied: readonly string[];
    readonly seeded: { ms: number } | null;
  } | null;
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
  /**
   * When the jobs are on Redis: watch it for the loss of its data (a run
   * marker) and recover at once — schedules registered again, outbox
   * batches and pending webhook deliveries requeued. `null` watches nothing.
   * @defaultValue null
   */
  redisLossWatch?: RedisLossWatchOptions | null;
}

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
  /**
   * Told as each start-up phase begins (`npm start` prints them: start-up
   * takes from seconds to a minute).
   */
  progress?: (phase: string) => void;
  /**
   * Told how each full search reindex goes (`npm start` draws a bar or
   * lines: documents done of all, rate, time left).
   */
  reindexProgress?: (report: ReindexReport) => void;
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
  /** The watch for Redis losing its data, when the jobs are on Redis. */
  readonly redisLossWatch: RedisLossWatch | null;
  /**
   * Stops accepting requests, lets those in flight finish, writes every
   * access-log record still buffered, then stops the policy reload.
   */
  close(): Promise<void>;
}
