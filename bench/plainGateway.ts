// The plain side of `npm run bench:gateway`: an unmodified @apollo/gateway
// with its default data source (RemoteGraphQLDataSource: unsigned calls),
// served by Apollo Server's standalone HTTP server, as one would run it out
// of the box. Its own process, so that its CPU is measured alone.
//
//   tsx bench/plainGateway.ts <supergraph file> <subgraph URLs as JSON>
// Prints `{ url }` on stdout once it listens.
import { readFile } from 'node:fs/promises';

import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [supergraphPath, urlsJson] = process.argv.slice(2);
if (supergraphPath === undefined || urlsJson === undefined) {
  process.stderr.write(
    'usage: tsx bench/plainGateway.ts <supergraph> <urls JSON>\n',
  );
  process.exit(2);
}
const urls = JSON.parse(urlsJson) as Record<string, string>;
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: unknown) => process.stderr.write(`${String(message)}\n`),
};
const gateway = new ApolloGateway({
  supergraphSdl: await readFile(supergraphPath, 'utf8'),
  // Only the URL differs from the supergraph's; the data source is Apollo's.
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({ url: urls[name] ?? url ?? '' }),
  logger: silent,
});
const apollo = new ApolloServer({
  gateway,
  logger: silent,
  stopOnTerminationSignals: false,
});
const { url } = await startStandaloneServer(apollo, {
  listen: { port: 0, host: '127.0.0.1' },
});
process.stdout.write(`${JSON.stringify({ url })}\n`);
// Exits normally on SIGTERM, so that `--cpu-prof` writes its profile.
process.once('SIGTERM', () => {
  void apollo.stop().finally(() => process.exit(0));
});
