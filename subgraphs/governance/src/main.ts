// Runs the governance subgraph as its own process: DATABASE_URL=… PORT=4007,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql),
// which its selectors are checked against.
import { readMainSupergraph } from '../../kit/src/readMainSupergraph.js';
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

const supergraphSdl = await readMainSupergraph();
await runSubgraphMain('governance', async () =>
  (await import('./governanceSubgraph.js')).createGovernanceSubgraph({
    supergraphSdl,
  }),
);
