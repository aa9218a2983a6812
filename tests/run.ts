// Runs test files with Node's test runner, TypeScript loaded through tsx.
// Node 20 has no glob support for --test, so this finds the files itself.
//
//   tsx tests/run.ts [--layer unit|int|e2e|faults|int,e2e] [--concurrency N]
//                    [--limit <layer>=N …] [--isolation process|none] [paths…]
//
// --layer picks a layer's folders (see LAYERS), paths pick files and
// folders, neither runs every *.test.ts under tests/. Several layers
// (`--layer int,e2e`, what `npm test` runs) share one pool of workers, the
// files of each layer no more of them at once than its concurrency
// (`--limit e2e=3` to try another). With --isolation
// process each file runs in a process of its own (Node's --test),
// --concurrency of them at once; with none (what Node 22 calls
// --experimental-test-isolation=none, which Node 20 lacks) --concurrency
// worker processes (tests/inProcess.ts) share the files, each running one
// file after another in itself, so that a worker loads the modules the
// files share once. Both default to the layer's; for paths, to those of
// the layers the files belong to (the largest concurrency, isolation none
// unless a file's layer needs a process of its own). Files run slowest
// first (by the last run's times, else the layer's `slowFirst`), a layer's
// `startLast` files after its others. Each
// file's time goes to .test-results/<layer(s), or "only">.jsonl
// (tests/timingReporter.js), every file's tests to <…>.junit.xml (Node's
// `junit` reporter; tests/junitReport.ts joins the workers'), and the
// slowest files are printed at the end.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

import { mergeJunitReports } from './junitReport.js';

type Isolation = 'process' | 'none';

interface LayerConfig {
  roots: readonly string[];
  concurrency: number;
  isolation: Isolation;
  /**
   * Files (paths under tests/) started first when no earlier run's times
   * say which are slow (a fresh clone): the longest files started last
   * would leave the other workers idle at the end.
   */
  slowFirst?: readonly string[];
  /**
   * Files (paths under tests/) started after the layer's others, whatever
   * the last run's times: files that start processes of their own using a
   * core each, which take two to three times their time alone when the
   * first, busiest part of the run shares the cores with them.
   */
  startLast?: readonly string[];
}

/**
 * The layers of `npm test`, run in this order, each failing fast. Measured
 * on two cores (docs/testing.md): unit files load the same modules and
 * compute in memory, so one process for all saves a process start and a
 * module graph per file; integration files mostly wait on PostgreSQL,
 * Redis and HTTP, so four run at once; end-to-end files each start a hub
 * (CPU-bound) and some hold changes to a bound in time (a policy reaching a
 * second gateway within 2 s), so two run at once, one per core.
 */
const LAYERS: Readonly<Record<string, LayerConfig>> = {
  unit: { roots: ['tests/unit'], concurrency: 1, isolation: 'none' },
  int: {
    roots: ['tests/integration'],
    concurrency: 4,
    isolation: 'none',
    slowFirst: [
      'integration/governance/governanceApiPglite.int.test.ts',
      'integration/seeds/cli.int.test.ts',
      'integration/seeds/seedPglite.int.test.ts',
      'integration/accessLog/verifyMain.int.test.ts',
      'integration/governance/classificationProposals.int.test.ts',
      'integration/seeds/seed.int.test.ts',
      'integration/policyStore/policyStore.int.test.ts',
      'integration/emergency/emergencyEnv.int.test.ts',
      'integration/search/contract.int.test.ts',
      'integration/conformance/conformance.int.test.ts',
      'integration/subgraphs/enforcement.int.test.ts',
      'integration/governance/governanceApi.int.test.ts',
      'integration/accessLog/accessLog.int.test.ts',
      'integration/signing/mains.int.test.ts',
    ],
  },
  e2e: {
    roots: ['tests/e2e', 'tests/security', 'tests/property'],
    concurrency: 2,
    isolation: 'none',
    // The browser test first: the longest file of all (150 s in CI's run
    // of 2026-12-06, where, missing here, it started last and ran alone
    // at the end).
    slowFirst: [
      'e2e/console.e2e.test.ts',
      'property/governance.property.test.ts',
      'property/governanceSecondSeed.property.test.ts',
      'property/governanceThirdSeed.property.test.ts',
      'e2e/worker.e2e.test.ts',
      'e2e/accessLogShutdown.e2e.test.ts',
      'e2e/alerts.e2e.test.ts',
      'e2e/identity.e2e.test.ts',
      'e2e/mains.e2e.test.ts',
      'e2e/hotReload.e2e.test.ts',
      'e2e/hub.e2e.test.ts',
      'e2e/governanceAdmin.e2e.test.ts',
      'e2e/tokens.e2e.test.ts',
    ],
    startLast: ['e2e/cli.e2e.test.ts'],
  },
  // Faults injected into servers of the tests' own (a PostgreSQL cluster,
  // a redis-server) under load, with bounds in time: each file in a process
  // of its own, after everything else, so that the bounds measure the fault
  // and not a busy machine. The two files run side by side (32.8 s one
  // after the other, 24.5 s together, on 2026-12-06; the stall's slowest
  // answer 4,010 and 4,013 ms).
  faults: { roots: ['tests/faults'], concurrency: 2, isolation: 'process' },
};

/** Frame of a block of tests/framedSpecReporter.js's output (its BLOCK_START and BLOCK_END). */
const BLOCK_START = '\u001e';
const BLOCK_END = '\u001f';

/** Files slower than this are flagged in the summary. */
const SLOW_FILE_MS = 30_000;
/** How many of the slowest files the summary lists. */
const SLOWEST_SHOWN = 8;

/** One line of the timing report (tests/timingReporter.js). */
interface FileTiming {
  file: string;
  ms: number;
  ok: boolean;
  /** CPU of the worker while the file ran (`--isolation none` only). */
  cpuMs?: number;
  /** CPU of the processes the file started, once they ended. */
  childCpuMs?: number;
  /** When the file started and ended, ms since the epoch (workers only). */
  startedAt?: number;
  endedAt?: number;
}

const root = resolve(import.meta.dirname, '..');

function findTests(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) =>
      entry === 'node_modules' ? [] : findTests(join(path, entry)),
    );
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    layer: { type: 'string' },
    concurrency: { type: 'string' },
    isolation: { type: 'string' },
    limit: { type: 'string', multiple: true },
  },
});
const layerName = values.layer;
// Several layers (`--layer int,e2e`) share one pool of workers, each
// layer's files no more at once than its own concurrency.
const layerNames = layerName?.split(',') ?? [];
for (const name of layerNames) {
  if (LAYERS[name] === undefined) {
    fail(`unknown layer ${name}: one of ${Object.keys(LAYERS).join(', ')}`);
  }
}
const layers = layerNames.map((name) => LAYERS[name] as LayerConfig);
const roots =
  positionals.length > 0
    ? positionals
    : layers.length > 0
      ? layers.flatMap((l) => l.roots.map((r) => join(root, r)))
      : [join(root, 'tests')];
const files = roots.flatMap(findTests);
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}

/** The name of the layer a file belongs to, by its folder. */
function layerNameOf(file: string): string | undefined {
  const rel = relative(root, resolve(file)).split(sep).join('/');
  return Object.entries(LAYERS).find(([, l]) =>
    l.roots.some((r) => rel.startsWith(`${r}/`)),
  )?.[0];
}
const owners =
  layers.length > 0 ? layers : files.map((f) => LAYERS[layerNameOf(f) ?? '']);
const isolation =
  values.isolation ??
  (owners.every((l) => l?.isolation === 'none') ? 'none' : 'process');
if (isolation !== 'process' && isolation !== 'none') {
  fail('--isolation must be process or none');
}
if (isolation === 'process' && layers.length > 1) {
  fail('--isolation process runs one layer at a time');
}
const concurrency = Number(
  values.concurrency ?? Math.max(...owners.map((l) => l?.concurrency ?? 1)),
);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  fail('--concurrency must be a positive integer');
}

/**
 * Each layer's concurrency in a shared pool: its own, or what `--limit
 * <layer>=<n>` says (to try other limits without editing LAYERS).
 */
const layerLimits = new Map(
  layerNames.map((name) => [name, LAYERS[name]?.concurrency ?? 1] as const),
);
for (const entry of values.limit ?? []) {
  const [name = '', n = ''] = entry.split('=');
  const limit = Number(n);
  if (!layerLimits.has(name) || !Number.isInteger(limit) || limit < 1) {
    fail(`--limit ${entry}: <layer>=<n> for one of ${layerNames.join(', ')}`);
  }
  layerLimits.set(name, limit);
}

const reportDir = join(root, '.test-results');
mkdirSync(reportDir, { recursive: true });
const reportName = layerNames.join('+') || 'only';
const report = join(reportDir, `${reportName}.jsonl`);
/** The JUnit XML report of the run (Node's `junit` reporter, merged). */
const junitReport = join(reportDir, `${reportName}.junit.xml`);
/** Where a timing report's process writes its JUnit document. */
const junitOf = (timingReport: string): string =>
  timingReport.replace(/\.jsonl$/, '.junit.xml');

/** Every layer's `slowFirst` file; one that is gone stops the run. */
const hinted = Object.values(LAYERS).flatMap((l) =>
  (l.slowFirst ?? []).map((f) => join(root, 'tests', f)),
);
/** Every layer's `startLast` file, in its list's order. */
const late = Object.values(LAYERS).flatMap((l) =>
  (l.startLast ?? []).map((f) => join(root, 'tests', f)),
);
for (const [list, file] of [
  ...hinted.map((f) => ['slowFirst', f] as const),
  ...late.map((f) => ['startLast', f] as const),
]) {
  if (!existsSync(file)) {
    fail(
      `tests/run.ts: ${list} names ${relative(root, file)}, which does not exist`,
    );
  }
}

/**
 * The last run's time of each file, by absolute path: from this run's
 * report, else from the report of the file's own layer.
 */
function previousTimes(): Map<string, number> {
  const names = [...new Set(files.map(layerNameOf))].filter(
    (name) => name !== undefined && name !== reportName,
  );
  return new Map(
    [...names.map((name) => join(reportDir, `${name}.jsonl`)), report]
      .flatMap(readReport)
      .map((t) => [t.file, t.ms]),
  );
}

/**
 * The files, slowest first: by the last run's times where there are
 * some, else the layers' `slowFirst` lists, then the rest in path order.
 * In a shared pool, the files of the layer allowed the fewest at once come
 * first: that layer is the lane that decides when the run ends, and the
 * other layers' files fill the remaining workers meanwhile and after it.
 * (In a run of 2026-12-06 with the integration files first, no end-to-end
 * file started in the first 40 s, and for the last 55 s only end-to-end
 * files were left, two at a time, two workers idle.)
 */
function slowestFirst(list: readonly string[]): string[] {
  const times = previousTimes();
  const weight = (file: string): number => {
    const known = times.get(resolve(file));
    if (known !== undefined) return known;
    const hint = hinted.indexOf(resolve(file));
    return hint === -1 ? -1 : Number.MAX_SAFE_INTEGER - hint;
  };
  const lane = (file: string): number =>
    layers.length > 1
      ? (layerLimits.get(layerNameOf(file) ?? '') ?? Number.MAX_SAFE_INTEGER)
      : 0;
  const lateness = (file: string): number => late.indexOf(resolve(file));
  return [...list].sort(
    (a, b) =>
      lane(a) - lane(b) || lateness(a) - lateness(b) || weight(b) - weight(a),
  );
}

const ordered = slowestFirst(files);
const fileArgs = ordered.map((f) => relative(process.cwd(), f));
const reporterArgs = (destination: string): string[] => [
  `--test-reporter=${join(root, 'tests/timingReporter.js')}`,
  `--test-reporter-destination=${destination}`,
  '--test-reporter=junit',
  `--test-reporter-destination=${junitOf(destination)}`,
];
const started = performance.now();

/** Exit code of a child: its code, or 1 when a signal ended it. */
function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

let code: number;
let workerReports: string[] = [];
if (isolation === 'process') {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      ...reporterArgs(report),
      ...fileArgs,
    ],
    { stdio: 'inherit' },
  );
  code = await exitCode(child);
} else {
  // Workers share the list through a folder of claims (tests/inProcess.ts).
  const claims = mkdtempSync(join(tmpdir(), 'govgraph-tests-'));
  // With several layers, each keeps its own concurrency within the pool.
  const classArgs =
    layers.length > 1
      ? [
          '--classes',
          ordered.map((f) => layerNameOf(f) ?? '').join(','),
          '--limits',
          layerNames
            .map((name) => `${name}=${String(layerLimits.get(name))}`)
            .join(','),
        ]
      : [];
  const workers = Math.min(concurrency, fileArgs.length);
  workerReports = Array.from({ length: workers }, (_, i) =>
    join(reportDir, `${reportName}.${i}.jsonl`),
  );
  const codes = await Promise.all(
    workerReports.map((destination) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          `--test-reporter=${join(root, 'tests/framedSpecReporter.js')}`,
          '--test-reporter-destination=stdout',
          ...reporterArgs(destination),
          join(root, 'tests/inProcess.ts'),
          '--cpu',
          `${destination}.cpu`,
          ...(workers > 1 ? ['--claims', claims, ...classArgs] : []),
          ...fileArgs,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      assert.ok(child.stdout);
      printBlocks(child.stdout);
      return exitCode(child);
    }),
  );
  rmSync(claims, { recursive: true, force: true });
  code = Math.max(...codes);
  // One report for the layer, as with --isolation process, each file's
  // line with the CPU its worker measured.
  const cpu = new Map(
    workerReports
      .flatMap((r) => readReport(`${r}.cpu`))
      .map((t) => [t.file, t] as const),
  );
  writeFileSync(
    report,
    workerReports
      .flatMap((r) => readReport(r))
      .map((t) => {
        const used = cpu.get(t.file);
        return `${JSON.stringify(
          used
            ? {
                ...t,
                cpuMs: used.cpuMs,
                childCpuMs: used.childCpuMs,
                startedAt: used.startedAt,
                endedAt: used.endedAt,
              }
            : t,
        )}\n`;
      })
      .join(''),
  );
  // One JUnit document for the layer too, each file a <testsuite>.
  writeFileSync(
    junitReport,
    mergeJunitReports(workerReports.map((r) => readText(junitOf(r)) ?? '')),
  );
  for (const r of workerReports) {
    rmSync(r, { force: true });
    rmSync(`${r}.cpu`, { force: true });
    rmSync(junitOf(r), { force: true });
  }
}
await summarize((performance.now() - started) / 1000);
process.exit(code);

/**
 * Copies a worker's output to ours: the framed blocks of
 * tests/framedSpecReporter.js (a file's results, the summary) whole, and
 * whatever the tests print themselves line by line, so that several
 * workers' output does not interleave within a file or a line.
 */
function printBlocks(stream: Readable): void {
  let pending = '';
  let inBlock = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    for (;;) {
      if (inBlock) {
        const end = pending.indexOf(BLOCK_END);
        if (end === -1) return;
        process.stdout.write(pending.slice(0, end));
        pending = pending.slice(end + 1);
        inBlock = false;
        continue;
      }
      const start = pending.indexOf(BLOCK_START);
      const text = start === -1 ? pending : pending.slice(0, start);
      const cut = start === -1 ? text.lastIndexOf('\n') + 1 : text.length;
      if (cut > 0) process.stdout.write(text.slice(0, cut));
      pending = pending.slice(cut);
      if (start === -1) return;
      pending = pending.slice(1);
      inBlock = true;
    }
  });
  stream.on('end', () => {
    if (pending !== '') process.stdout.write(pending);
  });
}

/** A file's text, or undefined when it is not there (yet). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readReport(path: string): FileTiming[] {
  try {
    return (readText(path) ?? '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as FileTiming);
  } catch {
    return [];
  }
}

async function summarize(seconds: number): Promise<void> {
  // The report's last lines may reach the file a moment after the run ends.
  let timings = readReport(report);
  for (let wait = 0; timings.length < files.length && wait < 20; wait += 1) {
    await new Promise((r) => setTimeout(r, 100));
    timings = readReport(report);
  }
  timings.sort((a, b) => b.ms - a.ms);
  const how =
    isolation === 'none'
      ? `in ${workerReports.length === 1 ? 'one process' : `${workerReports.length} worker processes`}`
      : `at concurrency ${concurrency}`;
  const failed = timings.filter((t) => !t.ok).length;
  const cpuOf = (t: FileTiming): number | undefined =>
    t.cpuMs === undefined ? undefined : t.cpuMs + (t.childCpuMs ?? 0);
  const measured = timings.filter((t) => cpuOf(t) !== undefined);
  const totalCpu = measured.reduce((sum, t) => sum + (cpuOf(t) ?? 0), 0);
  const cpuNote =
    measured.length > 0
      ? `, ${(totalCpu / 1000).toFixed(1)} s of CPU in the test processes and their children`
      : '';
  const lines = [
    '',
    `${layerNames.join('+') || 'tests'}: ${files.length} files in ${seconds.toFixed(1)} s ${how}${cpuNote}${failed > 0 ? `, ${failed} failed` : ''}; slowest (all in ${relative(process.cwd(), report)}, JUnit XML in ${relative(process.cwd(), junitReport)}):`,
    ...timings.slice(0, SLOWEST_SHOWN).map((t) => {
      const used = cpuOf(t);
      const cpuText =
        used === undefined ? '' : `  (CPU ${(used / 1000).toFixed(1)} s)`;
      return `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${relative(root, t.file)}${cpuText}${t.ms > SLOW_FILE_MS ? '  (over 30 s)' : ''}${t.ok ? '' : '  (failed)'}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
