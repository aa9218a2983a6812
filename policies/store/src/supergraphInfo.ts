import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

import {
  readOwnership,
  type OwnershipCatalog,
} from '../../src/govern/FieldOwnership.js';
import { withExplain } from '../../src/govern/explainSchema.js';
import {
  policyNamesOf,
  type PolicyNames,
} from '../../src/document/validateAgainstSupergraph.js';
import type { FieldInfo } from '../../src/index.js';

/**
 * What the administration knows of the composed supergraph: the API schema
 * the gateway serves (to replay recorded operations), every field's owners
 * and SDL classification, and the names a policy may use.
 */
export interface SupergraphInfo {
  /** The gateway's API schema, `Query.explain` included. */
  readonly schema: GraphQLSchema;
  /** Coordinates the gateway resolves itself (never decided). */
  readonly localCoordinates: ReadonlySet<string>;
  readonly ownership: OwnershipCatalog;
  readonly names: PolicyNames;
}

/**
 * The supergraph read last and what was read from it: the governance and
 * catalog subgraphs of one hub read the same SDL, and building it is most
 * of what reading costs.
 */
let lastRead: { sdl: string; info: SupergraphInfo } | undefined;

/**
 * Reads a composed supergraph's SDL (e.g. gateway/supergraph.graphql). The
 * same SDL read again gives the same (read-only) object.
 */
export function readSupergraphInfo(supergraphSdl: string): SupergraphInfo {
  if (lastRead?.sdl === supergraphSdl) return lastRead.info;
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const { schema, localCoordinates } = withExplain(api);
  const ownership = readOwnership(supergraphSdl);
  const info: SupergraphInfo = {
    schema,
    localCoordinates,
    ownership,
    names: policyNamesOf(ownership),
  };
  lastRead = { sdl: supergraphSdl, info };
  return info;
}

/**
 * Every field as the policy engine sees it, once per owner department,
 * with its SDL tags and the tags stored for it.
 */
export function fieldsOf(
  info: SupergraphInfo,
  stored: Readonly<Record<string, readonly string[]>>,
): FieldInfo[] {
  const fields: FieldInfo[] = [];
  for (const [coordinate, { owners, classification }] of info.ownership) {
    const extra = Object.hasOwn(stored, coordinate)
      ? (stored[coordinate] ?? [])
      : [];
    const tags = [...new Set([...classification, ...extra])];
    for (const ownerDepartment of owners) {
      fields.push({ coordinate, ownerDepartment, classification: tags });
    }
  }
  return fields;
}
