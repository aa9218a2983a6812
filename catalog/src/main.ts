// Runs the catalog subgraph as its own process: DATABASE_URL=… PORT=4008,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql).
import {
  readMainSupergraph,
  runSubgraphMain,
} from '../../subgraphs/kit/src/index.js';
import { createCatalogSubgraph } from './catalogSubgraph.js';

const supergraphSdl = await readMainSupergraph();
await runSubgraphMain(createCatalogSubgraph({ supergraphSdl }));
