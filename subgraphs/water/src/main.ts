// Runs the water subgraph as its own process: DATABASE_URL=… PORT=4002.
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

await runSubgraphMain(
  'water',
  async () => (await import('./waterSubgraph.js')).waterSubgraph,
);
