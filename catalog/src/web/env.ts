import { z } from 'zod';

import { configuredEnv, EnvError } from '../../../subgraphs/kit/src/env.js';
import { parseHost } from './consoleHosts.js';

/** Where `npm run console` finds the gateway unless `GATEWAY_URL` says. */
export const DEFAULT_CONSOLE_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

/** A comma-separated list of `name` or `name:port` entries. */
const AllowedHostsSchema = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .refine(
    (entries) => entries.every((entry) => parseHost(entry) !== null),
    'must be comma-separated host names, each with an optional :port (e.g. "console.example.gov.cn,10.0.0.5:4010")',
  );

export const ConsoleEnvSchema = z.object({
  CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s):// URL')
    .default(DEFAULT_CONSOLE_GATEWAY_URL),
  CONSOLE_ALLOWED_HOSTS: AllowedHostsSchema,
});

/** The environment of the reviewers' console, parsed once at start. */
export type ConsoleEnv = Readonly<z.infer<typeof ConsoleEnvSchema>>;

/**
 * Parses the console's variables from `source` (by default the environment over the configuration file):
 * `CONSOLE_PORT`, `HOST`, `GATEWAY_URL`, `CONSOLE_ALLOWED_HOSTS`. Throws one
 * {@link EnvError} naming the first bad variable.
 */
export function readConsoleEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): ConsoleEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(
      ([name, value]) =>
        value !== undefined && value !== '' && name in ConsoleEnvSchema.shape,
    ),
  );
  const parsed = ConsoleEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(
      `invalid environment: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return Object.freeze(parsed.data);
}

/**
 * `CONSOLE_ALLOWED_HOSTS` alone (for `npm start`, whose console port and
 * gateway come from the hub). Throws an {@link EnvError} when it is malformed.
 */
export function readConsoleAllowedHosts(
  source: Record<string, string | undefined> = configuredEnv(),
): string[] {
  const parsed = AllowedHostsSchema.safeParse(source['CONSOLE_ALLOWED_HOSTS']);
  if (!parsed.success) {
    throw new EnvError(
      `invalid environment: CONSOLE_ALLOWED_HOSTS ${parsed.error.issues[0]?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}
