// Picks the search backend the way the rest of the hub picks its parts:
// Elasticsearch when a URL is configured, PostgreSQL (the embedded default)
// otherwise. Code above this never knows which one it has.
import type { Database } from '../../subgraphs/kit/src/db/Database.js';
import { createElasticsearchSearchBackend } from './elasticsearch/createElasticsearchSearchBackend.js';
import { createPostgresSearchBackend } from './postgres/createPostgresSearchBackend.js';
import type { SearchBackend } from './SearchBackend.js';

/** Where the search index lives. */
export interface SearchBackendTarget {
  /** The database: the PostgreSQL backend keeps schema `search` in it. */
  readonly db: Database;
  /** `ELASTICSEARCH_URL`: when set, the index is in Elasticsearch. */
  readonly elasticsearchUrl?: string | undefined;
}

/** Opens the backend `target` names (see {@link SearchBackendTarget}). */
export function openSearchBackend(
  target: SearchBackendTarget,
): Promise<SearchBackend> {
  return target.elasticsearchUrl === undefined
    ? createPostgresSearchBackend({ db: target.db })
    : createElasticsearchSearchBackend({ url: target.elasticsearchUrl });
}
