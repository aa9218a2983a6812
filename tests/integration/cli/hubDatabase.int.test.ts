// The command-line tools beside a running hub: `npm start` holds its
// embedded database (a lock file beside the folder) and serves it on a
// loopback port; `npm run policy` and `npm run audit:verify` use that port
// instead of opening the folder, and any other second opener gets a clear
// message instead of PGlite's `Aborted()`. The hub here is the part of
// hub/start.ts that matters: openDatabase + serveEmbeddedDatabase.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';

import { migrateAccessLog } from '../../../policies/store/src/audit/index.js';
import {
  migratePolicyStore,
  policyVersion,
  readPolicyDocument,
  writePolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import { runPolicyCli } from '../../../policies/store/src/cli/policyMain.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import { lockEmbeddedDatabase } from '../../../subgraphs/kit/src/db/embeddedDatabaseLock.js';
import {
  EmbeddedDatabaseInUseError,
  readEmbeddedDatabaseHolder,
  openDatabase,
  openHubDatabase,
  serveEmbeddedDatabase,
  type Database,
  type ServedDatabase,
} from '../../../subgraphs/kit/src/index.js';
import { LAUNCHER } from '../../utils/processes.js';

const root = new URL('../../..', import.meta.url);

let dir: string;
let dataDir: string;
let hubDb: Database;
let served: ServedDatabase;

/** The environment of a tool run beside the hub: no DATABASE_URL. */
function toolEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PGLITE_DATA_DIR: dataDir,
  };
  delete env['DATABASE_URL'];
  return env;
}

describe('command-line tools beside a running hub', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govgraph-hubdb-'));
    dataDir = join(dir, 'pglite');
    hubDb = await openDatabase({ kind: 'pglite', dataDir });
    await migratePolicyStore(hubDb);
    await migrateAccessLog(hubDb);
    await writePolicyDocument(hubDb, demoPolicy());
    served = await serveEmbeddedDatabase(hubDb);
  });
  after(async () => {
    await served.close();
    await hubDb.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the served URL in the lock beside the folder, owner-only', async () => {
    const lock = JSON.parse(await readFile(`${dataDir}.lock`, 'utf8')) as {
      pid: number;
      url: string;
    };
    assert.equal(lock.pid, process.pid);
    assert.equal((await stat(`${dataDir}.lock`)).mode & 0o777, 0o600);
    assert.equal(lock.url, served.url);
    assert.match(
      served.url,
      /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/,
    );
  });

  it('npm run policy -- export reads the policy through the hub, whose own queries go on', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runPolicyCli(['export'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env: toolEnv(),
    });
    assert.equal(code, 0, stderr);
    const exported = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(exported['format'], 'govgraph-policy');
    assert.equal(
      exported['version'],
      policyVersion(await readPolicyDocument(hubDb)),
    );
    const { rows } = await hubDb.query<{ n: number }>('SELECT 1 AS n');
    assert.deepEqual(rows, [{ n: 1 }]);
  });

  it('npm run audit:verify, its own process, checks the chain through the hub', async () => {
    const result = await new Promise<{
      code: number;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        process.execPath,
        [LAUNCHER, 'policies/store/src/cli/auditVerifyMain.ts'],
        { cwd: root, env: toolEnv(), timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr,
          }),
      );
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /audit\.access_log: 0 records, 0 chains intact/,
    );
  });

  it('a client session is the only one while it lasts, and leaves no transaction behind', async () => {
    const client = new pg.Client({ connectionString: served.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('CREATE TABLE cli_probe (n int)');
    // The hub's statement waits for the client's session to end…
    let hubDone = false;
    const hub = hubDb
      .query<{ n: string }>(
        "SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'cli_probe'",
      )
      .then((r) => {
        hubDone = true;
        return r.rows[0]?.n;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(hubDone, false);
    // …which ends in the middle of its transaction: rolled back.
    client.end().catch(() => undefined);
    assert.equal(await hub, '0');
  });

  it('a second opener of the folder is told who holds it, not Aborted()', async () => {
    await assert.rejects(
      openDatabase({ kind: 'pglite', dataDir }),
      (error: unknown) =>
        error instanceof EmbeddedDatabaseInUseError &&
        error.message.includes(`is open in process ${String(process.pid)}`) &&
        error.message.includes(`serves it at ${served.url}`),
    );
  });
});

describe('the embedded database folder lock', () => {
  it('without a hub serving it, a tool is told to wait; a stale lock is replaced', async () => {
    const own = await mkdtemp(join(tmpdir(), 'govgraph-lock-'));
    const folder = join(own, 'pglite');
    await mkdir(folder);
    try {
      // Another tool holds the folder (no URL in its lock).
      const held = lockEmbeddedDatabase(folder);
      await assert.rejects(
        openHubDatabase('the policy schema', { PGLITE_DATA_DIR: folder }),
        /is open in process \d+ .*one user at a time: wait for that process to end or stop it, or set DATABASE_URL/,
      );
      held.release();
      assert.equal(existsSync(`${folder}.lock`), false);
      // A lock left by a process that is gone does not stand in the way.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid;
      await writeFile(
        `${folder}.lock`,
        JSON.stringify({ pid: gone, command: 'gone' }),
      );
      const mine = lockEmbeddedDatabase(folder);
      const holder = readEmbeddedDatabaseHolder(folder);
      assert.equal(holder?.pid, process.pid);
      mine.release();
      assert.equal(existsSync(`${folder}.lock`), false);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
