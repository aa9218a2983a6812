// The registry of the subgraphs that make up the hub: the six departments and
// the governance subgraph (the negative list's administration). Departments
// do not import each other; only this registry knows them all.
import type { ComposedSubgraph } from './composeSupergraph.js';
import type { SubgraphDefinition } from './kit/src/createSubgraph.js';
import {
  createEmergencySubgraph,
  type EmergencySubgraphConfig,
} from './emergency/src/emergencySubgraph.js';
import { enforcementSubgraph } from './enforcement/src/enforcementSubgraph.js';
import { environmentSubgraph } from './environment/src/environmentSubgraph.js';
import { catalogSubgraphSchema } from '../catalog/src/catalogSubgraph.js';
import { governanceSubgraphSchema } from './governance/src/governanceSubgraph.js';
import { marketSubgraph } from './market/src/marketSubgraph.js';
import { publicsecuritySubgraph } from './publicsecurity/src/publicsecuritySubgraph.js';
import { waterSubgraph } from './water/src/waterSubgraph.js';

/** Settings of the department subgraphs that have any. */
export interface DepartmentSubgraphsConfig {
  /** @defaultValue the defaults of {@link EmergencySubgraphConfig} */
  readonly emergency?: EmergencySubgraphConfig;
}

/**
 * The six department subgraphs configured by `config`, in the order the
 * supergraph lists them.
 */
export function createDepartmentSubgraphs(
  config: DepartmentSubgraphsConfig = {},
): readonly SubgraphDefinition[] {
  return [
    environmentSubgraph,
    waterSubgraph,
    marketSubgraph,
    enforcementSubgraph,
    createEmergencySubgraph(config.emergency),
    publicsecuritySubgraph,
  ];
}

/**
 * The six department subgraphs with their default settings, in the order
 * the supergraph lists them.
 */
export const departmentSubgraphs: readonly SubgraphDefinition[] =
  createDepartmentSubgraphs();

export { createGovernanceSubgraph } from './governance/src/governanceSubgraph.js';
export { createCatalogSubgraph } from '../catalog/src/catalogSubgraph.js';

/**
 * Every subgraph the supergraph is composed from, in its order: the
 * departments, then governance and the catalog (whose resolvers need the
 * composed supergraph itself: `createGovernanceSubgraph`,
 * `createCatalogSubgraph`).
 */
export const supergraphSubgraphs: readonly ComposedSubgraph[] = [
  ...departmentSubgraphs,
  governanceSubgraphSchema,
  catalogSubgraphSchema,
];
