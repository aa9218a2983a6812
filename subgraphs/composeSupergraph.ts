import { readFileSync } from 'node:fs';

import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

import type { SubgraphDefinition } from './kit/src/createSubgraph.js';

/** Raised when the subgraphs do not compose into a supergraph. */
export class CompositionError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(
      `the subgraphs do not compose:\n${messages.map((m) => `  - ${m}`).join('\n')}`,
    );
    this.name = this.constructor.name;
  }
}

/** What composition reads of a subgraph: its name, SDL file and port. */
export type ComposedSubgraph = Pick<
  SubgraphDefinition,
  'name' | 'schemaFile' | 'defaultPort'
>;

/** The URL a subgraph has in the committed supergraph: its default port. */
export function defaultSubgraphUrl(definition: ComposedSubgraph): string {
  return `http://127.0.0.1:${definition.defaultPort}/graphql`;
}

/**
 * Composes the subgraphs' SDL into a Federation 2 supergraph with
 * @apollo/composition (https://www.apollographql.com/docs/federation/federated-schemas/composition).
 * The URLs are the default local ports; a running gateway can point each
 * subgraph elsewhere without recomposing.
 */
export function composeSupergraph(
  definitions: readonly ComposedSubgraph[],
): string {
  const result = composeServices(
    definitions.map((definition) => ({
      name: definition.name,
      url: defaultSubgraphUrl(definition),
      typeDefs: parse(readFileSync(definition.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) {
    throw new CompositionError(result.errors.map((e) => e.message));
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
