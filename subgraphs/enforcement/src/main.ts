// Runs the enforcement subgraph as its own process: DATABASE_URL=… PORT=4004.
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

await runSubgraphMain(
  'enforcement',
  async () => (await import('./enforcementSubgraph.js')).enforcementSubgraph,
);
