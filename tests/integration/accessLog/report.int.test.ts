import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

import { pino } from 'pino';

import {
  accessReport,
  accessReportCsv,
  createAccessLog,
  migrateAccessLog,
  type AccessLogInput,
} from '../../../policies/store/src/audit/index.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../../subgraphs/kit/src/index.js';
import { readOwnership } from '../../../policies/src/index.js';
import { readSupergraphFile } from '../../../subgraphs/kit/src/index.js';
import { createTestDatabase } from '../../utils/testDatabase.js';
import { LAUNCHER } from '../../utils/processes.js';

function read(
  subject: string,
  department: string,
  purpose: string,
  recordedAt: string,
  coordinates: string[],
  withheld: string[] = [],
): AccessLogInput {
  return {
    recordedAt: new Date(recordedAt),
    subject,
    department,
    roles: ['r'],
    purpose,
    operationHash: 'h',
    operationText: '{ x }',
    operationName: null,
    read: { publicsecurity: coordinates, enforcement: ['Query.complaint'] },
    withheld: withheld.map((coordinate) => ({
      coordinate,
      path: ['x'],
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-001@1',
    })),
    masked: [],
    outcome: withheld.length > 0 ? 'PARTIAL' : 'OK',
    latencyMs: 3,
  };
}

const OWNED = ['Person.name', 'Person.mobile', 'Person.idNumber'];

async function ownedBy(department: string): Promise<string[]> {
  const ownership = readOwnership(
    await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH),
  );
  return [...ownership]
    .filter(([, o]) => o.owners.length === 1 && o.owners[0] === department)
    .map(([coordinate]) => coordinate);
}

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [LAUNCHER, 'policies/store/src/cli/auditReportMain.ts', ...args],
      {
        cwd: new URL('../../..', import.meta.url),
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('access reports for a data officer', () => {
  it('counts reads and refusals of the owner’s fields per day, consumer, field and purpose', async () => {
    await using tdb = await createTestDatabase();
    await migrateAccessLog(tdb.db);
    const log = createAccessLog(
      { db: tdb.db },
      { logger: pino({ level: 'silent' }) },
    );
    await Promise.all([
      // 2026-11-20 in China Standard Time (UTC+8), though the 19th in UTC.
      log.append(
        read(
          'officer-a',
          'enforcement',
          'complaint-handling',
          '2026-11-19T17:00:00Z',
          ['Person.name', 'Person.mobile'],
          ['Person.idNumber'],
        ),
      ),
      log.append(
        read(
          'officer-b',
          'enforcement',
          'complaint-handling',
          '2026-11-20T03:00:00Z',
          ['Person.name'],
        ),
      ),
      log.append(
        read(
          'duty-1',
          'emergency',
          'emergency-response',
          '2026-11-21T03:00:00Z',
          ['Person.name'],
        ),
      ),
      // Outside the period asked for below.
      log.append(
        read(
          'duty-1',
          'emergency',
          'emergency-response',
          '2026-11-01T03:00:00Z',
          ['Person.name'],
        ),
      ),
    ]);
    await log.close();

    const rows = await accessReport(tdb.db, {
      owner: 'publicsecurity',
      ownedCoordinates: OWNED,
      since: new Date('2026-11-10T00:00:00+08:00'),
    });
    assert.deepEqual(rows, [
      {
        day: '2026-11-20',
        consumer: 'enforcement',
        coordinate: 'Person.idNumber',
        purpose: 'complaint-handling',
        reads: 0,
        withheld: 1,
        subjects: 1,
      },
      {
        day: '2026-11-20',
        consumer: 'enforcement',
        coordinate: 'Person.mobile',
        purpose: 'complaint-handling',
        reads: 1,
        withheld: 0,
        subjects: 1,
      },
      {
        day: '2026-11-20',
        consumer: 'enforcement',
        coordinate: 'Person.name',
        purpose: 'complaint-handling',
        reads: 2,
        withheld: 0,
        subjects: 2,
      },
      {
        day: '2026-11-21',
        consumer: 'emergency',
        coordinate: 'Person.name',
        purpose: 'emergency-response',
        reads: 1,
        withheld: 0,
        subjects: 1,
      },
    ]);
    // Enforcement's own field is not publicsecurity's data.
    assert.ok(rows.every((r) => r.coordinate.startsWith('Person.')));

    const csv = accessReportCsv(rows);
    assert.equal(
      csv.split('\r\n')[0],
      'day,consumer,coordinate,purpose,reads,withheld,subjects',
    );
    assert.equal(
      csv.split('\r\n')[3],
      '2026-11-20,enforcement,Person.name,complaint-handling,2,0,2',
    );

    const cli = await run(
      ['--owner', 'publicsecurity', '--since', '2026-11-10', '--csv'],
      {
        DATABASE_URL: tdb.url,
      },
    );
    assert.equal(cli.code, 0, cli.stderr);
    // The CLI reads the owner's coordinates from the supergraph.
    assert.equal(
      cli.stdout,
      accessReportCsv(
        await accessReport(tdb.db, {
          owner: 'publicsecurity',
          ownedCoordinates: await ownedBy('publicsecurity'),
          since: new Date('2026-11-10'),
        }),
      ),
    );
    assert.match(cli.stdout, /Person\.idNumber,complaint-handling,0,1,1/);
  });

  it('refuses an unknown department and a bad date with usage errors', async () => {
    const unknown = await run(['--owner', 'nosuch'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
    });
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /no department "nosuch" in the supergraph \(it has: catalog, emergency, enforcement/,
    );
    const badDate = await run(
      ['--owner', 'market', '--since', 'yesterday'],
      {},
    );
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /--since must be an ISO 8601 date/);
  });
});
