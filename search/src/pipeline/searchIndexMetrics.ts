// The search index's lag as Prometheus gauges, in the job metrics of the
// process that runs the indexer (`component="jobs"`): outbox rows pending
// and the age of the oldest, read from the outboxes when scraped.
import { Gauge } from 'prom-client';

import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import { jobMetricsRegistry } from '../../../subgraphs/kit/src/metrics/jobMetrics.js';
import { readSearchIndexState } from './searchIndexState.js';

/** An indexer's outboxes, reported while it runs. */
interface IndexedOutboxes {
  readonly db: Queryable;
  readonly tables: readonly string[];
}

const indexed = new Set<IndexedOutboxes>();
let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const registers = [jobMetricsRegistry()];
  // One read per scrape serves both gauges.
  let reading: Promise<{ pending: number; oldestSeconds: number }> | null =
    null;
  const read = (): Promise<{ pending: number; oldestSeconds: number }> => {
    reading ??= (async () => {
      let pending = 0;
      let oldest = 0;
      for (const outboxes of indexed) {
        const state = await readSearchIndexState(outboxes.db, outboxes.tables);
        pending += state.pending;
        oldest = Math.max(oldest, (state.oldestPendingAgeMs ?? 0) / 1000);
      }
      return { pending, oldestSeconds: oldest };
    })().finally(() => {
      setImmediate(() => {
        reading = null;
      });
    });
    return reading;
  };
  new Gauge({
    name: 'govgraph_search_outbox_pending',
    help: 'Outbox rows whose change the search index does not hold yet',
    registers,
    async collect() {
      try {
        this.set((await read()).pending);
      } catch {
        // The database does not answer: no figure.
      }
    },
  });
  new Gauge({
    name: 'govgraph_search_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row not indexed yet (0 when none)',
    registers,
    async collect() {
      try {
        this.set((await read()).oldestSeconds);
      } catch {
        // The database does not answer: no figure.
      }
    },
  });
}

/** Reports the lag of `tables` until the returned function is called. */
export function reportSearchIndexLag(
  db: Queryable,
  tables: readonly string[],
): () => void {
  register();
  const entry = { db, tables };
  indexed.add(entry);
  return () => {
    indexed.delete(entry);
  };
}
