// A search on the Elasticsearch backend: one request for hits, total and
// facets; `search_after` cursors from the last hit's sort values.
import type { estypes } from '@elastic/elasticsearch';

import { encodeCursor, type SortValue } from '../model/cursor.js';
import { validateRequest } from '../model/validateRequest.js';
import type {
  FacetBucket,
  SearchHit,
  SearchRequest,
  SearchResult,
} from '../SearchBackend.js';
import type { ElasticsearchIndices } from './ElasticsearchIndices.js';
import { searchBody } from './requestBodies.js';

/** Runs `request` on `collection` (see `SearchBackend.search`). */
export async function searchCollection(
  indices: ElasticsearchIndices,
  collection: string,
  request: SearchRequest,
): Promise<SearchResult> {
  const spec = await indices.specOf(collection);
  const normalized = validateRequest(spec, request);
  const text = request.text?.trim();
  const response = await indices.client.search({
    index: indices.names(collection).alias,
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
}
