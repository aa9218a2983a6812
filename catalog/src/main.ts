// Runs the catalog subgraph as its own process: DATABASE_URL=… PORT=4008,
// over the supergraph in SUPERGRAPH_PATH (default gateway/supergraph.graphql).
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/index.js';
import { runSubgraphMain } from '../../subgraphs/kit/src/index.js';
import { createCatalogSubgraph } from './catalogSubgraph.js';

const path = process.env['SUPERGRAPH_PATH'] || DEFAULT_SUPERGRAPH_PATH;
let supergraphSdl: string;
try {
  supergraphSdl = await readSupergraphFile(path);
} catch (error) {
  process.stderr.write(
    `govgraph: cannot read the supergraph ${path}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
await runSubgraphMain(createCatalogSubgraph({ supergraphSdl }));
