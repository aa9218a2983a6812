// `npm run fuzz:governance -- --runs N --seed S`: the governance property
// of tests/property/governance.property.test.ts, run long. It starts its
// own seeded hub (local PostgreSQL, like the tests), prints progress, and
// on failure the shrunk counterexample and the command that replays it.
import { parseArgs } from 'node:util';

import { checkAdministration } from './governanceProperty.js';
import { startPropertyWorld } from './propertyWorld.js';

const USAGE = `Usage: npm run fuzz:governance -- [options]

Checks the governance guarantee by property against a seeded hub of its
own (the real gateway and subgraphs over a fresh PostgreSQL database at
TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

Options:
  --runs N          cases to run (default 1000)
  --seed S          fast-check seed, a 32-bit integer (default: random, printed)
  --path P          replay path of a failure (with its --seed), e.g. 12:3:0
  --end-on-failure  stop at the first failure without shrinking it
  --help            print this help
`;

/** Parsed command line. */
interface FuzzOptions {
  runs: number;
  seed: number;
  path: string | undefined;
  endOnFailure: boolean;
}

class UsageError extends Error {}

function integer(text: string, flag: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text)) {
    throw new UsageError(`${flag} takes an integer, not "${text}"`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${flag} must be between ${String(min)} and ${String(max)}, not ${text}`,
    );
  }
  return value;
}

function parse(argv: string[]): FuzzOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        path: { type: 'string' },
        'end-on-failure': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message : String(error),
    );
  }
  const { values } = parsed;
  if (values.help === true) return 'help';
  const path = values.path;
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) {
    throw new UsageError(
      `--path takes a replay path such as 12:3:0, not "${path}"`,
    );
  }
  if (path !== undefined && values.seed === undefined) {
    throw new UsageError(
      '--path replays a failure of one seed: give its --seed too',
    );
  }
  return {
    runs:
      values.runs === undefined
        ? 1_000
        : integer(values.runs, '--runs', 1, 100_000_000),
    seed:
      values.seed === undefined
        ? Math.floor(Math.random() * 2 ** 31)
        : integer(values.seed, '--seed', -(2 ** 31), 2 ** 31 - 1),
    path,
    endOnFailure: values['end-on-failure'] === true,
  };
}

async function main(): Promise<number> {
  let options: FuzzOptions | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`fuzz:governance: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(
    `governance property: seed ${String(options.seed)}, ${String(options.runs)} cases${options.path === undefined ? '' : `, replaying path ${options.path}`}`,
  );
  const world = await startPropertyWorld({ log: out });
  // Interrupted (Ctrl-C, a timeout): drop the test database before leaving.
  const stop = (signal: NodeJS.Signals): void => {
    out(`${signal}: stopping`);
    void Promise.resolve(world[Symbol.asyncDispose]()).finally(() =>
      process.exit(130),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (world.oracleGaps.length > 0) {
      out(
        `The oracle falls behind the policy:\n${world.oracleGaps.join('\n')}`,
      );
      return 1;
    }
    const started = performance.now();
    let lastReport = started;
    let shrinking = false;
    let passed = 0;
    const details = await checkAdministration(world, {
      seed: options.seed,
      numRuns: options.runs,
      ...(options.path === undefined ? {} : { path: options.path }),
      endOnFailure: options.endOnFailure,
      onRun(run, failed) {
        if (failed && !shrinking) {
          shrinking = true;
          out(`case ${String(run)} failed; shrinking it…`);
        }
        if (!shrinking) passed = run;
        const now = performance.now();
        if (now - lastReport >= 10_000) {
          lastReport = now;
          const seconds = (now - started) / 1_000;
          out(
            shrinking
              ? `  ${String(run)} runs (shrinking), ${seconds.toFixed(0)} s`
              : `  ${String(run)} cases, ${(run / seconds).toFixed(1)} cases/s, ${seconds.toFixed(0)} s`,
          );
        }
      },
    });
    const seconds = (performance.now() - started) / 1_000;
    if (!details.failed) {
      out(
        `OK: ${String(details.numRuns)} cases passed in ${seconds.toFixed(0)} s (${(details.numRuns / seconds).toFixed(1)} cases/s), seed ${String(options.seed)}`,
      );
      return 0;
    }
    out('');
    out(
      `FAILED after ${String(passed + 1)} case(s) (${String(details.numShrinks)} shrinks, ${seconds.toFixed(0)} s), seed ${String(details.seed)}:`,
    );
    const error = details.errorInstance;
    out(error instanceof Error ? error.message : String(error));
    out('');
    out(
      `Replay: npm run fuzz:governance -- --seed ${String(details.seed)} --path ${details.counterexamplePath ?? ''}`,
    );
    return 1;
  } finally {
    await world[Symbol.asyncDispose]();
  }
}

process.exitCode = await main();
