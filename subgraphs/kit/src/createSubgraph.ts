import { readFileSync } from 'node:fs';

import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Logger } from 'pino';

import type { CallIdStore } from './signing/RedisReplayCache.js';
import type { Database } from './db/Database.js';
import { migrate, readMigrations } from './db/migrate.js';
import { maskError } from './errors/maskError.js';
import { serveGraphQL, type ServedGraphQL } from './http/serveGraphQL.js';
import { LoaderRegistry } from './loaders/createBatchLoader.js';
import { CallVerifier } from './signing/CallVerifier.js';
import { CallSignatureError } from './signing/errors.js';
import type { VerificationKey } from './signing/keys.js';
import type { SignedCallContext } from './signing/SignedCallContext.js';

/** What every department's resolvers receive as context. */
export interface SubgraphContext {
  /**
   * The department's database; every statement goes through it (a write
   * that must be all or nothing runs in `db.transaction`).
   */
  db: Database;
  /** Per-request DataLoaders, created on first use. */
  loaders: LoaderRegistry;
  /**
   * The call context the gateway signed for this request (principal and
   * row scope), verified before the request reached Apollo.
   */
  call: SignedCallContext;
}

/** Everything that makes one department's subgraph, with no I/O of its own. */
export interface SubgraphDefinition {
  /** Subgraph name in the supergraph, e.g. `market`. */
  name: string;
  /** The department it belongs to, e.g. `市场监管局`. */
  department: string;
  /** PostgreSQL schema the department owns. */
  schema: string;
  /** Absolute path of the subgraph's `schema.graphql`. */
  schemaFile: string;
  /** Absolute path of the folder of versioned `NNN_name.sql` migrations. */
  migrationsDir: string;
  /** Port it listens on when the whole hub runs on one machine. */
  defaultPort: number;
  resolvers: GraphQLResolverMap<SubgraphContext>;
  /**
   * Largest request body it accepts, in bytes (e.g. the catalog's, sized
   * for base64 evidence uploads).
   * @defaultValue 1 MiB
   */
  maxBodyBytes?: number;
  /**
   * Runs once after the migrations at every start (e.g. to record what the
   * subgraph sees of the supergraph); optional.
   */
  prepare?: (db: Database, logger: Logger) => Promise<void>;
}

/** Dependencies of {@link createSubgraph}. */
export interface SubgraphDeps {
  db: Database;
  logger: Logger;
  /**
   * The gateway's call-signing key: the subgraph answers only `/graphql`
   * calls signed with it for this subgraph (see {@link CallVerifier}).
   */
  callKey: VerificationKey;
  /**
   * Where accepted call ids are kept, to refuse replays: shared through
   * Redis by a subgraph's replicas ({@link RedisReplayCache}).
   * @defaultValue this process's memory
   */
  replay?: CallIdStore;
}

/** A department's subgraph, ready to migrate and serve. */
export interface Subgraph {
  readonly definition: SubgraphDefinition;
  readonly typeDefs: string;
  readonly apollo: ApolloServer<SubgraphContext>;
  /**
   * Applies the department's pending migrations, then runs its `prepare`
   * step; returns the names of the migrations applied.
   */
  migrate(): Promise<string[]>;
  /** Starts the HTTP service; `port` 0 picks a free port. */
  listen(options: { port: number; host?: string }): Promise<ServedGraphQL>;
}

/** Reads a subgraph's SDL from its `schema.graphql`. */
export function readTypeDefs(definition: SubgraphDefinition): string {
  return readFileSync(definition.schemaFile, 'utf8');
}

/**
 * Builds a department's Apollo Federation v2 subgraph
 * (https://www.apollographql.com/docs/federation/subgraph-spec/) over its
 * database. Errors are masked (see {@link maskError}), each request gets
 * fresh DataLoaders, and only calls the gateway signed for this subgraph are
 * answered (HTTP 401 otherwise; `/health` stays open).
 */
export function createSubgraph(
  definition: SubgraphDefinition,
  deps: SubgraphDeps,
): Subgraph {
  const typeDefs = readTypeDefs(definition);
  const schema = buildSubgraphSchema({
    typeDefs: parse(typeDefs),
    // buildSubgraphSchema types resolvers with an `unknown` context.
    resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
  });
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    // The process's own main decides how to stop (drain, close the
    // database, exit 0); Apollo's handler would re-raise the signal.
    stopOnTerminationSignals: false,
    logger: {
      debug: (m) => deps.logger.debug(m),
      info: (m) => deps.logger.info(m),
      warn: (m) => deps.logger.warn(m),
      error: (m) => deps.logger.error(m),
    },
  });
  let started: Promise<void> | undefined;
  return {
    definition,
    typeDefs,
    apollo,
    async migrate() {
      const applied = await migrate(
        deps.db,
        definition.schema,
        await readMigrations(definition.migrationsDir),
      );
      await definition.prepare?.(deps.db, deps.logger);
      return applied;
    },
    async listen(options) {
      started ??= apollo.start();
      await started;
      const served = await serveGraphQL<SubgraphContext>({
        apollo,
        port: options.port,
        ...(options.host ? { host: options.host } : {}),
        ...(definition.maxBodyBytes === undefined
          ? {}
          : { maxBodyBytes: definition.maxBodyBytes }),
        verifier: new CallVerifier({
          key: deps.callKey,
          audience: definition.name,
          ...(deps.replay ? { replayCache: deps.replay } : {}),
        }),
        context: async (_request, call) => {
          if (call === null) {
            // Unreachable while `verifier` is set; fail closed regardless.
            throw new CallSignatureError(
              'MISSING',
              'Unsigned call reached the subgraph context.',
            );
          }
          return { db: deps.db, loaders: new LoaderRegistry(), call };
        },
        health: async () => {
          await deps.db.query('SELECT 1');
          return { subgraph: definition.name, database: deps.db.kind };
        },
      });
      return {
        ...served,
        async close() {
          await served.close();
          await apollo.stop();
          started = undefined;
        },
      };
    },
  };
}
