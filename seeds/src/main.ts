// `npm run seed -- [--seed N] [--scale demo|city] [--reset]`: applies every
// department's migrations to the PostgreSQL at DATABASE_URL and seeds it.
// The only file of the seeds that touches `process`; the tests run it in
// their own process through runSeedCli.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { departmentSubgraphs } from '../../subgraphs/index.js';
import {
  DatabaseUnavailableError,
  type Database,
} from '../../subgraphs/kit/src/db/Database.js';
import {
  configuredEnv,
  EnvError,
  readEnv,
} from '../../subgraphs/kit/src/env.js';
import { openDatabase } from '../../subgraphs/kit/src/db/openDatabase.js';
import { parseCommandLine } from '../../subgraphs/kit/src/cli/commandLine.js';
import {
  isPolicySeeded,
  migratePolicyStore,
  writePolicyDocument,
} from '../../policies/store/src/policy/index.js';
import { migrateDepartments } from './migrateDepartments.js';
import { createProgress } from '../../subgraphs/kit/src/progress/progress.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/supergraphPath.js';
import { readSupergraphFile } from '../../subgraphs/kit/src/supergraphFile.js';
import { migrateCatalog } from '../../catalog/src/migrateCatalog.js';
import { demoFilings } from './catalog/demoFilings.js';
import { writeDemoFilings } from './catalog/writeDemoFilings.js';
import { writeDemoGovernance } from './policy/demoGovernance.js';
import { demoPolicy } from './policy/demoPolicy.js';
import { seedDatabase } from './seedDatabase.js';
import { SeedError } from './SeedError.js';
import { SCALES, type Scale } from './SeedOptions.js';
import { TABLE_ORDER } from './tables.js';

const USAGE = 'usage: npm run seed -- [--seed N] [--scale demo|city] [--reset]';

/** Where a run writes, and the environment it reads. */
export interface SeedCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Whether stdout is a terminal: a progress bar redrawn in place instead
   * of one line a table. @defaultValue false
   */
  terminal?: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

const PROCESS_IO: SeedCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: process.stdout.isTTY === true,
  // The environment over the configuration file (docs/configuration.md),
  // read when asked: a bad file is one error line of the run, not a crash
  // at import.
  get env() {
    return configuredEnv();
  },
};

/** Exit codes of the CLI. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface Args {
  seed: number;
  scale: Scale;
  reset: boolean;
}

/** The parsed arguments, or the one-line reason they are wrong. */
function parse(argv: readonly string[]): Args | string {
  let values: { seed?: string; scale?: string; reset?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seed: { type: 'string' },
        scale: { type: 'string' },
        reset: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return error instanceof Error
      ? (error.message.split('\n')[0] ?? '')
      : String(error);
  }
  const seedText = values.seed ?? '1';
  const seed = Number(seedText);
  if (
    !/^\d+$/.test(seedText) ||
    !Number.isSafeInteger(seed) ||
    seed > 0xffffffff
  ) {
    return `--seed must be an integer from 0 to 4294967295, got "${seedText}"`;
  }
  const scale = values.scale ?? 'demo';
  if (!(SCALES as readonly string[]).includes(scale)) {
    return `--scale must be one of ${SCALES.join(', ')}, got "${scale}"`;
  }
  return { seed, scale: scale as Scale, reset: values.reset ?? false };
}

async function main(argv: readonly string[], io: SeedCliIo): Promise<number> {
  const line = parseCommandLine({ command: 'seed', usage: USAGE }, argv);
  if (line.kind === 'help') {
    io.stdout(`${line.text}\n`);
    return EXIT.ok;
  }
  const args = parse(argv);
  if (typeof args === 'string') {
    io.stderr(`seed: ${args} (${USAGE})\n`);
    return EXIT.usage;
  }
  let url: string | undefined;
  try {
    url = readEnv(io.env).DATABASE_URL;
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    io.stderr(`seed: ${error.message}\n`);
    return EXIT.failed;
  }
  if (!url) {
    io.stderr(
      'seed: DATABASE_URL is not set; point it at the PostgreSQL to seed, e.g. postgres://postgres@127.0.0.1:5432/govgraph\n',
    );
    return EXIT.failed;
  }
  let db: Database;
  try {
    db = await openDatabase({ kind: 'pg', connectionString: url });
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    io.stderr(`seed: ${error.message}\n`);
    return EXIT.failed;
  }
  try {
    const started = performance.now();
    const applied = await migrateDepartments(db, departmentSubgraphs);
    if (applied.length > 0) {
      io.stdout(
        `applied ${applied.length} migrations: ${applied.join(', ')}\n`,
      );
    }
    io.stdout(
      `seeding ${args.scale} world with seed ${args.seed}${args.reset ? ' (reset)' : ''}…\n`,
    );
    // On a terminal a bar over the tables (the city scale takes a minute
    // or more); elsewhere one line a table.
    const bar = io.terminal
      ? createProgress({
          label: 'seeding',
          unit: 'tables',
          total: TABLE_ORDER.length,
          stream: {
            write: (text: string) => io.stdout(text),
            isTTY: true,
            columns: process.stdout.columns,
          },
          bar: true,
        })
      : null;
    let rowsSoFar = 0;
    const report = await seedDatabase(db, {
      ...args,
      onTable: ({ table, rows, done, tables }) => {
        rowsSoFar += rows;
        if (bar) {
          bar.update(done, `${table} (${String(rowsSoFar)} rows)`);
          return;
        }
        const at = ((performance.now() - started) / 1000).toFixed(1);
        io.stdout(
          `  [${String(done).padStart(2)}/${String(tables)}] ${table}: ${String(rows)} rows, ${at} s\n`,
        );
      },
    });
    bar?.finish();
    // The demo negative list, grants, roles and filings the gateway decides
    // from (the policy store's own migration first).
    await migratePolicyStore(db);
    if (args.reset || !(await isPolicySeeded(db))) {
      const supergraphSdl = await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH);
      const version = await writePolicyDocument(
        db,
        demoPolicy({ supergraphSdl }),
        { note: { actor: 'npm run seed', change: 'seed the demo policy' } },
      );
      await writeDemoGovernance(db);
      await migrateCatalog(db);
      const filings = await writeDemoFilings(db, demoFilings(supergraphSdl), {
        actor: 'npm run seed',
        change: 'seed the algorithm registry',
      });
      io.stdout(`  algorithm registry             ${filings} filings\n`);
      io.stdout(`  policy (demo negative list)  version ${version}\n`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const width = Math.max(...TABLE_ORDER.map((t) => t.length));
    let total = 0;
    for (const table of TABLE_ORDER) {
      const n = report.counts[table];
      total += n;
      io.stdout(`  ${table.padEnd(width)}  ${String(n).padStart(9)}\n`);
    }
    io.stdout(`seeded ${total} rows in ${seconds} s\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SeedError) {
      io.stderr(
        `seed: ${error.code === 'NOT_EMPTY' ? error.message.replace('seed with reset', 'run with --reset') : error.message}\n`,
      );
      return EXIT.failed;
    }
    throw error;
  } finally {
    await db.close();
  }
}

/**
 * Runs `npm run seed -- <argv>`, writing to `io` (the process's streams
 * and environment by default), and resolves with the exit code.
 */
export async function runSeedCli(
  argv: readonly string[],
  io: SeedCliIo = PROCESS_IO,
): Promise<number> {
  return main(argv, io).catch((error: unknown) => {
    io.stderr(
      `seed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failed;
  });
}

// Run as `npm run seed`, not when imported.
const script = process.argv[1];
if (
  script !== undefined &&
  pathToFileURL(realpathSync(script)).href === import.meta.url
) {
  process.exitCode = await runSeedCli(process.argv.slice(2));
}
