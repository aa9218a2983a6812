// `npm run bench:gateway`: the governed gateway against a plain
// @apollo/gateway, each in a process of its own, over the same subgraphs.
//
// On a scratch database of the PostgreSQL server in DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres; created, seeded with the demo
// city and dropped at the end) it starts, each as its own node process:
//   - the subgraphs (bench/gatewayBackend.ts): the hub's eight and the heavy
//     workload's four (bench/heavy), each served twice — a governed instance
//     that answers only signed calls, a plain one that verifies nothing;
//   - the governed gateway as production runs it (gateway/src/main.ts: token
//     check, decisions, rewriting, masks, row scope, signed calls, access
//     log), once over the hub's supergraph and once over the heavy one;
//   - the plain gateway (bench/plainGateway.ts): an unmodified
//     @apollo/gateway with its default data source (RemoteGraphQLDataSource,
//     unsigned calls) and Apollo's standalone server, over the same two
//     supergraphs and the plain instances. The plain instances are handed
//     the call context the governed gateway signs for the workload (its row
//     scope, read through `Query.explain`), so both sides ask the subgraphs
//     for the same rows; the answers are compared before anything is
//     measured.
// Workloads: one entity of one subgraph; the 较场口 complaint across three
// subgraphs (lists of merchants and their violations); the same with a
// masked field (governed masks the complainant's name, so the answers differ
// there only); and the heavy query (four subgraphs, nested entity lists, 16
// subgraph calls, ~88 KB per answer) at 50 requests in flight.
//
// Rounds alternate the sides (A B, then B A, …); each segment is warmed up,
// then driven for `--duration` seconds by a load worker thread of this
// process, and the CPU of the gateway process alone is read from
// /proc/<pid>/stat around it. Progress goes to stderr; stdout gets one JSON
// line per workload with every round of both sides (requests per second,
// p50/p95, gateway CPU per request), the medians and governed/plain ratios.
//
//   npm run bench:gateway -- --rounds 5 --duration 5 --warmup 1
//   npm run bench:gateway -- --workloads heavy --rounds 7
//   npm run bench:gateway -- --cpu-prof /tmp/profiles   (both gateways
//     run under node --cpu-prof; the profiles are written when they stop)
//   npm run bench:gateway -- --compare tracing   (the governed gateway with
//     tracing off against a second one traced, OTEL_EXPORTER_OTLP_ENDPOINT
//     pointing at an OTLP sink in this process that takes every export and
//     answers 200: the sides are `governed` and `traced`, no plain gateway)
//   npm run bench:gateway -- --compare metrics   (the governed gateway
//     against a second one with GATEWAY_METRICS=off: `governed` and
//     `unmetered`)
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { demoUserHeaders, freePort } from '../hub/componentProcesses.js';
import { prepareHubDatabase } from '../hub/startHub.js';
import {
  createLogger,
  DEFAULT_SUPERGRAPH_PATH,
  openDatabase,
  type Database,
  type SignedCallContext,
} from '../subgraphs/kit/src/index.js';
import type { LoadRequest, LoadResult } from './gatewayLoad.js';
import { HEAVY_QUERY, heavySupergraph } from './heavy/heavySubgraphs.js';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('..', import.meta.url));

type Side = 'plain' | 'governed' | 'traced' | 'unmetered';
type Federation = 'hub' | 'heavy';

/** One workload: an operation, a caller and a number of requests in flight. */
interface Workload {
  name: string;
  federation: Federation;
  user: string;
  purpose?: string;
  query: string;
  concurrency: number;
  /** Whether governed answers differ from plain ones by masked values only. */
  masked: boolean;
}

const COMPLAINT = `{ complaint(id: "C-20250915-JCK") { summary nearestSquads { distanceMeters squad { name } } merchants { nodes { name violations { totalCount } } } } }`;

function workloads(
  hubConcurrency: number,
  heavyConcurrency: number,
): Workload[] {
  return [
    {
      name: 'single-entity',
      federation: 'hub',
      user: 'emergency-duty',
      query: '{ riskItem(id: "RI-PUHE-ZHAIXI") { id name level } }',
      concurrency: hubConcurrency,
      masked: false,
    },
    {
      name: 'cross-department',
      federation: 'hub',
      user: 'enforcement-jiefangbei',
      purpose: 'complaint-handling',
      query: COMPLAINT,
      concurrency: hubConcurrency,
      masked: false,
    },
    {
      name: 'cross-department-masked',
      federation: 'hub',
      user: 'enforcement-jiefangbei',
      purpose: 'complaint-handling',
      query: `{ complaint(id: "C-20250915-JCK") { summary complainant { id name } merchants { nodes { name violations { totalCount } } } } }`,
      concurrency: hubConcurrency,
      masked: true,
    },
    {
      name: 'heavy',
      federation: 'heavy',
      user: 'env-analyst',
      query: HEAVY_QUERY,
      concurrency: heavyConcurrency,
      masked: false,
    },
  ];
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface Options {
  durationSec: number;
  warmupSec: number;
  rounds: number;
  concurrency: number;
  heavyConcurrency: number;
  workloads: string[] | null;
  cpuProfileDir: string | null;
  /**
   * `plain`: governed against plain; `tracing`: untraced against traced;
   * `metrics`: the governed gateway with its metrics against without.
   */
  compare: 'plain' | 'tracing' | 'metrics';
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
      'heavy-concurrency': { type: 'string', default: '50' },
      workloads: { type: 'string' },
      'cpu-prof': { type: 'string' },
      compare: { type: 'string', default: 'plain' },
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
  return {
    durationSec: number('duration', values.duration, 0.1),
    warmupSec: number('warmup', values.warmup, 0),
    rounds: Math.floor(number('rounds', values.rounds, 1)),
    concurrency: Math.floor(number('concurrency', values.concurrency, 1)),
    heavyConcurrency: Math.floor(
      number('heavy-concurrency', values['heavy-concurrency'], 1),
    ),
    workloads: values.workloads ? values.workloads.split(',') : null,
    cpuProfileDir: values['cpu-prof'] ?? null,
    compare:
      values.compare === 'tracing' ||
      values.compare === 'metrics' ||
      values.compare === 'plain'
        ? values.compare
        : (() => {
            throw new Error(
              `--compare must be plain, tracing or metrics, not "${values.compare}"`,
            );
          })(),
  };
}

/** A node process of this bench: its pid is the process measured. */
interface Started {
  name: string;
  child: ChildProcess;
  stderr: () => string;
  /** The first line the process printed on stdout, parsed. */
  ready: Promise<unknown>;
}

function startNode(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  ipc = false,
  nodeArgs: readonly string[] = [],
): Started {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', script, ...args],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
    },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = `${err}${d.toString()}`.slice(-4000);
  });
  const ready = new Promise<unknown>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // The first line that is a JSON object (libraries may print before).
      let newline = out.indexOf('\n');
      while (newline >= 0) {
        const line = out.slice(0, newline).trim();
        out = out.slice(newline + 1);
        if (line.startsWith('{')) {
          try {
            resolve(JSON.parse(line));
          } catch (error) {
            reject(error as Error);
          }
        }
        newline = out.indexOf('\n');
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${String(code)}: ${err}`)),
    );
  });
  ready.catch(() => undefined);
  return { name, child, stderr: () => err, ready };
}

async function stopAll(started: readonly Started[]): Promise<void> {
  await Promise.all(
    started.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** CPU seconds (user + system) a process has used: Linux /proc. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of each process of a list that still runs, by pid. */
async function cpuByPid(pids: readonly number[]): Promise<Map<number, number>> {
  const read = await Promise.all(
    pids.map(async (pid) => {
      try {
        return [pid, await processCpuSeconds(pid)] as const;
      } catch {
        // Gone, or not on this machine.
        return null;
      }
    }),
  );
  return new Map(read.filter((x) => x !== null));
}

/** The CPU a segment cost, in seconds, per group of processes. */
interface CpuSample {
  gateway: number;
  subgraphs: number;
  /** The scratch database's backends on the PostgreSQL server. */
  postgresBackends: Map<number, number>;
  /** walwriter, checkpointer, background writer (shared by the server). */
  postgresAux: Map<number, number>;
  /** This process (its load worker thread included). */
  driver: number;
}

/**
 * Reads /proc/<pid>/stat for the processes of one side: the gateway, the
 * subgraphs' process, the PostgreSQL backends connected to the scratch
 * database (listed through pg_stat_activity: on this machine's server only;
 * on another host their CPU reads as none) and the server's background
 * writers, and this process.
 */
async function sampleCpu(
  admin: Database,
  dbName: string,
  gatewayPid: number,
  subgraphsPid: number,
): Promise<CpuSample> {
  const { rows } = await admin.query<{ pid: number; backend_type: string }>(
    `SELECT pid, backend_type FROM pg_stat_activity
      WHERE datname = $1 OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
    [dbName],
  );
  const backends = rows
    .filter((r) => r.backend_type === 'client backend')
    .map((r) => r.pid);
  const aux = rows
    .filter((r) => r.backend_type !== 'client backend')
    .map((r) => r.pid);
  const [processes, postgresBackends, postgresAux] = await Promise.all([
    cpuByPid([gatewayPid, subgraphsPid]),
    cpuByPid(backends),
    cpuByPid(aux),
  ]);
  const usage = process.cpuUsage();
  return {
    gateway: processes.get(gatewayPid) ?? 0,
    subgraphs: processes.get(subgraphsPid) ?? 0,
    postgresBackends,
    postgresAux,
    driver: (usage.user + usage.system) / 1e6,
  };
}

/** CPU seconds the processes used between two readings (new ones: all). */
function used(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
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

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** CPU milliseconds per answered request, per group of processes. */
interface CpuPerRequest {
  gateway: number;
  /** The subgraphs' process (it serves both sides, one at a time). */
  subgraphs: number;
  /** PostgreSQL backends of the scratch database. */
  postgres: number;
  /** PostgreSQL's walwriter, checkpointer and background writer. */
  postgresAux: number;
  /** The bench's own process: the load driver. */
  driver: number;
  /** All of the above. */
  total: number;
}

const CPU_GROUPS = [
  'gateway',
  'subgraphs',
  'postgres',
  'postgresAux',
  'driver',
  'total',
] as const;

/** The access log's batches as a governed gateway's `/metrics` counts them. */
interface AccessLogCounts {
  batches: number;
  records: number;
  commitSeconds: number;
}

/** What a governed side's access log did in a segment. */
interface AccessLogSegment {
  /** Batches (one statement and one commit each) per answered request. */
  batchesPerRequest: number;
  recordsPerBatch: number;
  /** Mean time from a batch's start to its commit, in milliseconds. */
  commitMs: number;
}

/**
 * Reads the access-log counters of a governed gateway's `GET /metrics`
 * (an operator's token); null when it has none (metrics off).
 */
async function readAccessLogCounts(
  graphqlUrl: string,
  headers: Record<string, string>,
): Promise<AccessLogCounts | null> {
  const res = await fetch(new URL('/metrics', graphqlUrl), { headers });
  const text = await res.text();
  if (res.status !== 200) return null;
  const value = (name: string): number | null => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined
      ? null
      : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const batches = value('govgraph_access_log_batch_size_count');
  const records = value('govgraph_access_log_batch_size_sum');
  const commitSeconds = value(
    'govgraph_access_log_commit_duration_seconds_sum',
  );
  return batches === null || records === null || commitSeconds === null
    ? null
    : { batches, records, commitSeconds };
}

function accessLogSegment(
  before: AccessLogCounts | null,
  after: AccessLogCounts | null,
  requests: number,
): AccessLogSegment | undefined {
  if (before === null || after === null) return undefined;
  const batches = after.batches - before.batches;
  if (batches === 0) {
    // Nothing recorded (a read of the caller's own department).
    return { batchesPerRequest: 0, recordsPerBatch: 0, commitMs: 0 };
  }
  return {
    batchesPerRequest: round(batches / requests, 3),
    recordsPerBatch: round((after.records - before.records) / batches, 2),
    commitMs: round(
      ((after.commitSeconds - before.commitSeconds) * 1000) / batches,
      2,
    ),
  };
}

/** One measured segment of one side. */
interface Segment {
  rps: number;
  p50ms: number;
  p95ms: number;
  /** CPU milliseconds of the gateway process per answered request. */
  cpuMsPerRequest: number;
  /** CPU milliseconds per answered request of every process measured. */
  cpu: CpuPerRequest;
  requests: number;
  /** A governed side's access-log batches (from its `/metrics`). */
  accessLog?: AccessLogSegment;
}

function segmentOf(
  result: LoadResult,
  before: CpuSample,
  after: CpuSample,
): Segment {
  const sorted = Float64Array.from(result.latencies).sort();
  const perRequest = (seconds: number): number =>
    round((seconds * 1000) / result.count, 3);
  const seconds = {
    gateway: after.gateway - before.gateway,
    subgraphs: after.subgraphs - before.subgraphs,
    postgres: used(before.postgresBackends, after.postgresBackends),
    postgresAux: used(before.postgresAux, after.postgresAux),
    driver: after.driver - before.driver,
  };
  const total = Object.values(seconds).reduce((x, y) => x + y, 0);
  return {
    rps: round((result.count / result.elapsedMs) * 1000, 1),
    p50ms: round(percentile(sorted, 50), 2),
    p95ms: round(percentile(sorted, 95), 2),
    cpuMsPerRequest: perRequest(seconds.gateway),
    cpu: {
      gateway: perRequest(seconds.gateway),
      subgraphs: perRequest(seconds.subgraphs),
      postgres: perRequest(seconds.postgres),
      postgresAux: perRequest(seconds.postgresAux),
      driver: perRequest(seconds.driver),
      total: perRequest(total),
    },
    requests: result.count,
  };
}

/** One POST, for the checks before measuring. */
async function ask(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; text: string; data?: unknown; errors?: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: { data?: unknown; errors?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Reported through `text`.
  }
  return { status: res.status, text, ...parsed };
}

async function waitUntilAnswers(
  url: string,
  headers: Record<string, string>,
  query: string,
  started: Started,
): Promise<void> {
  const until = Date.now() + 120_000;
  let last = 'no answer';
  for (;;) {
    if (started.child.exitCode !== null) {
      throw new Error(`${started.name} exited: ${started.stderr()}`);
    }
    try {
      const res = await ask(url, headers, { query });
      if (res.status === 200) return;
      last = `HTTP ${String(res.status)}: ${res.text.slice(0, 500)}`;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) {
      throw new Error(
        `${started.name} does not answer (${last}): ${started.stderr()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The same structure, leaf values aside (masked answers). */
function sameShape(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameShape(item, b[i]))
    );
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object') return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      isDeepStrictEqual(ka, kb) &&
      ka.every((k) =>
        sameShape(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
        ),
      )
    );
  }
  return (a === null) === (b === null);
}

/**
 * An OTLP/HTTP receiver that takes every export and answers 200 with
 * nothing kept: the traced gateway's exports cost it what they would
 * against a collector on the same machine.
 */
async function startOtlpSink(): Promise<{
  url: string;
  server: Server;
  readonly exports: number;
  readonly bytes: number;
}> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    server,
    get exports() {
      return exports;
    },
    get bytes() {
      return bytes;
    },
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  const serverUrl = process.env['DATABASE_URL'] ?? DEFAULT_SERVER;
  const chosen = workloads(
    options.concurrency,
    options.heavyConcurrency,
  ).filter(
    (w) => options.workloads === null || options.workloads.includes(w.name),
  );
  if (chosen.length === 0) throw new Error('--workloads names no workload');
  // The two sides measured, in the order of the first round.
  // Against the governed gateway as it runs by default: a second one
  // traced, or one without its metrics; else the plain gateway.
  const second: Side | null =
    options.compare === 'tracing'
      ? 'traced'
      : options.compare === 'metrics'
        ? 'unmetered'
        : null;
  const sides: readonly [Side, Side] =
    second === null ? ['plain', 'governed'] : ['governed', second];
  const sink = options.compare === 'tracing' ? await startOtlpSink() : null;
  const signingSecret = randomBytes(32).toString('base64url');
  const tokenSecret = randomBytes(32).toString('base64url');
  const maskSecret = randomBytes(32).toString('base64url');

  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    log('interrupted: stopping after this segment');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const dbName = `bench_gateway_${randomUUID().replaceAll('-', '')}`;
  const admin = await openDatabase({ kind: 'pg', connectionString: serverUrl });
  const dir = await mkdtemp(join(tmpdir(), 'govgraph-bench-gateway-'));
  const started: Started[] = [];
  let load: ReturnType<typeof startLoadWorker> | null = null;
  let created = false;
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    created = true;
    const dbUrl = new URL(serverUrl);
    dbUrl.pathname = `/${dbName}`;
    log(`database: ${dbName} at ${dbUrl.host} (dropped at the end)`);
    const db = await openDatabase({
      kind: 'pg',
      connectionString: dbUrl.toString(),
    });
    try {
      await prepareHubDatabase(
        { seed: { seed: 1, scale: 'demo' } },
        { db, logger: createLogger('bench', 'warn') },
      );
    } finally {
      await db.close();
    }

    const backend = startNode(
      'subgraphs',
      'bench/gatewayBackend.ts',
      [],
      { DATABASE_URL: dbUrl.toString(), GATEWAY_SIGNING_SECRET: signingSecret },
      true,
      options.cpuProfileDir === null
        ? []
        : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir],
    );
    started.push(backend);
    const urls = (await backend.ready) as Record<
      Federation,
      Record<Side, Record<string, string>>
    >;
    const heavyPath = join(dir, 'heavy.graphql');
    await writeFile(heavyPath, heavySupergraph(urls.heavy.governed));
    const supergraphs: Record<Federation, string> = {
      hub: DEFAULT_SUPERGRAPH_PATH,
      heavy: heavyPath,
    };

    const gateways = {} as Record<
      Federation,
      Partial<Record<Side, { url: string; started: Started }>>
    >;
    const profile =
      options.cpuProfileDir === null
        ? []
        : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir];
    for (const federation of ['hub', 'heavy'] as const) {
      if (!chosen.some((w) => w.federation === federation)) continue;
      const port = await freePort();
      const subgraphEnv = Object.fromEntries(
        Object.entries(urls[federation].governed).map(([name, url]) => [
          `SUBGRAPH_${name.toUpperCase()}_URL`,
          url,
        ]),
      );
      const governedGateway = (
        name: string,
        gatewayPort: number,
        tracing: Record<string, string>,
      ): Started =>
        startNode(
          `${name} gateway (${federation})`,
          'gateway/src/main.ts',
          [supergraphs[federation]],
          {
            DATABASE_URL: dbUrl.toString(),
            PORT: String(gatewayPort),
            GATEWAY_SIGNING_SECRET: signingSecret,
            GOVGRAPH_TOKEN_SECRET: tokenSecret,
            GATEWAY_MASK_SECRET: maskSecret,
            // The access log's append deadline (default 2 s) is a guard for a
            // stalled database; on this shared machine under 50 requests in
            // flight a batch can wait longer without anything being wrong.
            GATEWAY_ACCESS_LOG_DEADLINE_MS: '10000',
            // The plain gateway's client waits for a subgraph as long as it
            // takes; the governed one gives up after 10 s by default, which a
            // heavy request on this overloaded machine can exceed.
            GATEWAY_SUBGRAPH_TIMEOUT_MS: '60000',
            ...subgraphEnv,
            ...tracing,
          },
          false,
          profile,
        );
      const governed = governedGateway('governed', port, {});
      started.push(governed);
      const url = (p: number): string =>
        `http://127.0.0.1:${String(p)}/graphql`;
      if (second !== null) {
        const secondPort = await freePort();
        const other = governedGateway(
          second,
          secondPort,
          sink !== null
            ? {
                OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
                OTEL_SERVICE_NAME: `bench-traced-${federation}`,
              }
            : { GATEWAY_METRICS: 'off' },
        );
        started.push(other);
        gateways[federation] = {
          governed: { url: url(port), started: governed },
          [second]: { url: url(secondPort), started: other },
        };
        continue;
      }
      const plain = startNode(
        `plain gateway (${federation})`,
        'bench/plainGateway.ts',
        [supergraphs[federation], JSON.stringify(urls[federation].plain)],
        {},
        false,
        profile,
      );
      started.push(plain);
      const plainUrl = ((await plain.ready) as { url: string }).url;
      gateways[federation] = {
        governed: { url: url(port), started: governed },
        plain: { url: plainUrl, started: plain },
      };
    }

    // Each workload: headers, the plain instances' call context, and the
    // check that both sides answer alike.
    const prepared: {
      workload: Workload;
      headers: Partial<Record<Side, Record<string, string>>>;
      plainContext: SignedCallContext;
      responseBytes: number;
    }[] = [];
    const at = (
      federation: Federation,
      side: Side,
    ): { url: string; started: Started } => {
      const gateway = gateways[federation][side];
      if (gateway === undefined) throw new Error(`no ${side} gateway`);
      return gateway;
    };
    for (const workload of chosen) {
      const side = {
        governed: at(workload.federation, 'governed'),
        get plain() {
          return at(workload.federation, 'plain');
        },
      };
      const governedHeaders = await demoUserHeaders(
        workload.user,
        tokenSecret,
        {
          ...(workload.purpose ? { purpose: workload.purpose } : {}),
          ttlSeconds: 6 * 3600,
        },
      );
      await waitUntilAnswers(
        side.governed.url,
        governedHeaders,
        workload.query,
        side.governed.started,
      );
      if (second !== null) {
        // Both governed gateways answer alike, masks included.
        const traced = at(workload.federation, second);
        await waitUntilAnswers(
          traced.url,
          governedHeaders,
          workload.query,
          traced.started,
        );
        const [a, b] = await Promise.all(
          [side.governed.url, traced.url].map((url) =>
            ask(url, governedHeaders, { query: workload.query }),
          ),
        );
        if (
          a?.status !== 200 ||
          a.errors !== undefined ||
          !isDeepStrictEqual(a.data, b?.data)
        ) {
          throw new Error(
            `${workload.name}: the governed and ${second} gateways answer ${a?.text.slice(0, 600) ?? ''} and ${b?.text.slice(0, 600) ?? ''}`,
          );
        }
        prepared.push({
          workload,
          headers: { governed: governedHeaders, [second]: governedHeaders },
          plainContext: { principal: null, scope: null },
          responseBytes: Buffer.byteLength(a.text),
        });
        continue;
      }
      await waitUntilAnswers(
        side.plain.url,
        {},
        workload.query,
        side.plain.started,
      );
      let plainContext: SignedCallContext = { principal: null, scope: null };
      if (workload.federation === 'hub') {
        const explained = await ask(side.governed.url, governedHeaders, {
          query: 'query($op: String!) { explain(operation: $op) { rowScope } }',
          variables: { op: workload.query },
        });
        const rowScope = (
          explained.data as { explain?: { rowScope?: unknown } } | undefined
        )?.explain?.rowScope;
        if (rowScope === undefined) {
          throw new Error(
            `cannot read the governed row scope of ${workload.name}: ${explained.text}`,
          );
        }
        plainContext = {
          principal: null,
          scope: (rowScope ?? null) as SignedCallContext['scope'],
        };
      }
      await setPlainContext(backend, plainContext);
      const governedAnswer = await ask(side.governed.url, governedHeaders, {
        query: workload.query,
      });
      const plainAnswer = await ask(
        side.plain.url,
        {},
        { query: workload.query },
      );
      if (
        governedAnswer.status !== 200 ||
        governedAnswer.errors !== undefined
      ) {
        throw new Error(
          `${workload.name}: the governed gateway answers ${governedAnswer.text.slice(0, 1000)}`,
        );
      }
      if (plainAnswer.status !== 200 || plainAnswer.errors !== undefined) {
        throw new Error(
          `${workload.name}: the plain gateway answers ${plainAnswer.text.slice(0, 1000)}`,
        );
      }
      const alike = workload.masked
        ? sameShape(plainAnswer.data, governedAnswer.data) &&
          !isDeepStrictEqual(plainAnswer.data, governedAnswer.data)
        : isDeepStrictEqual(plainAnswer.data, governedAnswer.data);
      if (!alike) {
        throw new Error(
          `${workload.name}: the two gateways answer differently${workload.masked ? ' (or nothing is masked)' : ''}:\n  plain:    ${plainAnswer.text.slice(0, 600)}\n  governed: ${governedAnswer.text.slice(0, 600)}`,
        );
      }
      const responseBytes = Buffer.byteLength(governedAnswer.text);
      log(
        `${workload.name}: both sides answer alike (${String(responseBytes)} bytes; plain row scope ${JSON.stringify(plainContext.scope)})`,
      );
      prepared.push({
        workload,
        headers: { governed: governedHeaders, plain: {} },
        plainContext,
        responseBytes,
      });
    }

    // Reads the governed gateways' /metrics (access-log batches).
    const operatorHeaders = await demoUserHeaders('hub-operator', tokenSecret, {
      ttlSeconds: 6 * 3600,
    });
    const driver = startLoadWorker();
    load = driver;
    const segment = async (
      p: (typeof prepared)[number],
      side: Side,
      seconds: number,
      measure: boolean,
    ): Promise<Segment | null> => {
      const target = at(p.workload.federation, side);
      if (side === 'plain') await setPlainContext(backend, p.plainContext);
      const pid = target.started.child.pid ?? 0;
      const backendPid = backend.child.pid ?? 0;
      const counts =
        measure && side !== 'plain'
          ? () => readAccessLogCounts(target.url, operatorHeaders)
          : () => Promise.resolve(null);
      const logBefore = await counts();
      const cpuBefore = measure
        ? await sampleCpu(admin, dbName, pid, backendPid)
        : null;
      const result = await driver.run({
        url: target.url,
        headers: { 'content-type': 'application/json', ...p.headers[side] },
        body: JSON.stringify({ query: p.workload.query }),
        concurrency: p.workload.concurrency,
        durationMs: seconds * 1000,
        expectErrors: false,
      });
      const cpuAfter = measure
        ? await sampleCpu(admin, dbName, pid, backendPid)
        : null;
      const logAfter = await counts();
      if (result.failures > 0) {
        throw new Error(
          `${p.workload.name} ${side}: ${String(result.failures)} of ${String(result.count)} requests failed; first: ${String(result.firstFailure)}`,
        );
      }
      if (cpuBefore === null || cpuAfter === null) return null;
      const measured = segmentOf(result, cpuBefore, cpuAfter);
      const accessLog = accessLogSegment(logBefore, logAfter, result.count);
      return accessLog === undefined ? measured : { ...measured, accessLog };
    };
    // The baseline side and the side measured against it.
    const [a, b] = sides;
    // JIT, plan caches and connections of both sides warm before round 1.
    for (const p of prepared) {
      await segment(p, a, 3, false);
      await segment(p, b, 3, false);
    }
    const rounds = new Map<
      string,
      ({ order: string } & Partial<Record<Side, Segment>>)[]
    >();
    const seg = (x: Partial<Record<Side, Segment>>, side: Side): Segment => {
      const found = x[side];
      if (found === undefined) throw new Error(`no ${side} segment`);
      return found;
    };
    for (let r = 0; r < options.rounds && !interrupted; r += 1) {
      for (const p of prepared) {
        if (interrupted) break;
        const order: Side[] = r % 2 === 0 ? [a, b] : [b, a];
        const measured: Partial<Record<Side, Segment>> = {};
        for (const side of order) {
          if (options.warmupSec > 0)
            await segment(p, side, options.warmupSec, false);
          measured[side] = (await segment(
            p,
            side,
            options.durationSec,
            true,
          )) as Segment;
        }
        const list = rounds.get(p.workload.name) ?? [];
        list.push({ order: order.join(' '), ...measured });
        rounds.set(p.workload.name, list);
        const [ma, mb] = [seg(measured, a), seg(measured, b)];
        log(
          `round ${String(r + 1)}/${String(options.rounds)} ${p.workload.name.padEnd(24)} ${a} ${String(ma.rps)} req/s, ${String(ma.cpuMsPerRequest)} ms CPU/req; ${b} ${String(mb.rps)} req/s, ${String(mb.cpuMsPerRequest)} ms CPU/req; ratio ${(mb.rps / ma.rps).toFixed(3)} (load ${loadavg()[0]?.toFixed(1) ?? '?'})`,
        );
        const cpuLine = (x: Segment): string =>
          CPU_GROUPS.map((g) => `${g} ${x.cpu[g].toFixed(3)}`).join(', ');
        for (const [side, x] of [
          [a, ma],
          [b, mb],
        ] as const) {
          const batches =
            x.accessLog === undefined
              ? ''
              : `; access log ${String(x.accessLog.batchesPerRequest)} batches/req, ${String(x.accessLog.recordsPerBatch)} records/batch, commit ${String(x.accessLog.commitMs)} ms`;
          log(`  CPU ms/req ${side}: ${cpuLine(x)}${batches}`);
        }
      }
    }
    if (interrupted) throw new Error('interrupted before the last round');
    if (sink !== null) {
      log(
        `OTLP sink: ${String(sink.exports)} exports, ${String(sink.bytes)} bytes from the traced gateways`,
      );
    }

    for (const p of prepared) {
      const list = rounds.get(p.workload.name) ?? [];
      const ratios = list.map((x) => seg(x, b).rps / seg(x, a).rps);
      const cpuRatios = list.map(
        (x) => seg(x, b).cpuMsPerRequest / seg(x, a).cpuMsPerRequest,
      );
      process.stdout.write(
        `${JSON.stringify({
          bench: 'gateway',
          compare: options.compare,
          workload: p.workload.name,
          user: p.workload.user,
          concurrency: p.workload.concurrency,
          responseBytes: p.responseBytes,
          durationSec: options.durationSec,
          rounds: list.map((x, i) => ({
            round: i + 1,
            order: x.order,
            [a]: seg(x, a),
            [b]: seg(x, b),
            ratio: round(ratios[i] ?? Number.NaN, 3),
          })),
          median: {
            [`${a}Rps`]: round(median(list.map((x) => seg(x, a).rps)), 1),
            [`${b}Rps`]: round(median(list.map((x) => seg(x, b).rps)), 1),
            ratio: round(median(ratios), 3),
            [`${a}CpuMsPerRequest`]: round(
              median(list.map((x) => seg(x, a).cpuMsPerRequest)),
              3,
            ),
            [`${b}CpuMsPerRequest`]: round(
              median(list.map((x) => seg(x, b).cpuMsPerRequest)),
              3,
            ),
            cpuRatio: round(median(cpuRatios), 3),
            // CPU ms per request of every process, median over the rounds.
            cpu: Object.fromEntries(
              [a, b].map((side) => [
                side,
                Object.fromEntries(
                  CPU_GROUPS.map((g) => [
                    g,
                    round(median(list.map((x) => seg(x, side).cpu[g])), 3),
                  ]),
                ),
              ]),
            ),
            totalCpuRatio: round(
              median(
                list.map((x) => seg(x, b).cpu.total / seg(x, a).cpu.total),
              ),
              3,
            ),
          },
          loadAverage: round(loadavg()[0] ?? Number.NaN, 2),
        })}\n`,
      );
    }
  } finally {
    await load?.close();
    await stopAll(started);
    await new Promise(
      (resolve) => sink?.server.close(resolve) ?? resolve(null),
    );
    if (created) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    }
    await admin.close();
    await rm(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Sets the call context of the plain subgraph instances, and waits for it. */
async function setPlainContext(
  backend: Started,
  context: SignedCallContext,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if ((message as { plainContextSet?: boolean }).plainContextSet) {
        backend.child.off('message', onMessage);
        resolve();
      }
    };
    backend.child.on('message', onMessage);
    backend.child.send({ plainContext: context }, (error) => {
      if (error) reject(error);
    });
  });
}

try {
  await main();
} catch (error) {
  log(
    `bench:gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = 1;
}
