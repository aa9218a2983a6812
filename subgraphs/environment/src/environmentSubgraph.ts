import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import { resolvers } from './resolvers.js';

/**
 * 生态环境局 — the ecology and environment subgraph: water-quality
 * monitoring sections and readings, pollution sources and incidents. Owns
 * the MonitoringSection entity.
 */
export const environmentSubgraph: SubgraphDefinition = {
  name: 'environment',
  department: '生态环境局',
  schema: 'environment',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4001,
  resolvers,
};
