// `npm run bench:audit`: how many access-log records per second the log
// takes with 1, 2 and 4 writer processes. For each writer count, on a
// scratch database of the PostgreSQL server in DATABASE_URL (default the
// local server; dropped at the end), it starts that many processes, each
// with an access log of its own (its own chain, checkpoints on a timer as a
// gateway runs them), and lets each append records shaped like the
// gateway's (a read of two or three departments, withheld and masked
// fields, operation texts from a set of 40) as fast as the log takes them,
// keeping `--in-flight` appends outstanding, for `--seconds`. Then every
// process closes its log, and the bench checks that nothing was lost: rows
// in the table = appends that resolved, none rejected, and
// `verifyAccessLog` finds every chain and checkpoint intact.
//
// One JSON line per writer count: writers, records/s (records committed
// within the timed window / its length), the writer processes' CPU per
// record (PostgreSQL's is not in it), the load average, p50 and p99 commit
// wait (append to resolve, in ms, over every record of the window), and the
// checks.
//
//   npm run bench:audit -- --seconds 10 --writers 1,2,4
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { pino } from 'pino';

import {
  countAccessLogRecords,
  createAccessLog,
  migrateAccessLog,
  verifyAccessLog,
  type AccessLogInput,
} from '../policies/store/src/audit/index.js';
import { openDatabase } from '../subgraphs/kit/src/index.js';

const DEPARTMENTS = ['market', 'environment', 'publicsecurity', 'water'];
const FIELDS = [
  'Enterprise.name',
  'Enterprise.creditCode',
  'Enterprise.address',
  'Station.code',
  'Station.readings',
  'Person.name',
  'Person.mobile',
  'Complaint.status',
];

/** The i-th of 40 operation texts, 300–700 characters like the demo's. */
function operationText(i: number): string {
  const fields = FIELDS.slice(0, 3 + (i % 5))
    .map((f) => f.split('.')[1] ?? f)
    .join(' ');
  return `query Q${String(i)}($region: String!, $first: Int = 20) {\n  enterprises(region: $region, first: $first) {\n    edges { node { id ${fields}\n      stations { code readings(last: 24) { at value unit } }\n      complaints(status: OPEN) { id status receivedAt handler { name mobile } }\n    } }\n    pageInfo { endCursor hasNextPage }\n  }\n}`.repeat(
    1 + (i % 2),
  );
}

const TEXTS = Array.from({ length: 40 }, (_, i) => operationText(i));

/** A record like the gateway's, numbered `n` of writer `w`. */
function record(w: number, n: number): AccessLogInput {
  const op = n % TEXTS.length;
  const consumer = DEPARTMENTS[n % DEPARTMENTS.length] ?? 'market';
  const owners = DEPARTMENTS.filter((d) => d !== consumer).slice(
    0,
    2 + (n % 2),
  );
  return {
    subject: `officer-${String(w)}-${String(n % 500)}`,
    department: consumer,
    roles: ['inspector', 'viewer'],
    purpose: n % 3 === 0 ? 'inspection' : 'case-handling',
    operationHash: `h${String(op).padStart(63, '0')}`,
    operationText: TEXTS[op] ?? '',
    operationName: `Q${String(op)}`,
    read: Object.fromEntries(
      owners.map((d, i) => [d, FIELDS.slice(i, i + 3 + (n % 3))]),
    ),
    withheld:
      n % 4 === 0
        ? [
            {
              coordinate: 'Person.mobile',
              path: ['enterprises', 'edges', n % 20, 'node', 'mobile'],
              code: 'FORBIDDEN_BY_NEGATIVE_LIST',
              rule: 'negative-list:NL-PS-001@3',
            },
          ]
        : [],
    masked:
      n % 2 === 0
        ? [
            {
              coordinate: 'Person.name',
              rule: 'grant:G-2025-001',
              mask: 'NAME',
            },
          ]
        : [],
    outcome: n % 4 === 0 ? 'PARTIAL' : 'OK',
    latencyMs: 5 + (n % 40),
  };
}

interface ChildResult {
  /** CPU time of the writer process during the window, microseconds. */
  cpuUs: number;
  appended: number;
  ok: number;
  rejected: number;
  inWindow: number;
  /** Commit waits of the records of the window, in microseconds. */
  waits: number[];
}

const options = parseArgs({
  options: {
    child: { type: 'string' },
    url: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    writers: { type: 'string', default: '1,2,4' },
    'batch-size': { type: 'string', default: '1000' },
    'flush-ms': { type: 'string', default: '2' },
    'in-flight': { type: 'string', default: '2000' },
    'checkpoint-ms': { type: 'string', default: '1000' },
  },
}).values;

function int(name: keyof typeof options): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:audit: --${name} must be a positive integer\n`);
    process.exit(2);
  }
  return value;
}

/** A writer process: appends until the window ends, then drains. */
async function child(writer: number, url: string): Promise<void> {
  const seconds = int('seconds');
  const inFlight = int('in-flight');
  const db = await openDatabase({
    kind: 'pg',
    connectionString: url,
  });
  const log = createAccessLog(
    {
      db,
      batchSize: int('batch-size'),
      flushIntervalMs: int('flush-ms'),
      maxPending: inFlight + 1,
      writerId: `bench-writer-${String(writer)}`,
      checkpointIntervalMs: int('checkpoint-ms'),
    },
    { logger: pino({ level: 'warn' }, process.stderr) },
  );
  // Ready; wait for the parent's go.
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const input = createInterface({ input: process.stdin });
    input.once('line', () => {
      input.close();
      process.stdin.destroy();
      resolve();
    });
  });
  const start = performance.now();
  const end = start + seconds * 1000;
  const cpuAtStart = process.cpuUsage();
  const result: ChildResult = {
    cpuUs: 0,
    appended: 0,
    ok: 0,
    rejected: 0,
    inWindow: 0,
    waits: [],
  };
  // The records are made beforehand (the gateway has them at hand): the
  // writer's CPU is the log's, not the making of records.
  const records = Array.from({ length: 400 }, (_, i) => record(writer, i));
  let n = 0;
  let outstanding = 0;
  let wake: (() => void) | null = null;
  while (performance.now() < end) {
    while (outstanding < inFlight) {
      const sent = performance.now();
      n += 1;
      outstanding += 1;
      result.appended += 1;
      log.append(records[n % records.length] ?? record(writer, n)).then(
        () => {
          const done = performance.now();
          result.ok += 1;
          if (done <= end) {
            result.inWindow += 1;
            result.waits.push(Math.round((done - sent) * 1000));
          }
          outstanding -= 1;
          wake?.();
        },
        () => {
          result.rejected += 1;
          outstanding -= 1;
          wake?.();
        },
      );
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 50);
    });
    wake = null;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  result.cpuUs = cpu.user + cpu.system;
  await log.close();
  await db.close();
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? 0;
}

/** One measurement: `writers` processes on a fresh database. */
async function run(writers: number, serverUrl: string): Promise<void> {
  const name = `bench_audit_${randomUUID().replaceAll('-', '')}`;
  const admin = await openDatabase({ kind: 'pg', connectionString: serverUrl });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({
    kind: 'pg',
    connectionString: url.toString(),
  });
  try {
    await migrateAccessLog(db);
    const children = Array.from({ length: writers }, (_, w) => {
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          new URL(import.meta.url).pathname,
          ...(
            [
              'seconds',
              'batch-size',
              'flush-ms',
              'in-flight',
              'checkpoint-ms',
            ] as const
          ).flatMap((o) => [`--${o}`, String(int(o))]),
          '--child',
          String(w + 1),
          '--url',
          url.toString(),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: proc.stdout });
      const ready = new Promise<void>((resolve) => {
        lines.once('line', () => {
          resolve();
        });
      });
      const result = new Promise<ChildResult>((resolve, reject) => {
        let last = '';
        lines.on('line', (line) => (last = line));
        proc.on('close', (code) => {
          if (code === 0) resolve(JSON.parse(last) as ChildResult);
          else
            reject(new Error(`writer ${String(w + 1)} exited ${String(code)}`));
        });
      });
      return { proc, ready, result };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.proc.stdin.write('go\n');
    const results = await Promise.all(children.map((c) => c.result));
    const seconds = int('seconds');
    const waits = results.flatMap((r) => r.waits).sort((a, b) => a - b);
    const ok = results.reduce((s, r) => s + r.ok, 0);
    const rejected = results.reduce((s, r) => s + r.rejected, 0);
    const inWindow = results.reduce((s, r) => s + r.inWindow, 0);
    const rows = await countAccessLogRecords(db);
    const verification = await verifyAccessLog(db, { pageSize: 5000 });
    process.stdout.write(
      `${JSON.stringify({
        writers,
        seconds,
        batchSize: int('batch-size'),
        recordsPerSecond: Math.round(inWindow / seconds),
        // CPU of the writer processes (record making, hashing, the driver)
        // per record committed in the window; PostgreSQL's is not in it.
        writerCpuUsPerRecord: Math.round(
          results.reduce((s, r) => s + r.cpuUs, 0) / Math.max(1, inWindow),
        ),
        load1: Number(loadavg()[0]?.toFixed(1)),
        p50CommitWaitMs: percentile(waits, 0.5) / 1000,
        p99CommitWaitMs: percentile(waits, 0.99) / 1000,
        records: rows,
        appendsResolved: ok,
        appendsRejected: rejected,
        lost: ok - rows,
        verified: verification.ok,
        chains: verification.chains.length,
        checkpoints: verification.checkpoints.count,
      })}\n`,
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

if (options.child !== undefined) {
  await child(Number(options.child), options.url ?? '');
} else {
  const serverUrl =
    process.env['DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const counts = (options.writers ?? '')
    .split(',')
    .map((w) => Number(w.trim()));
  if (counts.some((w) => !Number.isInteger(w) || w < 1)) {
    process.stderr.write('bench:audit: --writers takes counts like 1,2,4\n');
    process.exit(2);
  }
  for (const writers of counts) await run(writers, serverUrl);
}
