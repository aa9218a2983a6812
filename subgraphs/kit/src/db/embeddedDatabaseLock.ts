import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Who holds an embedded database folder: the process, and the loopback
 * PostgreSQL URL it serves the database at (a running `npm start`), if any.
 */
export interface EmbeddedDatabaseHolder {
  pid: number;
  command: string;
  url?: string;
}

/**
 * An embedded database folder is open in another live process: PGlite has
 * one user at a time, and opening it twice would corrupt it or abort.
 */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: EmbeddedDatabaseHolder,
  ) {
    super(
      `the embedded database in ${dataDir} is open in process ${String(holder.pid)} (${holder.command})` +
        (holder.url
          ? `, which serves it at ${holder.url} (the command-line tools connect there); stop that process before opening the folder again`
          : '; an embedded database has one user at a time: wait for that process to end or stop it, or set DATABASE_URL'),
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

/** The lock file beside an embedded database folder. */
export function lockPathOf(dataDir: string): string {
  return `${resolve(dataDir)}.lock`;
}

/** The live process holding `dataDir`, or null (a stale lock is ignored). */
export function readEmbeddedDatabaseHolder(
  dataDir: string,
): EmbeddedDatabaseHolder | null {
  let holder: EmbeddedDatabaseHolder;
  try {
    holder = JSON.parse(
      readFileSync(lockPathOf(dataDir), 'utf8'),
    ) as EmbeddedDatabaseHolder;
  } catch {
    return null;
  }
  if (typeof holder.pid !== 'number' || !isAlive(holder.pid)) return null;
  return holder;
}

/** The lock a process holds on an embedded database folder. */
export interface EmbeddedDatabaseLock {
  /** Records the URL the database is served at, for other processes. */
  announce(url: string): void;
  release(): void;
}

/**
 * Takes the lock on `dataDir` for this process (a file beside it naming
 * this process), replacing a stale one left by a process that died.
 * @throws EmbeddedDatabaseInUseError when a live process holds it
 */
export function lockEmbeddedDatabase(dataDir: string): EmbeddedDatabaseLock {
  const path = lockPathOf(dataDir);
  const command = process.argv
    .slice(1)
    .map((a) => a.replace(/^.*\/node_modules\/.*\/(.*)$/, '$1'))
    .join(' ');
  const record: EmbeddedDatabaseHolder = { pid: process.pid, command };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      const holder = readEmbeddedDatabaseHolder(dataDir);
      if (holder !== null)
        throw new EmbeddedDatabaseInUseError(dataDir, holder);
      if (attempt > 0) throw error;
      unlinkSync(path); // stale: the process that wrote it is gone
    }
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      const current = JSON.parse(readFileSync(path, 'utf8')) as {
        pid?: unknown;
      };
      if (current.pid === process.pid) unlinkSync(path);
    } catch {
      // gone already
    }
  };
  process.on('exit', release);
  return {
    announce(url) {
      writeFileSync(path, JSON.stringify({ ...record, url }), { mode: 0o600 });
    },
    release,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error as { code: unknown }).code === code
  );
}
