// A PostgreSQL cluster of a test's own, which the test may stop, restart and
// pause (never the shared server on 5432): Debian's binaries, initdb in a
// temporary folder, a free port. As root (CI), the server runs as the
// `postgres` system user, since PostgreSQL refuses to run as root.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

import { freePort } from './net.js';

const run = promisify(execFile);

/** The newest PostgreSQL major version's binaries Debian installed. */
function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions
    .map((v) => join(base, v, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')));
  if (found === undefined) {
    throw new Error(
      `no PostgreSQL server binaries under ${base} (apt-get install postgresql)`,
    );
  }
  return found;
}

/** A private cluster: its URL and the faults a test injects into it. */
export interface PrivatePostgres extends AsyncDisposable {
  readonly port: number;
  /** `postgres://` URL of database `name` on it. */
  url(name: string): string;
  /** Stops the server the way a restart does (`pg_ctl stop -m fast`: connections terminated). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Freezes every server process (SIGSTOP): connections stall, nothing answers. */
  pause(): Promise<void>;
  /** Thaws them (SIGCONT). */
  resume(): Promise<void>;
}

/**
 * Creates and starts a cluster with database `demo` restored from a
 * `pg_dump -Fc` file (`dumpFile`), or empty when none is given.
 */
export async function startPrivatePostgres(
  options: { dumpFile?: string } = {},
): Promise<PrivatePostgres> {
  const bin = binDir();
  const root = await mkdtemp(join(tmpdir(), 'govgraph-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  // setsid: the server gets a session of its own, so that no signal meant
  // for the test's process group (a terminal's, a job runner's) stops it.
  // Run in the cluster's own folder: the postgres user may not enter the
  // test's working directory (a clone in a private temporary folder).
  const as = (cmd: string, args: string[]): Promise<unknown> =>
    asRoot
      ? run(
          'runuser',
          ['-u', 'postgres', '--', 'setsid', join(bin, cmd), ...args],
          { cwd: root },
        )
      : run('setsid', [join(bin, cmd), ...args], { cwd: root });
  await as('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const serverOptions = `-p ${String(port)} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async (): Promise<void> => {
    await as('pg_ctl', [
      '-D',
      data,
      '-o',
      serverOptions,
      '-l',
      join(root, 'log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
  };
  const stop = async (mode: 'fast' | 'immediate'): Promise<void> => {
    await as('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };
  /** The postmaster and every process it started. */
  const pids = async (): Promise<number[]> => {
    const first = (await readFile(join(data, 'postmaster.pid'), 'utf8'))
      .split('\n')[0]
      ?.trim();
    const postmaster = Number(first);
    const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(
      () => ({ stdout: '' }),
    );
    return [
      postmaster,
      ...stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number),
    ];
  };
  const signal = async (name: 'SIGSTOP' | 'SIGCONT'): Promise<void> => {
    for (const pid of await pids()) {
      try {
        process.kill(pid, name);
      } catch {
        // A backend that just ended.
      }
    }
  };
  await start();
  const url = (name: string): string =>
    `postgres://postgres@127.0.0.1:${String(port)}/${name}`;
  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE demo');
  await admin.end();
  if (options.dumpFile !== undefined) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        join(bin, 'pg_restore'),
        ['--no-owner', '-j', '2', '-d', url('demo'), options.dumpFile ?? ''],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`pg_restore: ${err}`)),
      );
    });
  }
  let paused = false;
  return {
    port,
    url,
    stop: () => stop('fast'),
    start,
    async pause() {
      paused = true;
      await signal('SIGSTOP');
    },
    async resume() {
      paused = false;
      await signal('SIGCONT');
    },
    async [Symbol.asyncDispose]() {
      if (paused) await signal('SIGCONT').catch(() => undefined);
      await stop('immediate').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Dumps database `name` of the shared test server into a temporary file
 * (`pg_dump -Fc`), for {@link startPrivatePostgres}; removes it on dispose.
 */
export async function dumpDatabase(
  connectionString: string,
): Promise<{ file: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), 'govgraph-dump-'));
  const file = join(dir, 'demo.dump');
  await run(join(binDir(), 'pg_dump'), [
    '-Fc',
    '-Z0',
    '-f',
    file,
    connectionString,
  ]);
  return {
    file,
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
