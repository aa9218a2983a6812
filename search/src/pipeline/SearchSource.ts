// What a department gives the indexing pipeline: its outbox table and, per
// collection, how to build documents from its tables.
import type { CollectionSpec, SearchDocument } from '../SearchBackend.js';

/** The documents of a batch of ids: those that exist and those that are gone. */
export interface DocumentBatch {
  readonly upserts: readonly SearchDocument[];
  /** Ids without a row any more, with the version of the deletion. */
  readonly deletes: readonly {
    readonly id: string;
    readonly version: number;
  }[];
}

/** How one collection's documents are built from a department's tables. */
export interface CollectionSource {
  readonly spec: CollectionSpec;
  /**
   * The current documents of `ids` (one or two statements, however many
   * ids): a document per id that exists, a delete per id that does not.
   * Versions increase with time, so a later load always wins.
   */
  load(ids: readonly string[]): Promise<DocumentBatch>;
  /** How many documents the collection has in the tables. */
  count(): Promise<number>;
  /** Every document, in pages of at most `pageSize` (keyset-paginated). */
  pages(pageSize: number): AsyncIterable<readonly SearchDocument[]>;
}

/**
 * A department's searchable data: the outbox its triggers write and its
 * collections.
 *
 * The outbox table has the columns `id bigserial, collection text, doc_id
 * text, created_at, enqueued_at, retry_at, processed_at timestamptz,
 * attempts integer, last_error text` (see
 * `subgraphs/emergency/migrations/003_search.sql`); a `doc_id` of `*` asks
 * for a full reindex of its collection.
 */
export interface SearchSource {
  /** Schema-qualified, e.g. `emergency.search_outbox`. */
  readonly outboxTable: string;
  /** The channel the outbox triggers `NOTIFY`, if any. */
  readonly channel?: string;
  readonly collections: readonly CollectionSource[];
}

/** The `doc_id` of an outbox row asking for a full reindex. */
export const REINDEX_ALL = '*';
