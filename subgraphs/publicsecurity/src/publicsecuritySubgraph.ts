import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import { resolvers } from './resolvers.js';

/**
 * 公安局 — the public-security subgraph: it owns the person register behind
 * opaque person ids (the Person entity) and aggregate crowd observations of
 * busy public areas.
 */
export const publicsecuritySubgraph: SubgraphDefinition = {
  name: 'publicsecurity',
  department: '公安局',
  schema: 'publicsecurity',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4006,
  resolvers,
};
