import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import {
  createAccessLog,
  migrateAccessLog,
} from '../../../policies/store/src/audit/index.js';
import { sha256 } from '../../../subgraphs/kit/src/index.js';
import {
  migratePolicyStore,
  policyVersion,
  readPolicyDocument,
  writePolicyDocument,
  type PolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import { runPolicyCli } from '../../../policies/store/src/cli/policyMain.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { LAUNCHER } from '../../utils/processes.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tdb: TestDatabase;
let dir: string;

/**
 * Runs `npm run policy -- …`'s command against the test database, in this
 * process (runPolicyCli, what the script runs).
 */
async function policy(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runPolicyCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { ...process.env, DATABASE_URL: tdb.url },
  });
  return { code, stdout, stderr };
}

/** Runs the command as `npm run policy` does: its own process. */
function policyProcess(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: tdb.url };
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [LAUNCHER, 'policies/store/src/cli/policyMain.ts', ...args],
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

async function storedVersion(): Promise<string> {
  return policyVersion(await readPolicyDocument(tdb.db));
}

/** An exported file with one more entry: `Person.mobile` NOT_SHARED. */
async function draftFile(
  name: string,
  coordinate = 'Person.mobile',
): Promise<string> {
  const exported = await policy('export');
  assert.equal(exported.code, 0, exported.stderr);
  const file = JSON.parse(exported.stdout) as PolicyDocument &
    Record<string, unknown>;
  const draft = {
    ...file,
    entries: [
      ...file.entries,
      {
        id: 'NL-PS-009',
        version: 1,
        ownerDepartment: 'publicsecurity',
        selector: { coordinates: [coordinate] },
        shareClass: 'NOT_SHARED',
        legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
        reason: 'Mobile numbers are no longer shared.',
        priority: 30,
        status: 'ACTIVE',
        author: 'ps-data-officer',
        approver: 'ps-chief-data-officer',
      },
    ],
  };
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(draft, null, 2));
  return path;
}

describe('npm run policy', () => {
  before(async () => {
    tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    await migrateAccessLog(tdb.db);
    await writePolicyDocument(tdb.db, demoPolicy());
    dir = await mkdtemp(join(tmpdir(), 'govgraph-policy-'));
  });
  after(async () => {
    await tdb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports deterministically and imports the export back to the same version', async () => {
    const version = await storedVersion();
    const out = join(dir, 'export.json');
    const first = await policyProcess('export', '--out', out);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stderr,
      new RegExp(`exported policy version ${version}`),
    );
    const text = await readFile(out, 'utf8');
    const file = JSON.parse(text) as Record<string, unknown>;
    assert.equal(file['format'], 'govgraph-policy');
    assert.equal(file['formatVersion'], 1);
    assert.equal(file['version'], version);
    const second = await policy('export');
    const strip = (s: string): string => s.replace(/"exportedAt": "[^"]*"/, '');
    assert.equal(strip(second.stdout), strip(text));

    const imported = await policy('import', out);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /0 change\(s\)/);
    assert.equal(await storedVersion(), version);

    // A real change imports and exports back to the content's version.
    const draft = await draftFile('draft.json');
    const dry = await policy('import', draft, '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+ entry NL-PS-009@1 added/);
    assert.match(dry.stdout, /dry run: nothing was written/);
    assert.equal(await storedVersion(), version);
    const real = await policy('import', draft);
    assert.equal(real.code, 0, real.stderr);
    const changed = await storedVersion();
    assert.notEqual(changed, version);
    assert.match(real.stdout, new RegExp(`now version ${changed}`));
    const back = join(dir, 'back.json');
    await policy('export', '--out', back);
    assert.equal(
      (JSON.parse(await readFile(back, 'utf8')) as { version: string }).version,
      changed,
    );
    await writePolicyDocument(tdb.db, demoPolicy());
  });

  it('refuses a file with an unknown selector, suggests the nearest name and changes nothing', async () => {
    const version = await storedVersion();
    const bad = await draftFile('bad.json', 'Person.mobil');
    const run = await policy('import', bad);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /unknown coordinate Person\.mobil in the supergraph \(did you mean Person\.mobile\?\)/,
    );
    assert.equal(await storedVersion(), version);

    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{ "format": "govgraph-policy"');
    const broken = await policy('import', notJson);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /not JSON/);
    assert.equal(await storedVersion(), version);
  });

  it('diffs files and the current policy: exit 0 when equal, 3 when different', async () => {
    const out = join(dir, 'same.json');
    await policy('export', '--out', out);
    const equal = await policy('diff', 'current', out);
    assert.equal(equal.code, 0, equal.stderr);
    assert.match(equal.stdout, /equal/);
    const draft = await draftFile('diff.json');
    const different = await policy('diff', out, draft);
    assert.equal(different.code, 3, different.stderr);
    assert.match(different.stdout, /^\+ entry NL-PS-009@1 added$/m);
    const usage = await policyProcess('diff', out);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /govgraph policy: diff takes two sides/);
  });

  it('lists the version log, and exports and diffs any logged version', async () => {
    const seeded = await storedVersion();
    const draft = await draftFile('logged.json');
    const imported = await policy('import', draft);
    assert.equal(imported.code, 0, imported.stderr);
    const current = await storedVersion();
    assert.notEqual(current, seeded);

    const versions = await policy('versions', '--limit', '50');
    assert.equal(versions.code, 0, versions.stderr);
    const lines = versions.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^seq\s+version\s+published \(UTC\)\s+actor\s+change$/,
    );
    // Newest first: the import just made, then the seed.
    assert.match(
      lines[1] ?? '',
      new RegExp(`^\\d+\\s+${current}\\s.*import ${draft}$`),
    );
    assert.ok(lines.some((l) => l.includes(seeded)));

    // A logged version (a prefix of it will do) is a side of a diff.
    const diff = await policy('diff', seeded.slice(0, 8), 'current');
    assert.equal(diff.code, 3, diff.stderr);
    assert.match(diff.stdout, /^\+ entry NL-PS-009@1 added$/m);
    const exported = await policy('export', '--version', seeded);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(
      (JSON.parse(exported.stdout) as { version: string }).version,
      seeded,
    );
    const unknown = await policy('export', '--version', 'abcdef012345');
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /no policy version abcdef012345 in the version log/,
    );
    // Back to the seeded policy for the tests after this one.
    const restore = join(dir, 'restore.json');
    await writeFile(restore, exported.stdout);
    assert.equal((await policy('import', restore)).code, 0);
    assert.equal(await storedVersion(), seeded);
  });

  it("simulates a draft against the access log: enforcement's masked mobile would be denied", async () => {
    const log = createAccessLog(
      { db: tdb.db },
      { logger: pino({ level: 'silent' }) },
    );
    const complainant =
      'query Complainant { complaint(id: "C-20250915-JCK") { id summary complainant { name mobile } } }';
    const person = 'query Person { person(id: "P-1") { name mobile } }';
    const base = {
      read: {},
      withheld: [],
      masked: [],
      outcome: 'OK' as const,
      latencyMs: 3,
    };
    await Promise.all([
      log.append({
        ...base,
        subject: 'enforcement-jiefangbei',
        department: 'enforcement',
        roles: ['enforcement-officer'],
        purpose: 'complaint-handling',
        operationHash: sha256(complainant),
        operationText: complainant,
        operationName: 'Complainant',
      }),
      log.append({
        ...base,
        subject: 'police-crowd-yuzhong',
        department: 'publicsecurity',
        roles: ['crowd-analyst'],
        purpose: 'crowd-management',
        operationHash: sha256(person),
        operationText: person,
        operationName: 'Person',
      }),
      log.append({
        ...base,
        subject: 'emergency-duty',
        department: 'emergency',
        roles: ['duty-officer'],
        purpose: 'emergency-response',
        operationHash: 'gone',
        operationText: '{ person(id: "P-1") { phoneNumber } }',
        operationName: null,
      }),
    ]);
    await log.close();

    const draft = await draftFile('simulate.json');
    const run = await policy('simulate', draft, '--json');
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as {
      records: number;
      simulated: number;
      skipped: number;
      changed: number;
      departments: { department: string }[];
      fields: { coordinate: string; before: string; after: string }[];
    };
    assert.equal(report.records, 3);
    assert.equal(report.simulated, 2);
    assert.equal(report.skipped, 1);
    assert.equal(report.changed, 1);
    assert.deepEqual(
      report.departments.map((d) => d.department),
      ['enforcement'],
    );
    assert.deepEqual(
      report.fields.map((f) => [f.coordinate, f.before, f.after]),
      [['Person.mobile', 'MASK:MOBILE', 'DENY:FORBIDDEN_BY_NEGATIVE_LIST']],
    );

    const text = await policy('simulate', draft, '--limit', '1');
    assert.equal(text.code, 3, text.stderr);
    assert.match(text.stdout, /1 would change/);
    assert.match(text.stdout, /enforcement: 1 operation\(s\)/);
    assert.match(text.stdout, /decided at CITY level/);

    const future = await policy(
      'simulate',
      draft,
      '--since',
      '2999-01-01T00:00:00Z',
    );
    assert.equal(future.code, 0, future.stderr);
    assert.match(future.stdout, /on 0 recorded operation\(s\)/);
  });
});
