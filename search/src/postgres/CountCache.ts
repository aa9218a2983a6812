// Totals and facet counts by statement, for the collection's generation
// and write sequence: any write or swap changes the key, so a cached count
// is never stale. Pays off for repeated counts that the district counts
// cannot answer (a keyword's or a filter's matches, counted row by row).
import { LRUCache } from 'lru-cache';

import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import type { Statement } from './searchSql.js';

/** Count results of the newest `size` statements; 0 turns caching off. */
export class CountCache {
  private readonly results: LRUCache<string, { rows: unknown[] }>;

  constructor(
    private readonly db: Queryable,
    private readonly size: number,
  ) {
    this.results = new LRUCache<string, { rows: unknown[] }>({
      max: size || 1,
    });
  }

  /** The result of `statement` on `generation` at write sequence `seq`. */
  async query<Row>(
    collection: string,
    generation: number,
    seq: string,
    statement: Statement,
  ): Promise<{ rows: Row[] }> {
    if (this.size === 0) {
      return this.db.query<Row>(statement.text, statement.values);
    }
    const key = `${collection}\u0000${generation}\u0000${seq}\u0000${statement.text}\u0000${JSON.stringify(statement.values)}`;
    const hit = this.results.get(key);
    if (hit) return hit as { rows: Row[] };
    const result = await this.db.query<Row>(statement.text, statement.values);
    this.results.set(key, result);
    return result;
  }
}
