import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { pino } from 'pino';

import {
  createAccessLog,
  migrateAccessLog,
} from '../../../policies/store/src/audit/index.js';
import { openDatabase } from '../../../subgraphs/kit/src/index.js';
import { createTestDatabase } from '../../utils/testDatabase.js';
import { sampleRecord, tamper } from './helpers.js';
import { LAUNCHER } from '../../utils/processes.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run audit:verify`'s command with DATABASE_URL set to `url` (or unset). */
function runVerify(
  url: string | undefined,
  pgliteDataDir = '/nonexistent/govgraph-pglite',
): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DATABASE_URL'];
  if (url !== undefined) env['DATABASE_URL'] = url;
  env['PGLITE_DATA_DIR'] = pgliteDataDir;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [LAUNCHER, 'policies/store/src/cli/auditVerifyMain.ts'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each case has its own database: they run side by side.
describe('npm run audit:verify', { concurrency: true }, () => {
  it('exits 0 on an intact chain and 3 with each problem after tampering', async () => {
    await using tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    const log = createAccessLog(
      { db: tdb.db, batchSize: 4 },
      { logger: pino({ level: 'silent' }) },
    );
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => log.append(sampleRecord(i + 1))),
    );
    await log.close();

    const intact = await runVerify(tdb.url);
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(
      intact.stdout,
      /^audit\.access_log: 10 records, chain intact; head seq 10 hash [0-9a-f]{64}\n$/,
    );

    await tamper(
      tdb.db,
      `UPDATE audit.access_log SET subject = 'someone-else' WHERE seq = 2;
       DELETE FROM audit.access_log WHERE seq = 6`,
    );
    const tampered = await runVerify(tdb.url);
    assert.equal(tampered.code, 3, tampered.stderr);
    const lines = tampered.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /9 records, TAMPERING FOUND: 2 problem\(s\)/);
    assert.match(lines[1] ?? '', /^ {2}seq 2 ALTERED: /);
    assert.match(lines[2] ?? '', /^ {2}seq 6 MISSING: record 6 is missing$/);
    assert.equal(lines.length, 3);
  });

  it('verifies the embedded database of npm start when DATABASE_URL is unset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-verify-'));
    try {
      const db = await openDatabase({ kind: 'pglite', dataDir: dir });
      await migrateAccessLog(db);
      const log = createAccessLog(
        { db, batchSize: 2 },
        { logger: pino({ level: 'silent' }) },
      );
      await Promise.all(
        Array.from({ length: 3 }, (_, i) => log.append(sampleRecord(i + 1))),
      );
      await log.close();
      await db.close();
      const intact = await runVerify(undefined, dir);
      assert.equal(intact.code, 0, intact.stderr);
      assert.match(
        intact.stdout,
        /^audit\.access_log: 3 records, chain intact/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line when DATABASE_URL is missing, unreachable or not migrated', async () => {
    const missing = await runVerify(undefined);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^govgraph audit:verify: DATABASE_URL is not set and there is no embedded database at \/nonexistent\/govgraph-pglite/,
    );
    assert.equal(missing.stderr.trimEnd().split('\n').length, 1);

    const unreachable = await runVerify('postgres://postgres@127.0.0.1:1/none');
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      /^govgraph audit:verify: cannot connect to PostgreSQL at /,
    );
    assert.equal(unreachable.stderr.trimEnd().split('\n').length, 1);

    await using tdb = await createTestDatabase();
    const empty = await runVerify(tdb.url);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /audit\.access_log does not exist/);
    assert.equal(empty.stdout, '');
  });
});
