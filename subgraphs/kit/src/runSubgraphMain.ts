import type { SubgraphDefinition } from './createSubgraph.js';
import { DatabaseUnavailableError } from './db/Database.js';
import { EnvError, readEnv, readPort } from './env.js';
import { SigningKeyError } from './signing/errors.js';
import { verificationKeyFromEnv } from './signing/verificationKeyFromEnv.js';

/**
 * Runs one department's subgraph as its own process against a real
 * PostgreSQL (`DATABASE_URL`), on `PORT` or the department's default port,
 * answering only calls signed with the gateway's key
 * (`GATEWAY_SIGNING_SECRET` or `GATEWAY_SIGNING_PUBLIC_KEY_FILE`): without
 * one it refuses to start. Used by each `subgraphs/<name>/src/main.ts`.
 *
 * The environment is checked before `load` brings in the subgraph and the
 * modules that serve it (Apollo, pg, Redis): a main started with a missing
 * or bad variable says so without paying for them.
 */
export async function runSubgraphMain(
  name: string,
  load: () => Promise<SubgraphDefinition>,
): Promise<void> {
  try {
    const env = readEnv();
    if (!env.DATABASE_URL) {
      throw new EnvError(
        `DATABASE_URL is required to run the ${name} subgraph on its own (npm start runs the whole hub on embedded PostgreSQL instead)`,
      );
    }
    const callKey = await verificationKeyFromEnv(env);
    if (callKey === null) {
      throw new EnvError(
        `GATEWAY_SIGNING_SECRET (or GATEWAY_SIGNING_PUBLIC_KEY_FILE) is required: the ${name} subgraph answers only calls signed by the gateway`,
      );
    }
    const [
      definition,
      { createSubgraph },
      { openDatabase },
      { createLogger },
      { RedisReplayCache },
      { tracingFromEnv },
    ] = await Promise.all([
      load(),
      import('./createSubgraph.js'),
      import('./db/openDatabase.js'),
      import('./logger.js'),
      import('./signing/RedisReplayCache.js'),
      import('./tracing/tracing.js'),
    ]);
    if (definition.name !== name) {
      throw new Error(
        `runSubgraphMain('${name}') loaded the ${definition.name} subgraph`,
      );
    }
    const port = readPort('PORT', definition.defaultPort);
    const logger = createLogger(`subgraph-${definition.name}`, env.LOG_LEVEL);
    // OpenTelemetry traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    const tracing = await tracingFromEnv(env, `govgraph-${definition.name}`);
    const db = await openDatabase({
      kind: 'pg',
      connectionString: env.DATABASE_URL,
    });
    // Replicas share the call ids they accepted through REDIS_URL, so that
    // a captured call cannot be replayed against another replica.
    const replay = env.REDIS_URL
      ? new RedisReplayCache({
          url: env.REDIS_URL,
          audience: definition.name,
        })
      : undefined;
    const subgraph = createSubgraph(definition, {
      db,
      logger,
      callKey,
      ...(replay ? { replay } : {}),
    });
    const applied = await subgraph.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const served = await subgraph.listen({ port, host: env.HOST });
    logger.info({ url: served.url }, `${definition.name} subgraph listening`);
    const stop = (signal: string): void => {
      logger.info({ signal }, 'stopping');
      void served
        .close()
        .then(() => replay?.close())
        .then(() => db.close())
        .then(() => tracing?.shutdown())
        .then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (
      error instanceof DatabaseUnavailableError ||
      error instanceof EnvError ||
      error instanceof SigningKeyError
    ) {
      process.stderr.write(`govgraph: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
