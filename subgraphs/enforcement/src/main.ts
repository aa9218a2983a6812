// Runs the enforcement subgraph as its own process: DATABASE_URL=… PORT=4004.
import { runSubgraphMain } from '../../kit/src/index.js';
import { enforcementSubgraph } from './enforcementSubgraph.js';

await runSubgraphMain(enforcementSubgraph);
