import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

import {
  maskError,
  serveGraphQL,
  type ServedGraphQL,
  type SigningKey,
} from '../../subgraphs/kit/src/index.js';
import { DepartmentDataSource } from './DepartmentDataSource.js';
import { readSubgraphUrls } from './supergraphFile.js';

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
   * Key the gateway signs every subgraph call with; the subgraphs verify
   * with the matching key and answer nothing unsigned.
   */
  signing: SigningKey;
}

/** Dependencies of {@link createGateway}. */
export interface GatewayDeps {
  logger: Logger;
}

/** A gateway ready to listen. */
export interface Gateway {
  /** Subgraph name → URL the gateway calls. */
  readonly subgraphs: Readonly<Record<string, string>>;
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
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name, url }) =>
      new DepartmentDataSource({
        name,
        url: subgraphs[name] ?? url ?? '',
        signing: config.signing,
      }),
    logger: deps.logger,
  });
  const apollo = new ApolloServer({
    gateway,
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
    async listen(options) {
      await apollo.start();
      const served = await serveGraphQL({
        apollo,
        port: options.port,
        ...(options.host ? { host: options.host } : {}),
        ...(config.maxBodyBytes ? { maxBodyBytes: config.maxBodyBytes } : {}),
        context: async () => ({}),
        health: async () => ({
          gateway: 'ok',
          subgraphs: await checkSubgraphs(subgraphs, healthTimeoutMs),
        }),
      });
      return {
        ...served,
        async close() {
          await served.close();
          await apollo.stop();
        },
      };
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
