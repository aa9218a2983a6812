// The one search interface with two backends (PostgreSQL, Elasticsearch).
// Generic over collections: a department describes its documents with a
// CollectionSpec and maps its GraphQL arguments onto a SearchRequest.

export { SearchRequestError } from './model/SearchRequestError.js';

/** A field value stored in a document. */
export type DocValue = string | number | boolean | null | readonly string[];

/** One document of a collection: `id` plus the fields of its spec. */
export interface SearchDocument {
  readonly id: string;
  /**
   * Monotonic version of the source row (e.g. epoch ms of its last change or
   * an outbox sequence): a write with a lower version than the indexed one is
   * ignored, so replays and out-of-order batches are idempotent.
   */
  readonly version: number;
  readonly fields: Readonly<Record<string, DocValue>>;
}

/** How a collection's fields are indexed. */
export interface CollectionSpec {
  /** e.g. `risk-items`; lowercase letters, digits and dashes. */
  readonly name: string;
  /** Full-text fields (Chinese-aware: two-character words such as 危化 match). */
  readonly text: readonly string[];
  /** Exact-match fields: filterable and facetable (string or string[] values). */
  readonly keyword: readonly string[];
  /**
   * Region fields: administrative codes matched by prefix (a 6-digit district
   * matches its streets and grids). Filterable; facetable by district (first
   * 6 digits) and street (first 9).
   */
  readonly region: readonly string[];
  /** Timestamps (ISO 8601 strings): range filters and sort. */
  readonly date: readonly string[];
  /** Numbers: sort and range filters. */
  readonly numeric: readonly string[];
}

/** A condition on a document; all conditions of a request must hold. */
export type SearchFilter =
  | {
      readonly op: 'in';
      readonly field: string;
      readonly values: readonly string[];
    }
  | {
      readonly op: 'prefix';
      readonly field: string;
      readonly values: readonly string[];
    }
  | {
      readonly op: 'range';
      readonly field: string;
      /** Inclusive lower bound (ISO 8601 for dates). */
      readonly gte?: string | number;
      /** Exclusive upper bound. */
      readonly lt?: string | number;
    }
  | { readonly op: 'and'; readonly filters: readonly SearchFilter[] }
  | { readonly op: 'or'; readonly filters: readonly SearchFilter[] };

/**
 * A facet: counts of documents per value of a keyword or region field. Its
 * buckets are in `SearchResult.facets[key]`, key = `field`, or
 * `field.district` / `field.street` when `regionLevel` is given (a region
 * facet without a level groups by district).
 */
export interface FacetRequest {
  readonly field: string;
  /** For region fields: group by district (6) or street (9) digits. */
  readonly regionLevel?: 'district' | 'street';
  /** Most buckets returned, by count descending then value. @defaultValue 20 */
  readonly size?: number;
}

export interface SortKey {
  /** A date, numeric or keyword field, or `_score` (relevance). */
  readonly field: string;
  readonly order: 'asc' | 'desc';
}

export interface SearchRequest {
  /** Keyword text; absent or blank matches every document. */
  readonly text?: string;
  /**
   * Text fields the text may match and be highlighted in: the caller's
   * readable fields. Must be a subset of the spec's `text`. An empty list
   * with a text matches nothing.
   */
  readonly textFields: readonly string[];
  /** Must hold for hits and facet counts alike (row scope goes here). */
  readonly filter?: SearchFilter;
  readonly facets?: readonly FacetRequest[];
  /** Ties are broken by `id` ascending. @defaultValue `_score` desc when text is given, else `id` asc */
  readonly sort?: readonly SortKey[];
  /** 1…100. */
  readonly size: number;
  /**
   * Opaque cursor from a previous page's `endCursor` with the same text,
   * textFields, filter and sort (size, facets and highlight may change).
   */
  readonly after?: string;
  /** Highlight matches in these text fields (subset of `textFields`). */
  readonly highlight?: readonly string[];
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
  /** Per highlighted field: fragments with matches wrapped in `<em>…</em>` (text HTML-escaped). */
  readonly highlights: Readonly<Record<string, readonly string[]>>;
}

export interface FacetBucket {
  readonly value: string;
  readonly count: number;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** Documents matching text and filter (exact). */
  readonly total: number;
  readonly facets: Readonly<Record<string, readonly FacetBucket[]>>;
  /** Cursor after the last hit; null when there is no next page. */
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

/** Progress of a full reindex. */
export interface ReindexProgress {
  readonly indexed: number;
  readonly total: number;
}

/**
 * A search backend. Implementations: PostgreSQL (schema `search`, the
 * embedded default) and Elasticsearch. Both pass the same contract tests.
 */
export interface SearchBackend {
  readonly kind: 'postgres' | 'elasticsearch';
  /** Creates what a collection needs (tables or index template, index and alias). Idempotent. */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  /** Upserts and deletes in bulk; lower versions than the indexed ones are ignored. */
  bulk(
    collection: string,
    ops: {
      readonly upserts: readonly SearchDocument[];
      readonly deletes: readonly {
        readonly id: string;
        readonly version: number;
      }[];
    },
  ): Promise<void>;
  /**
   * Throws {@link SearchRequestError} (code `BAD_USER_INPUT`, a message fit
   * for users) when the request does not fit the collection's spec.
   */
  search(collection: string, request: SearchRequest): Promise<SearchResult>;
  /**
   * Rebuilds a collection from `source` without downtime: writes a new
   * generation (new index or table) while searches use the old one, then
   * swaps (alias or rename) atomically. Calls `onProgress` as it goes.
   */
  reindex(
    spec: CollectionSpec,
    source: AsyncIterable<readonly SearchDocument[]>,
    options: { total: number; onProgress?: (p: ReindexProgress) => void },
  ): Promise<ReindexProgress>;
  /** Number of documents indexed in a collection. */
  count(collection: string): Promise<number>;
  close(): Promise<void>;
}
