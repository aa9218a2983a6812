// Runs the public-security subgraph as its own process: DATABASE_URL=… PORT=4006.
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

await runSubgraphMain(
  'publicsecurity',
  async () =>
    (await import('./publicsecuritySubgraph.js')).publicsecuritySubgraph,
);
