import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import { resolvers } from './resolvers.js';

/**
 * 水利局 — the water resources subgraph: rivers and their topology,
 * hydrological stations with flow readings, drinking-water intakes. Owns the
 * River entity and adds hydrology to the environment's MonitoringSection.
 */
export const waterSubgraph: SubgraphDefinition = {
  name: 'water',
  department: '水利局',
  schema: 'water',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4002,
  resolvers,
};
