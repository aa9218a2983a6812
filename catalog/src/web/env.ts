import { z } from 'zod';

import {
  configuredEnv,
  EnvError,
  parseEnvSchema,
} from '../../../subgraphs/kit/src/env.js';
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

/** The console's OpenID Connect settings: both or neither. */
export const ConsoleOidcEnvSchema = z
  .object({
    CONSOLE_OIDC_ISSUER: z
      .url({ protocol: /^https?$/, error: 'must be an http(s):// URL' })
      .optional(),
    CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
    CONSOLE_OIDC_SCOPE: z
      .string()
      .regex(/(^|\s)openid(\s|$)/, 'must include the scope "openid"')
      .default('openid profile'),
  })
  .refine(
    (env) =>
      (env.CONSOLE_OIDC_ISSUER === undefined) ===
      (env.CONSOLE_OIDC_CLIENT_ID === undefined),
    {
      message:
        'set both CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID for OpenID Connect login, or neither',
      path: ['CONSOLE_OIDC_CLIENT_ID'],
    },
  );

export const ConsoleEnvSchema = z.object({
  CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s):// URL')
    .default(DEFAULT_CONSOLE_GATEWAY_URL),
  CONSOLE_ALLOWED_HOSTS: AllowedHostsSchema,
  CONSOLE_OIDC_ISSUER: z.string().optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().optional(),
  CONSOLE_OIDC_SCOPE: z.string().optional(),
});

/** OpenID Connect login as the console serves it, or `null` when not configured. */
export interface ConsoleOidc {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/** The environment of the console, parsed once at start. */
export type ConsoleEnv = Readonly<
  z.infer<typeof ConsoleEnvSchema> & { oidc: ConsoleOidc | null }
>;

/**
 * Parses the console's variables from `source` (by default the environment over the configuration file):
 * `CONSOLE_PORT`, `HOST`, `GATEWAY_URL`, `CONSOLE_ALLOWED_HOSTS` and the
 * OpenID Connect login's `CONSOLE_OIDC_ISSUER`, `CONSOLE_OIDC_CLIENT_ID`,
 * `CONSOLE_OIDC_SCOPE`. Throws one {@link EnvError} naming the first bad
 * variable.
 */
export function readConsoleEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): ConsoleEnv {
  const parsed = parseEnvSchema(ConsoleEnvSchema, source);
  return Object.freeze({ ...parsed, oidc: readConsoleOidc(source) });
}

/**
 * The console's OpenID Connect login from `CONSOLE_OIDC_ISSUER`,
 * `CONSOLE_OIDC_CLIENT_ID` and `CONSOLE_OIDC_SCOPE`, or `null` when the
 * first two are unset. Throws an {@link EnvError} naming a bad one.
 */
export function readConsoleOidc(
  source: Record<string, string | undefined> = configuredEnv(),
): ConsoleOidc | null {
  const env = parseEnvSchema(ConsoleOidcEnvSchema, source);
  if (
    env.CONSOLE_OIDC_ISSUER === undefined ||
    env.CONSOLE_OIDC_CLIENT_ID === undefined
  ) {
    return null;
  }
  return {
    issuer: env.CONSOLE_OIDC_ISSUER,
    clientId: env.CONSOLE_OIDC_CLIENT_ID,
    scope: env.CONSOLE_OIDC_SCOPE,
  };
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
