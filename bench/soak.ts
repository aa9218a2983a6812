// `npm run soak`: steady governed load on the production shape for minutes
// or hours, watching every process's memory. Outside CI: run it by hand.
//
// Starts the eight subgraphs, the gateway and the worker each as its own
// process (hub/componentProcesses.ts, as docs/operations.md runs them) on a
// scratch database it creates on the PostgreSQL server of DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres) and seeds with the
// demo city, the worker on REDIS_URL (default redis://127.0.0.1:6379) under
// a prefix of its own. Then, at a fixed concurrency, it sends a steady mix
// of governed reads across the departments and writes by several demo
// users, with tokens it mints with the token secret it gave the gateway.
// Every `--window-seconds` it prints the resident memory (VmRSS of the
// node process running each component's code, not of tsx's wrapper), the
// requests sent and answered, the errors by code and the latency
// percentiles; at the end, per process, RSS after warm-up against the end,
// the growth per minute after warm-up and whether that was flat.
//
// `--heavy` sends instead the heaviest operation the gateway's cost limit
// allows (100 enterprises of five departments, inner pages as large as fit
// under GATEWAY_MAX_COST) at more requests in flight than
// GATEWAY_MAX_CONCURRENT, and reports the gateway's peak RSS, the requests
// shed (503 SERVER_BUSY) and the answered ones.
//
// Every process it started is stopped at the end, on Ctrl-C and on errors;
// the scratch database is dropped and the Redis prefix cleared unless
// `--keep`.
//
//   npm run soak -- --minutes 30
//   npm run soak -- --seconds 60 --window-seconds 15 --heavy --gateway-max-concurrent 8
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { Supergraph } from '@apollo/federation-internals';
import { parse, type GraphQLSchema } from 'graphql';

import {
  DEFAULT_GATEWAY_LIMITS,
  DEFAULT_MAX_CONCURRENT,
} from '../gateway/src/createGateway.js';
import {
  clearWorkerQueues,
  demoUserHeaders,
  startProductionShape,
  type ProductionShape,
} from '../hub/componentProcesses.js';
import { exampleQueries } from '../hub/exampleQueries.js';
import { prepareHubDatabase } from '../hub/startHub.js';
import { operationCost } from '../policies/src/index.js';
import {
  createLogger,
  DEFAULT_SUPERGRAPH_PATH,
  MAX_PAGE_SIZE,
  openDatabase,
} from '../subgraphs/kit/src/index.js';
import {
  memoryVerdict,
  mib,
  summarizeLatencies,
  warmupEndMs,
  type MemoryVerdict,
  type RssSample,
} from './soakStats.js';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';
/** How often every process's RSS is read. */
const SAMPLE_MS = 1_000;
/** After a shed request, a heavy client waits this long before the next. */
const SHED_PAUSE_MS = 100;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The command line, checked. */
interface Options {
  durationMs: number;
  windowMs: number;
  warmupMs: number;
  concurrency: number;
  heavy: boolean;
  gatewayMaxConcurrent: number | undefined;
  flatMibPerMinute: number;
  keep: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      'window-seconds': { type: 'string', default: '30' },
      'warmup-seconds': { type: 'string' },
      concurrency: { type: 'string' },
      heavy: { type: 'boolean', default: false },
      'gateway-max-concurrent': { type: 'string' },
      'flat-mib-per-minute': { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) {
      throw new UsageError(`--${name} must be a positive number, not ${text}`);
    }
    return n;
  };
  const integer = (name: string, text: string): number => {
    const n = positive(name, text);
    if (!Number.isInteger(n)) {
      throw new UsageError(`--${name} must be a whole number, not ${text}`);
    }
    return n;
  };
  if (values.minutes !== undefined && values.seconds !== undefined) {
    throw new UsageError('give --minutes or --seconds, not both');
  }
  const durationMs =
    values.seconds !== undefined
      ? positive('seconds', values.seconds) * 1000
      : positive('minutes', values.minutes ?? '10') * 60_000;
  if (durationMs > 11 * 3_600_000) {
    throw new UsageError('a run is at most 11 hours (the tokens live 12)');
  }
  const windowMs = positive('window-seconds', values['window-seconds']) * 1000;
  if (windowMs > durationMs) {
    throw new UsageError('--window-seconds is longer than the run');
  }
  const warmupMs =
    values['warmup-seconds'] === undefined
      ? warmupEndMs(durationMs, windowMs)
      : positive('warmup-seconds', values['warmup-seconds']) * 1000;
  if (warmupMs >= durationMs) {
    throw new UsageError('the warm-up leaves nothing of the run to measure');
  }
  const gatewayMaxConcurrent =
    values['gateway-max-concurrent'] === undefined
      ? undefined
      : integer('gateway-max-concurrent', values['gateway-max-concurrent']);
  const limit = gatewayMaxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const concurrency =
    values.concurrency === undefined
      ? values.heavy
        ? 2 * limit
        : 8
      : integer('concurrency', values.concurrency);
  if (values.heavy && concurrency <= limit) {
    throw new UsageError(
      `--heavy needs more requests in flight than GATEWAY_MAX_CONCURRENT (${String(limit)}): --concurrency ${String(concurrency)}`,
    );
  }
  return {
    durationMs,
    windowMs,
    warmupMs,
    concurrency,
    heavy: values.heavy,
    gatewayMaxConcurrent,
    flatMibPerMinute: positive(
      'flat-mib-per-minute',
      values['flat-mib-per-minute'],
    ),
    keep: values.keep,
  };
}

class UsageError extends Error {}

// --- the load -------------------------------------------------------------

/** One GraphQL request of the mix. */
interface Request {
  name: string;
  user: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** One step of a client: requests sent one after the other. */
type Step = (ctx: { webhookUrl: string }) => Request[];

const README_EXAMPLE = exampleQueries[0]?.query ?? '';
const COMPLAINT_EXAMPLE = exampleQueries[1]?.query ?? '';

/**
 * The steady mix: governed reads across departments by six demo users (the
 * README's examples, the roles' own reads, a search) and writes (a webhook
 * registered and removed again, so that the data stays the same size).
 */
const MIX: readonly Step[] = [
  () => [
    { name: 'readme-example', user: 'env-analyst', query: README_EXAMPLE },
  ],
  () => [
    {
      name: 'night-market-complaint',
      user: 'enforcement-jiefangbei',
      query: COMPLAINT_EXAMPLE,
    },
  ],
  () => [
    {
      name: 'complainant-masked',
      user: 'enforcement-jiefangbei',
      query: `{ complaint(id: "C-20250915-JCK") { summary complainant { id name } } }`,
    },
  ],
  () => [
    {
      name: 'oil-slick-sources',
      user: 'env-analyst',
      query: `{ pollutionIncident(id: "INC-RUXI-OIL") {
        areaSquareMeters
        river { name hydrologicalStations { totalCount } drinkingWaterIntakes { nodes { populationServed } } }
        candidateSources(withinKm: 30, first: 25) { totalCount nodes { distanceKm source { kind enterprise { name industry } } } } } }`,
    },
  ],
  () => [
    {
      name: 'enterprises-licences',
      user: 'market-data-officer',
      query: `{ enterprises(regionCode: "500103", first: 30) { totalCount nodes {
        creditCode name industry status creditGrade licence { number validUntil } } } }`,
    },
  ],
  () => [
    {
      name: 'risk-items-search',
      user: 'emergency-duty',
      query: `query($text: String) { searchRiskItems(text: $text, first: 10) { totalCount hits { item { id name level } } } }`,
      variables: { text: '污水处理厂' },
    },
  ],
  () => [
    {
      name: 'crowd-area',
      user: 'police-crowd-yuzhong',
      query: `{ crowdArea(id: "CA-JIEFANGBEI") { name safeCapacity
        latestObservation { observedAt currentCount visitorsToday congestionPoints { name density level } } } }`,
    },
  ],
  () => [
    {
      name: 'qijiang-risk-items',
      user: 'water-duty-qijiang',
      query: `{ riskItems(regionCode: "500110", first: 30) { totalCount nodes { id name level category { name } } } }`,
    },
  ],
  ({ webhookUrl }) => [
    {
      name: 'register-webhook',
      user: 'water-duty-qijiang',
      query: `mutation($url: String!) { registerAlertWebhook(url: $url) { webhook { id } } }`,
      variables: { url: webhookUrl },
    },
  ],
];

/** The heaviest read: 100 enterprises of five departments. */
const HEAVY_QUERY = `query Heavy($inner: Int!) { enterprises(first: ${String(MAX_PAGE_SIZE)}) { totalCount nodes {
  creditCode name industry creditGrade region { fullName }
  licence { number validUntil }
  violations(first: $inner) { totalCount nodes { occurredOn category penalty } }
  inspections(first: $inner) { totalCount nodes { inspectedOn result } }
  pollutionSources(first: $inner) { totalCount nodes { name kind } }
  riskItems(first: $inner) { totalCount nodes { name level category { name } } }
} } }`;

/**
 * The largest inner page (1…MAX_PAGE_SIZE) for which {@link HEAVY_QUERY}
 * costs at most `maxCost` under the gateway's cost model, and that cost.
 */
function heavyInnerPage(
  schema: GraphQLSchema,
  maxCost: number,
): { inner: number; cost: number } {
  const document = parse(HEAVY_QUERY);
  let best: { inner: number; cost: number } | undefined;
  for (let inner = 1; inner <= MAX_PAGE_SIZE; inner += 1) {
    const cost = operationCost(schema, document, { variables: { inner } });
    if (cost > maxCost) break;
    best = { inner, cost };
  }
  if (best === undefined) {
    throw new Error(`the heavy query does not fit a cost of ${maxCost}`);
  }
  return best;
}

// --- what is counted ------------------------------------------------------

/** What one window saw. */
class Window {
  sent = 0;
  answered = 0;
  readonly errors = new Map<string, number>();
  readonly latencies: number[] = [];

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

/** The code an answer with errors is counted under. */
function codeOf(status: number, body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as { extensions?: { code?: unknown } };
    const code = first.extensions?.code;
    return typeof code === 'string' ? code : 'NO_CODE';
  }
  return `HTTP_${String(status)}`;
}

// --- memory ---------------------------------------------------------------

/** VmRSS and VmHWM of a process in bytes, undefined once it is gone. */
function readMemory(pid: number): { rss: number; hwm: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

interface Watched {
  name: string;
  /** The node process running the component's code. */
  pid: number;
  samples: RssSample[];
  /** VmHWM at the last reading: the highest RSS the kernel saw. */
  hwm: number;
}

// --- the run --------------------------------------------------------------

async function main(): Promise<void> {
  const options = readOptions();
  const serverUrl = process.env['DATABASE_URL'] ?? DEFAULT_SERVER;
  const redisUrl = process.env['REDIS_URL'] ?? DEFAULT_REDIS;
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`soak: ${signal}, stopping`);
    process.exitCode = 130;
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const dbName = `soak_${randomUUID().replaceAll('-', '')}`;
  const redisPrefix = `soak-${randomUUID().slice(0, 8)}`;
  const tokenSecret = randomBytes(32).toString('base64url');
  const admin = await openDatabase({ kind: 'pg', connectionString: serverUrl });
  let created = false;
  let shape: ProductionShape | undefined;
  // A webhook target of this process, allowed by the emergency subgraph.
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) =>
    receiver.listen(0, '127.0.0.1', resolve),
  );
  const address = receiver.address();
  const receiverPort =
    typeof address === 'object' && address ? address.port : 0;
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    created = true;
    const dbUrl = new URL(serverUrl);
    dbUrl.pathname = `/${dbName}`;
    log(
      `soak: database ${dbName} at ${dbUrl.host}, Redis prefix ${redisPrefix}`,
    );
    const db = await openDatabase({
      kind: 'pg',
      connectionString: dbUrl.toString(),
    });
    try {
      await prepareHubDatabase(
        { seed: { seed: 1, scale: 'demo' } },
        { db, logger: createLogger('soak', 'warn') },
      );
    } finally {
      await db.close();
    }
    if (stopping.signal.aborted) return;

    const gatewayEnv: Record<string, string> = {};
    if (options.gatewayMaxConcurrent !== undefined) {
      gatewayEnv['GATEWAY_MAX_CONCURRENT'] = String(
        options.gatewayMaxConcurrent,
      );
    }
    const maxCost = Number(
      process.env['GATEWAY_MAX_COST'] ?? DEFAULT_GATEWAY_LIMITS.maxCost,
    );
    log('soak: starting the subgraphs, the gateway and the worker');
    const startedAt = performance.now();
    shape = await startProductionShape({
      databaseUrl: dbUrl.toString(),
      redisUrl,
      redisPrefix,
      signingSecret: randomBytes(32).toString('base64url'),
      tokenSecret,
      maskSecret: randomBytes(32).toString('base64url'),
      env: { ALERT_WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiverPort}` },
      gatewayEnv,
      readyWithinMs: 90_000,
      signal: stopping.signal,
    });
    log(
      `soak: up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s, gateway ${shape.gatewayUrl}`,
    );
    await run(shape, options, {
      tokenSecret,
      maxCost,
      webhookUrl: `http://127.0.0.1:${receiverPort}/alerts`,
      signal: stopping.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (shape !== undefined) {
      log('soak: stopping every process');
      await shape.stop();
    }
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    if (options.keep) {
      log(`soak: kept database ${dbName} and Redis prefix ${redisPrefix}`);
    } else {
      if (created) {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      }
      await clearWorkerQueues(redisUrl, redisPrefix);
    }
    await admin.close();
  }
}

async function run(
  shape: ProductionShape,
  options: Options,
  context: {
    tokenSecret: string;
    maxCost: number;
    webhookUrl: string;
    signal: AbortSignal;
  },
): Promise<void> {
  const { signal } = context;
  const ttlSeconds = Math.ceil(options.durationMs / 1000) + 3600;
  const headers = new Map<string, Record<string, string>>();
  const users = options.heavy
    ? ['env-analyst']
    : [...new Set(MIX.flatMap((step) => step(context).map((r) => r.user)))];
  for (const user of users) {
    headers.set(
      user,
      await demoUserHeaders(user, context.tokenSecret, { ttlSeconds }),
    );
  }

  let heavy: Request | undefined;
  if (options.heavy) {
    const sdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
    const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    const { inner, cost } = heavyInnerPage(schema, context.maxCost);
    heavy = {
      name: 'heavy',
      user: 'env-analyst',
      query: HEAVY_QUERY,
      variables: { inner },
    };
    log(
      `soak: heavy: 100 enterprises with inner pages of ${String(inner)}, cost ${String(Math.round(cost))} of ${String(context.maxCost)}, ${String(options.concurrency)} in flight`,
    );
  }

  // Memory: the node process of each component.
  const watched: Watched[] = [];
  for (const p of shape.processes) {
    const pid = p.child.pid;
    if (pid === undefined) throw new Error(`${p.name} did not start`);
    watched.push({ name: p.name, pid, samples: [], hwm: 0 });
  }
  const t0 = performance.now();
  const sample = (): void => {
    const atMs = performance.now() - t0;
    for (const w of watched) {
      const m = readMemory(w.pid);
      if (m === undefined) continue;
      w.samples.push({ atMs, bytes: m.rss });
      w.hwm = Math.max(w.hwm, m.hwm);
    }
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);

  let window = new Window();
  let inFlight = 0;
  let peakInFlight = 0;
  const totals = { sent: 0, answered: 0, errors: new Map<string, number>() };
  const deadline = t0 + options.durationMs;
  const done = (): boolean => signal.aborted || performance.now() >= deadline;

  const send = async (request: Request): Promise<unknown> => {
    const w = window;
    w.sent += 1;
    totals.sent += 1;
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const started = performance.now();
    let code: string | undefined;
    let body: unknown = null;
    try {
      const res = await fetch(shape.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...headers.get(request.user),
        },
        body: JSON.stringify({
          query: request.query,
          variables: request.variables,
        }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
      });
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      const errors = (body as { errors?: unknown } | null)?.errors;
      if (res.status !== 200 || errors !== undefined) {
        code = codeOf(res.status, body);
      }
    } catch (error) {
      // Stopped by Ctrl-C: not the gateway's failure.
      if (signal.aborted) return undefined;
      code =
        error instanceof Error && error.name === 'TimeoutError'
          ? 'CLIENT_TIMEOUT'
          : 'NETWORK_ERROR';
    } finally {
      inFlight -= 1;
    }
    // Counted in the window the answer arrived in.
    if (code === undefined) {
      window.answered += 1;
      totals.answered += 1;
      window.latencies.push(performance.now() - started);
    } else {
      window.error(code);
      totals.errors.set(code, (totals.errors.get(code) ?? 0) + 1);
    }
    return code === undefined ? body : undefined;
  };

  const client = async (index: number): Promise<void> => {
    let next = index % MIX.length;
    while (!done()) {
      if (heavy !== undefined) {
        const answer = await send(heavy);
        if (answer === undefined && !done()) {
          await new Promise((r) => setTimeout(r, SHED_PAUSE_MS));
        }
        continue;
      }
      const step = MIX[next] as Step;
      next = (next + 1) % MIX.length;
      for (const request of step(context)) {
        const answer = (await send(request)) as
          | {
              data?: { registerAlertWebhook?: { webhook?: { id?: string } } };
            }
          | undefined;
        const id = answer?.data?.registerAlertWebhook?.webhook?.id;
        if (id !== undefined) {
          await send({
            name: 'remove-webhook',
            user: 'water-duty-qijiang',
            query: `mutation($id: ID!) { removeAlertWebhook(id: $id) }`,
            variables: { id },
          });
        }
      }
    }
  };

  out(
    `soak: ${options.heavy ? 'heavy' : 'steady mix'}, ${String(options.concurrency)} in flight, ${String(options.durationMs / 1000)} s in windows of ${String(options.windowMs / 1000)} s, warm-up ${String(options.warmupMs / 1000)} s`,
  );
  let windowIndex = 0;
  const report = (): void => {
    sample();
    const w = window;
    window = new Window();
    windowIndex += 1;
    const at = (performance.now() - t0) / 1000;
    const lat = summarizeLatencies(w.latencies);
    const errors =
      w.errors.size === 0
        ? 'none'
        : [...w.errors].map(([c, n]) => `${c} ${String(n)}`).join(', ');
    out(
      `window ${String(windowIndex)} (${at.toFixed(0)} s): sent ${String(w.sent)}, answered ${String(w.answered)}, errors ${errors}; latency p50 ${lat.p50.toFixed(0)} ms, p95 ${lat.p95.toFixed(0)} ms, max ${lat.max.toFixed(0)} ms`,
    );
    out(
      `  RSS MiB: ${watched
        .map((x) => `${x.name} ${mib(x.samples.at(-1)?.bytes ?? 0)}`)
        .join(', ')}`,
    );
  };
  const reporter = setInterval(report, options.windowMs);
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, (_, i) => client(i)),
    );
  } finally {
    clearInterval(reporter);
    clearInterval(sampler);
  }
  const lastWindowLength = (performance.now() - t0) % options.windowMs;
  if (window.sent > 0 || lastWindowLength > 1000) report();
  for (const s of shape.processes) {
    if (s.child.exitCode !== null) {
      throw new Error(`${s.name} exited during the run:\n${s.io.err()}`);
    }
  }
  summarize(watched, options, totals, peakInFlight);
}

function summarize(
  watched: readonly Watched[],
  options: Options,
  totals: { sent: number; answered: number; errors: Map<string, number> },
  peakInFlight: number,
): void {
  const threshold = options.flatMibPerMinute * 1024 * 1024;
  const verdicts = new Map<string, MemoryVerdict>();
  out('');
  out(
    `memory after the warm-up of ${String(options.warmupMs / 1000)} s (flat: under ${String(options.flatMibPerMinute)} MiB/min):`,
  );
  out(
    '  process          warm MiB   end MiB  peak MiB  growth MiB/min  verdict',
  );
  for (const w of watched) {
    const v = memoryVerdict(w.samples, options.warmupMs, threshold);
    if (v === undefined) {
      out(`  ${w.name.padEnd(15)} no reading after the warm-up (interrupted)`);
      continue;
    }
    verdicts.set(w.name, v);
    out(
      `  ${w.name.padEnd(15)} ${mib(v.warmBytes).padStart(9)} ${mib(v.endBytes).padStart(9)} ${mib(peakOf(w)).padStart(9)} ${(v.growthPerMinute / 1024 / 1024).toFixed(2).padStart(15)}  ${v.flat ? 'flat' : 'GROWING'}`,
    );
  }
  const growing = [...verdicts].filter(([, v]) => !v.flat).map(([n]) => n);
  const flat = verdicts.size === 0 ? null : growing.length === 0;
  if (verdicts.size === 0) {
    out('memory: no verdict, the run was interrupted before the warm-up ended');
  } else {
    const minutes = Math.min(
      ...[...verdicts.values()].map((v) => v.minutesMeasured),
    );
    out(
      `memory ${flat === true ? 'flat in every process' : `NOT flat: growing in ${growing.join(', ')}`} over ${minutes.toFixed(1)} min after warm-up${minutes < 5 ? ' (a short run: a slope over less than 5 minutes is mostly garbage-collection noise)' : ''}`,
    );
  }
  const errors = Object.fromEntries(totals.errors);
  out(
    `requests: sent ${String(totals.sent)}, answered ${String(totals.answered)}, errors ${JSON.stringify(errors)}`,
  );
  const gateway = watched.find((w) => w.name === 'gateway');
  if (options.heavy && gateway !== undefined) {
    out(
      `heavy: gateway peak RSS ${mib(peakOf(gateway))} MiB, ${String(totals.answered)} answered, ${String(totals.errors.get('SERVER_BUSY') ?? 0)} shed (503 SERVER_BUSY), at most ${String(peakInFlight)} in flight`,
    );
  }
  out(
    JSON.stringify({
      mode: options.heavy ? 'heavy' : 'steady',
      seconds: options.durationMs / 1000,
      concurrency: options.concurrency,
      sent: totals.sent,
      answered: totals.answered,
      errors,
      peakInFlight,
      flat,
      processes: Object.fromEntries(
        watched.map((w) => {
          const v = verdicts.get(w.name);
          return [
            w.name,
            {
              peakMiB: Number(mib(peakOf(w))),
              ...(v === undefined
                ? {}
                : {
                    warmMiB: Number(mib(v.warmBytes)),
                    endMiB: Number(mib(v.endBytes)),
                    growthMiBPerMinute: Number(
                      (v.growthPerMinute / 1024 / 1024).toFixed(3),
                    ),
                    flat: v.flat,
                  }),
            },
          ];
        }),
      ),
    }),
  );
}

/** The highest RSS of a process: the kernel's VmHWM or a reading. */
function peakOf(w: Watched): number {
  return Math.max(w.hwm, ...w.samples.map((s) => s.bytes));
}

try {
  await main();
} catch (error) {
  if (error instanceof UsageError) {
    log(`soak: ${error.message}`);
    process.exitCode = 2;
  } else {
    log(
      `soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}
