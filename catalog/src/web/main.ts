// `npm run console`: the reviewers' console on its own, in production mode —
// no demo users, no demo login; reviewers paste a bearer token from the
// identity provider. It proxies /graphql to GATEWAY_URL (default
// http://127.0.0.1:4000/graphql), listens on HOST:CONSOLE_PORT (default
// 127.0.0.1:4010) and answers only the loopback names, its listen address
// and CONSOLE_ALLOWED_HOSTS (its public names, comma-separated).
import { commandLineOrExit } from '../../../subgraphs/kit/src/cli/commandLine.js';
import { EnvError } from '../../../subgraphs/kit/src/env.js';
import { readConsoleEnv } from './env.js';
import { serveRegistryConsole } from './serveRegistryConsole.js';

commandLineOrExit({
  command: 'govgraph console',
  usage: `usage: npm run console
  The reviewers' console in production mode, proxying /graphql to GATEWAY_URL,
  on HOST:CONSOLE_PORT (127.0.0.1:4010); see docs/registry.md.`,
});

try {
  const env = readConsoleEnv();
  const registryConsole = await serveRegistryConsole({
    port: env.CONSOLE_PORT,
    host: env.HOST,
    gatewayUrl: env.GATEWAY_URL,
    allowedHosts: env.CONSOLE_ALLOWED_HOSTS,
    mode: { kind: 'production' },
  });
  process.stdout.write(
    `govgraph: registry console ${registryConsole.url} (production: no demo login), gateway ${env.GATEWAY_URL}` +
      (env.CONSOLE_ALLOWED_HOSTS.length > 0
        ? `, also answers to ${env.CONSOLE_ALLOWED_HOSTS.join(', ')}`
        : '') +
      '\n',
  );
  const stop = (): void => {
    void registryConsole.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`govgraph console: ${error.message}\n`);
    process.exit(1);
  }
  if (
    error instanceof Error &&
    'code' in error &&
    error.code === 'EADDRINUSE'
  ) {
    process.stderr.write(
      `govgraph console: ${error.message}: another process holds the port; stop it or set CONSOLE_PORT\n`,
    );
    process.exit(1);
  }
  throw error;
}
