// The term dictionaries of the collections (`search.t_<name>`: term text to
// id), with the ids in memory: entries never change, so the cache cannot go
// stale.
import { LRUCache } from 'lru-cache';

import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import { termsOfRows, withTermIds, type RowJson } from './rows.js';
import { dictionaryName } from './sql.js';

/** Term ids of every collection, `size` entries kept in memory. */
export class TermDictionary {
  private readonly cache: LRUCache<string, number>;

  constructor(
    private readonly db: Queryable,
    size: number,
  ) {
    this.cache = new LRUCache<string, number>({ max: Math.max(1, size) });
  }

  /**
   * Dictionary ids of `terms`. With `create`, missing terms are added first
   * (committed on their own, outside any caller's transaction, so a cached
   * id always exists); without, unknown terms are left out (they are in no
   * document).
   */
  async ids(
    collection: string,
    terms: readonly string[],
    create: boolean,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const t of terms) {
      const id = this.cache.get(`${collection}\u0000${t}`);
      if (id === undefined) missing.push(t);
      else found.set(t, id);
    }
    const remember = (rows: readonly { term: string; id: number }[]): void => {
      for (const r of rows) {
        found.set(r.term, r.id);
        this.cache.set(`${collection}\u0000${r.term}`, r.id);
      }
    };
    const dictionary = dictionaryName(collection);
    for (let i = 0; i < missing.length; i += 10_000) {
      const chunk = missing.slice(i, i + 10_000);
      if (create) {
        // Rows another writer inserts concurrently are invisible to this
        // statement's snapshot: looked up again below.
        const { rows } = await this.db.query<{ term: string; id: number }>(
          `WITH ins AS (INSERT INTO ${dictionary} (term) SELECT unnest($1::text[]) ON CONFLICT (term) DO NOTHING RETURNING term, id) SELECT term, id FROM ins UNION ALL SELECT term, id FROM ${dictionary} WHERE term = ANY($1::text[])`,
          [chunk],
        );
        remember(rows);
      }
      const still = chunk.filter((t) => !found.has(t));
      if (still.length > 0) {
        const { rows } = await this.db.query<{ term: string; id: number }>(
          `SELECT term, id FROM ${dictionary} WHERE term = ANY($1::text[])`,
          [still],
        );
        remember(rows);
        if (create && rows.length < still.length)
          throw new Error(
            `search: terms of ${collection} not in its dictionary`,
          );
      }
    }
    return found;
  }

  /** Rows ready to write: terms replaced by their dictionary ids. */
  async prepareRows(
    collection: string,
    rows: readonly RowJson[],
  ): Promise<RowJson[]> {
    return withTermIds(
      rows,
      await this.ids(collection, termsOfRows(rows), true),
    );
  }
}
