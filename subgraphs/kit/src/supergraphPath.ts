import { fileURLToPath } from 'node:url';

/** The committed supergraph, composed from the six department subgraphs. */
export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../../gateway/supergraph.graphql', import.meta.url),
);
