// Runs test files with Node's test runner, TypeScript loaded through tsx.
// Node 20 has no glob support for --test, so this finds the files itself.
//
//   tsx tests/run.ts [--layer unit|int|e2e|faults] [--concurrency N]
//                    [--isolation process|none] [paths…]
//
// --layer picks a layer's folders (see LAYERS), paths pick files and
// folders, neither runs every *.test.ts under tests/. With --isolation
// process each file runs in a process of its own, --concurrency of them at
// once; with none (what Node 22 calls --experimental-test-isolation=none,
// which Node 20 lacks) every file is loaded into one process
// (tests/inProcess.ts) and --concurrency does not apply. Both default to
// the layer's; for paths, to those of the layers the files belong to (the
// largest concurrency, isolation none only when all are unit tests). Each
// file's time goes to .test-results/<layer, or "only">.jsonl
// (tests/timingReporter.js) and the slowest files are printed at the end.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

type Isolation = 'process' | 'none';

interface LayerConfig {
  roots: readonly string[];
  concurrency: number;
  isolation: Isolation;
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
  int: { roots: ['tests/integration'], concurrency: 4, isolation: 'process' },
  e2e: {
    roots: ['tests/e2e', 'tests/security', 'tests/property'],
    concurrency: 2,
    isolation: 'process',
  },
  // Faults injected into servers of the tests' own (a PostgreSQL cluster,
  // a redis-server) under load, with bounds in time: one file at a time,
  // so that the bounds measure the fault and not the neighbours.
  faults: { roots: ['tests/faults'], concurrency: 1, isolation: 'process' },
};

/** Files slower than this are flagged in the summary. */
const SLOW_FILE_MS = 30_000;
/** How many of the slowest files the summary lists. */
const SLOWEST_SHOWN = 8;

/** One line of the timing report (tests/timingReporter.js). */
interface FileTiming {
  file: string;
  ms: number;
  ok: boolean;
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
  },
});
const layerName = values.layer;
const layer = layerName === undefined ? undefined : LAYERS[layerName];
if (layerName !== undefined && layer === undefined) {
  fail(`unknown layer ${layerName}: one of ${Object.keys(LAYERS).join(', ')}`);
}
const roots =
  positionals.length > 0
    ? positionals
    : (layer?.roots.map((r) => join(root, r)) ?? [join(root, 'tests')]);
const files = roots.flatMap(findTests);
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}

/** The layer a file belongs to, by its folder. */
function layerOf(file: string): LayerConfig | undefined {
  const rel = relative(root, resolve(file)).split(sep).join('/');
  return Object.values(LAYERS).find((l) =>
    l.roots.some((r) => rel.startsWith(`${r}/`)),
  );
}
const owners = layer ? [layer] : files.map(layerOf);
const isolation =
  values.isolation ??
  (owners.every((l) => l?.isolation === 'none') ? 'none' : 'process');
if (isolation !== 'process' && isolation !== 'none') {
  fail('--isolation must be process or none');
}
const concurrency = Number(
  values.concurrency ?? Math.max(...owners.map((l) => l?.concurrency ?? 1)),
);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  fail('--concurrency must be a positive integer');
}

const reportDir = join(root, '.test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, `${layerName ?? 'only'}.jsonl`);
const fileArgs = files.map((f) => relative(process.cwd(), f));
const started = performance.now();
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    ...(isolation === 'process'
      ? ['--test', `--test-concurrency=${concurrency}`]
      : []),
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'tests/timingReporter.js')}`,
    `--test-reporter-destination=${report}`,
    ...(isolation === 'none'
      ? [join(root, 'tests/inProcess.ts'), ...fileArgs]
      : fileArgs),
  ],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  void summarize((performance.now() - started) / 1000).finally(() =>
    process.exit(code ?? (signal ? 1 : 0)),
  );
});

function readReport(): FileTiming[] {
  try {
    return readFileSync(report, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as FileTiming);
  } catch {
    return [];
  }
}

async function summarize(seconds: number): Promise<void> {
  // The report's last lines may reach the file a moment after the run ends.
  let timings = readReport();
  for (let wait = 0; timings.length < files.length && wait < 20; wait += 1) {
    await new Promise((r) => setTimeout(r, 100));
    timings = readReport();
  }
  timings.sort((a, b) => b.ms - a.ms);
  const how =
    isolation === 'none' ? 'in one process' : `at concurrency ${concurrency}`;
  const lines = [
    '',
    `${layerName ?? 'tests'}: ${files.length} files in ${seconds.toFixed(1)} s ${how}; slowest (all in ${relative(process.cwd(), report)}):`,
    ...timings
      .slice(0, SLOWEST_SHOWN)
      .map(
        (t) =>
          `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${relative(root, t.file)}${t.ms > SLOW_FILE_MS ? '  (over 30 s)' : ''}${t.ok ? '' : '  (failed)'}`,
      ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
