// Runs the catalog subgraph as its own process: DATABASE_URL=… PORT=4008,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql).
import { readMainSupergraph } from '../../subgraphs/kit/src/readMainSupergraph.js';
import { runSubgraphMain } from '../../subgraphs/kit/src/runSubgraphMain.js';

const supergraphSdl = await readMainSupergraph();
await runSubgraphMain('catalog', async () =>
  (await import('./catalogSubgraph.js')).createCatalogSubgraph({
    supergraphSdl,
  }),
);
