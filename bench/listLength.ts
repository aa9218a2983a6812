// `npm run bench:list-length`: how a request's SQL statements and latency grow
// with the length of its list. Starts the whole hub (demo data) on the
// database of DATABASE_URL, or on embedded PGlite in memory when unset, then
// asks the gateway for 10, 25, 50 and 100 enterprises with five nested lists
// and entity joins each, 30 times per size. Prints statements per request and
// the median latency as a ratio to the 10-item request of the same run.
import { randomBytes } from 'node:crypto';

import { mintToken, PURPOSE_HEADER } from '../gateway/src/identity/index.js';
import { findDemoUser } from '../hub/demoUsers.js';
import { startHub } from '../hub/startHub.js';
import {
  countStatements,
  createLogger,
  openDatabase,
  readEnv,
} from '../subgraphs/kit/src/index.js';

const QUERY = `query($n: Int!) { enterprises(first: $n) { nodes {
  name region { name }
  legalRepresentative { name }
  violations { totalCount nodes { category } }
  inspections { totalCount }
  pollutionSources { totalCount }
  riskItems { totalCount nodes { category { name } } }
} } }`;
const SIZES = [10, 25, 50, 100];
const RUNS = 30;

const env = readEnv();
const db = await openDatabase(
  env.DATABASE_URL
    ? { kind: 'pg', connectionString: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: 'memory://' },
);
const counted = countStatements(db);
const tokenSecret = randomBytes(32).toString('base64url');
const analyst = findDemoUser('env-analyst');
if (!analyst) throw new Error('the demo users lack env-analyst');
const purpose = analyst.purpose;
const token = await mintToken(
  analyst.claims,
  new TextEncoder().encode(tokenSecret),
);
const hub = await startHub(
  {
    gatewayPort: 0,
    subgraphPorts: 'free',
    seed: { seed: 1, scale: 'demo' },
    tokenSecret,
  },
  { db: counted.db, logger: createLogger('bench', 'silent') },
);

async function ask(n: number): Promise<void> {
  const res = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [PURPOSE_HEADER]: purpose,
    },
    body: JSON.stringify({ query: QUERY, variables: { n } }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

try {
  // Warm up query plans and connections.
  for (const n of SIZES) await ask(n);
  const rows: Array<{ n: number; statements: number; medianMs: number }> = [];
  for (const n of SIZES) {
    counted.reset();
    await ask(n);
    const statements = counted.count;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      await ask(n);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push({ n, statements, medianMs: times[Math.floor(RUNS / 2)] ?? 0 });
  }
  const base = rows[0];
  process.stdout.write(
    `database: ${db.kind}; ${RUNS} requests per size; latency as a ratio to ${base?.n} items\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `${String(row.n).padStart(4)} items: ${row.statements} SQL statements, median ${row.medianMs.toFixed(1)} ms (×${(row.medianMs / (base?.medianMs ?? 1)).toFixed(2)})\n`,
    );
  }
} finally {
  await hub.close();
  await db.close();
}
