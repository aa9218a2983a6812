// Whether the search index holds every change yet: read from the outboxes
// (rows whose change the index does not hold, a `*` row for a rebuild
// included), so that any process over the database can tell — the
// subgraph that answers searches, the worker, the hub — without asking the
// indexer. Searches answered while it is `building` say so in their
// response's `extensions.searchIndex`; `/ready` reports it.
import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import { Outbox } from './outbox.js';

/** The state of the index over some outboxes. */
export interface SearchIndexState {
  /** `caught-up`: nothing pending; `building`: changes still to index. */
  readonly state: 'caught-up' | 'building';
  /**
   * Outbox rows whose change the index does not hold yet (counted up to
   * the bound given to {@link readSearchIndexState}, when one is).
   */
  readonly pending: number;
  /** Age of the oldest of them in milliseconds; null when none. */
  readonly oldestPendingAgeMs: number | null;
}

/**
 * The most pending rows a search answer counts: beyond it, `pending` says
 * this many (the count stays cheap while a city-scale index builds).
 */
export const PENDING_COUNT_BOUND = 10_000;

/**
 * Reads the state of the index over `outboxTables` (schema.table): one
 * statement per outbox, over the partial index of unprocessed rows (a few
 * index entries when caught up). `countUpTo` bounds the count per outbox.
 */
export async function readSearchIndexState(
  db: Queryable,
  outboxTables: readonly string[],
  countUpTo?: number,
): Promise<SearchIndexState> {
  let pending = 0;
  let oldest: number | null = null;
  for (const table of outboxTables) {
    const lag = await new Outbox(db, table).lag(countUpTo);
    pending += lag.pending;
    if (lag.oldestPendingAgeMs !== null) {
      oldest = Math.max(oldest ?? 0, lag.oldestPendingAgeMs);
    }
  }
  return {
    state: pending === 0 ? 'caught-up' : 'building',
    pending,
    oldestPendingAgeMs: oldest,
  };
}
