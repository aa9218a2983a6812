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
 * The process environment every govgraph process understands, parsed once.
 * This is the only kit module that reads `process.env`.
 */
const EnvSchema = z.object({
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

/** Parses `source` (by default `process.env`) or throws one {@link EnvError}. */
export function readEnv(
  source: Record<string, string | undefined> = process.env,
): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(
      `invalid environment: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}`.trim(),
    );
  }
  return Object.freeze(parsed.data);
}

/** A port from the environment variable `name`, or `fallback`. */
export function readPort(
  name: string,
  fallback: number,
  source: Record<string, string | undefined> = process.env,
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
