import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import { resolvers } from './resolvers.js';

/**
 * 综合执法局 — the comprehensive law-enforcement subgraph: it owns the
 * administrative regions and grids (the Region entity), enforcement squads,
 * citizen complaints and on-site inspections of enterprises.
 */
export const enforcementSubgraph: SubgraphDefinition = {
  name: 'enforcement',
  department: '综合执法局',
  schema: 'enforcement',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4004,
  resolvers,
};
