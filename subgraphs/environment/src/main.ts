// Runs the environment subgraph as its own process: DATABASE_URL=… PORT=4001.
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

await runSubgraphMain(
  'environment',
  async () => (await import('./environmentSubgraph.js')).environmentSubgraph,
);
