import { mkdir } from 'node:fs/promises';

import {
  lockEmbeddedDatabase,
  type EmbeddedDatabaseLock,
} from './embeddedDatabaseLock.js';
import { registerLock } from './embeddedInstances.js';
import type { Database } from './Database.js';
import { UnreachableCaseError } from '../UnreachableCaseError.js';

/** Where the database is: a real server, or the embedded default. */
export type DatabaseTarget =
  | {
      kind: 'pg';
      connectionString: string;
      dataDir?: undefined;
      /** The pool's size (default 10). */
      maxConnections?: number;
    }
  | {
      kind: 'pglite';
      dataDir: string;
      connectionString?: undefined;
      /**
       * A data directory dumped by PGlite's `dumpDataDir()` to start from
       * instead of creating the cluster (initdb, about a second of CPU);
       * only for a database in memory (`memory://`).
       */
      initialData?: Blob;
    };

/**
 * Opens the database a target names; same migrations and SQL for both. An
 * embedded database in a folder is locked for this process until `close()`
 * (a `.lock` file beside the folder).
 * @throws EmbeddedDatabaseInUseError when another live process has it open
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  // Each adapter loads with its driver when it is used: a process on
  // PostgreSQL never loads PGlite's WebAssembly, nor PGlite pg.
  switch (target.kind) {
    case 'pg': {
      const { createPgDatabase } = await import('./createPgDatabase.js');
      return createPgDatabase({
        connectionString: target.connectionString,
        ...(target.maxConnections === undefined
          ? {}
          : { maxConnections: target.maxConnections }),
      });
    }
    case 'pglite': {
      const { createPgliteDatabase } =
        await import('./createPgliteDatabase.js');
      if (target.dataDir.includes('://')) {
        return createPgliteDatabase({
          dataDir: target.dataDir,
          ...(target.initialData === undefined
            ? {}
            : { initialData: target.initialData }),
        });
      }
      if (target.initialData !== undefined) {
        throw new TypeError(
          'openDatabase: initialData is only for a database in memory',
        );
      }
      await mkdir(target.dataDir, { recursive: true });
      const lock = lockEmbeddedDatabase(target.dataDir);
      try {
        const db = await createPgliteDatabase({ dataDir: target.dataDir });
        return withLock(db, lock);
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    default:
      throw new UnreachableCaseError(target);
  }
}

/** `db`, releasing `lock` once closed; its served URL announced in it. */
function withLock(db: Database, lock: EmbeddedDatabaseLock): Database {
  registerLock(db, lock);
  const close = db.close.bind(db);
  db.close = async () => {
    try {
      await close();
    } finally {
      lock.release();
    }
  };
  return db;
}
