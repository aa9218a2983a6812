// Runs the emergency subgraph as its own process: DATABASE_URL=… PORT=4005
// (ALERT_WEBHOOK_ALLOWED_TARGETS: the webhook targets allowed besides
// public addresses).
import { EnvError } from '../../kit/src/env.js';
import { runSubgraphMain } from '../../kit/src/runSubgraphMain.js';
import { readEmergencyEnv } from './env.js';

let env;
try {
  env = readEmergencyEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`govgraph: ${error.message}\n`);
  process.exit(1);
}
await runSubgraphMain('emergency', async () =>
  (await import('./emergencySubgraph.js')).createEmergencySubgraph(env),
);
