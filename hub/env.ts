// npm start's own settings, read once at start (hub/start.ts) from the
// environment over the configuration file; the common ones come from the
// kit's schema, the gateway's from gateway/src/env.ts.
import { z } from 'zod';

import { configuredEnv, parseEnvSchema } from '../subgraphs/kit/src/env.js';

export const HubEnvSchema = z.object({
  /**
   * `default`: the subgraphs, the console and the embedded database on
   * their fixed ports (4001–4008, 4010, 5433); `free`: ports the system
   * picks (the tests; two hubs on one machine).
   */
  SUBGRAPH_PORTS: z
    .enum(['default', 'free'], { error: 'must be "default" or "free"' })
    .default('default'),
  /** Seed of the demo city an empty database is filled with. */
  SEED: z.coerce
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .default(1),
});

/** npm start's own environment. */
export type HubEnv = Readonly<z.infer<typeof HubEnvSchema>>;

/**
 * Parses `SUBGRAPH_PORTS` and `SEED` from `source` (by default the
 * environment over the configuration file). Throws one {@link EnvError}
 * naming the first bad variable.
 */
export function readHubEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): HubEnv {
  return Object.freeze(parseEnvSchema(HubEnvSchema, source));
}
