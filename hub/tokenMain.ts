// `npm run token -- <user-id> [--ttl 8h]`: prints a bearer token for one of
// the demo users (hub/demoUsers.ts; `--list` lists them), signed with the
// secret the gateway verifies tokens with: GOVGRAPH_TOKEN_SECRET or, when it
// is unset, the one `npm start` keeps in .govgraph/secrets.json — so it
// works against a running hub without restarting it. The token has a
// random jti (what revokeTokens names) and its secret's key id (kid). The
// lifetime may not exceed the gateway's maximum, GOVGRAPH_MAX_TOKEN_TTL
// (12 h by default). Exit 1 without a secret, 2 for an unknown user or bad
// arguments.
import {
  formatDuration,
  mintToken,
  parseDuration,
} from '../gateway/src/identity/index.js';
import { readGatewayEnv, type GatewayEnv } from '../gateway/src/env.js';
import { commandLineOrExit } from '../subgraphs/kit/src/cli/commandLine.js';
import { readEnv } from '../subgraphs/kit/src/env.js';
import { demoUsers, findDemoUser } from './demoUsers.js';
import { devSecretsPath, readDevSecrets, stateDirOf } from './devSecrets.js';

function fail(code: number, message: string): never {
  process.stderr.write(`govgraph token: ${message}\n`);
  process.exit(code);
}

const USAGE = `usage: npm run token -- <user-id> [--ttl 8h]
       npm run token -- --list
  Prints a bearer token for a demo user, signed with GOVGRAPH_TOKEN_SECRET or
  the secret npm start keeps in .govgraph/secrets.json.
  --ttl   lifetime (900s, 30m, 8h; default 8 h, at most GOVGRAPH_MAX_TOKEN_TTL)
  --list  the demo users, one a line`;

const { values, positionals } = commandLineOrExit({
  command: 'govgraph token',
  usage: USAGE,
  options: {
    ttl: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
if (values.list) {
  process.stdout.write(
    demoUsers
      .map(
        (u) =>
          `${u.id.padEnd(28)} ${u.description}; purposes: ${u.claims.purposes.join(', ')}\n`,
      )
      .join(''),
  );
  process.exit(0);
}
const known = demoUsers.map((u) => u.id).join(', ');
if (positionals.length > 1) {
  fail(2, `unexpected argument "${positionals[1] ?? ''}"`);
}
const userId = positionals[0];
let ttlSeconds: number | undefined;
const ttlArgument = values.ttl ?? '';
if (values.ttl !== undefined) {
  const ttl = parseDuration(values.ttl);
  if (ttl === null || ttl === 0) {
    fail(2, '--ttl takes a duration such as 900s, 30m, 8h');
  }
  ttlSeconds = ttl;
}
let env: GatewayEnv;
let secret: string | undefined;
try {
  env = readGatewayEnv();
  secret = env.GOVGRAPH_TOKEN_SECRET;
  if (!secret) {
    const stateDir = stateDirOf(readEnv().PGLITE_DATA_DIR);
    secret = readDevSecrets(stateDir)?.tokenSecret;
    if (!secret) {
      fail(
        1,
        `GOVGRAPH_TOKEN_SECRET is required: tokens are signed with the secret the gateway verifies them with, and no npm start kept one in ${devSecretsPath(stateDir)} yet (run npm start once, or set it)`,
      );
    }
  }
} catch (error) {
  fail(1, error instanceof Error ? error.message : String(error));
}
const maxTtl = env.GOVGRAPH_MAX_TOKEN_TTL;
if (ttlSeconds !== undefined && ttlSeconds > maxTtl) {
  fail(
    2,
    `--ttl ${ttlArgument} exceeds the maximum token lifetime of ${formatDuration(maxTtl)} (GOVGRAPH_MAX_TOKEN_TTL): the gateway would refuse the token`,
  );
}
if (userId === undefined) fail(2, `name a demo user: ${known}`);
const user = findDemoUser(userId);
if (!user) fail(2, `unknown demo user "${userId}"; known: ${known}`);
const token = await mintToken(user.claims, new TextEncoder().encode(secret), {
  // A working day, or the maximum when that is shorter.
  ttlSeconds: ttlSeconds ?? Math.min(8 * 3_600, maxTtl),
});
process.stdout.write(`${token}\n`);
