import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runSeedCli } from '../../../seeds/src/main.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { LAUNCHER } from '../../utils/processes.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = 'seeds/src/main.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a run: without DATABASE_URL unless given. */
function envWith(databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DATABASE_URL'];
  if (databaseUrl) env['DATABASE_URL'] = databaseUrl;
  return env;
}

/**
 * Runs the seed CLI with `args` in this process (runSeedCli, what the
 * script runs) and an environment without DATABASE_URL unless given.
 */
async function runCli(
  args: string[],
  databaseUrl?: string,
  terminal = false,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runSeedCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    terminal,
    env: envWith(databaseUrl),
  });
  return { code, stdout, stderr };
}

/** Runs the seed CLI as `npm run seed` does: its own process. */
function runProcess(args: string[], databaseUrl?: string): Promise<Run> {
  const env = envWith(databaseUrl);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LAUNCHER, MAIN, ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error
          ? typeof error.code === 'number'
            ? error.code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run seed', () => {
  let tdb: TestDatabase;

  before(async () => {
    tdb = await createTestDatabase();
  });
  after(async () => {
    await tdb.drop();
  });

  it('exits 2 with one line on bad arguments', async () => {
    for (const args of [
      ['--scale', 'huge'],
      ['--seed', 'x'],
      ['--bogus'],
      ['positional'],
    ]) {
      // One of them as the script's own process, its exit code the process's.
      const run =
        args[0] === '--bogus' ? await runProcess(args) : await runCli(args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /usage: npm run seed/);
    }
  });

  it('exits 1 with one line when DATABASE_URL is missing', async () => {
    const run = await runProcess([]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /DATABASE_URL is not set/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('exits 1 with one line when the database cannot be reached', async () => {
    const run = await runCli([], 'postgres://postgres@127.0.0.1:1/none');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot connect to PostgreSQL/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('migrates and seeds, then refuses a second run unless --reset', async () => {
    const first = await runCli(['--seed', '5'], tdb.url);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /emergency\.risk_items\s+6000/);
    // Progress: a line a table as it is written.
    assert.match(
      first.stdout,
      /\[\s*\d+\/\d+\] emergency\.risk_items: 6000 rows, [\d.]+ s/,
    );
    assert.match(first.stdout, /seeded \d+ rows in [\d.]+ s/);
    assert.match(
      first.stdout,
      /policy \(demo negative list\)\s+version [0-9a-f]{16}/,
    );

    const second = await runCli(['--seed', '5'], tdb.url);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already holds data.*--reset/);

    // On a terminal: a bar over the tables instead of a line each.
    const reset = await runCli(['--seed', '6', '--reset'], tdb.url, true);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /seeding \[[█░=-]+\] \d+\/\d+ tables/);
    assert.doesNotMatch(reset.stdout, /\[\s*\d+\/\d+\] emergency\.risk_items:/);
    assert.match(reset.stdout, /seeded \d+ rows in [\d.]+ s/);
    const { rows } = await tdb.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM enforcement.regions',
    );
    assert.equal(Number(rows[0]?.n), 1 + 38 + 1031 + 3 * 1031);
  });
});
