// Runs the emergency subgraph as its own process: DATABASE_URL=… PORT=4005
// (ALERT_WEBHOOK_ALLOWED_TARGETS: the webhook targets allowed besides
// public addresses).
import { EnvError, runSubgraphMain } from '../../kit/src/index.js';
import { createEmergencySubgraph } from './emergencySubgraph.js';
import { readEmergencyEnv } from './env.js';

let env;
try {
  env = readEmergencyEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`govgraph: ${error.message}\n`);
  process.exit(1);
}
await runSubgraphMain(createEmergencySubgraph(env));
