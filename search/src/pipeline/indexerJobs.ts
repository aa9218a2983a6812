// The processors of the pipeline's jobs: an index job writes the current
// documents of its outbox rows and marks them processed; a reindex job
// rebuilds a collection from its tables.
import type { Logger } from '../../../subgraphs/kit/src/logger.js';
import type { JobInfo } from '../../../subgraphs/kit/src/jobs/index.js';
import {
  progressEtaMs,
  progressRate,
} from '../../../subgraphs/kit/src/progress/progress.js';
import type { ReindexProgress, SearchBackend } from '../SearchBackend.js';
import type { ReindexHolds, SearchCollections } from './SearchCollections.js';
import type {
  IndexJobData,
  IndexJobResult,
  ReindexJobData,
  ReindexReport,
} from './SearchIndexer.js';

/** What both processors use. */
export interface IndexerJobDeps {
  readonly collections: SearchCollections;
  readonly backend: SearchBackend;
  readonly log: Logger;
  readonly onReindexProgress?: ((report: ReindexReport) => void) | undefined;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The message of an error, for logs and the outbox. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The processor of index jobs. A failed attempt is recorded on the rows;
 * after the last of `attempts`, the rows are due again in
 * `deadLetterRetryMs`.
 */
export function createIndexProcessor(
  settings: { readonly attempts: number; readonly deadLetterRetryMs: number },
  deps: IndexerJobDeps,
): (job: JobInfo<IndexJobData>) => Promise<IndexJobResult> {
  return async (job) => {
    const { collection, rows, docs } = job.data;
    const entry = deps.collections.knownEntry(collection);
    try {
      const batch = await entry.collection.load(docs);
      await deps.backend.bulk(collection, batch);
      await entry.outbox.markProcessed(rows);
      return { upserts: batch.upserts.length, deletes: batch.deletes.length };
    } catch (error) {
      const last = job.attemptsMade + 1 >= settings.attempts;
      await entry.outbox
        .markFailed(
          rows,
          errorMessage(error),
          last ? settings.deadLetterRetryMs : undefined,
        )
        .catch((e: unknown) =>
          deps.log.warn({ err: e }, 'cannot record the failure on the outbox'),
        );
      throw error;
    }
  };
}

/**
 * The processor of reindex jobs: holds the relay off the collection,
 * waits (up to `reindexWaitMs`) for the transactions in progress, rebuilds
 * the collection in pages of `reindexPageSize` and settles its outbox rows.
 */
export function createReindexProcessor(
  settings: {
    readonly reindexWaitMs: number;
    readonly reindexPageSize: number;
  },
  deps: IndexerJobDeps & { readonly holds: ReindexHolds },
): (job: JobInfo<ReindexJobData>) => Promise<ReindexProgress> {
  const { backend, log } = deps;
  return async (job) => {
    const { collection } = job.data;
    const entry = deps.collections.knownEntry(collection);
    const release = deps.holds.hold(collection);
    try {
      const start = await entry.outbox.reindexStart(collection);
      // Rows up to maxId count as covered only once every transaction that
      // could still commit one of them has ended.
      const deadline = Date.now() + settings.reindexWaitMs;
      let covered = await entry.outbox.transactionsEndedBefore(start.xmax);
      while (!covered && Date.now() < deadline) {
        await sleep(50);
        covered = await entry.outbox.transactionsEndedBefore(start.xmax);
      }
      const total = await entry.collection.count();
      log.info({ collection, total, jobId: job.id }, 'search reindex started');
      const began = performance.now();
      // Documents done of all, the rate so far and the time left, in the
      // log and to whoever draws it.
      const report = (indexed: number, finished: boolean) => {
        const state = {
          label: collection,
          unit: 'documents',
          done: indexed,
          total,
          elapsedMs: performance.now() - began,
        };
        deps.onReindexProgress?.({
          collection,
          indexed,
          total,
          elapsedMs: state.elapsedMs,
          finished,
        });
        const eta = progressEtaMs(state);
        return {
          perSecond: Math.round(progressRate(state)),
          etaSeconds: eta === null ? null : Math.round(eta / 1000),
        };
      };
      let reported = 0;
      const progress = await backend.reindex(
        entry.collection.spec,
        entry.collection.pages(settings.reindexPageSize),
        {
          total,
          onProgress: (p) => {
            const now = Date.now();
            if (now - reported < 1000 && p.indexed < p.total) return;
            reported = now;
            job
              .updateProgress({ indexed: p.indexed, total: p.total })
              .catch(() => undefined);
            log.info(
              {
                collection,
                indexed: p.indexed,
                total: p.total,
                ...report(p.indexed, false),
              },
              'search reindex progress',
            );
          },
        },
      );
      const finished = await entry.outbox.finishReindex(
        collection,
        covered ? start.maxId : null,
        start.startedAt,
      );
      await job.updateProgress({ ...progress });
      const { perSecond } = report(progress.indexed, true);
      log.info(
        { collection, ...progress, ...finished, perSecond },
        'search reindex finished',
      );
      return { indexed: progress.indexed, total: progress.total };
    } finally {
      release();
    }
  };
}
