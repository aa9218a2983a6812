// A new embedded cluster without running initdb each time: PGlite's initdb
// in WebAssembly costs about 2.5 s of CPU, loading the same cluster from a
// dump about 1 s. The first new cluster of a PGlite version is dumped to
// node_modules/.cache/govgraph/ and every later one (`npm start` on an empty
// folder, `memory://` databases, the tests' processes) starts from that
// dump. The cache is an optimisation only: a cache that cannot be read,
// written or trusted is passed over, and the cluster made by initdb.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PGlite } from '@electric-sql/pglite';

/** Where the dumps are kept (createPgliteDatabase's `clusterCacheDir` names another). */
export const DEFAULT_CLUSTER_CACHE_DIR = fileURLToPath(
  new URL('../../../../node_modules/.cache/govgraph', import.meta.url),
);

let version: string | undefined;

/**
 * PGlite's version: a dump is only loaded by the version that made it (read
 * from the package's manifest, which its exports do not list).
 */
function pgliteVersion(): string {
  if (version !== undefined) return version;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(
    readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'),
  ) as { name?: string; version?: string };
  if (manifest.name !== '@electric-sql/pglite' || !manifest.version) {
    throw new Error(`no PGlite manifest beside ${entry}`);
  }
  version = manifest.version;
  return version;
}

/** The dump's file and the file holding its SHA-256, for `dir`. */
function cacheFiles(dir: string): { dump: string; digest: string } {
  const base = join(dir, `pglite-${pgliteVersion()}-new-cluster.tar`);
  return { dump: base, digest: `${base}.sha256` };
}

/**
 * The dump of a new cluster made by this PGlite version, or undefined when
 * there is none or it does not match the digest written beside it (a dump
 * cut short, or changed since).
 */
export async function readNewCluster(
  dir: string = DEFAULT_CLUSTER_CACHE_DIR,
): Promise<Blob | undefined> {
  try {
    const files = cacheFiles(dir);
    const [bytes, digest] = await Promise.all([
      readFile(files.dump),
      readFile(files.digest, 'utf8'),
    ]);
    const actual = createHash('sha256').update(bytes).digest('hex');
    return actual === digest.trim() ? new Blob([bytes]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Dumps `pglite`, a cluster initdb has just made and nothing has written
 * to, into the cache of `dir`. Each file is written under a name of its own
 * and renamed into place, so a reader finds a whole file or none; a reader
 * between the two renames finds a digest that does not match and passes
 * the dump over. The dumps of other PGlite versions are removed. Failures
 * (a read-only folder, a full disk) are ignored.
 */
export async function saveNewCluster(
  pglite: PGlite,
  dir: string = DEFAULT_CLUSTER_CACHE_DIR,
): Promise<void> {
  const suffix = `.${process.pid}-${randomUUID()}.tmp`;
  let files: { dump: string; digest: string } | undefined;
  try {
    files = cacheFiles(dir);
    const dump = Buffer.from(
      await (await pglite.dumpDataDir('none')).arrayBuffer(),
    );
    const digest = createHash('sha256').update(dump).digest('hex');
    await mkdir(dir, { recursive: true });
    await writeFile(files.dump + suffix, dump);
    await writeFile(files.digest + suffix, `${digest}\n`);
    await rename(files.dump + suffix, files.dump);
    await rename(files.digest + suffix, files.digest);
    // Dumps of other PGlite versions (before an upgrade) are never loaded
    // again: 40 MB each.
    const current = [files.dump, files.digest].map((f) => basename(f));
    for (const name of await readdir(dir)) {
      if (
        /^pglite-.*-new-cluster\.tar(\.sha256)?$/.test(name) &&
        !current.includes(name)
      ) {
        await rm(join(dir, name), { force: true });
      }
    }
  } catch {
    if (files === undefined) return;
    await rm(files.dump + suffix, { force: true }).catch(() => undefined);
    await rm(files.digest + suffix, { force: true }).catch(() => undefined);
  }
}
