// The Elasticsearch backend's view of its cluster: the collections' specs
// (kept in each index mapping's `_meta`, cached here), the indices behind an
// alias, and bulk requests that tolerate the conflicts external versions
// produce by design.
import type { Client, estypes } from '@elastic/elasticsearch';

import { latestOps } from '../model/latestOps.js';
import type { CollectionSpec, SearchBackend } from '../SearchBackend.js';
import { indexNames, type BulkWrite } from './requestBodies.js';

/** True for Elasticsearch's 404 (no such index or alias). */
export function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'meta' in error &&
    (error as { meta?: { statusCode?: number } }).meta?.statusCode === 404
  );
}

/** The latest write per document of a `bulk` call's operations. */
export function writesOf(
  ops: Parameters<SearchBackend['bulk']>[1],
): BulkWrite[] {
  return latestOps(ops).map((op) =>
    op.kind === 'upsert'
      ? { kind: 'upsert', doc: op.doc }
      : { kind: 'delete', id: op.id, version: op.version },
  );
}

/** The collections under one prefix on one cluster. */
export class ElasticsearchIndices {
  private readonly specs = new Map<string, CollectionSpec>();

  constructor(
    readonly client: Client,
    /** Prefix of aliases, indices and templates. */
    readonly prefix: string,
  ) {}

  /** The aliases and names of a collection's indices. */
  names(collection: string) {
    return indexNames(this.prefix, collection);
  }

  /** Remembers the spec a collection now has. */
  remember(collection: string, spec: CollectionSpec): void {
    this.specs.set(collection, spec);
  }

  /** The spec of a collection; throws when it does not exist. */
  async specOf(collection: string): Promise<CollectionSpec> {
    const known = this.specs.get(collection);
    if (known) return known;
    const names = this.names(collection);
    try {
      const mapping = await this.client.indices.getMapping({
        index: names.alias,
      });
      const first = Object.values(mapping)[0];
      const spec = first?.mappings._meta?.['spec'] as
        CollectionSpec | undefined;
      if (!spec) throw new Error('no spec in the mapping');
      this.specs.set(collection, spec);
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

  /** The indices behind `alias` (none when it does not exist). */
  async aliasIndices(alias: string): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: alias }));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  /**
   * Sends bulk operations; throws on failures other than a version at or
   * below the stored one (409) and deleting a missing document.
   */
  async sendBulk(
    operations: estypes.BulkRequest['operations'],
    refreshPolicy: 'wait_for' | false,
  ): Promise<void> {
    if (!operations || operations.length === 0) return;
    const response = await this.client.bulk({
      operations,
      refresh: refreshPolicy,
    });
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
}
