// Supergraphs composed in tests from small subgraph SDLs with
// @apollo/composition (never hand-written supergraph text), and their API
// schemas as the gateway builds them.
import { composeServices } from '@apollo/composition';
import {
  ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  Supergraph,
} from '@apollo/federation-internals';
import { parse, type GraphQLSchema } from 'graphql';

import { CompositionError } from '../../subgraphs/composeSupergraph.js';

/** One subgraph of a test supergraph: its name and SDL. */
export interface SubgraphSdl {
  readonly name: string;
  readonly typeDefs: string;
  /** @defaultValue `http://<name>.invalid/graphql` */
  readonly url?: string;
}

/**
 * `extend schema @link(…federation/v2.8…)` importing `directives`: the
 * header of a test subgraph's SDL.
 */
export function federationLink(...directives: string[]): string {
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: [${directives.map((d) => JSON.stringify(d)).join(', ')}])\n`;
}

/** Composes the subgraphs into a supergraph, or throws CompositionError. */
export function composeSubgraphs(subgraphs: readonly SubgraphSdl[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url ?? `http://${s.name}.invalid/graphql`,
      typeDefs: parse(s.typeDefs),
    })),
  );
  if (result.errors) {
    throw new CompositionError(result.errors.map((e) => e.message));
  }
  return result.supergraphSdl;
}

/**
 * The API schema clients see through a gateway over the supergraph.
 * `router`: accept the features only the Rust router supports (such as
 * `@context`, https://specs.apollo.dev/context/v0.1), which @apollo/gateway
 * refuses to load.
 */
export function apiSchemaOf(
  supergraphSdl: string,
  options: { router?: boolean } = {},
): GraphQLSchema {
  return Supergraph.build(
    supergraphSdl,
    options.router === true
      ? { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }
      : {},
  )
    .apiSchema()
    .toGraphQLJSSchema();
}
