import { mkdir } from 'node:fs/promises';

import { createPgDatabase } from './createPgDatabase.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';
import type { Database } from './Database.js';
import { UnreachableCaseError } from '../UnreachableCaseError.js';

/** Where the database is: a real server, or the embedded default. */
export type DatabaseTarget =
  | { kind: 'pg'; connectionString: string; dataDir?: undefined }
  | { kind: 'pglite'; dataDir: string; connectionString?: undefined };

/** Opens the database a target names; same migrations and SQL for both. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  switch (target.kind) {
    case 'pg':
      return createPgDatabase({ connectionString: target.connectionString });
    case 'pglite':
      if (!target.dataDir.startsWith('memory://')) {
        await mkdir(target.dataDir, { recursive: true });
      }
      return createPgliteDatabase({ dataDir: target.dataDir });
    default:
      throw new UnreachableCaseError(target);
  }
}
