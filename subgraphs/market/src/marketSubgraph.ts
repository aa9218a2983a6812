import { fileURLToPath } from 'node:url';

import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import { resolvers } from './resolvers.js';

/** 市场监管局 — the market-regulation subgraph. */
export const marketSubgraph: SubgraphDefinition = {
  name: 'market',
  department: '市场监管局',
  schema: 'market',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  defaultPort: 4003,
  resolvers,
};
