// Runs the governance subgraph as its own process: DATABASE_URL=… PORT=4007,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql),
// which its selectors are checked against.
import { configuredEnv, DEFAULT_SUPERGRAPH_PATH } from '../../kit/src/index.js';
import { readSupergraphFile } from '../../kit/src/index.js';
import { runSubgraphMain } from '../../kit/src/index.js';
import { createGovernanceSubgraph } from './governanceSubgraph.js';

let path: string;
try {
  path = configuredEnv()['SUPERGRAPH_PATH'] || DEFAULT_SUPERGRAPH_PATH;
} catch (error) {
  // A configuration file that cannot be read or names an unknown key.
  process.stderr.write(
    `govgraph: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
let supergraphSdl: string;
try {
  supergraphSdl = await readSupergraphFile(path);
} catch (error) {
  process.stderr.write(
    `govgraph: cannot read the supergraph ${path}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
await runSubgraphMain(createGovernanceSubgraph({ supergraphSdl }));
