// `npm run token -- <user-id> [--ttl 8h]`: prints a bearer token for one of
// the demo users (hub/demoUsers.ts), signed with GOVGRAPH_TOKEN_SECRET, the
// secret the gateway verifies tokens with, with a random jti (what
// revokeTokens names). The lifetime may not exceed the gateway's maximum,
// GOVGRAPH_MAX_TOKEN_TTL (12 h by default). Exit 1 without the secret, 2 for
// an unknown user or bad arguments.
import {
  formatDuration,
  mintToken,
  parseDuration,
} from '../gateway/src/identity/index.js';
import { readGatewayEnv, type GatewayEnv } from '../gateway/src/env.js';
import { demoUsers, findDemoUser } from './demoUsers.js';

function fail(code: number, message: string): never {
  process.stderr.write(`govgraph token: ${message}\n`);
  process.exit(code);
}

const known = demoUsers.map((u) => `${u.id} (${u.description})`).join(', ');
const args = process.argv.slice(2);
let userId: string | undefined;
let ttlSeconds: number | undefined;
let ttlArgument = '';
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? '';
  if (arg === '--ttl') {
    ttlArgument = args[++i] ?? '';
    const ttl = parseDuration(ttlArgument);
    if (ttl === null || ttl === 0) {
      fail(2, '--ttl takes a duration such as 900s, 30m, 8h');
    }
    ttlSeconds = ttl;
  } else if (userId === undefined && !arg.startsWith('-')) {
    userId = arg;
  } else {
    fail(2, `unexpected argument "${arg}"`);
  }
}
let env: GatewayEnv;
try {
  env = readGatewayEnv();
} catch (error) {
  fail(1, error instanceof Error ? error.message : String(error));
}
const secret = env.GOVGRAPH_TOKEN_SECRET;
const maxTtl = env.GOVGRAPH_MAX_TOKEN_TTL;
if (ttlSeconds !== undefined && ttlSeconds > maxTtl) {
  fail(
    2,
    `--ttl ${ttlArgument} exceeds the maximum token lifetime of ${formatDuration(maxTtl)} (GOVGRAPH_MAX_TOKEN_TTL): the gateway would refuse the token`,
  );
}
if (!secret) {
  fail(
    1,
    'GOVGRAPH_TOKEN_SECRET is required: tokens are signed with the secret the gateway verifies them with',
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
