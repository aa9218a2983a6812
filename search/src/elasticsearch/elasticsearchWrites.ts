// Writing documents to the Elasticsearch backend: creating a collection
// (its template, first index and alias), and `bulk` writes (to the alias's
// index and to the one a reindex builds).
import { assertCollectionSpec } from '../model/spec.js';
import type { CollectionSpec, SearchBackend } from '../SearchBackend.js';
import { writesOf, type ElasticsearchIndices } from './ElasticsearchIndices.js';
import {
  bulkOperations,
  generationIndex,
  indexTemplateBody,
} from './requestBodies.js';

/** Creates the collection unless its alias exists. */
export async function ensureCollection(
  indices: ElasticsearchIndices,
  spec: CollectionSpec,
): Promise<void> {
  const { client, prefix } = indices;
  assertCollectionSpec(spec);
  const names = indices.names(spec.name);
  if ((await indices.aliasIndices(names.alias)).length > 0) {
    await indices.specOf(spec.name);
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
    if ((await indices.aliasIndices(names.alias)).length === 0) throw error;
    await client.indices
      .delete({ index, ignore_unavailable: true })
      .catch(() => undefined);
  }
  indices.remember(spec.name, spec);
}

/**
 * Writes the latest of `ops` to every index behind the collection's alias
 * and behind its building alias (found on every call), with `refresh`.
 */
export async function bulkWrite(
  indices: ElasticsearchIndices,
  refresh: 'wait_for' | false,
  collection: string,
  ops: Parameters<SearchBackend['bulk']>[1],
): Promise<void> {
  const spec = await indices.specOf(collection);
  const writes = writesOf(ops);
  if (writes.length === 0) return;
  const names = indices.names(collection);
  const [current, building] = await Promise.all([
    indices.aliasIndices(names.alias),
    indices.aliasIndices(names.buildingAlias),
  ]);
  const targets = [...new Set([...current, ...building])];
  for (const index of targets) {
    await indices.sendBulk(bulkOperations(spec, index, writes), refresh);
  }
}
