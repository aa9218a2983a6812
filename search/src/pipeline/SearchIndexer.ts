// The indexing pipeline's public face: how it is configured, what it
// uses, the payloads of its jobs and what a started pipeline offers (see
// startSearchIndexer.ts).
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import type { Logger } from '../../../subgraphs/kit/src/logger.js';
import type { DeadLetter } from '../../../subgraphs/kit/src/jobs/index.js';
import type { ReindexProgress, SearchBackend } from '../SearchBackend.js';
import type { SearchSource } from './SearchSource.js';

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
  /**
   * Told how each full reindex goes (about once a second, and when it
   * ends): `npm start` and `npm run worker` draw it as a bar or lines.
   */
  readonly onReindexProgress?: (report: ReindexReport) => void;
}

/** How far a full reindex of one collection is. */
export interface ReindexReport {
  readonly collection: string;
  readonly indexed: number;
  readonly total: number;
  /** Since the reindex began writing. */
  readonly elapsedMs: number;
  readonly finished: boolean;
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
  /**
   * After the queue lost its jobs (Redis restarted empty or was flushed):
   * hands every unprocessed outbox row to a new job now, rather than
   * `requeueAfterMs` after it was last handed. Replays are harmless.
   */
  recoverLostJobs(): Promise<void>;
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
