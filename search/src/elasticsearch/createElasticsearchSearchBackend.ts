// The Elasticsearch search backend: an index template per collection (CJK
// bigram analysis), generation indices behind an alias swapped atomically on
// reindex, external versions for idempotent bulk writes, `search_after`
// cursors.
import { Client, type estypes } from '@elastic/elasticsearch';

import { encodeCursor, type SortValue } from '../model/cursor.js';
import { assertCollectionSpec } from '../model/spec.js';
import { validateRequest } from '../model/validateRequest.js';
import { latestOps } from '../model/latestOps.js';
import type {
  CollectionSpec,
  FacetBucket,
  SearchBackend,
  SearchHit,
  SearchResult,
} from '../SearchBackend.js';
import {
  bulkOperations,
  createIndexBody,
  generationIndex,
  indexNames,
  indexTemplateBody,
  searchBody,
  swapAliasesBody,
  type BulkWrite,
} from './requestBodies.js';

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

function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'meta' in error &&
    (error as { meta?: { statusCode?: number } }).meta?.statusCode === 404
  );
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
  const prefix = options.prefix ?? 'govgraph-';
  const refresh = options.refresh ?? 'wait_for';
  const batchSize = options.batchSize ?? 2000;
  await client.info();
  const specs = new Map<string, CollectionSpec>();

  async function specOf(collection: string): Promise<CollectionSpec> {
    const known = specs.get(collection);
    if (known) return known;
    const names = indexNames(prefix, collection);
    try {
      const mapping = await client.indices.getMapping({ index: names.alias });
      const first = Object.values(mapping)[0];
      const spec = first?.mappings._meta?.['spec'] as
        CollectionSpec | undefined;
      if (!spec) throw new Error('no spec in the mapping');
      specs.set(collection, spec);
      return spec;
    } catch (error) {
      if (isNotFound(error))
        throw new Error(
          `search collection "${collection}" does not exist: call ensureCollection first`,
          { cause: error },
        );
      throw error;
    }
  }

  async function aliasIndices(alias: string): Promise<string[]> {
    try {
      return Object.keys(await client.indices.getAlias({ name: alias }));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  async function sendBulk(
    operations: estypes.BulkRequest['operations'],
    refreshPolicy: 'wait_for' | false,
  ): Promise<void> {
    if (!operations || operations.length === 0) return;
    const response = await client.bulk({ operations, refresh: refreshPolicy });
    if (!response.errors) return;
    // 409: a version at or below the stored one, ignored by design.
    const failures = response.items
      .map((item) => Object.values(item)[0])
      .filter(
        (r) =>
          r?.error &&
          r.status !== 409 &&
          !(r.status === 404 && r.result === 'not_found'),
      );
    if (failures.length > 0) {
      const first = failures[0];
      throw new Error(
        `Elasticsearch bulk failed for ${failures.length} operation(s), first: ${first?.error?.type ?? 'error'}: ${first?.error?.reason ?? ''}`,
      );
    }
  }

  function writesOf(ops: Parameters<SearchBackend['bulk']>[1]): BulkWrite[] {
    return latestOps(ops).map((op) =>
      op.kind === 'upsert'
        ? { kind: 'upsert', doc: op.doc }
        : { kind: 'delete', id: op.id, version: op.version },
    );
  }

  const backend: SearchBackend = {
    kind: 'elasticsearch',

    async ensureCollection(spec) {
      assertCollectionSpec(spec);
      const names = indexNames(prefix, spec.name);
      if ((await aliasIndices(names.alias)).length > 0) {
        await specOf(spec.name);
        return;
      }
      await client.indices.putIndexTemplate(indexTemplateBody(prefix, spec));
      const index = generationIndex(prefix, spec.name, Date.now());
      try {
        await client.indices.create({
          index,
          aliases: { [names.alias]: { is_write_index: true } },
        });
      } catch (error) {
        // Another process created it at the same time: fine if the alias exists now.
        if ((await aliasIndices(names.alias)).length === 0) throw error;
        await client.indices
          .delete({ index, ignore_unavailable: true })
          .catch(() => undefined);
      }
      specs.set(spec.name, spec);
    },

    async bulk(collection, ops) {
      const spec = await specOf(collection);
      const writes = writesOf(ops);
      if (writes.length === 0) return;
      const names = indexNames(prefix, collection);
      const [current, building] = await Promise.all([
        aliasIndices(names.alias),
        aliasIndices(names.buildingAlias),
      ]);
      const targets = [...new Set([...current, ...building])];
      for (const index of targets) {
        await sendBulk(bulkOperations(spec, index, writes), refresh);
      }
    },

    async search(collection, request): Promise<SearchResult> {
      const spec = await specOf(collection);
      const normalized = validateRequest(spec, request);
      const text = request.text?.trim();
      const response = await client.search({
        index: indexNames(prefix, collection).alias,
        ...searchBody(spec, normalized, text),
      } as unknown as estypes.SearchRequest);
      const rows = response.hits.hits;
      const hasNextPage = rows.length > normalized.size;
      const page = rows.slice(0, normalized.size);
      const hits: SearchHit[] = page.map((h) => ({
        id: h._id ?? '',
        score: typeof h._score === 'number' ? h._score : 0,
        highlights: h.highlight ?? {},
      }));
      const last = page[page.length - 1];
      const endCursor =
        hasNextPage && last?.sort
          ? encodeCursor(
              last.sort.map(
                (v) =>
                  (v === null || typeof v === 'string' || typeof v === 'number'
                    ? v
                    : String(v)) as SortValue,
              ),
              normalized.hash,
            )
          : null;
      const total =
        typeof response.hits.total === 'number'
          ? response.hits.total
          : (response.hits.total?.value ?? 0);
      const facets: Record<string, FacetBucket[]> = {};
      for (const facet of normalized.facets) {
        const agg = response.aggregations?.[facet.key] as
          estypes.AggregationsStringTermsAggregate | undefined;
        const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
        facets[facet.key] = buckets.map((b) => ({
          value: String(b.key),
          count: b.doc_count,
        }));
      }
      return { hits, total, facets, endCursor, hasNextPage };
    },

    async reindex(spec, source, { total, onProgress }) {
      assertCollectionSpec(spec);
      await backend.ensureCollection(spec);
      const names = indexNames(prefix, spec.name);
      // Leftovers of a reindex that died.
      for (const stale of await aliasIndices(names.buildingAlias)) {
        await client.indices.delete({ index: stale, ignore_unavailable: true });
      }
      await client.indices.putIndexTemplate(indexTemplateBody(prefix, spec));
      const index = generationIndex(prefix, spec.name, Date.now());
      await client.indices.create(createIndexBody(index, names));
      let indexed = 0;
      try {
        await client.indices.putSettings({
          index,
          settings: { refresh_interval: '-1' },
        });
        for await (const batch of source) {
          for (let i = 0; i < batch.length; i += batchSize) {
            const writes = writesOf({
              upserts: batch.slice(i, i + batchSize),
              deletes: [],
            });
            await sendBulk(bulkOperations(spec, index, writes), false);
          }
          indexed += batch.length;
          onProgress?.({ indexed, total });
        }
        await client.indices.putSettings({
          index,
          settings: { refresh_interval: '1s' },
        });
        await client.indices.refresh({ index });
        const old = (await aliasIndices(names.alias)).filter(
          (i) => i !== index,
        );
        await client.indices.updateAliases(swapAliasesBody(names, old, index));
        specs.set(spec.name, spec);
        for (const o of old)
          await client.indices.delete({ index: o, ignore_unavailable: true });
      } catch (error) {
        await client.indices
          .delete({ index, ignore_unavailable: true })
          .catch(() => undefined);
        throw error;
      }
      const progress = { indexed, total };
      onProgress?.(progress);
      return progress;
    },

    async count(collection) {
      await specOf(collection);
      const response = await client.count({
        index: indexNames(prefix, collection).alias,
      });
      return response.count;
    },

    async close() {
      await client.close();
    },
  };
  return backend;
}
