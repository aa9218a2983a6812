import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

import { maskError } from '../../subgraphs/kit/src/errors/maskError.js';
import { ErrorCode } from '../../subgraphs/kit/src/errors/ErrorCode.js';
import {
  databaseCheck,
  type ReadyCheck,
} from '../../subgraphs/kit/src/http/readiness.js';
import {
  serveGraphQL,
  type ServedGraphQL,
} from '../../subgraphs/kit/src/http/serveGraphQL.js';
import type { SigningKey } from '../../subgraphs/kit/src/signing/keys.js';
import {
  createGatewayMetrics,
  type GatewayMetrics,
} from './observability/gatewayMetrics.js';
import { createRequestObserver } from './observability/requestObserver.js';
import {
  DEFAULT_SUBGRAPH_TIMEOUT_MS,
  DepartmentDataSource,
} from './DepartmentDataSource.js';
import {
  CostBudget,
  GovernedGateway,
  type GovernedGatewayConfig,
} from './pipeline/index.js';
import { useSuggestionMasking } from './useSuggestionMasking.js';
import { IDE_APP } from '../ide/app.js';
import { loadIde, serveIde } from './ide/serveIde.js';
import {
  TokenRevocationList,
  type PolicyStore,
  type PolicyStoreStatus,
} from '../../policies/store/src/policy/index.js';
import {
  authenticateRequest,
  createTokenVerifier,
  type Principal,
  type TokenRevocations,
  type TokenVerifier,
  type TokenVerifierConfig,
} from './identity/index.js';
import { readSubgraphUrls } from '../../subgraphs/kit/src/supergraphFile.js';

import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './defaults.js';

export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_RESPONSE_BYTES,
};

/** Configuration of {@link createGateway}. */

export interface GatewayConfig {
  /** A Federation 2 supergraph SDL (e.g. gateway/supergraph.graphql). */
  supergraphSdl: string;
  /**
   * Where each subgraph really is, by subgraph name; subgraphs not named
   * here are called at the URL the supergraph gives them.
   * @defaultValue {}
   */
  subgraphUrls?: Readonly<Record<string, string>>;
  /**
   * Largest request body accepted, in bytes.
   * @defaultValue 1048576
   */
  maxBodyBytes?: number;
  /**
   * Milliseconds a subgraph's /health may take before it counts as down.
   * @defaultValue 1000
   */
  healthTimeoutMs?: number;
  /**
   * Milliseconds a subgraph call may take; a slower one is abandoned and
   * its data answered `UPSTREAM_UNAVAILABLE` naming the subgraph.
   * @defaultValue {@link DEFAULT_SUBGRAPH_TIMEOUT_MS}
   */
  subgraphTimeoutMs?: number;
  /**
   * Most `/graphql` requests in flight; more are shed with 503
   * `SERVER_BUSY` and `Retry-After`.
   * @defaultValue {@link DEFAULT_MAX_CONCURRENT}
   */
  maxConcurrent?: number;
  /**
   * Longest answer in bytes; a longer one is answered 503
   * `RESPONSE_TOO_LARGE`.
   * @defaultValue {@link DEFAULT_MAX_RESPONSE_BYTES}
   */
  maxResponseBytes?: number;
  /**
   * Key the gateway signs every subgraph call with; the subgraphs verify
   * with the matching key and answer nothing unsigned.
   */
  signing: SigningKey;
  /**
   * How callers' bearer tokens are verified. Every POST /graphql needs a
   * valid token and a purpose of use (`x-govgraph-purpose`) the token
   * allows; /health stays open.
   */
  identity: TokenVerifierConfig;
  /** Operation limits, checked before anything is planned or executed. */
  limits?: GatewayLimits;
  /**
   * The negative list, grants, roles and filings every field is decided
   * under, the access log, strict and safelist modes.
   */
  governance: GovernedGatewayConfig;
  /**
   * The GraphQL IDE (GraphiQL) served at `/ide/` and at `GET /graphql` for
   * browsers: from the build in `dir`, or not at all (`false`). Without a
   * build those pages answer 503 naming `npm run build:ide`.
   * @defaultValue `{ dir: 'gateway/ide/dist' }`
   */
  ide?: { dir: string } | false;
}

/**
 * Limits on an operation: depth, aliases and directives enforced with
 * GraphQL Armor (https://escape.tech/graphql-armor/) during validation,
 * the cost with the request's variables before planning. A rejected
 * operation gets HTTP 400 and reaches no subgraph. Suggestions ("Did you
 * mean …?") are always hidden.
 */
export interface GatewayLimits {
  /** Deepest field nesting. @defaultValue 12 */
  maxDepth?: number;
  /** Most aliases in one operation. @defaultValue 15 */
  maxAliases?: number;
  /**
   * Largest cost of one request (see policies' `operationCost`: objects 2,
   * scalars 1, ×1.5 per level, the lists of a page × its `first`/`last` —
   * as sent in literals or variables, the default page size when absent,
   * the maximum when not known): of its operation, or of all operations of
   * a batch and the operations they explain, together. Checked with the
   * variables, before anything is planned.
   * @defaultValue 200000
   */
  maxCost?: number;
  /** Most directives in one operation. @defaultValue 50 */
  maxDirectives?: number;
  /** Most tokens in one document. @defaultValue 1000 */
  maxTokens?: number;
  /** Most operations in one batched HTTP request (a JSON array). @defaultValue 10 */
  maxBatchSize?: number;
}

/** The limits {@link createGateway} applies where none are given. */
export const DEFAULT_GATEWAY_LIMITS: Readonly<Required<GatewayLimits>> =
  Object.freeze({
    maxDepth: 12,
    maxAliases: 15,
    maxCost: 200_000,
    maxDirectives: 50,
    maxTokens: 1_000,
    maxBatchSize: 10,
  });

/** The Apollo context of one gateway request. */
export interface GatewayContext {
  /** The authenticated caller; signed into every subgraph call. */
  principal: Principal;
  /**
   * The rows the caller may see for the operation being run (see
   * policies' RowScope): the governance hands each operation a copy of the
   * context with its own scope (a batch's operations share this object),
   * and the data sources sign it into every subgraph call. `null`: every
   * row.
   */
  scope?: unknown;
  /**
   * What is left of the request's cost budget (see GatewayLimits.maxCost);
   * a batch's operations share it.
   */
  budget: CostBudget;
}

/** Dependencies of {@link createGateway}. */
export interface GatewayDeps {
  logger: Logger;
  /**
   * The gateway's metrics (`GET /metrics`); create them first
   * (createGatewayMetrics) to give the access log their
   * `accessLogObserver`; `null`: no metrics (GATEWAY_METRICS=off).
   * @defaultValue metrics of its own
   */
  metrics?: GatewayMetrics | null;
  /**
   * The database of the policy store and the access log, checked by
   * `GET /ready`.
   */
  database?: { query(sql: string): Promise<unknown>; readonly kind: string };
}

/** A gateway ready to listen. */
export interface Gateway {
  /** Subgraph name → URL the gateway calls. */
  readonly subgraphs: Readonly<Record<string, string>>;
  /** The governance around @apollo/gateway (plan-cache counters and the like). */
  readonly governance: GovernedGateway;
  /** Its metrics; null when turned off. */
  readonly metrics: GatewayMetrics | null;
  listen(options: { port: number; host?: string }): Promise<ServedGraphQL>;
}

/**
 * The govgraph gateway: @apollo/gateway over a static supergraph, served by
 * Apollo Server at /graphql, with masked errors and a /health that reports
 * each subgraph.
 */
export function createGateway(
  config: GatewayConfig,
  deps: GatewayDeps,
): Gateway {
  const declared = readSubgraphUrls(config.supergraphSdl);
  const subgraphs: Record<string, string> = {};
  for (const [name, url] of Object.entries(declared)) {
    subgraphs[name] = config.subgraphUrls?.[name] ?? url;
  }
  for (const name of Object.keys(config.subgraphUrls ?? {})) {
    if (!(name in declared)) {
      throw new Error(
        `subgraph URL given for "${name}", which the supergraph does not contain (it has: ${Object.keys(declared).join(', ')})`,
      );
    }
  }
  const metrics =
    deps.metrics === undefined ? createGatewayMetrics() : deps.metrics;
  const observer = createRequestObserver(deps.logger, metrics);
  // Closed with the gateway: each holds a pool of keep-alive connections.
  const sources: DepartmentDataSource[] = [];
  const federation = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name, url }) => {
      const source = new DepartmentDataSource({
        name,
        url: subgraphs[name] ?? url ?? '',
        signing: config.signing,
        timeoutMs: config.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
        ...(metrics ? { observe: metrics.subgraphCall } : {}),
      });
      sources.push(source);
      return source;
    },
    logger: deps.logger,
    // Its own spans (gateway.plan, gateway.fetch, …) join the request's
    // trace when tracing is on; never the document or error messages.
    telemetry: { includeDocument: false, recordExceptions: false },
  });

  const verify = createTokenVerifier(config.identity, {
    // A policy store's snapshot carries the token revocations: every
    // gateway over the store refuses a revoked token on its next request.
    revocations: () => revocationsOf(config.governance.policy.current()),
  });
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...config.limits };
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    // Armor's cost rule runs at validation, before the variables are
    // known, and costs `first: $n` as one item: the governance costs every
    // operation with its variables instead (and a batch as one request).
    costLimit: { enabled: false },
    // Armor's token limit throws from a plugin hook, which Apollo answers
    // with 500 (for syntax errors too); graphql-js's own parser limit below
    // answers 400 GRAPHQL_PARSE_FAILED instead.
    maxTokens: { enabled: false },
    // Armor's mask misses suggestion forms; useSuggestionMasking hides all.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  const gateway = new GovernedGateway(
    federation,
    {
      ...config.governance,
      observer: observer.governance,
      limits: {
        maxTokens: limits.maxTokens,
        maxCost: limits.maxCost,
        validationRules: protection.validationRules,
      },
    },
    deps.logger,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...protection,
    parseOptions: { maxTokens: limits.maxTokens },
    // Introspection is decided per caller by the governance: roles with
    // `introspect` on `Schema` see the schema they may use, others are
    // refused.
    introspection: true,
    // Batched requests (a JSON array) are limited by maxBatchSize before
    // Apollo sees them.
    allowBatchedHttpRequests: true,
    // GraphQL Armor's declarations name @apollo/server's CommonJS types;
    // the plugins are the same objects either way.
    plugins: [
      ...(protection.plugins as unknown as Array<
        ApolloServerPlugin<GatewayContext>
      >),
      useSuggestionMasking<GatewayContext>(),
      // Apollo's default landing page loads Apollo Sandbox from a CDN; the
      // gateway serves its own IDE instead (see `ide`).
      ApolloServerPluginLandingPageDisabled(),
      observer.plugin<GatewayContext>(),
    ],
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // The process's own main decides how to stop (drain, close the
    // database, exit 0); Apollo's handler would re-raise the signal.
    stopOnTerminationSignals: false,
    logger: deps.logger,
  });
  const healthTimeoutMs = config.healthTimeoutMs ?? 1_000;
  const policySource = config.governance.policy;
  metrics?.bind({
    planCache: () => gateway.planCache,
    policyVersion: () => policySource.current().policy.version,
    policyStatus: () => policyStatusOf(policySource).policy ?? null,
    accessLog: config.governance.accessLog,
  });
  const ready = gatewayReadyChecks(config, deps, subgraphs, healthTimeoutMs);
  return {
    subgraphs,
    governance: gateway,
    metrics,
    async listen(options) {
      await apollo.start();
      const ide =
        config.ide === false
          ? null
          : await loadIde(config.ide?.dir ?? IDE_APP.outDir);
      if (ide?.kind === 'missing') {
        deps.logger.warn(
          `the GraphQL IDE is not built (${ide.reason}): npm run build:ide`,
        );
      }
      const served = await serveGraphQL({
        apollo,
        port: options.port,
        ...(options.host ? { host: options.host } : {}),
        maxBodyBytes: config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        maxBatchSize: limits.maxBatchSize,
        maxConcurrent: config.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
        maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        // Its parent, when traced: the caller's traceparent, if any.
        span: { name: 'gateway POST /graphql' },
        ...(ide
          ? { pages: (req, res, url) => serveIde(ide, req, res, url) }
          : {}),
        // Identity is checked before Apollo parses or plans anything: a
        // GraphQLError thrown here becomes the whole response, with the
        // HTTP status of its `extensions.http`.
        context: async (request) => {
          const started = performance.now();
          try {
            return {
              principal: await authenticateRequest(verify, request.headers),
              budget: new CostBudget(limits.maxCost),
            };
          } catch (error) {
            // Refused before any operation: logged and counted here, as
            // the plugins never see it.
            const refusal = error instanceof GraphQLError ? error : null;
            const http = refusal?.extensions['http'] as
              { status?: number } | undefined;
            const purpose = request.headers['x-govgraph-purpose'];
            observer.refused(
              // As sent (bounded): it was not checked.
              {
                purpose:
                  typeof purpose === 'string'
                    ? purpose.slice(0, 100)
                    : undefined,
              },
              http?.status ?? 500,
              String(
                refusal?.extensions['code'] ?? ErrorCode.INTERNAL_SERVER_ERROR,
              ),
              (performance.now() - started) / 1000,
            );
            throw error;
          }
        },
        // Liveness for anyone; what the gateway runs on (policy version,
        // cache counters, subgraphs) only for an operator's token.
        health: async (request) => {
          if (!(await isOperator(verify, request.headers.authorization))) {
            return { gateway: 'ok' };
          }
          return {
            gateway: 'ok',
            policyVersion: config.governance.policy.current().policy.version,
            // How fresh that policy is, when it comes from the policy store.
            // Stale still answers 200: the gateway serves on its last policy.
            ...policyStatusOf(config.governance.policy),
            accessLog:
              config.governance.accessLog === null
                ? 'disabled'
                : config.governance.accessLog.healthy
                  ? 'ok'
                  : 'failing',
            planCache: gateway.planCache,
            subgraphs: await checkSubgraphs(subgraphs, healthTimeoutMs),
          };
        },
        ready,
        // Like /health's details: only to an operator's token.
        ...(metrics
          ? {
              metrics: {
                endpoint: metrics.endpoint,
                mayRead: (request) =>
                  isOperator(verify, request.headers.authorization),
              },
            }
          : {}),
      });
      return {
        ...served,
        async close() {
          await served.close();
          await apollo.stop();
          await Promise.all(sources.map((source) => source.close()));
        },
      };
    },
  };
}

/** The token revocations of a policy store's snapshot; none for other sources. */
function revocationsOf(current: object): TokenRevocations | undefined {
  const { revocations } = current as { revocations?: unknown };
  return revocations instanceof TokenRevocationList ? revocations : undefined;
}

/** The role whose tokens read the details of the gateway's `/health`. */
export const OPERATOR_ROLE = 'operator';

/** Whether an `Authorization` header carries a valid operator's token. */
async function isOperator(
  verify: TokenVerifier,
  authorization: string | undefined,
): Promise<boolean> {
  if (authorization === undefined) return false;
  try {
    return (await verify(authorization)).roles.includes(OPERATOR_ROLE);
  } catch {
    return false;
  }
}

/** `{ policy: status }` when the policy source is a policy store; else nothing. */
function policyStatusOf(source: object): { policy?: PolicyStoreStatus } {
  const store = source as Partial<Pick<PolicyStore, 'status'>>;
  return typeof store.status === 'function' ? { policy: store.status() } : {};
}

/**
 * The checks of the gateway's `GET /ready`: the policy loaded, the database
 * answering, the access log writable (when it fails closed), and its
 * subgraphs answering. One subgraph down does not make a gateway unready
 * (its answers name it and carry the rest); none answering does.
 */
function gatewayReadyChecks(
  config: GatewayConfig,
  deps: GatewayDeps,
  subgraphs: Readonly<Record<string, string>>,
  healthTimeoutMs: number,
): Record<string, ReadyCheck> {
  const policySource = config.governance.policy;
  const accessLog = config.governance.accessLog;
  return {
    policy: () => {
      const status = policyStatusOf(policySource).policy;
      if (status === undefined) {
        return Promise.resolve({
          status: 'ok',
          version: policySource.current().policy.version,
        });
      }
      return Promise.resolve(
        status.version === null
          ? { status: 'failing', reason: 'no policy loaded yet' }
          : { status: 'ok', version: status.version, stale: status.stale },
      );
    },
    database:
      deps.database === undefined
        ? () => Promise.resolve({ status: 'disabled' })
        : databaseCheck(deps.database),
    accessLog: () =>
      Promise.resolve(
        accessLog === null
          ? { status: 'disabled' }
          : accessLog.healthy || !accessLog.failClosed
            ? { status: 'ok', pending: accessLog.pending }
            : {
                status: 'failing',
                reason:
                  'the last access-log batch could not be written; cross-department reads are refused',
              },
      ),
    subgraphs: async () => {
      const states = await checkSubgraphs(subgraphs, healthTimeoutMs);
      const down = Object.keys(states).filter((name) => states[name] !== 'ok');
      const total = Object.keys(states).length;
      if (total > 0 && down.length === total) {
        return { status: 'failing', reason: 'no subgraph answers', down };
      }
      return { status: 'ok', down };
    },
  };
}

async function checkSubgraphs(
  subgraphs: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Record<string, 'ok' | 'unavailable'>> {
  const entries = await Promise.all(
    Object.entries(subgraphs).map(async ([name, url]) => {
      try {
        const res = await fetch(new URL('/health', url), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        return [name, res.ok ? 'ok' : 'unavailable'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Masks unexpected errors (see maskError) and names the subgraph an error
 * came from as `extensions.subgraph` (the gateway reports it as
 * `serviceName`).
 */
export function formatGatewayError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  // Apollo's own request errors (a persisted-query hash that does not
  // match its query, say) carry an HTTP 4xx but no code: they are the
  // client's, not internal.
  const original = unwrapResolverError(error);
  if (
    original instanceof GraphQLError &&
    formatted.extensions?.['code'] === 'INTERNAL_SERVER_ERROR' &&
    isClientStatus(original.extensions['http'])
  ) {
    const { stacktrace: _stacktrace, ...extensions } =
      formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code: 'BAD_REQUEST' } };
  }
  const masked = maskError(formatted, error);
  const serviceName = formatted.extensions?.['serviceName'];
  if (typeof serviceName !== 'string' || masked.extensions?.['subgraph']) {
    return masked;
  }
  return {
    ...masked,
    extensions: { ...masked.extensions, subgraph: serviceName },
  };
}

function isClientStatus(http: unknown): boolean {
  if (http === null || typeof http !== 'object') return false;
  const status = (http as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
