import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

import {
  maskError,
  serveGraphQL,
  type ServedGraphQL,
  type SigningKey,
} from '../../subgraphs/kit/src/index.js';
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
import { readSubgraphUrls } from '../../subgraphs/kit/src/index.js';

/** Configuration of {@link createGateway}. */
/** Requests in flight a gateway serves at once by default. */
export const DEFAULT_MAX_CONCURRENT = 64;
/** Longest answer a gateway sends by default (16 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/**
 * Largest request body (8 MiB): room for an evidence document of the
 * registry's default limit (5 MiB) travelling base64-encoded; the parser's
 * token limit bounds what a large body costs to parse.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

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
}

/** A gateway ready to listen. */
export interface Gateway {
  /** Subgraph name → URL the gateway calls. */
  readonly subgraphs: Readonly<Record<string, string>>;
  /** The governance around @apollo/gateway (plan-cache counters and the like). */
  readonly governance: GovernedGateway;
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
      });
      sources.push(source);
      return source;
    },
    logger: deps.logger,
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
    ],
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // The process's own main decides how to stop (drain, close the
    // database, exit 0); Apollo's handler would re-raise the signal.
    stopOnTerminationSignals: false,
    logger: deps.logger,
  });
  const healthTimeoutMs = config.healthTimeoutMs ?? 1_000;
  return {
    subgraphs,
    governance: gateway,
    async listen(options) {
      await apollo.start();
      const served = await serveGraphQL({
        apollo,
        port: options.port,
        ...(options.host ? { host: options.host } : {}),
        maxBodyBytes: config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        maxBatchSize: limits.maxBatchSize,
        maxConcurrent: config.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
        maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        // Identity is checked before Apollo parses or plans anything: a
        // GraphQLError thrown here becomes the whole response, with the
        // HTTP status of its `extensions.http`.
        context: async (request) => ({
          principal: await authenticateRequest(verify, request.headers),
          budget: new CostBudget(limits.maxCost),
        }),
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
