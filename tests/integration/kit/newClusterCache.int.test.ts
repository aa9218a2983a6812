// PGlite's new clusters from a cached dump (subgraphs/kit/src/db/
// newClusterCache.ts): the first new cluster is dumped to the cache, later
// ones start from that dump — in memory and in a new folder — and a dump
// whose digest does not match, or a cache that cannot be written, is passed
// over for initdb. Caches in temporary folders; a marker table in a dump
// tells a cluster loaded from it from one initdb made.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createPgliteDatabase } from '../../../subgraphs/kit/src/db/createPgliteDatabase.js';
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import { embeddedOf } from '../../../subgraphs/kit/src/db/embeddedInstances.js';
import {
  readNewCluster,
  saveNewCluster,
} from '../../../subgraphs/kit/src/db/newClusterCache.js';

const root = mkdtempSync(join(tmpdir(), 'govgraph-cluster-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
const folder = (name: string): string => join(root, `${name}-${++count}`);

/** A cluster from the default cache with the table `marker`. */
let marked: Database | undefined;
before(async () => {
  marked = await createPgliteDatabase({ dataDir: 'memory://' });
  await marked.exec(
    'CREATE TABLE marker (id int); INSERT INTO marker VALUES (7)',
  );
});
after(() => marked?.close());

function markedPglite() {
  const pglite = marked === undefined ? undefined : embeddedOf(marked)?.pglite;
  assert.ok(pglite);
  return pglite;
}

/** A cache in a folder of its own whose dump (the marked cluster) holds `marker`. */
async function markedCache(): Promise<string> {
  const dir = folder('marked');
  await saveNewCluster(markedPglite(), dir);
  return dir;
}

async function hasMarker(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ found: string | null }>(
    `SELECT to_regclass('public.marker')::text AS found`,
  );
  return rows[0]?.found === 'marker';
}

async function using<T>(
  db: Promise<Database>,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const opened = await db;
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

describe('new embedded clusters from the cached dump', () => {
  it('dumps the first new cluster with its digest, and loads it back', async () => {
    const dir = folder('first');
    // An earlier PGlite version's dump, removed when this one's is written.
    mkdirSync(dir);
    writeFileSync(join(dir, 'pglite-0.0.1-new-cluster.tar'), 'old');
    writeFileSync(join(dir, 'pglite-0.0.1-new-cluster.tar.sha256'), 'old');
    await using(
      createPgliteDatabase({ dataDir: 'memory://', clusterCacheDir: dir }),
      async (db) => {
        assert.deepEqual((await db.query('SELECT 1 AS one')).rows, [
          { one: 1 },
        ]);
      },
    );
    assert.match(cacheName(dir), /^pglite-\d+\.\d+\.\d+-new-cluster\.tar$/);
    assert.deepEqual(readdirSync(dir).sort(), [
      cacheName(dir),
      `${cacheName(dir)}.sha256`,
    ]);
    const dump = readFileSync(join(dir, cacheName(dir)));
    const digest = readFileSync(join(dir, `${cacheName(dir)}.sha256`), 'utf8');
    assert.equal(
      digest.trim(),
      createHash('sha256').update(dump).digest('hex'),
    );
    assert.ok(await readNewCluster(dir));
  });

  it('starts a database in memory and one in a new folder from the dump', async () => {
    const dir = await markedCache();
    await using(
      createPgliteDatabase({ dataDir: 'memory://', clusterCacheDir: dir }),
      async (db) => assert.equal(await hasMarker(db), true),
    );
    const data = folder('data');
    await using(
      createPgliteDatabase({ dataDir: data, clusterCacheDir: dir }),
      async (db) => {
        assert.equal(await hasMarker(db), true);
        await db.exec('INSERT INTO marker VALUES (8)');
      },
    );
    // A folder that holds a cluster is opened as it is, not loaded again.
    await using(
      createPgliteDatabase({ dataDir: data, clusterCacheDir: dir }),
      async (db) => {
        assert.deepEqual(
          (await db.query('SELECT id FROM marker ORDER BY id')).rows,
          [{ id: 7 }, { id: 8 }],
        );
      },
    );
  });

  it('passes over a dump that does not match its digest, and a cache it cannot write', async () => {
    const dir = await markedCache();
    assert.ok(await readNewCluster(dir));
    // A dump changed after its digest was written (or cut short) is not
    // loaded: createPgliteDatabase then runs initdb, as without a cache
    // (the first case).
    const digestFile = join(dir, `${cacheName(dir)}.sha256`);
    writeFileSync(digestFile, `${'0'.repeat(64)}\n`);
    assert.equal(await readNewCluster(dir), undefined);

    // A cache folder that cannot be made: the dump is skipped, quietly.
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const unwritable = join(file, 'cache');
    await saveNewCluster(markedPglite(), unwritable);
    assert.equal(await readNewCluster(unwritable), undefined);
    assert.equal(existsSync(unwritable), false);
  });
});

/** The dump's file name in `dir` (one per PGlite version). */
function cacheName(dir: string): string {
  const names = readdirSync(dir).filter((n) => n.endsWith('.tar'));
  assert.equal(names.length, 1, names.join(', '));
  return names[0]!;
}
