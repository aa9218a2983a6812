// What an indexer reports about itself: rows pending per collection, dead
// letters, rebuilds in progress and the relay's last pass.
import type { AwaitableJobQueue } from '../../../subgraphs/kit/src/jobs/index.js';
import type { OutboxRelay } from './OutboxRelay.js';
import type { ReindexHolds, SearchCollections } from './SearchCollections.js';
import type { SearchIndexerStatus } from './SearchIndexer.js';

/** What the status is read from. */
export interface IndexerStatusSources {
  readonly collections: SearchCollections;
  readonly holds: ReindexHolds;
  readonly relay: OutboxRelay;
  /** The index queue and the reindex queue. */
  readonly queues: readonly [
    AwaitableJobQueue<unknown, unknown>,
    AwaitableJobQueue<unknown, unknown>,
  ];
}

/** Reads the status of an indexer (see {@link SearchIndexerStatus}). */
export async function readIndexerStatus(
  sources: IndexerStatusSources,
): Promise<SearchIndexerStatus> {
  const [indexQueue, reindexQueue] = sources.queues;
  const pendingByCollection: Record<string, number> = {};
  let pending = 0;
  let lastIndexError: string | null = null;
  for (const outbox of sources.collections.outboxes) {
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
    reindexing: sources.holds.collections(),
    lastRelayAt: sources.relay.lastRelayAt?.toISOString() ?? null,
    relayError: sources.relay.relayError,
    lastIndexError,
  };
}
