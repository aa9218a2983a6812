import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { z } from 'zod';

/** A secret of at least 32 bytes (HS256 keys). */
export const SecretSchema = z
  .string()
  .refine(
    (s) => Buffer.byteLength(s, 'utf8') >= 32,
    'must be at least 32 bytes long',
  );

/** pino's log levels. */
export const LogLevelSchema = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/**
 * OpenTelemetry traces (subgraphs/kit/src/tracing/): exported over OTLP/HTTP
 * to the endpoint when it is set; unset, nothing is traced.
 */
export const TracingEnvSchema = z.object({
  /** OTLP/HTTP base URL of the collector; traces go to `<it>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional(),
  /** `service.name` of the process's spans (default per process, e.g. `govgraph-gateway`). */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
});

/**
 * The process environment every govgraph process understands, parsed once.
 * This is the only kit module that reads `process.env`.
 */
export const EnvSchema = z.object({
  /** Path of the configuration file (default `govgraph.config.json` when it exists). */
  GOVGRAPH_CONFIG: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).default('.govgraph/pglite'),
  /** Loopback port on which `npm start` serves its embedded database. */
  PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(5433),
  /** Redis for the job queues (BullMQ); unset: jobs run in-process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * Key prefix of the job queues in Redis; every process sharing the
   * queues (`npm start`, `npm run worker`) uses the same. Unset: BullMQ's
   * `bull`.
   */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _, . or -')
    .optional(),
  /**
   * Elasticsearch for search (risk items and alerts); unset: search runs on
   * PostgreSQL (the `search` schema of DATABASE_URL or the embedded one).
   */
  ELASTICSEARCH_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: LogLevelSchema,
  NODE_ENV: z.string().optional(),
  /** HS256 secret shared by the gateway and every subgraph (at least 32 bytes). */
  GATEWAY_SIGNING_SECRET: SecretSchema.optional(),
  /** Subgraphs: PEM public key or JWKS file of the gateway's ES256/RS256 key. */
  GATEWAY_SIGNING_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  ...TracingEnvSchema.shape,
  /**
   * The catalog subgraph: the largest evidence document an algorithm
   * filing may attach, in bytes (decoded); larger uploads are refused
   * before anything is stored. Uploads travel base64-encoded, so the
   * gateway's MAX_BODY_BYTES must exceed 4/3 of it.
   */
  REGISTRY_EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(5 * 1024 * 1024),
});

/** Typed, frozen environment of a govgraph process. */
export type Env = Readonly<z.infer<typeof EnvSchema>>;

/** Raised when an environment variable has a value that cannot work. */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/**
 * The variables of `schema` in `source`, unset and empty ones left out,
 * parsed by it, or one {@link EnvError} naming the first bad variable
 * (`invalid environment: GATEWAY_MAX_DEPTH …`). Every process's reader
 * parses its own schema with it.
 */
export function parseEnvSchema<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  source: Readonly<Record<string, string | undefined>>,
): z.infer<z.ZodObject<Shape>> {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(
      ([name, value]) =>
        value !== undefined && value !== '' && name in schema.shape,
    ),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(
      `invalid environment: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * Parses `source` (by default the environment over the configuration file,
 * {@link configuredEnv}) or throws one {@link EnvError}.
 */
export function readEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): Env {
  return Object.freeze(parseEnvSchema(EnvSchema, source));
}

/** A port from the environment variable `name`, or `fallback`. */
export function readPort(
  name: string,
  fallback: number,
  source: Record<string, string | undefined> = configuredEnv(),
): number {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EnvError(
      `invalid environment: ${name} must be a port number, got "${raw}"`,
    );
  }
  return port;
}

// ---------------------------------------------------------------------------
// The configuration file

/** The configuration file read when `GOVGRAPH_CONFIG` names none. */
export const DEFAULT_CONFIG_FILE = 'govgraph.config.json';

/**
 * Every variable a configuration file may set: those the zod schemas of the
 * processes accept (this one, gateway/src/env.ts, hub/worker/env.ts,
 * subgraphs/emergency/src/env.ts, catalog/src/web/env.ts, hub/env.ts; a test keeps
 * the list equal to their union) and the ports read by {@link readPort}.
 * `SUBGRAPH_<NAME>_URL` is accepted by pattern.
 */
export const CONFIG_FILE_VARIABLES: readonly string[] = [
  // every process (this file)
  'DATABASE_URL',
  'PGLITE_DATA_DIR',
  'PGLITE_PORT',
  'REDIS_URL',
  'REDIS_PREFIX',
  'ELASTICSEARCH_URL',
  'HOST',
  'LOG_LEVEL',
  'NODE_ENV',
  'GATEWAY_SIGNING_SECRET',
  'GATEWAY_SIGNING_PUBLIC_KEY_FILE',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'REGISTRY_EVIDENCE_MAX_BYTES',
  // the gateway
  'PORT',
  'SUPERGRAPH_PATH',
  'MAX_BODY_BYTES',
  'GATEWAY_SIGNING_PRIVATE_KEY_FILE',
  'GOVGRAPH_TOKEN_SECRET',
  'GOVGRAPH_JWKS_URL',
  'GOVGRAPH_MAX_TOKEN_TTL',
  'GOVGRAPH_CLOCK_TOLERANCE',
  'GATEWAY_MAX_DEPTH',
  'GATEWAY_MAX_ALIASES',
  'GATEWAY_MAX_COST',
  'GATEWAY_MAX_BATCH',
  'GATEWAY_SUBGRAPH_TIMEOUT_MS',
  'GATEWAY_MAX_CONCURRENT',
  'GATEWAY_MAX_RESPONSE_BYTES',
  'GATEWAY_MASK_SECRET',
  'GATEWAY_STRICT',
  'GATEWAY_METRICS',
  'GATEWAY_SAFELIST_FILE',
  'GATEWAY_ACCESS_LOG_FAIL_OPEN',
  'GATEWAY_ACCESS_LOG_DEADLINE_MS',
  'GATEWAY_ACCESS_LOG_WRITER_ID',
  'GATEWAY_ACCESS_LOG_CHECKPOINT_MS',
  'GATEWAY_POLICY_REFRESH_MS',
  // the worker and the console
  'GATEWAY_URL',
  'WORKER_PORT',
  'CONSOLE_PORT',
  'CONSOLE_ALLOWED_HOSTS',
  'CONSOLE_OIDC_ISSUER',
  'CONSOLE_OIDC_CLIENT_ID',
  'CONSOLE_OIDC_SCOPE',
  // the emergency subgraph
  'ALERT_WEBHOOK_ALLOWED_TARGETS',
  // npm start (hub/env.ts)
  'SUBGRAPH_PORTS',
  'SEED',
];

/** Variables read from the environment only. */
const ENVIRONMENT_ONLY: Readonly<Record<string, string>> = {
  GOVGRAPH_CONFIG: 'it names the configuration file itself',
};

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_[A-Z0-9_]+_URL$/;

/** Edit distance between `a` and `b` (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known variable nearest to `name` (case-insensitive edit distance). */
export function nearestVariable(name: string): string {
  const upper = name.toUpperCase();
  let best = CONFIG_FILE_VARIABLES[0] ?? '';
  let bestDistance = Infinity;
  for (const candidate of CONFIG_FILE_VARIABLES) {
    const distance = editDistance(upper, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The variables of configuration file `path`, as an environment would hold
 * them: a JSON object whose keys are variable names and whose values are
 * strings, numbers, booleans or (for comma-separated lists) arrays of
 * strings. Throws one {@link EnvError} naming the file and the first bad
 * key: an unknown key names the nearest known variable.
 */
export function readConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EnvError(
      `cannot read the configuration file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return readConfigFileText(text, path);
}

/** The variables of a configuration file's `text` ({@link readConfigFile}). */
export function readConfigFileText(
  text: string,
  path: string,
): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new EnvError(
      `invalid configuration file ${path}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EnvError(
      `invalid configuration file ${path}: must be a JSON object of variable names and values`,
    );
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    const environmentOnly = ENVIRONMENT_ONLY[key];
    if (environmentOnly !== undefined) {
      throw new EnvError(
        `invalid configuration file ${path}: ${key} cannot be set in a file (${environmentOnly})`,
      );
    }
    if (
      !CONFIG_FILE_VARIABLES.includes(key) &&
      !SUBGRAPH_URL_VARIABLE.test(key)
    ) {
      throw new EnvError(
        `invalid configuration file ${path}: unknown key "${key}" (did you mean "${nearestVariable(key)}"?)`,
      );
    }
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') {
      values[key] = String(value);
    } else if (
      Array.isArray(value) &&
      value.every((item) => typeof item === 'string')
    ) {
      values[key] = value.join(',');
    } else {
      throw new EnvError(
        `invalid configuration file ${path}: ${key} must be a string, a number, a boolean or a list of strings`,
      );
    }
  }
  return values;
}

/**
 * The environment a process reads its settings from: the configuration file
 * (`GOVGRAPH_CONFIG`, or `govgraph.config.json` in the working directory when
 * it exists; none otherwise) with every variable set, and not empty, in
 * `source` (by default `process.env`) overriding it. Each reader then
 * validates the result with its zod schema, so a bad value in the file is
 * refused as a bad variable would be.
 */
export function configuredEnv(
  source: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Record<string, string | undefined> {
  const named = source['GOVGRAPH_CONFIG'];
  let path: string | undefined;
  if (named !== undefined && named !== '') path = resolve(cwd, named);
  else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    path = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  if (path === undefined) return source;
  const merged: Record<string, string | undefined> = readConfigFile(path);
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') merged[name] = value;
  }
  return merged;
}
