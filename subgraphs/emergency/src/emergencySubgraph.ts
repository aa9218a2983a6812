import { fileURLToPath } from 'node:url';

import { openSearchBackend } from '../../../search/src/openSearchBackend.js';
import type { SearchBackend } from '../../../search/src/SearchBackend.js';
import { readEnv } from '../../kit/src/env.js';
import type { Database } from '../../kit/src/db/Database.js';
import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import {
  PENDING_COUNT_BOUND,
  readSearchIndexState,
  type SearchIndexState,
} from '../../../search/src/pipeline/searchIndexState.js';
import { createAlertResolvers } from './alerting/alertResolvers.js';
import { mergeResolverMaps } from './alerting/mergeResolverMaps.js';
import type { WebhookAllowList } from './alerting/webhookTargets.js';
import {
  loadAlerts,
  loadCategory,
  loadRiskItems,
  resolvers,
} from './resolvers.js';
import { ALERTS, RISK_ITEMS } from './search/collections.js';
import { EMERGENCY_OUTBOX } from './search/documents.js';
import { createSearchResolvers } from './search/searchResolvers.js';

// One search backend per database the subgraph serves: Elasticsearch when
// ELASTICSEARCH_URL is set, else the PostgreSQL backend in the same database.
const backends = new WeakMap<Database, Promise<SearchBackend>>();

function searchBackendOf(db: Database): Promise<SearchBackend> {
  let backend = backends.get(db);
  if (backend === undefined) {
    backend = openSearchBackend({
      db,
      elasticsearchUrl: readEnv().ELASTICSEARCH_URL,
    });
    backend.catch(() => backends.delete(db));
    backends.set(db, backend);
  }
  return backend;
}

/** Whether the index holds every change of the department's outbox yet. */
function searchIndexStateOf(db: Database): Promise<SearchIndexState> {
  return readSearchIndexState(db, [EMERGENCY_OUTBOX], PENDING_COUNT_BOUND);
}

/** Configuration of {@link createEmergencySubgraph}. */
export interface EmergencySubgraphConfig {
  /**
   * Alert webhook targets allowed besides public addresses over https
   * (`readEmergencyEnv` reads them from ALERT_WEBHOOK_ALLOWED_TARGETS).
   * @defaultValue EMPTY_WEBHOOK_ALLOW_LIST
   */
  readonly webhookAllowList?: WebhookAllowList;
}

/**
 * 应急管理局 — the emergency-management subgraph: the risk inventory
 * (风险清单) with its categories, thresholds and disposal measures, and the
 * alerts raised against it. It extends Region, MonitoringSection, Enterprise
 * and Person with the risk items and alerts that concern them.
 */
export function createEmergencySubgraph(
  config: EmergencySubgraphConfig = {},
): SubgraphDefinition {
  return {
    name: 'emergency',
    department: '应急管理局',
    schema: 'emergency',
    schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    defaultPort: 4005,
    resolvers: mergeResolverMaps(
      resolvers,
      createAlertResolvers(
        config.webhookAllowList === undefined
          ? {}
          : { webhookAllowList: config.webhookAllowList },
      ),
      createSearchResolvers({
        backendOf: (ctx) => searchBackendOf(ctx.db),
        riskItems: loadRiskItems,
        alerts: loadAlerts,
        category: loadCategory,
        indexStateOf: (ctx) => searchIndexStateOf(ctx.db),
      }),
    ),
    // The search index is reported (building is not a failure: the
    // subgraph answers, and its searches say they may miss changes).
    ready: (db) => ({
      searchIndex: async () => {
        const index = await searchIndexStateOf(db);
        return {
          ...index,
          status: index.state === 'building' ? 'building' : 'ok',
        };
      },
    }),
    // The search collections exist before the first search (the indexing
    // pipeline fills them).
    async prepare(db) {
      const backend = await searchBackendOf(db);
      await backend.ensureCollection(RISK_ITEMS);
      await backend.ensureCollection(ALERTS);
    },
  };
}

/**
 * The emergency subgraph with its default settings (no webhook target
 * allowed besides public addresses over https): what composition, the
 * migrations and the seeds use.
 */
export const emergencySubgraph: SubgraphDefinition = createEmergencySubgraph();
