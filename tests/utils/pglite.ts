// Embedded PostgreSQL (PGlite) in memory for the tests that run their
// suite on both adapters: each starts from one dump of a new cluster held
// by the process (the kit's cached one, subgraphs/kit/src/db/
// newClusterCache.ts, read once) instead of creating its own (initdb in
// WebAssembly costs about 2.5 s of CPU each time; loading the dump, a
// third of that).
import { PGlite } from '@electric-sql/pglite';

import { openDatabase } from '../../subgraphs/kit/src/db/openDatabase.js';
import type { Database } from '../../subgraphs/kit/src/db/Database.js';
import { readNewCluster } from '../../subgraphs/kit/src/db/newClusterCache.js';
import { createTestDatabase } from './testDatabase.js';

/** A new cluster's data directory, dumped once per process. */
let newCluster: Promise<Blob> | undefined;

async function dumpNewCluster(): Promise<Blob> {
  const cached = await readNewCluster();
  if (cached !== undefined) return cached;
  const pglite = await PGlite.create('memory://');
  try {
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

/**
 * A new, empty database on PGlite in memory, as
 * `openDatabase({ kind: 'pglite', dataDir: 'memory://' })` opens one.
 */
export async function openMemoryPglite(): Promise<Database> {
  newCluster ??= dumpNewCluster();
  return openDatabase({
    kind: 'pglite',
    dataDir: 'memory://',
    initialData: await newCluster,
  });
}

/**
 * A new, empty database on the adapter `kind`, for the suites that run on
 * both: a test database of its own on the test server (`pg`) or PGlite in
 * memory, and how to drop it.
 */
export async function openAdapterDatabase(
  kind: 'pg' | 'pglite',
): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (kind === 'pg') {
    const tdb = await createTestDatabase();
    return { db: tdb.db, drop: () => tdb.drop() };
  }
  const db = await openMemoryPglite();
  return { db, drop: () => db.close() };
}
