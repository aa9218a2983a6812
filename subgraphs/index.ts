// The registry of department subgraphs that make up the hub. Departments do
// not import each other; only this registry knows them all.
import type { SubgraphDefinition } from './kit/src/index.js';
import { emergencySubgraph } from './emergency/src/emergencySubgraph.js';
import { enforcementSubgraph } from './enforcement/src/enforcementSubgraph.js';
import { environmentSubgraph } from './environment/src/environmentSubgraph.js';
import { marketSubgraph } from './market/src/marketSubgraph.js';
import { publicsecuritySubgraph } from './publicsecurity/src/publicsecuritySubgraph.js';
import { waterSubgraph } from './water/src/waterSubgraph.js';

/** The six department subgraphs, in the order the supergraph lists them. */
export const departmentSubgraphs: readonly SubgraphDefinition[] = [
  environmentSubgraph,
  waterSubgraph,
  marketSubgraph,
  enforcementSubgraph,
  emergencySubgraph,
  publicsecuritySubgraph,
];
