import { fileURLToPath } from 'node:url';

import { POLICY_MIGRATIONS_DIR } from '../../../policies/store/src/policy/index.js';
import type { SubgraphDefinition } from '../../kit/src/createSubgraph.js';
import type { GovernanceShared } from './GovernanceApi.js';
import { recordSightings } from '../../../policies/store/src/administration/index.js';
import { createResolvers } from './resolvers.js';
import { readSupergraphInfo } from '../../../policies/store/src/supergraphInfo.js';

/** What composition needs of the governance subgraph (its SDL and port). */
export const governanceSubgraphSchema = {
  name: 'governance',
  department: '数据治理 (市大数据发展局)',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  defaultPort: 4007,
} as const;

/** Options of {@link createGovernanceSubgraph}. */
export interface GovernanceSubgraphOptions {
  /**
   * The composed supergraph the gateway serves (gateway/supergraph.graphql):
   * selectors are checked against it, recorded operations replayed on it.
   */
  supergraphSdl: string;
  /** The clock. @defaultValue () => new Date() */
  now?: () => Date;
  /** Most access-log records an impact simulation replays. @defaultValue 20000 */
  maxSimulatedRecords?: number;
}

/**
 * The governance subgraph (数据治理): the administration of the negative
 * list over the policy store's own schema (`policy`, whose migrations it
 * shares with the gateway). At every start it records which fields of the
 * supergraph it has not seen before, so that an unclassified field is
 * flagged to its owner with the time it appeared.
 */
export function createGovernanceSubgraph(
  options: GovernanceSubgraphOptions,
): SubgraphDefinition {
  const supergraph = readSupergraphInfo(options.supergraphSdl);
  const shared: GovernanceShared = {
    supergraph,
    now: options.now ?? (() => new Date()),
    ...(options.maxSimulatedRecords === undefined
      ? {}
      : { maxSimulatedRecords: options.maxSimulatedRecords }),
  };
  return {
    name: governanceSubgraphSchema.name,
    department: governanceSubgraphSchema.department,
    schema: 'policy',
    schemaFile: governanceSubgraphSchema.schemaFile,
    migrationsDir: POLICY_MIGRATIONS_DIR,
    defaultPort: governanceSubgraphSchema.defaultPort,
    resolvers: createResolvers(shared),
    async prepare(db, logger) {
      const owners = new Map(
        [...supergraph.ownership].map(([coordinate, o]) => [
          coordinate,
          o.owners,
        ]),
      );
      const appeared = await recordSightings(db, owners);
      if (appeared.length > 0) {
        logger.info(
          { fields: appeared.length },
          'new fields of the supergraph recorded; unclassified ones are flagged to their owners (Query.unclassifiedFields)',
        );
      }
    },
  };
}
