// The indexing pipeline: outbox → relay → job queue → bulk index.
//
// Department triggers write a row per changed document into their outbox in
// the transaction of the change. The relay (woken by NOTIFY, and polling)
// hands unprocessed rows to jobs in batches and records that it did; an
// index job loads the batch's current documents, writes them with
// `backend.bulk` and marks the rows processed. Nothing is lost: a row stays
// unprocessed until the index holds its change, and is handed to a new job
// when its job could not be queued (Redis down), was lost (Redis restarted
// empty) or dead-lettered (the index was down for every attempt). Replays
// are harmless: a job writes the current documents with versions that grow
// with time.
//
// This file starts and stops the pipeline; the relay is OutboxRelay.ts, the
// jobs' processors indexerJobs.ts, the public types SearchIndexer.ts.
import { randomUUID } from 'node:crypto';

import {
  createBullJobQueue,
  createInProcessJobQueue,
  type AwaitableJobQueue,
} from '../../../subgraphs/kit/src/jobs/index.js';
import type { Logger } from '../../../subgraphs/kit/src/logger.js';
import type { ReindexProgress } from '../SearchBackend.js';
import { createIndexProcessor, createReindexProcessor } from './indexerJobs.js';
import { readIndexerStatus } from './indexerStatus.js';
import { OutboxRelay } from './OutboxRelay.js';
import { ReindexHolds, SearchCollections } from './SearchCollections.js';
import {
  SEARCH_QUEUE,
  type IndexJobData,
  type IndexJobResult,
  type ReindexJobData,
  type SearchIndexer,
  type SearchIndexerConfig,
  type SearchIndexerDeps,
  type SearchQueueConfig,
} from './SearchIndexer.js';

export {
  SEARCH_QUEUE,
  type IndexJobData,
  type IndexJobResult,
  type ReindexJobData,
  type SearchIndexer,
  type SearchIndexerConfig,
  type SearchIndexerDeps,
  type SearchIndexerStatus,
  type SearchQueueConfig,
} from './SearchIndexer.js';
import { reportSearchIndexLag } from './searchIndexMetrics.js';

/** A queue of the pipeline on the configured job queue. */
function createQueue<T, R>(
  config: SearchQueueConfig,
  name: string,
  logger: Logger,
): AwaitableJobQueue<T, R> {
  return config.kind === 'redis'
    ? createBullJobQueue<T, R>({
        url: config.url,
        name,
        logger,
        ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
      })
    : createInProcessJobQueue<T, R>({ name, logger });
}

/**
 * Starts the indexing pipeline: ensures the collections, starts the index
 * and reindex workers and the relay, and (with `reindexIfEmpty`) queues a
 * full reindex of every collection that is empty in the index but not in
 * the tables. Resolves once all of that runs; the reindexes go on in the
 * background.
 */
export async function startSearchIndexer(
  config: SearchIndexerConfig,
  deps: SearchIndexerDeps,
): Promise<SearchIndexer> {
  const attempts = config.attempts ?? 5;
  const jobOptions = { attempts, backoffMs: config.backoffMs ?? 1000 };
  const queueName = config.queueName ?? SEARCH_QUEUE;
  const { db, backend } = deps;
  const log = deps.logger.child({ component: 'search-indexer' });

  const collections = new SearchCollections(db, deps.sources);
  const holds = new ReindexHolds();
  const indexQueue = createQueue<IndexJobData, IndexJobResult>(
    config.queue,
    queueName,
    log,
  );
  const reindexQueue = createQueue<ReindexJobData, ReindexProgress>(
    config.queue,
    `${queueName}-reindex`,
    log,
  );
  const relay = new OutboxRelay(
    {
      batchSize: config.batchSize ?? 500,
      requeueAfterMs: config.requeueAfterMs ?? 300_000,
      retainProcessedMs: config.retainProcessedMs ?? 86_400_000,
      jobOptions,
    },
    { collections, holds, indexQueue, reindexQueue, log },
  );

  try {
    for (const [, { collection }] of collections.all()) {
      await backend.ensureCollection(collection.spec);
    }
    await indexQueue.process(
      createIndexProcessor(
        { attempts, deadLetterRetryMs: config.deadLetterRetryMs ?? 30_000 },
        { collections, backend, log },
      ),
      { concurrency: 1 },
    );
    await reindexQueue.process(
      createReindexProcessor(
        {
          reindexWaitMs: config.reindexWaitMs ?? 10_000,
          reindexPageSize: config.reindexPageSize ?? 1000,
        },
        {
          collections,
          holds,
          backend,
          log,
          onReindexProgress: deps.onReindexProgress,
        },
      ),
      { concurrency: 1 },
    );
  } catch (error) {
    await Promise.allSettled([indexQueue.close(), reindexQueue.close()]);
    throw error;
  }

  const initial: Promise<unknown>[] = [];
  if (config.reindexIfEmpty ?? true) {
    for (const [name, { collection }] of collections.all()) {
      if ((await backend.count(name)) > 0) continue;
      if ((await collection.count()) === 0) continue;
      const release = holds.hold(name);
      log.info({ collection: name }, 'search collection empty: full reindex');
      initial.push(
        reindexQueue
          .run(
            'reindex',
            { collection: name },
            { ...jobOptions, jobId: `reindex.${name}.start-${randomUUID()}` },
          )
          .catch((error: unknown) =>
            log.error(
              { err: error, collection: name },
              'initial reindex failed',
            ),
          )
          .finally(release),
      );
    }
  }

  await relay.start(db, deps.sources, config.pollIntervalMs ?? 1000);
  const unreport = reportSearchIndexLag(
    db,
    deps.sources.map((s) => s.outboxTable),
  );

  let closing: Promise<void> | undefined;

  return {
    async flush() {
      if (relay.closed) throw new Error('the search indexer is closed');
      // The start's reindexes first: on Redis a job is in the queue's
      // counts only once its add has reached the server, which may be
      // after this call (a drained queue then said nothing of it).
      await Promise.allSettled(initial);
      await Promise.all([reindexQueue.drained(), indexQueue.drained()]);
      const drained = () =>
        Promise.all([indexQueue.drained(), reindexQueue.drained()]);
      await relay.relay(true);
      await drained();
      // Rows that arrived meanwhile.
      while ((await relay.relay()) > 0) await drained();
    },

    async reindex(collection) {
      if (relay.closed) throw new Error('the search indexer is closed');
      collections.entryOf(collection);
      return reindexQueue.run(
        'reindex',
        { collection },
        { ...jobOptions, jobId: `reindex.${collection}.${randomUUID()}` },
      );
    },

    async recoverLostJobs() {
      if (relay.closed) return;
      const handed = await relay.relay(true);
      log.info({ rows: handed }, 'outbox rows handed to new jobs');
    },

    status() {
      return readIndexerStatus({
        collections,
        holds,
        relay,
        queues: [indexQueue, reindexQueue],
      });
    },

    deadLetters(limit) {
      return indexQueue.deadLetters(limit);
    },

    close() {
      closing ??= (async () => {
        unreport();
        await relay.close();
        const results = await Promise.allSettled([
          indexQueue.close(),
          reindexQueue.close(),
        ]);
        await Promise.allSettled(initial);
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      })();
      return closing;
    },
  };
}
