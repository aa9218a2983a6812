// Runs the public-security subgraph as its own process: DATABASE_URL=… PORT=4006.
import { runSubgraphMain } from '../../kit/src/index.js';
import { publicsecuritySubgraph } from './publicsecuritySubgraph.js';

await runSubgraphMain(publicsecuritySubgraph);
