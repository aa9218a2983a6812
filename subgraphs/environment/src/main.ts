// Runs the environment subgraph as its own process: DATABASE_URL=… PORT=4001.
import { runSubgraphMain } from '../../kit/src/index.js';
import { environmentSubgraph } from './environmentSubgraph.js';

await runSubgraphMain(environmentSubgraph);
