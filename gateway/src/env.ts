import { z } from 'zod';

import {
  configuredEnv,
  DEFAULT_SUPERGRAPH_PATH,
  LogLevelSchema,
  SecretSchema,
} from '../../subgraphs/kit/src/index.js';

import {
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  type GatewayLimits,
} from './createGateway.js';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS } from './DepartmentDataSource.js';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_TTL_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  parseDuration,
  type TokenVerifierConfig,
} from './identity/index.js';

/** `true` or `false` (absent: false). */
const BooleanFlag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** A duration (`900`, `900s`, `30m`, `12h`, `1d`), in seconds. */
const DurationSeconds = z.string().transform((raw, ctx) => {
  const seconds = parseDuration(raw);
  if (seconds === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a duration such as 900s, 30m or 12h',
    });
    return z.NEVER;
  }
  return seconds;
});

export const GatewayEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_MAX_BODY_BYTES),
  LOG_LEVEL: LogLevelSchema,
  /** HS256 secret shared with every subgraph (at least 32 bytes). */
  GATEWAY_SIGNING_SECRET: SecretSchema.optional(),
  /** PEM private key (ES256/RS256) the gateway signs subgraph calls with. */
  GATEWAY_SIGNING_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  /** Development: HS256 secret callers' tokens are signed with (≥ 32 bytes). */
  GOVGRAPH_TOKEN_SECRET: SecretSchema.optional(),
  /** Production: the identity provider's JWKS endpoint (RS256/ES256). */
  GOVGRAPH_JWKS_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  /** Longest token lifetime (`exp − iat`) accepted, e.g. `12h`. */
  GOVGRAPH_MAX_TOKEN_TTL: DurationSeconds.pipe(
    z.number().int().min(1, 'must be at least 1 s'),
  ).default(DEFAULT_MAX_TOKEN_TTL_SECONDS),
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, e.g. `5s` (at most 60 s). */
  GOVGRAPH_CLOCK_TOLERANCE: DurationSeconds.pipe(
    z
      .number()
      .int()
      .max(
        MAX_CLOCK_TOLERANCE_SECONDS,
        `must be at most ${String(MAX_CLOCK_TOLERANCE_SECONDS)} s`,
      ),
  ).default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
  GATEWAY_MAX_DEPTH: z.coerce.number().int().positive().optional(),
  GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).optional(),
  GATEWAY_MAX_COST: z.coerce.number().int().positive().optional(),
  GATEWAY_MAX_BATCH: z.coerce.number().int().positive().optional(),
  /** Milliseconds a subgraph call may take before it is abandoned. */
  GATEWAY_SUBGRAPH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_SUBGRAPH_TIMEOUT_MS),
  /** Requests in flight at once; more are shed with 503 SERVER_BUSY. */
  GATEWAY_MAX_CONCURRENT: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_MAX_CONCURRENT),
  /** Longest answer in bytes; a longer one is answered 503 RESPONSE_TOO_LARGE. */
  GATEWAY_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_MAX_RESPONSE_BYTES),
  /** PostgreSQL holding the policy store and the access log. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Key of the keyed digest behind HASH masks (at least 32 bytes). */
  GATEWAY_MASK_SECRET: SecretSchema.optional(),
  /** `true`: refuse a whole operation when any field of it is withheld. */
  GATEWAY_STRICT: BooleanFlag,
  /** A persisted-query manifest: when set, only its operations run. */
  GATEWAY_SAFELIST_FILE: z.string().min(1).optional(),
  /** `true`: keep answering when the access log cannot be written (records are lost). */
  GATEWAY_ACCESS_LOG_FAIL_OPEN: BooleanFlag,
  /**
   * Longest wait for an access-log append (ms); past it the read or the
   * mutation (not run) is refused with AUDIT_UNAVAILABLE.
   */
  GATEWAY_ACCESS_LOG_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60_000)
    .default(2_000),
  /**
   * Names this gateway's access-log writer in audit.access_log_chains
   * (default `<hostname>:<pid>`); every start writes a new chain of its own.
   */
  GATEWAY_ACCESS_LOG_WRITER_ID: z.string().min(1).max(200).optional(),
  /**
   * Milliseconds between the access-log checkpoints this gateway attempts
   * (one checkpoint per interval among all gateways on the database).
   */
  GATEWAY_ACCESS_LOG_CHECKPOINT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(86_400_000)
    .default(10_000),
  /** Milliseconds between policy reloads. */
  GATEWAY_POLICY_REFRESH_MS: z.coerce.number().int().min(100).default(5_000),
});

/** The gateway process's environment, parsed once at start. */
export interface GatewayEnv extends Readonly<z.infer<typeof GatewayEnvSchema>> {
  /** From SUBGRAPH_<NAME>_URL, e.g. SUBGRAPH_MARKET_URL → market. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
}

/** Parses the gateway's environment or throws one line saying what is wrong. */
export function readGatewayEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): GatewayEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = GatewayEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid environment: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}`.trim(),
    );
  }
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(cleaned)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match?.[1] && value) {
      if (!/^https?:\/\//.test(value)) {
        throw new Error(`invalid environment: ${key} must be an http(s) URL`);
      }
      subgraphUrls[match[1].toLowerCase()] = value;
    }
  }
  return Object.freeze({ ...parsed.data, subgraphUrls });
}

/**
 * How the gateway verifies callers' tokens, from GOVGRAPH_JWKS_URL
 * (production) or else GOVGRAPH_TOKEN_SECRET (development), with the
 * maximum lifetime (GOVGRAPH_MAX_TOKEN_TTL) and clock tolerance
 * (GOVGRAPH_CLOCK_TOLERANCE); `null` when neither key source is set.
 */
export function tokenVerifierConfigFromEnv(
  env: Pick<
    GatewayEnv,
    | 'GOVGRAPH_TOKEN_SECRET'
    | 'GOVGRAPH_JWKS_URL'
    | 'GOVGRAPH_MAX_TOKEN_TTL'
    | 'GOVGRAPH_CLOCK_TOLERANCE'
  >,
): TokenVerifierConfig | null {
  const lifetime = {
    maxTokenTtlSeconds: env.GOVGRAPH_MAX_TOKEN_TTL,
    clockToleranceSeconds: env.GOVGRAPH_CLOCK_TOLERANCE,
  };
  if (env.GOVGRAPH_JWKS_URL) {
    return {
      keys: { kind: 'jwksUrl', jwksUrl: new URL(env.GOVGRAPH_JWKS_URL) },
      ...lifetime,
    };
  }
  if (env.GOVGRAPH_TOKEN_SECRET) {
    return {
      keys: {
        kind: 'secret',
        secret: new TextEncoder().encode(env.GOVGRAPH_TOKEN_SECRET),
      },
      ...lifetime,
    };
  }
  return null;
}

/** The operation limits set by GATEWAY_MAX_DEPTH, _ALIASES, _COST and _BATCH. */
export function gatewayLimitsFromEnv(
  env: Pick<
    GatewayEnv,
    | 'GATEWAY_MAX_DEPTH'
    | 'GATEWAY_MAX_ALIASES'
    | 'GATEWAY_MAX_COST'
    | 'GATEWAY_MAX_BATCH'
  >,
): GatewayLimits {
  return {
    ...(env.GATEWAY_MAX_BATCH === undefined
      ? {}
      : { maxBatchSize: env.GATEWAY_MAX_BATCH }),
    ...(env.GATEWAY_MAX_DEPTH === undefined
      ? {}
      : { maxDepth: env.GATEWAY_MAX_DEPTH }),
    ...(env.GATEWAY_MAX_ALIASES === undefined
      ? {}
      : { maxAliases: env.GATEWAY_MAX_ALIASES }),
    ...(env.GATEWAY_MAX_COST === undefined
      ? {}
      : { maxCost: env.GATEWAY_MAX_COST }),
  };
}
