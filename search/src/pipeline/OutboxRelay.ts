// The relay of the indexing pipeline: hands the outboxes' due rows to index
// and reindex jobs, one pass at a time, woken by NOTIFY on the sources'
// channels and by a poll.
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import type { Logger } from '../../../subgraphs/kit/src/logger.js';
import type {
  AwaitableJobQueue,
  JobOptions,
} from '../../../subgraphs/kit/src/jobs/index.js';
import type { ReindexProgress } from '../SearchBackend.js';
import { errorMessage } from './indexerJobs.js';
import type { Outbox, OutboxRow } from './outbox.js';
import type { ReindexHolds, SearchCollections } from './SearchCollections.js';
import type {
  IndexJobData,
  IndexJobResult,
  ReindexJobData,
} from './SearchIndexer.js';
import { REINDEX_ALL, type SearchSource } from './SearchSource.js';

/** Rows the relay reads per statement. */
const RELAY_READ = 10_000;

/** How the relay hands rows to jobs. */
export interface OutboxRelaySettings {
  /** Outbox rows per index job. */
  readonly batchSize: number;
  /** How long a row handed to a job may stay unprocessed before it is due again. */
  readonly requeueAfterMs: number;
  /** How long processed outbox rows are kept. */
  readonly retainProcessedMs: number;
  /** Attempts and backoff of the jobs. */
  readonly jobOptions: Pick<JobOptions, 'attempts' | 'backoffMs'>;
}

/** What the relay uses; it closes none of it. */
export interface OutboxRelayDeps {
  readonly collections: SearchCollections;
  readonly holds: ReindexHolds;
  readonly indexQueue: AwaitableJobQueue<IndexJobData, IndexJobResult>;
  readonly reindexQueue: AwaitableJobQueue<ReindexJobData, ReindexProgress>;
  readonly log: Logger;
}

/** Hands due outbox rows to jobs. */
export class OutboxRelay {
  private lastRelay: Date | null = null;
  private lastError: string | null = null;
  private lastPrune = 0;
  // One pass at a time; a wake-up during a pass runs another after it.
  private running: Promise<number> | undefined;
  private again = false;
  private closedFlag = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unlisten: (() => Promise<void>)[] = [];

  constructor(
    private readonly settings: OutboxRelaySettings,
    private readonly deps: OutboxRelayDeps,
  ) {}

  /** True once `close` was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** When the relay last handed all due rows to jobs. */
  get lastRelayAt(): Date | null {
    return this.lastRelay;
  }

  /** Why the last pass failed (e.g. Redis down); null once one succeeds. */
  get relayError(): string | null {
    return this.lastError;
  }

  /**
   * Listens on the sources' channels (when the database can), polls every
   * `pollIntervalMs` and runs a first pass.
   */
  async start(
    db: Database,
    sources: readonly SearchSource[],
    pollIntervalMs: number,
  ): Promise<void> {
    if (db.listen) {
      for (const source of sources) {
        if (source.channel === undefined) continue;
        try {
          this.unlisten.push(
            await db.listen(source.channel, () => this.wake()),
          );
        } catch (error) {
          this.deps.log.warn(
            { err: error, channel: source.channel },
            'cannot listen for outbox notifications; polling only',
          );
        }
      }
    }
    this.timer = setInterval(() => this.wake(), pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Runs a pass after the one in progress; with `all`, hands every
   * unprocessed row, due or not. Resolves with the rows handed.
   */
  async relay(all = false): Promise<number> {
    if (this.running) {
      await this.running.catch(() => undefined);
      return this.relay(all);
    }
    const current = this.relayOnce(all);
    this.running = current;
    try {
      const handed = await current;
      if (this.lastError !== null) this.deps.log.info('search relay recovered');
      this.lastError = null;
      this.lastRelay = new Date();
      return handed;
    } catch (error) {
      if (this.lastError !== errorMessage(error)) {
        this.deps.log.warn(
          { err: error },
          'search relay pass failed; rows stay pending',
        );
      }
      this.lastError = errorMessage(error);
      throw error;
    } finally {
      this.running = undefined;
    }
  }

  /** Asks for a pass: now, or after the one in progress. */
  wake(): void {
    if (this.closedFlag) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.relay()
      .catch(() => undefined)
      .finally(() => {
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops polling and listening and waits for the pass in progress. */
  async close(): Promise<void> {
    this.closedFlag = true;
    clearInterval(this.timer);
    await Promise.allSettled(this.unlisten.map((u) => u()));
    await this.running?.catch(() => undefined);
  }

  /** Hands due rows to jobs; returns how many rows it handed. */
  private async relayOnce(all: boolean): Promise<number> {
    const { collections, holds, log } = this.deps;
    let handed = 0;
    for (const outbox of collections.outboxes) {
      // Nothing to read while every collection of this outbox is rebuilt.
      const own = collections.ofOutbox(outbox);
      if (own.every((e) => holds.has(e.collection.spec.name))) continue;
      let afterId = 0;
      for (;;) {
        const rows = await outbox.due(RELAY_READ, {
          all,
          skip: holds.collections(),
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
          if (!collections.has(collection)) {
            log.warn({ collection }, 'outbox rows of an unknown collection');
            continue;
          }
          handed += await this.handOver(outbox, collection, list);
        }
        if (rows.length < RELAY_READ) break;
      }
    }
    const now = Date.now();
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      for (const outbox of collections.outboxes) {
        await outbox.prune(this.settings.retainProcessedMs);
      }
    }
    return handed;
  }

  /**
   * Hands rows of one collection of `outbox` to jobs: a reindex job
   * for the rebuild requests, index jobs of `batchSize` rows for the
   * changes. Returns how many rows it handed.
   */
  private async handOver(
    outbox: Outbox,
    collection: string,
    list: readonly OutboxRow[],
  ): Promise<number> {
    const { batchSize, requeueAfterMs, jobOptions } = this.settings;
    const { indexQueue, reindexQueue } = this.deps;
    let handed = 0;
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
    return handed;
  }
}
