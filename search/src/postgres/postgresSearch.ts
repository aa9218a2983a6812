// A search on the PostgreSQL backend: the hits page, the total and facets
// (cached per write sequence), highlights from the side table and the
// cursor of the next page.
import type { Queryable } from '../../../subgraphs/kit/src/db/Database.js';
import { encodeCursor, type SortValue } from '../model/cursor.js';
import { highlightValue } from '../model/highlight.js';
import { validateRequest } from '../model/validateRequest.js';
import type {
  FacetBucket,
  SearchHit,
  SearchRequest,
  SearchResult,
} from '../SearchBackend.js';
import type { CountCache } from './CountCache.js';
import { readPointer } from './generations.js';
import { requestTerms, searchStatements } from './searchSql.js';
import { docsViewName } from './sql.js';
import type { TermDictionary } from './TermDictionary.js';

/** What a search uses. */
export interface SearchContext {
  readonly db: Queryable;
  readonly terms: TermDictionary;
  readonly counts: CountCache;
}

/** Runs `request` on `collection` (see `SearchBackend.search`). */
export async function searchCollection(
  context: SearchContext,
  collection: string,
  request: SearchRequest,
): Promise<SearchResult> {
  const { db, terms: dictionary, counts } = context;
  const { spec, generation, seq } = await readPointer(db, collection);
  const normalized = validateRequest(spec, request);
  const ids = await dictionary.ids(
    collection,
    requestTerms(spec, normalized),
    false,
  );
  const statements = searchStatements(spec, normalized, ids);
  const [hitRows, totalRows, ...facetRows] = await Promise.all([
    db.query<Record<string, unknown>>(
      statements.hits.text,
      statements.hits.values,
    ),
    counts.query<{ total: number }>(
      collection,
      generation,
      seq,
      statements.total,
    ),
    ...statements.facets.map((f) =>
      counts.query<{ value: string; count: number }>(
        collection,
        generation,
        seq,
        f.statement,
      ),
    ),
  ]);
  const rows = hitRows.rows;
  const hasNextPage = rows.length > normalized.size;
  const page = rows.slice(0, normalized.size);
  const terms = new Set(normalized.terms ?? []);
  // The text of the page's hits, from the side table, to highlight.
  const docs = new Map<string, Record<string, unknown>>();
  if (terms.size > 0 && normalized.highlight.length > 0 && page.length > 0) {
    const { rows: docRows } = await db.query<{
      id: string;
      doc: Record<string, unknown>;
    }>(
      `SELECT id, doc FROM ${docsViewName(collection)} WHERE id = ANY($1::text[])`,
      [page.map((r) => String(r['id']))],
    );
    for (const r of docRows) docs.set(r.id, r.doc);
  }
  const hits: SearchHit[] = page.map((row) => {
    const highlights: Record<string, string[]> = {};
    const doc = docs.get(String(row['id'])) ?? {};
    if (terms.size > 0) {
      for (const field of normalized.highlight) {
        const fragments = highlightValue(doc[field], terms);
        if (fragments.length > 0) highlights[field] = fragments;
      }
    }
    return {
      id: String(row['id']),
      score: Number(row['score']),
      highlights,
    };
  });
  const last = page[page.length - 1];
  const endCursor =
    hasNextPage && last
      ? encodeCursor(
          normalized.sort.map((_, i) => {
            const v = last[`s${i}`];
            return v === undefined ? null : (v as SortValue);
          }),
          normalized.hash,
        )
      : null;
  const facets: Record<string, FacetBucket[]> = {};
  statements.facets.forEach((f, i) => {
    facets[f.key] = (facetRows[i]?.rows ?? []).map((r) => ({
      value: r.value,
      count: Number(r.count),
    }));
  });
  return {
    hits,
    total: Number(totalRows.rows[0]?.total ?? 0),
    facets,
    endCursor,
    hasNextPage,
  };
}
