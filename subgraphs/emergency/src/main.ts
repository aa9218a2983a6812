// Runs the emergency subgraph as its own process: DATABASE_URL=… PORT=4005.
import { runSubgraphMain } from '../../kit/src/index.js';
import { emergencySubgraph } from './emergencySubgraph.js';

await runSubgraphMain(emergencySubgraph);
