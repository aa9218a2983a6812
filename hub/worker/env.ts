// The worker's own settings from the environment, parsed once at start
// (hub/worker/main.ts); the common ones — DATABASE_URL, REDIS_URL,
// REDIS_PREFIX, ELASTICSEARCH_URL, LOG_LEVEL — come from the kit's schema,
// ALERT_WEBHOOK_ALLOWED_TARGETS from the emergency department's.
import { z } from 'zod';

import {
  configuredEnv,
  EnvError,
  parseEnvSchema,
  SecretSchema,
} from '../../subgraphs/kit/src/env.js';

/** Where the worker finds the gateway unless `GATEWAY_URL` says. */
export const DEFAULT_WORKER_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

export const WorkerEnvSchema = z.object({
  /** The gateway the alert evaluator reads through. */
  GATEWAY_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s):// URL')
    .default(DEFAULT_WORKER_GATEWAY_URL),
  /**
   * The secret the gateway checks development tokens with: the worker
   * signs the risk monitor's service token with it.
   */
  GOVGRAPH_TOKEN_SECRET: SecretSchema.optional(),
  /** Port of the worker's `/health`, `/ready` and `/metrics` (0: any free one). */
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(4020),
});

/** The worker's own environment. */
export type WorkerEnv = Readonly<z.infer<typeof WorkerEnvSchema>>;

/**
 * Parses the worker's variables from `source` (by default the environment over the configuration file):
 * `GATEWAY_URL` and `GOVGRAPH_TOKEN_SECRET`, which it requires. Throws one
 * {@link EnvError} naming the first bad or missing variable.
 */
export function readWorkerEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): WorkerEnv & { readonly GOVGRAPH_TOKEN_SECRET: string } {
  const parsed = parseEnvSchema(WorkerEnvSchema, source);
  const secret = parsed.GOVGRAPH_TOKEN_SECRET;
  if (secret === undefined) {
    throw new EnvError(
      "GOVGRAPH_TOKEN_SECRET is required: the worker's alert evaluator reads through the gateway with a service token signed with it",
    );
  }
  return Object.freeze({ ...parsed, GOVGRAPH_TOKEN_SECRET: secret });
}
