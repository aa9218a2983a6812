// Runs the market subgraph as its own process: DATABASE_URL=… PORT=4003.
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';

await runSubgraphMain(
  'market',
  async () => (await import('./marketSubgraph.js')).marketSubgraph,
);
