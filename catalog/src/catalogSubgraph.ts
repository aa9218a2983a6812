import { fileURLToPath } from 'node:url';

import { isObjectType, isInterfaceType, type GraphQLSchema } from 'graphql';

import { readSupergraphInfo } from '../../policies/store/src/supergraphInfo.js';
import type { SubgraphDefinition } from '../../subgraphs/kit/src/createSubgraph.js';
import { readEnv } from '../../subgraphs/kit/src/env.js';
import type { CatalogShared } from './CatalogShared.js';
import { CATALOG_MIGRATIONS_DIR } from './migrateCatalog.js';
import { createCatalogResolvers } from './resolvers.js';

/** What composition needs of the catalog subgraph (its SDL and port). */
export const catalogSubgraphSchema = {
  name: 'catalog',
  department: '数据目录与算法备案',
  schemaFile: fileURLToPath(new URL('../schema.graphql', import.meta.url)),
  defaultPort: 4008,
} as const;

/** Options of {@link createCatalogSubgraph}. */
export interface CatalogSubgraphOptions {
  /** The composed supergraph (gateway/supergraph.graphql). */
  supergraphSdl: string;
  /** The clock. @defaultValue () => new Date() */
  now?: () => Date;
  /**
   * The largest evidence document, in bytes.
   * @defaultValue REGISTRY_EVIDENCE_MAX_BYTES (5 MiB)
   */
  evidenceMaxBytes?: number;
}

/** Field descriptions of a supergraph's API schema, by coordinate. */
function descriptionsOf(schema: GraphQLSchema): Map<string, string> {
  const descriptions = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.description) {
        descriptions.set(`${type.name}.${field.name}`, field.description);
      }
    }
  }
  return descriptions;
}

/**
 * The catalog subgraph (数据目录与算法备案): the algorithm registry over its
 * own schema `catalog`, and the data directory derived from the supergraph
 * it is given (so it is as current as the supergraph the hub serves).
 */
export function createCatalogSubgraph(
  options: CatalogSubgraphOptions,
): SubgraphDefinition {
  const supergraph = readSupergraphInfo(options.supergraphSdl);
  const shared: CatalogShared = {
    supergraph,
    descriptions: descriptionsOf(supergraph.schema),
    now: options.now ?? (() => new Date()),
    evidenceMaxBytes:
      options.evidenceMaxBytes ?? readEnv().REGISTRY_EVIDENCE_MAX_BYTES,
  };
  return {
    name: catalogSubgraphSchema.name,
    department: catalogSubgraphSchema.department,
    schema: 'catalog',
    schemaFile: catalogSubgraphSchema.schemaFile,
    migrationsDir: CATALOG_MIGRATIONS_DIR,
    defaultPort: catalogSubgraphSchema.defaultPort,
    resolvers: createCatalogResolvers(shared),
    // An upload travels base64-encoded (4/3 of its size) with its query.
    maxBodyBytes: Math.ceil((shared.evidenceMaxBytes * 4) / 3) + 1_048_576,
  };
}
