// Runs the market subgraph as its own process: DATABASE_URL=… PORT=4003.
import { runSubgraphMain } from '../../kit/src/index.js';
import { marketSubgraph } from './marketSubgraph.js';

await runSubgraphMain(marketSubgraph);
