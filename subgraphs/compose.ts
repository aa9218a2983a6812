// CLI: `npm run compose` writes gateway/supergraph.graphql from the subgraphs'
// SDL; `npm run check:supergraph` (--check) fails when the committed file has
// drifted from what the subgraphs compose to.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { commandLineOrExit } from './kit/src/cli/commandLine.js';
import { composeSupergraph, CompositionError } from './composeSupergraph.js';
import { supergraphSubgraphs } from './index.js';

const supergraphPath = fileURLToPath(
  new URL('../gateway/supergraph.graphql', import.meta.url),
);

const { values } = commandLineOrExit({
  command: 'npm run compose',
  usage: `usage: npm run compose            writes gateway/supergraph.graphql from the subgraphs' SDL
       npm run check:supergraph   (compose --check) exit 1 when the committed file has drifted`,
  options: { check: { type: 'boolean', default: false } },
});

try {
  const composed = composeSupergraph(supergraphSubgraphs);
  if (values.check) {
    let committed = '';
    try {
      committed = readFileSync(supergraphPath, 'utf8');
    } catch {
      // A missing file is drift too.
    }
    if (committed !== composed) {
      process.stderr.write(
        "gateway/supergraph.graphql has drifted from the subgraphs' schema.graphql files: run `npm run compose` and commit the result\n",
      );
      process.exit(1);
    }
    process.stdout.write('gateway/supergraph.graphql matches the subgraphs\n');
  } else {
    writeFileSync(supergraphPath, composed);
    process.stdout.write(`wrote ${supergraphPath}\n`);
  }
} catch (error) {
  if (error instanceof CompositionError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
