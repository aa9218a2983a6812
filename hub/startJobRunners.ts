// The job runners, as `npm start`'s hub and `npm run worker` both start
// them: the search indexing pipeline (outbox → queue → index), the
// registry's annual re-review, the alert evaluator with the webhook relay
// and deliveries, and — when the jobs are on Redis — the watch that
// notices Redis losing its data and recovers at once (schedules registered
// again, outbox batches and pending webhook deliveries requeued).
import type { Logger } from 'pino';

import {
  startReReviewRunner,
  type ReReviewRunner,
  type ReReviewRunnerConfig,
} from '../catalog/src/jobs/reReviewRunner.js';
import { openSearchBackend } from '../search/src/openSearchBackend.js';
import type { SearchBackend } from '../search/src/SearchBackend.js';
import type { ReindexReport } from '../search/src/pipeline/SearchIndexer.js';
import {
  startSearchIndexer,
  type SearchIndexer,
  type SearchIndexerConfig,
} from '../search/src/pipeline/startSearchIndexer.js';
import type { WebhookAllowList } from '../subgraphs/emergency/src/alerting/webhookTargets.js';
import { EMPTY_WEBHOOK_ALLOW_LIST } from '../subgraphs/emergency/src/alerting/webhookTargets.js';
import { emergencySearchSource } from '../subgraphs/emergency/src/search/documents.js';
import type { Database } from '../subgraphs/kit/src/db/Database.js';
import {
  watchRedisLoss,
  type RedisLossWatch,
  type RedisLossWatchOptions,
} from '../subgraphs/kit/src/jobs/index.js';
import {
  startAlerting,
  type Alerting,
  type AlertingConfig,
} from './startAlerting.js';

/** The demo city's algorithm reviewers, told when a re-review falls due. */
export const DEMO_REVIEWERS: readonly string[] = [
  'algorithm-reviewer',
  'algorithm-reviewer-2',
];

/** What runs, and where its jobs are. */
export interface JobRunnersConfig {
  /**
   * Where the index is (Elasticsearch at `elasticsearchUrl`, else
   * PostgreSQL in `deps.db`) and how the pipeline runs.
   * @defaultValue PostgreSQL, in-process
   */
  readonly search?: {
    readonly elasticsearchUrl?: string | undefined;
    readonly indexer?: SearchIndexerConfig;
  };
  /** The annual re-review; `null` runs none. @defaultValue null */
  readonly reReview?: ReReviewRunnerConfig | null;
  /** The alert evaluator and webhook deliveries; `null` runs none. @defaultValue null */
  readonly alerting?: AlertingConfig | null;
  /**
   * The webhook targets deliveries may reach besides public addresses
   * (replaces `alerting.webhooks.allowList`). @defaultValue none
   */
  readonly alertWebhookAllowList?: WebhookAllowList | undefined;
  /**
   * Watch the Redis the jobs are on for the loss of its data (the runners
   * above on that Redis and prefix); `null` watches nothing (jobs
   * in-process). @defaultValue null
   */
  readonly redisLossWatch?: RedisLossWatchOptions | null;
}

/** What the runners use; they close none of it. */
export interface JobRunnersDeps {
  /** The hub's database (every department schema, migrated). */
  readonly db: Database;
  readonly logger: Logger;
  /** The gateway the alert evaluator reads through. */
  readonly gatewayUrl: string;
  /** The secret the gateway checks the risk monitor's token with. */
  readonly tokenSecret: string;
  /** Told how each full search reindex goes (see SearchIndexerDeps). */
  readonly reindexProgress?: (report: ReindexReport) => void;
}

/** Started job runners. */
export interface JobRunners {
  readonly search: SearchIndexer;
  readonly reReview: ReReviewRunner | null;
  readonly alerting: Alerting | null;
  /** The Redis data-loss watch, when the jobs are on Redis. */
  readonly redisLossWatch: RedisLossWatch | null;
  /**
   * What the watch runs when Redis lost its data: registers the schedules
   * again, hands every unprocessed outbox row to a new job and queues every
   * PENDING webhook delivery again.
   */
  recoverLostJobs(): Promise<void>;
  /** Stops everything after the work in progress. Idempotent. */
  close(): Promise<void>;
}

/** Starts the job runners as `config` says. */
export async function startJobRunners(
  config: JobRunnersConfig,
  deps: JobRunnersDeps,
): Promise<JobRunners> {
  let searchBackend: SearchBackend | null = null;
  let search: SearchIndexer | null = null;
  let reReview: ReReviewRunner | null = null;
  let alerting: Alerting | null = null;
  let watch: RedisLossWatch | null = null;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await watch?.close();
      await alerting?.close();
      await search?.close();
      await searchBackend?.close();
      await reReview?.close();
    })();
    return closing;
  };
  try {
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
        ...(deps.reindexProgress
          ? { onReindexProgress: deps.reindexProgress }
          : {}),
      },
    );
    if (config.reReview) {
      reReview = await startReReviewRunner(config.reReview, {
        db: deps.db,
        logger: deps.logger,
        reviewers: DEMO_REVIEWERS,
      });
    }
    if (config.alerting) {
      alerting = await startAlerting(
        {
          ...config.alerting,
          webhooks: {
            ...config.alerting.webhooks,
            allowList: config.alertWebhookAllowList ?? EMPTY_WEBHOOK_ALLOW_LIST,
          },
        },
        deps,
      );
    }
    const started = { search, reReview, alerting };
    const recoverLostJobs = async (): Promise<void> => {
      // Each part on its own: one that fails does not keep the others
      // from recovering; the first failure is rethrown (the watch retries).
      const results = await Promise.allSettled([
        started.reReview?.recoverLostJobs(),
        started.alerting?.recoverLostJobs(),
        started.search.recoverLostJobs(),
      ]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    };
    if (config.redisLossWatch) {
      watch = await watchRedisLoss(
        { logger: deps.logger, ...config.redisLossWatch },
        recoverLostJobs,
      );
    }
    return {
      ...started,
      redisLossWatch: watch,
      recoverLostJobs,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
