// `npm run token -- <user-id> [--ttl 8h]`: prints a bearer token for one of
// the demo users (hub/demoUsers.ts), signed with GOVGRAPH_TOKEN_SECRET, the
// secret the gateway verifies tokens with. Exit 1 without the secret, 2 for
// an unknown user or bad arguments.
import { mintToken } from '../gateway/src/identity/index.js';
import { readGatewayEnv } from '../gateway/src/env.js';
import { demoUsers, findDemoUser } from './demoUsers.js';

function fail(code: number, message: string): never {
  process.stderr.write(`govgraph token: ${message}\n`);
  process.exit(code);
}

function parseTtl(raw: string): number | null {
  const match = /^(\d+)([smhd]?)$/.exec(raw);
  if (!match?.[1]) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] ?? ''];
  const seconds = Number(match[1]) * (unit ?? 1);
  return seconds > 0 ? seconds : null;
}

const known = demoUsers.map((u) => `${u.id} (${u.description})`).join(', ');
const args = process.argv.slice(2);
let userId: string | undefined;
let ttlSeconds = 8 * 3_600;
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? '';
  if (arg === '--ttl') {
    const ttl = parseTtl(args[++i] ?? '');
    if (ttl === null) fail(2, '--ttl takes a duration such as 900s, 30m, 8h');
    ttlSeconds = ttl;
  } else if (userId === undefined && !arg.startsWith('-')) {
    userId = arg;
  } else {
    fail(2, `unexpected argument "${arg}"`);
  }
}
let secret: string | undefined;
try {
  secret = readGatewayEnv().GOVGRAPH_TOKEN_SECRET;
} catch (error) {
  fail(1, error instanceof Error ? error.message : String(error));
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
  ttlSeconds,
});
process.stdout.write(`${token}\n`);
