// Runs the water subgraph as its own process: DATABASE_URL=… PORT=4002.
import { runSubgraphMain } from '../../kit/src/index.js';
import { waterSubgraph } from './waterSubgraph.js';

await runSubgraphMain(waterSubgraph);
