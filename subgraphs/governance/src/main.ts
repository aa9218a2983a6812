// Runs the governance subgraph as its own process: DATABASE_URL=… PORT=4007,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql),
// which its selectors are checked against.
import { readMainSupergraph, runSubgraphMain } from '../../kit/src/index.js';
import { createGovernanceSubgraph } from './governanceSubgraph.js';

const supergraphSdl = await readMainSupergraph();
await runSubgraphMain(createGovernanceSubgraph({ supergraphSdl }));
