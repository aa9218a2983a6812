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
import { randomUUID } from 'node:crypto';

import {
  createBullJobQueue,
  createInProcessJobQueue,
  type AwaitableJobQueue,
  type DeadLetter,
  type JobInfo,
} from '../../../subgraphs/kit/src/jobs/index.js';
import type { Database, Logger } from '../../../subgraphs/kit/src/index.js';
import type { ReindexProgress, SearchBackend } from '../SearchBackend.js';
import { Outbox, type OutboxRow } from './outbox.js';
import {
  REINDEX_ALL,
  type CollectionSource,
  type SearchSource,
} from './SearchSource.js';

/** Which job queue carries the pipeline's jobs. */
export type SearchQueueConfig =
  | {
      readonly kind: 'redis';
      /** `redis://` or `rediss://` URL. */
      readonly url: string;
      /** Redis key prefix of the queues. @defaultValue BullMQ's `bull` */
      readonly prefix?: string;
    }
  | { readonly kind: 'in-process' };

/** How the pipeline runs; every timing has a production default. */
export interface SearchIndexerConfig {
  readonly queue: SearchQueueConfig;
  /**
   * Name of the index queue; reindex jobs use `<queueName>-reindex`.
   * @defaultValue `govgraph-search`
   */
  readonly queueName?: string;
  /** Outbox rows per index job. @defaultValue 500 */
  readonly batchSize?: number;
  /** How often the relay polls the outboxes (NOTIFY wakes it sooner). @defaultValue 1000 */
  readonly pollIntervalMs?: number;
  /**
   * How long a row handed to a job may stay unprocessed before the relay
   * hands it to a new job (its job was lost, e.g. Redis restarted empty).
   * @defaultValue 300000 (5 min)
   */
  readonly requeueAfterMs?: number;
  /**
   * How long after its job dead-lettered a row is handed to a new job.
   * @defaultValue 30000
   */
  readonly deadLetterRetryMs?: number;
  /** Attempts of a job. @defaultValue 5 */
  readonly attempts?: number;
  /** First retry delay, doubling per attempt. @defaultValue 1000 */
  readonly backoffMs?: number;
  /** Documents per page of a full reindex. @defaultValue 1000 */
  readonly reindexPageSize?: number;
  /**
   * Rebuild a collection at start when the index holds none of its
   * documents but the tables have some (a freshly seeded database).
   * @defaultValue true
   */
  readonly reindexIfEmpty?: boolean;
  /** How long processed outbox rows are kept. @defaultValue 86400000 (1 day) */
  readonly retainProcessedMs?: number;
  /**
   * How long a reindex waits for the transactions in progress when it
   * starts; after that it rebuilds anyway and leaves their rows to the relay.
   * @defaultValue 10000
   */
  readonly reindexWaitMs?: number;
}

/** What the pipeline uses; it closes none of it. */
export interface SearchIndexerDeps {
  readonly db: Database;
  readonly backend: SearchBackend;
  /** The departments' outboxes and collections (collection names unique). */
  readonly sources: readonly SearchSource[];
  readonly logger: Logger;
}

/** The payload of an index job: outbox rows of one collection. */
export interface IndexJobData {
  readonly outbox: string;
  readonly collection: string;
  /** Outbox row ids. */
  readonly rows: readonly number[];
  /** The distinct document ids of those rows. */
  readonly docs: readonly string[];
}

/** What an index job wrote. */
export interface IndexJobResult {
  readonly upserts: number;
  readonly deletes: number;
}

/** The payload of a reindex job. */
export interface ReindexJobData {
  readonly collection: string;
}

/** What {@link SearchIndexer.status} reports. */
export interface SearchIndexerStatus {
  readonly queue: 'redis' | 'in-process';
  /** Outbox rows whose change the index does not hold yet. */
  readonly pending: number;
  readonly pendingByCollection: Readonly<Record<string, number>>;
  /**
   * Jobs that failed every attempt (index and reindex), up to 1000; null
   * while the queue cannot be reached.
   */
  readonly deadLetters: number | null;
  /** Collections being rebuilt by this process. */
  readonly reindexing: readonly string[];
  /** When the relay last handed all due rows to jobs (ISO 8601). */
  readonly lastRelayAt: string | null;
  /** Why the last relay pass failed (e.g. Redis down); null once one succeeds. */
  readonly relayError: string | null;
  /** The last indexing error recorded on a pending row. */
  readonly lastIndexError: string | null;
}

/** A started indexing pipeline. */
export interface SearchIndexer {
  /**
   * Processes everything pending now and waits: waits for queued jobs, hands
   * every unprocessed row to a new job (including rows whose job was lost or
   * dead-lettered), and waits until the queue is drained again. Rejects when
   * the queue cannot be reached. Rows whose job dead-letters stay pending
   * (see `status()`).
   */
  flush(): Promise<void>;
  /**
   * Rebuilds `collection` from the tables through a reindex job and resolves
   * with its progress once the new generation is live.
   */
  reindex(collection: string): Promise<ReindexProgress>;
  status(): Promise<SearchIndexerStatus>;
  /** Index jobs that failed every attempt, newest first. */
  deadLetters(limit?: number): Promise<DeadLetter<IndexJobData>[]>;
  /**
   * Stops the relay, waits for the jobs in progress and closes the queues.
   * Idempotent.
   */
  close(): Promise<void>;
}

/** Default name of the index queue. */
export const SEARCH_QUEUE = 'govgraph-search';

/** Rows the relay reads per statement. */
const RELAY_READ = 10_000;

interface CollectionEntry {
  readonly source: SearchSource;
  readonly collection: CollectionSource;
  readonly outbox: Outbox;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const batchSize = config.batchSize ?? 500;
  const pollIntervalMs = config.pollIntervalMs ?? 1000;
  const requeueAfterMs = config.requeueAfterMs ?? 300_000;
  const deadLetterRetryMs = config.deadLetterRetryMs ?? 30_000;
  const attempts = config.attempts ?? 5;
  const backoffMs = config.backoffMs ?? 1000;
  const reindexPageSize = config.reindexPageSize ?? 1000;
  const retainProcessedMs = config.retainProcessedMs ?? 86_400_000;
  const reindexWaitMs = config.reindexWaitMs ?? 10_000;
  const queueName = config.queueName ?? SEARCH_QUEUE;
  const { db, backend } = deps;
  const log = deps.logger.child({ component: 'search-indexer' });

  const entries = new Map<string, CollectionEntry>();
  const outboxes: Outbox[] = [];
  for (const source of deps.sources) {
    const outbox = new Outbox(db, source.outboxTable);
    outboxes.push(outbox);
    for (const collection of source.collections) {
      const name = collection.spec.name;
      if (entries.has(name)) {
        throw new Error(`search collection ${name} has two sources`);
      }
      entries.set(name, { source, collection, outbox });
    }
  }
  const entryOf = (collection: string): CollectionEntry => {
    const entry = entries.get(collection);
    if (!entry) throw new Error(`unknown search collection ${collection}`);
    return entry;
  };
  /** For a job: a collection this hub does not know cannot succeed on retry. */
  const knownEntry = (collection: string): CollectionEntry => {
    try {
      return entryOf(collection);
    } catch (error) {
      throw Object.assign(error as Error, { unrecoverable: true });
    }
  };

  const queueConfig = config.queue;
  const createQueue = <T, R>(name: string): AwaitableJobQueue<T, R> =>
    queueConfig.kind === 'redis'
      ? createBullJobQueue<T, R>({
          url: queueConfig.url,
          name,
          logger: log,
          ...(queueConfig.prefix === undefined
            ? {}
            : { prefix: queueConfig.prefix }),
        })
      : createInProcessJobQueue<T, R>({ name, logger: log });
  const indexQueue = createQueue<IndexJobData, IndexJobResult>(queueName);
  const reindexQueue = createQueue<ReindexJobData, ReindexProgress>(
    `${queueName}-reindex`,
  );
  const jobOptions = { attempts, backoffMs };

  /** Collections being rebuilt here: the relay leaves their rows alone. */
  const reindexing = new Map<string, number>();
  const holdRelay = (collection: string): (() => void) => {
    reindexing.set(collection, (reindexing.get(collection) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (reindexing.get(collection) ?? 1) - 1;
      if (n > 0) reindexing.set(collection, n);
      else reindexing.delete(collection);
    };
  };

  // ——— index jobs ———

  const index = async (job: JobInfo<IndexJobData>): Promise<IndexJobResult> => {
    const { collection, rows, docs } = job.data;
    const entry = knownEntry(collection);
    try {
      const batch = await entry.collection.load(docs);
      await backend.bulk(collection, batch);
      await entry.outbox.markProcessed(rows);
      return { upserts: batch.upserts.length, deletes: batch.deletes.length };
    } catch (error) {
      const last = job.attemptsMade + 1 >= attempts;
      await entry.outbox
        .markFailed(rows, message(error), last ? deadLetterRetryMs : undefined)
        .catch((e: unknown) =>
          log.warn({ err: e }, 'cannot record the failure on the outbox'),
        );
      throw error;
    }
  };

  // ——— reindex jobs ———

  const rebuild = async (
    job: JobInfo<ReindexJobData>,
  ): Promise<ReindexProgress> => {
    const { collection } = job.data;
    const entry = knownEntry(collection);
    const release = holdRelay(collection);
    try {
      const start = await entry.outbox.reindexStart(collection);
      // Rows up to maxId count as covered only once every transaction that
      // could still commit one of them has ended.
      const deadline = Date.now() + reindexWaitMs;
      let covered = await entry.outbox.transactionsEndedBefore(start.xmax);
      while (!covered && Date.now() < deadline) {
        await sleep(50);
        covered = await entry.outbox.transactionsEndedBefore(start.xmax);
      }
      const total = await entry.collection.count();
      log.info({ collection, total, jobId: job.id }, 'search reindex started');
      let reported = 0;
      const progress = await backend.reindex(
        entry.collection.spec,
        entry.collection.pages(reindexPageSize),
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
              { collection, indexed: p.indexed, total: p.total },
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
      log.info(
        { collection, ...progress, ...finished },
        'search reindex finished',
      );
      return { indexed: progress.indexed, total: progress.total };
    } finally {
      release();
    }
  };

  // ——— relay ———

  let lastRelayAt: Date | null = null;
  let relayError: string | null = null;
  let lastPrune = 0;

  /** Hands due rows to jobs; returns how many rows it handed. */
  const relayOnce = async (all: boolean): Promise<number> => {
    let handed = 0;
    for (const outbox of outboxes) {
      // Nothing to read while every collection of this outbox is rebuilt.
      const own = [...entries.values()].filter((e) => e.outbox === outbox);
      if (own.every((e) => reindexing.has(e.collection.spec.name))) continue;
      let afterId = 0;
      for (;;) {
        const rows = await outbox.due(RELAY_READ, {
          all,
          skip: [...reindexing.keys()],
          afterId,
        });
        if (rows.length === 0) break;
        afterId = rows[rows.length - 1]?.id ?? afterId;
        const byCollection = new Map<string, OutboxRow[]>();
        for (const row of rows) {
          const list = byCollection.get(row.collection);
          if (list) list.push(row);
          else byCollection.set(row.collection, [row]);
        }
        for (const [collection, list] of byCollection) {
          if (!entries.has(collection)) {
            log.warn({ collection }, 'outbox rows of an unknown collection');
            continue;
          }
          const rebuilds = list.filter((r) => r.doc_id === REINDEX_ALL);
          const changes = list.filter((r) => r.doc_id !== REINDEX_ALL);
          if (rebuilds.length > 0) {
            const ids = rebuilds.map((r) => r.id);
            const generation = Math.max(...rebuilds.map((r) => r.attempts)) + 1;
            await reindexQueue.add(
              'reindex',
              { collection },
              {
                ...jobOptions,
                jobId: `reindex.${collection}.o${ids[0]}.g${generation}`,
              },
            );
            await outbox.markEnqueued(ids, requeueAfterMs);
            handed += ids.length;
          }
          for (let i = 0; i < changes.length; i += batchSize) {
            const batch = changes.slice(i, i + batchSize);
            const ids = batch.map((r) => r.id);
            // Deterministic: the same rows in the same generation make the
            // same job, so a relay that re-adds them after a crash (or a
            // second hub instance) adds nothing.
            const generation = Math.max(...batch.map((r) => r.attempts)) + 1;
            const jobId = `${outbox.table}.${collection}.${ids[0]}-${ids[ids.length - 1]}.g${generation}`;
            await indexQueue.add(
              'index',
              {
                outbox: outbox.table,
                collection,
                rows: ids,
                docs: [...new Set(batch.map((r) => r.doc_id))],
              },
              { ...jobOptions, jobId },
            );
            await outbox.markEnqueued(ids, requeueAfterMs);
            handed += ids.length;
          }
        }
        if (rows.length < RELAY_READ) break;
      }
    }
    const now = Date.now();
    if (now - lastPrune > 60_000) {
      lastPrune = now;
      for (const outbox of outboxes) await outbox.prune(retainProcessedMs);
    }
    return handed;
  };

  // One pass at a time; a wake-up during a pass runs another after it.
  let running: Promise<number> | undefined;
  let again = false;
  let closed = false;
  const relay = (all = false): Promise<number> => {
    const pass = async (): Promise<number> => {
      if (running) {
        await running.catch(() => undefined);
        return relay(all);
      }
      const current = relayOnce(all);
      running = current;
      try {
        const handed = await current;
        if (relayError !== null) log.info('search relay recovered');
        relayError = null;
        lastRelayAt = new Date();
        return handed;
      } catch (error) {
        if (relayError !== message(error)) {
          log.warn(
            { err: error },
            'search relay pass failed; rows stay pending',
          );
        }
        relayError = message(error);
        throw error;
      } finally {
        running = undefined;
      }
    };
    return pass();
  };
  const wake = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    relay()
      .catch(() => undefined)
      .finally(() => {
        if (again) {
          again = false;
          wake();
        }
      });
  };

  // ——— start ———

  try {
    for (const { collection } of entries.values()) {
      await backend.ensureCollection(collection.spec);
    }
    await indexQueue.process(index, { concurrency: 1 });
    await reindexQueue.process(rebuild, { concurrency: 1 });
  } catch (error) {
    await Promise.allSettled([indexQueue.close(), reindexQueue.close()]);
    throw error;
  }

  const initial: Promise<unknown>[] = [];
  if (config.reindexIfEmpty ?? true) {
    for (const [name, { collection }] of entries) {
      if ((await backend.count(name)) > 0) continue;
      if ((await collection.count()) === 0) continue;
      const release = holdRelay(name);
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

  const unlisten: (() => Promise<void>)[] = [];
  if (db.listen) {
    for (const source of deps.sources) {
      if (source.channel === undefined) continue;
      try {
        unlisten.push(await db.listen(source.channel, () => wake()));
      } catch (error) {
        log.warn(
          { err: error, channel: source.channel },
          'cannot listen for outbox notifications; polling only',
        );
      }
    }
  }
  const timer = setInterval(wake, pollIntervalMs);
  timer.unref();
  wake();

  let closing: Promise<void> | undefined;

  return {
    async flush() {
      if (closed) throw new Error('the search indexer is closed');
      await Promise.all([reindexQueue.drained(), indexQueue.drained()]);
      const drained = () =>
        Promise.all([indexQueue.drained(), reindexQueue.drained()]);
      await relay(true);
      await drained();
      // Rows that arrived meanwhile.
      while ((await relay()) > 0) await drained();
    },

    async reindex(collection) {
      if (closed) throw new Error('the search indexer is closed');
      entryOf(collection);
      return reindexQueue.run(
        'reindex',
        { collection },
        { ...jobOptions, jobId: `reindex.${collection}.${randomUUID()}` },
      );
    },

    async status() {
      const pendingByCollection: Record<string, number> = {};
      let pending = 0;
      let lastIndexError: string | null = null;
      for (const outbox of outboxes) {
        for (const [collection, n] of await outbox.pendingByCollection()) {
          pendingByCollection[collection] =
            (pendingByCollection[collection] ?? 0) + n;
          pending += n;
        }
        lastIndexError ??= await outbox.lastError();
      }
      let deadLetters: number | null = null;
      try {
        const [indexDead, reindexDead] = await Promise.all([
          indexQueue.deadLetters(1000),
          reindexQueue.deadLetters(1000),
        ]);
        deadLetters = Math.min(indexDead.length + reindexDead.length, 1000);
      } catch {
        // The queue cannot be reached: relayError says why.
      }
      return {
        queue: indexQueue.kind,
        pending,
        pendingByCollection,
        deadLetters,
        reindexing: [...reindexing.keys()],
        lastRelayAt: lastRelayAt?.toISOString() ?? null,
        relayError,
        lastIndexError,
      };
    },

    deadLetters(limit) {
      return indexQueue.deadLetters(limit);
    },

    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        await Promise.allSettled(unlisten.map((u) => u()));
        await running?.catch(() => undefined);
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
