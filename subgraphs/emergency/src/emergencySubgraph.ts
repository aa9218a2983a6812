import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/index.js';
import { resolvers } from './resolvers.js';

/**
 * 应急管理局 — the emergency-management subgraph: the risk inventory
 * (风险清单) with its categories, thresholds and disposal measures, and the
 * alerts raised against it. It extends Region, MonitoringSection, Enterprise
 * and Person with the risk items and alerts that concern them.
 */
export const emergencySubgraph: SubgraphDefinition = {
  name: 'emergency',
  department: '应急管理局',
  schema: 'emergency',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4005,
  resolvers,
};
