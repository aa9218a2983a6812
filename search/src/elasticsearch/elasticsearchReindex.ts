// A full reindex on the Elasticsearch backend: a new generation index,
// loaded without refreshes behind the building alias (which `bulk` writes
// to as well), then swapped in behind the collection's alias atomically; a
// failed reindex deletes what it built.
import { assertCollectionSpec } from '../model/spec.js';
import type {
  CollectionSpec,
  ReindexProgress,
  SearchDocument,
} from '../SearchBackend.js';
import { writesOf, type ElasticsearchIndices } from './ElasticsearchIndices.js';
import { ensureCollection } from './elasticsearchWrites.js';
import {
  bulkOperations,
  createIndexBody,
  generationIndex,
  indexTemplateBody,
  swapAliasesBody,
} from './requestBodies.js';

/**
 * Rebuilds `spec`'s collection from `source`, `batchSize` documents per
 * bulk request (see `SearchBackend.reindex`).
 */
export async function reindexCollection(
  indices: ElasticsearchIndices,
  batchSize: number,
  spec: CollectionSpec,
  source: AsyncIterable<readonly SearchDocument[]>,
  options: { total: number; onProgress?: (p: ReindexProgress) => void },
): Promise<ReindexProgress> {
  const { client, prefix } = indices;
  const { total, onProgress } = options;
  assertCollectionSpec(spec);
  await ensureCollection(indices, spec);
  const names = indices.names(spec.name);
  // Leftovers of a reindex that died.
  for (const stale of await indices.aliasIndices(names.buildingAlias)) {
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
        await indices.sendBulk(bulkOperations(spec, index, writes), false);
      }
      indexed += batch.length;
      onProgress?.({ indexed, total });
    }
    await client.indices.putSettings({
      index,
      settings: { refresh_interval: '1s' },
    });
    await client.indices.refresh({ index });
    const old = (await indices.aliasIndices(names.alias)).filter(
      (i) => i !== index,
    );
    await client.indices.updateAliases(swapAliasesBody(names, old, index));
    indices.remember(spec.name, spec);
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
}
