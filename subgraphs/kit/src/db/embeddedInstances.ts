import type { PGlite } from '@electric-sql/pglite';

import type { Database } from './Database.js';
import type { EmbeddedDatabaseLock } from './embeddedDatabaseLock.js';

/** What an embedded {@link Database} is made of, for serving it. */
interface Embedded {
  pglite: PGlite;
  lock?: EmbeddedDatabaseLock;
}

const embedded = new WeakMap<Database, Embedded>();

/** Records the PGlite instance behind `db` (createPgliteDatabase). */
export function registerPglite(db: Database, pglite: PGlite): void {
  embedded.set(db, { pglite });
}

/** Records the folder lock `db` holds (openDatabase). */
export function registerLock(db: Database, lock: EmbeddedDatabaseLock): void {
  const entry = embedded.get(db);
  if (entry) entry.lock = lock;
}

/** The PGlite instance and folder lock behind `db`, if it is embedded. */
export function embeddedOf(db: Database): Embedded | undefined {
  return embedded.get(db);
}
