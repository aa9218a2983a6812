// Subgraphs of `npm run bench:gateway`, in a process of their own (started
// by bench/gateway.ts; its CPU is not the gateways'). Each subgraph is served
// twice over the same Apollo server and data: a `governed` instance that
// answers only calls signed with GATEWAY_SIGNING_SECRET (as in production),
// and a `plain` instance that verifies nothing, for a plain @apollo/gateway
// and its default data source. The plain instances read the call context
// the bench sets (message `{ plainContext }` on the IPC channel) so that both
// gateways ask the subgraphs for the same rows.
//
// Subgraphs: the hub's eight over DATABASE_URL (migrated and seeded by the
// bench), and the heavy workload's four (bench/heavy). Prints one JSON line
// on stdout: `{ governed: { name: url }, plain: { name: url } }` per set.
import { ApolloServer } from '@apollo/server';

import {
  createCatalogSubgraph,
  createDepartmentSubgraphs,
  createGovernanceSubgraph,
} from '../subgraphs/index.js';
import {
  CallVerifier,
  createHmacKey,
  createLogger,
  createSubgraph,
  DEFAULT_SUPERGRAPH_PATH,
  EMPTY_CALL_CONTEXT,
  LoaderRegistry,
  openDatabase,
  readSupergraphFile,
  serveGraphQL,
  type ServedGraphQL,
  type SignedCallContext,
  type SubgraphContext,
} from '../subgraphs/kit/src/index.js';
import { HEAVY_SUBGRAPHS, heavySchema } from './heavy/heavySubgraphs.js';

/**
 * Idle keep-alive connections stay open this long on every instance: longer
 * than a gateway leaves one idle between the bench's segments, so that no
 * gateway sends a request on a connection the server is closing (Node's
 * default is 5 s, and the plain gateway's client never drops idle ones).
 */
const KEEP_ALIVE_MS = 600_000;

function keepAlive(served: ServedGraphQL): ServedGraphQL {
  served.server.keepAliveTimeout = KEEP_ALIVE_MS;
  served.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  served.server.requestTimeout = 0;
  return served;
}

/** What the bench sets for the plain instances' calls. */
let plainContext: SignedCallContext = EMPTY_CALL_CONTEXT;

async function main(): Promise<void> {
  const secret = process.env['GATEWAY_SIGNING_SECRET'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!secret || !databaseUrl) {
    throw new Error('GATEWAY_SIGNING_SECRET and DATABASE_URL are required');
  }
  const callKey = createHmacKey(secret);
  const logger = createLogger('bench-subgraphs', 'warn');
  const db = await openDatabase({
    kind: 'pg',
    connectionString: databaseUrl,
  });
  const supergraphSdl = await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH);
  const hub = {
    governed: {} as Record<string, string>,
    plain: {} as Record<string, string>,
  };
  const heavy = {
    governed: {} as Record<string, string>,
    plain: {} as Record<string, string>,
  };
  const health = () => Promise.resolve({ subgraph: 'bench' });

  for (const definition of [
    ...createDepartmentSubgraphs({ emergency: {} }),
    createGovernanceSubgraph({ supergraphSdl }),
    createCatalogSubgraph({ supergraphSdl }),
  ]) {
    const subgraph = createSubgraph(definition, { db, logger, callKey });
    const governed = keepAlive(await subgraph.listen({ port: 0 }));
    hub.governed[definition.name] = governed.url;
    // The same (started) Apollo server, unsigned, with the bench's context.
    const plain = keepAlive(
      await serveGraphQL<SubgraphContext>({
        apollo: subgraph.apollo,
        port: 0,
        context: () =>
          Promise.resolve({
            db,
            loaders: new LoaderRegistry(),
            call: plainContext,
          }),
        health,
      }),
    );
    hub.plain[definition.name] = plain.url;
  }

  for (const definition of HEAVY_SUBGRAPHS) {
    const apollo = new ApolloServer({
      schema: heavySchema(definition),
      stopOnTerminationSignals: false,
      logger,
    });
    await apollo.start();
    const context = () => Promise.resolve({});
    const governed = keepAlive(
      await serveGraphQL({
        apollo,
        port: 0,
        verifier: new CallVerifier({ key: callKey, audience: definition.name }),
        context,
        health,
      }),
    );
    heavy.governed[definition.name] = governed.url;
    const plain = keepAlive(
      await serveGraphQL({ apollo, port: 0, context, health }),
    );
    heavy.plain[definition.name] = plain.url;
  }

  process.on('message', (message: { plainContext?: SignedCallContext }) => {
    if (message.plainContext !== undefined) {
      plainContext = message.plainContext;
      process.send?.({ plainContextSet: true });
    }
  });
  process.stdout.write(`${JSON.stringify({ hub, heavy })}\n`);
  // Exits normally on SIGTERM, so that `--cpu-prof` writes its profile.
  process.once('SIGTERM', () => process.exit(0));
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `bench subgraphs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
