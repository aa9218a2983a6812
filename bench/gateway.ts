// `npm run bench:gateway`: what governance costs in throughput. Starts the
// whole hub (demo data) once — on a scratch database of the server in
// DATABASE_URL, or on embedded PGlite in a temporary directory when unset —
// and beside its governed gateway a plain @apollo/gateway over the SAME
// running subgraphs (signed calls, no authentication, no governance, no
// access log). Drives the same operation through both with a fixed number of
// requests in flight from a worker thread, in interleaved rounds so that
// machine noise hits both alike, and prints one JSON line: requests per
// second and latency of each side and their ratio (governed / plain).
//
//   npm run bench:gateway -- --duration 10 --concurrency 16 --rounds 3 --warmup 2
//
// The plain gateway signs an empty call context (no principal, no row
// scope), so its subgraphs read every row where the governed ones read the
// caller's; `--plain-scope governed` makes it sign the row scope the
// governance computes for the headline (read through `Query.explain`), so
// that both sides ask the subgraphs for exactly the same work.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';

import { DepartmentDataSource } from '../gateway/src/DepartmentDataSource.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../subgraphs/kit/src/index.js';
import { mintToken, PURPOSE_HEADER } from '../gateway/src/identity/index.js';
import { readSupergraphFile } from '../subgraphs/kit/src/index.js';
import { findDemoUser } from '../hub/demoUsers.js';
import { startHub, type Hub } from '../hub/startHub.js';
import {
  createHmacKey,
  createLogger,
  openDatabase,
  readEnv,
  serveGraphQL,
  type Database,
  type ServedGraphQL,
} from '../subgraphs/kit/src/index.js';
import { countAccessLogRecords } from '../policies/store/src/audit/index.js';
import type { LoadRequest, LoadResult } from './gatewayLoad.js';

/** The headline: 较场口 night-market complaint, across three subgraphs. */
const OPERATION = 'complaint-jck';
const QUERY = `{ complaint(id: "C-20250915-JCK") { summary nearestSquads { distanceMeters squad { name } } merchants { nodes { name violations { totalCount } } } } }`;
const USER = 'enforcement-jiefangbei';
const PURPOSE = 'complaint-handling';
const TARGET = 0.9;

type Side = 'plain' | 'governed';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function readOptions(): {
  durationSec: number;
  warmupSec: number;
  concurrency: number;
  rounds: number;
  plainScope: 'none' | 'governed';
} {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      'plain-scope': { type: 'string', default: 'none' },
    },
    strict: true,
  });
  const number = (name: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) {
      throw new Error(`--${name} must be a number ≥ ${min}, not "${raw}"`);
    }
    return n;
  };
  const plainScope = values['plain-scope'];
  if (plainScope !== 'none' && plainScope !== 'governed') {
    throw new Error(
      `--plain-scope must be "none" or "governed", not "${plainScope}"`,
    );
  }
  return {
    plainScope,
    durationSec: number('duration', values.duration, 0.1),
    warmupSec: number('warmup', values.warmup, 0),
    concurrency: Math.floor(number('concurrency', values.concurrency, 1)),
    rounds: Math.floor(number('rounds', values.rounds, 1)),
  };
}

/** The database the hub runs on, and how to get rid of it. */
interface BenchDatabase {
  db: Database;
  kind: 'pglite' | 'postgres';
  dispose(): Promise<void>;
}

/**
 * A scratch database on the server of `url` (created now, dropped by
 * `dispose`), or PGlite in a temporary directory (removed by `dispose`).
 */
async function openBenchDatabase(
  url: string | undefined,
): Promise<BenchDatabase> {
  if (url === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-bench-gateway-'));
    log(`database: embedded PGlite in ${dir} (temporary)`);
    try {
      const db = await openDatabase({ kind: 'pglite', dataDir: dir });
      return {
        db,
        kind: 'pglite',
        async dispose() {
          await db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const name = `bench_gateway_${randomUUID().replaceAll('-', '')}`;
  const server = new URL(url);
  const admin = await openDatabase({ kind: 'pg', connectionString: url });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  log(
    `database: PostgreSQL at ${server.host}, scratch database ${name} (dropped at the end)`,
  );
  const drop = async (): Promise<void> => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.close();
    }
  };
  let db: Database;
  try {
    db = await openDatabase({
      kind: 'pg',
      connectionString: scratch.toString(),
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    db,
    kind: 'postgres',
    async dispose() {
      try {
        await db.close();
      } finally {
        await drop();
      }
    },
  };
}

/**
 * A plain @apollo/gateway over the hub's subgraphs: the same supergraph and
 * signed subgraph calls, with an empty call context (no principal, no row
 * scope); no authentication, governance, limits or access log.
 */
async function startPlainGateway(
  hub: Hub,
  signingSecret: string,
  scope: unknown,
): Promise<ServedGraphQL> {
  const urls = new Map(hub.subgraphs.map((s) => [s.name, s.url]));
  const signing = createHmacKey(signingSecret);
  const logger = createLogger('bench-plain-gateway', 'silent');
  const apollo = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
      buildService: ({ name, url }) =>
        new DepartmentDataSource({
          name,
          url: urls.get(name) ?? url ?? '',
          signing,
        }),
      logger,
    }),
    logger,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  try {
    const served = await serveGraphQL({
      apollo,
      port: 0,
      context: () => Promise.resolve({ principal: null, scope }),
      health: () => Promise.resolve({ gateway: 'plain' }),
    });
    return {
      ...served,
      async close() {
        await served.close();
        await apollo.stop();
      },
    };
  } catch (error) {
    await apollo.stop();
    throw error;
  }
}

/** One POST of the headline operation, for the correctness check. */
async function askOnce(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  return { status: res.status, ...body };
}

/** The row scope the governed gateway signs for the headline operation. */
async function governedRowScope(
  url: string,
  headers: Record<string, string>,
): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query: 'query($op: String!) { explain(operation: $op) { rowScope } }',
      variables: { op: QUERY },
    }),
  });
  const body = (await res.json()) as {
    data?: { explain?: { rowScope?: unknown } };
    errors?: unknown[];
  };
  if (body.errors || body.data?.explain === undefined) {
    throw new Error(
      `cannot read the governed row scope: ${JSON.stringify(body.errors)}`,
    );
  }
  return body.data.explain.rowScope ?? null;
}

/** Runs load segments in a worker thread, one at a time. */
function startLoadWorker(): {
  run(request: LoadRequest): Promise<LoadResult>;
  close(): Promise<void>;
} {
  // Workers do not inherit tsx's module hooks: register them in the worker
  // before it imports the TypeScript driver.
  const entry = new URL('./gatewayLoad.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
  let pending: {
    resolve(result: LoadResult): void;
    reject(error: Error): void;
  } | null = null;
  worker.on('message', (result: LoadResult) => {
    const p = pending;
    pending = null;
    p?.resolve(result);
  });
  worker.on('error', (error) => {
    const p = pending;
    pending = null;
    p?.reject(error);
  });
  return {
    run(request) {
      if (pending) throw new Error('a load segment is already running');
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(request);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

function summarise(results: readonly LoadResult[]): {
  rps: number;
  p50ms: number;
  p95ms: number;
} {
  const count = results.reduce((n, r) => n + r.count, 0);
  const elapsedMs = results.reduce((n, r) => n + r.elapsedMs, 0);
  const all = new Float64Array(count);
  let offset = 0;
  for (const r of results) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  all.sort();
  const round = (n: number, digits: number): number =>
    Number(n.toFixed(digits));
  return {
    rps: round((count / elapsedMs) * 1000, 1),
    p50ms: round(percentile(all, 50), 2),
    p95ms: round(percentile(all, 95), 2),
  };
}

/**
 * CPU seconds used so far by this process (all threads, the load driver
 * included) and by the local PostgreSQL server processes (Linux /proc; 0
 * elsewhere or when the server is remote), for CPU-per-request figures.
 */
async function cpuSeconds(): Promise<{ node: number; postgres: number }> {
  const usage = process.cpuUsage();
  let postgres = 0;
  try {
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(0, close).includes('(postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat, in clock ticks (100/s).
      postgres += (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    postgres = 0;
  }
  return { node: (usage.user + usage.system) / 1e6, postgres };
}

async function main(): Promise<void> {
  const options = readOptions();
  const env = readEnv();
  const signingSecret = randomBytes(32).toString('base64url');
  const tokenSecret = randomBytes(32).toString('base64url');
  const user = findDemoUser(USER);
  if (!user) throw new Error(`the demo users lack ${USER}`);
  const token = await mintToken(
    user.claims,
    new TextEncoder().encode(tokenSecret),
  );

  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    log('interrupted: stopping after this segment');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const database = await openBenchDatabase(env.DATABASE_URL);
  let hub: Hub | null = null;
  let plain: ServedGraphQL | null = null;
  let load: ReturnType<typeof startLoadWorker> | null = null;
  try {
    const started = performance.now();
    hub = await startHub(
      {
        gatewayPort: 0,
        subgraphPorts: 'free',
        seed: { seed: 1, scale: 'demo' },
        signingSecret,
        tokenSecret,
      },
      { db: database.db, logger: createLogger('bench', 'silent') },
    );
    log(
      `hub up in ${Math.round(performance.now() - started)} ms (seeding ${hub.seeded?.ms ?? 0} ms); governed gateway ${hub.gatewayUrl}`,
    );
    const governedHeaders = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [PURPOSE_HEADER]: PURPOSE,
    };
    let plainScope: unknown = null;
    if (options.plainScope === 'governed') {
      plainScope = await governedRowScope(hub.gatewayUrl, governedHeaders);
    }
    plain = await startPlainGateway(hub, signingSecret, plainScope);
    log(`plain gateway ${plain.url}, row scope ${JSON.stringify(plainScope)}`);

    const body = JSON.stringify({ query: QUERY });
    const requests: Record<Side, Omit<LoadRequest, 'durationMs'>> = {
      plain: {
        url: plain.url,
        headers: { 'content-type': 'application/json' },
        body,
        concurrency: options.concurrency,
        expectErrors: false,
      },
      governed: {
        url: hub.gatewayUrl,
        headers: governedHeaders,
        body,
        concurrency: options.concurrency,
        expectErrors: false,
      },
    };

    // The same answer from both sides, or nothing is measured.
    const plainAnswer = await askOnce(plain.url, requests.plain.headers);
    const governedAnswer = await askOnce(
      hub.gatewayUrl,
      requests.governed.headers,
    );
    if (plainAnswer.status !== 200 || plainAnswer.errors) {
      throw new Error(
        `the plain gateway fails the headline operation (HTTP ${plainAnswer.status}): ${JSON.stringify(plainAnswer.errors)}`,
      );
    }
    if (governedAnswer.status !== 200 || governedAnswer.data == null) {
      throw new Error(
        `the governed gateway refuses the headline operation (HTTP ${governedAnswer.status}): ${JSON.stringify(governedAnswer.errors)}`,
      );
    }
    if (governedAnswer.errors) {
      log(
        `WARNING: the governed gateway answers the headline operation with errors (benchmarking a partial answer): ${JSON.stringify(governedAnswer.errors)}`,
      );
      requests.governed.expectErrors = true;
    }
    if (!isDeepStrictEqual(plainAnswer.data, governedAnswer.data)) {
      throw new Error(
        `the two gateways answer the headline operation differently:\n  plain:    ${JSON.stringify(plainAnswer.data)}\n  governed: ${JSON.stringify(governedAnswer.data)}`,
      );
    }
    log(
      `both gateways answer ${OPERATION} alike: ${JSON.stringify(plainAnswer.data)}`,
    );

    const driver = startLoadWorker();
    load = driver;
    const warmUp = async (side: Side, seconds: number): Promise<void> => {
      if (seconds <= 0) return;
      const warm = await driver.run({
        ...requests[side],
        durationMs: seconds * 1000,
      });
      if (warm.failures > 0) {
        throw new Error(
          `${side} warm-up: ${warm.failures} of ${warm.count} requests failed; first: ${warm.firstFailure}`,
        );
      }
    };
    // JIT, plan caches and connections of both sides warm before round 1;
    // each measured segment gets its own short warm-up besides.
    await warmUp('plain', 5);
    await warmUp('governed', 5);
    const measured: Record<Side, LoadResult[]> = { plain: [], governed: [] };
    let accessLogRecords = 0;
    for (let round = 0; round < options.rounds && !interrupted; round += 1) {
      const order: Side[] =
        round % 2 === 0 ? ['plain', 'governed'] : ['governed', 'plain'];
      for (const side of order) {
        if (interrupted) break;
        await warmUp(side, options.warmupSec);
        let before = 0;
        if (side === 'governed') {
          await hub.accessLog.flush();
          before = await countAccessLogRecords(database.db);
        }
        const cpuBefore = await cpuSeconds();
        const result = await driver.run({
          ...requests[side],
          durationMs: options.durationSec * 1000,
        });
        const cpuAfter = await cpuSeconds();
        if (side === 'governed') {
          await hub.accessLog.flush();
          accessLogRecords +=
            (await countAccessLogRecords(database.db)) - before;
        }
        if (result.failures > 0) {
          throw new Error(
            `${side}: ${result.failures} of ${result.count} requests failed; first: ${result.firstFailure}`,
          );
        }
        measured[side].push(result);
        const s = summarise([result]);
        log(
          `round ${round + 1}/${options.rounds} ${side.padEnd(8)} ${result.count} requests, ${s.rps} req/s, p50 ${s.p50ms} ms, p95 ${s.p95ms} ms; CPU per request: node ${(((cpuAfter.node - cpuBefore.node) * 1000) / result.count).toFixed(2)} ms, postgres ${(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / result.count).toFixed(2)} ms`,
        );
      }
    }
    if (interrupted) throw new Error('interrupted before the last round');
    const paired = measured.plain.map((p, i) => {
      const g = measured.governed[i];
      return g
        ? (g.count / g.elapsedMs / (p.count / p.elapsedMs)).toFixed(3)
        : '?';
    });
    log(`governed/plain per round: ${paired.join(', ')}`);

    const plainSummary = summarise(measured.plain);
    const governedSummary = summarise(measured.governed);
    const governedCount = measured.governed.reduce((n, r) => n + r.count, 0);
    if (accessLogRecords !== governedCount) {
      log(
        `note: ${accessLogRecords} access-log records for ${governedCount} governed requests`,
      );
    }
    const planCache = hub.gateway.governance.planCache;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'gateway',
        operation: OPERATION,
        concurrency: options.concurrency,
        durationSec: options.durationSec,
        rounds: options.rounds,
        plain: plainSummary,
        governed: governedSummary,
        ratio: Number((governedSummary.rps / plainSummary.rps).toFixed(3)),
        planCache: { hits: planCache.hits, misses: planCache.misses },
        accessLogRecords,
        target: TARGET,
        db: database.kind,
        ...(options.plainScope === 'governed'
          ? { plainScope: 'governed' }
          : {}),
      })}\n`,
    );
  } finally {
    await load?.close();
    await plain?.close();
    await hub?.close();
    await database.dispose();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

try {
  await main();
} catch (error) {
  log(
    `bench:gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = 1;
}
