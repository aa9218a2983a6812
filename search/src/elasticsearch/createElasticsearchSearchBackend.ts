// The Elasticsearch search backend: an index template per collection (CJK
// bigram analysis), generation indices behind an alias swapped atomically on
// reindex, external versions for idempotent bulk writes, `search_after`
// cursors. The operations are in elasticsearchWrites.ts,
// elasticsearchSearch.ts and elasticsearchReindex.ts.
import { Client } from '@elastic/elasticsearch';

import type { SearchBackend } from '../SearchBackend.js';
import { ElasticsearchIndices } from './ElasticsearchIndices.js';
import { reindexCollection } from './elasticsearchReindex.js';
import { searchCollection } from './elasticsearchSearch.js';
import { bulkWrite, ensureCollection } from './elasticsearchWrites.js';

/** Options of {@link createElasticsearchSearchBackend}. */
export interface ElasticsearchSearchBackendOptions {
  /** e.g. `http://127.0.0.1:9200`. */
  readonly url: string;
  /** Prefix of aliases, indices and templates. @defaultValue `govgraph-` */
  readonly prefix?: string;
  /**
   * Refresh policy of `bulk`: `wait_for` makes writes visible to the next
   * search (tests, small volumes); `false` leaves it to the refresh interval.
   * @defaultValue `wait_for`
   */
  readonly refresh?: 'wait_for' | false;
  /** Documents per bulk request while reindexing. @defaultValue 2000 */
  readonly batchSize?: number;
}

/**
 * Opens the Elasticsearch backend and checks the cluster answers. Collections
 * live behind the alias `<prefix><name>` on index `<prefix><name>-g<time>`;
 * their spec is kept in the mapping's `_meta`. Scores are Elasticsearch's
 * BM25 with the name boosted 2: they order hits like the PostgreSQL
 * backend's in the common cases but are not the same numbers.
 *
 * Writes during a reindex go to the alias and to the index the reindex
 * builds (found through the `<alias>-building` alias on every bulk).
 */
export async function createElasticsearchSearchBackend(
  options: ElasticsearchSearchBackendOptions,
): Promise<SearchBackend> {
  const client = new Client({ node: options.url });
  const indices = new ElasticsearchIndices(
    client,
    options.prefix ?? 'govgraph-',
  );
  const refresh = options.refresh ?? 'wait_for';
  const batchSize = options.batchSize ?? 2000;
  await client.info();

  return {
    kind: 'elasticsearch',

    ensureCollection: (spec) => ensureCollection(indices, spec),

    bulk: (collection, ops) => bulkWrite(indices, refresh, collection, ops),

    search: (collection, request) =>
      searchCollection(indices, collection, request),

    reindex: (spec, source, progress) =>
      reindexCollection(indices, batchSize, spec, source, progress),

    async count(collection) {
      await indices.specOf(collection);
      const response = await client.count({
        index: indices.names(collection).alias,
      });
      return response.count;
    },

    async close() {
      await client.close();
    },
  };
}
