// The browser apps govgraph serves (the gateway's GraphQL IDE, the web
// console) are built with Vite from npm-installed packages into a folder
// beside their sources, which git ignores. A build is "fresh" when the
// folder holds the stamp of the sources it was built from: a SHA-256 over
// every source file and the installed version of each package the app
// bundles. `npm install` (postinstall) and `npm start` build an app that is
// missing or stale (buildWebApp.ts); nothing is downloaded, nothing comes
// from a CDN.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One browser app built with Vite. */
export interface WebApp {
  /** Short name, for messages and `npm run build:<name>`: `ide`. */
  readonly name: string;
  /** Folder holding its `index.html`, `vite.config.ts` and sources. */
  readonly root: string;
  /** Folder the build goes to (ignored by git, inside `root` or not). */
  readonly outDir: string;
  /**
   * The npm packages it bundles (and its build plugins): their installed
   * versions are part of the stamp, so an upgrade rebuilds it.
   */
  readonly packages: readonly string[];
  /**
   * Files and folders outside `root` whose code its build bundles (absolute
   * paths): part of the stamp, so that changing them rebuilds it.
   * tests/unit/web/webApps.test.ts checks that every import of a file
   * outside `root` is under one of them.
   */
  readonly sources?: readonly string[];
  /**
   * Writes the sources its build derives from the repository (the
   * console's API schema and operation types), before its stamp is read.
   */
  readonly prepare?: () => Promise<void>;
}

const prepared = new WeakSet<WebApp>();

/** Runs `app.prepare` once per process. */
export async function prepareWebApp(app: WebApp): Promise<void> {
  if (app.prepare === undefined || prepared.has(app)) return;
  await app.prepare();
  prepared.add(app);
}

/** What {@link webAppState} finds. */
export type WebAppState = 'fresh' | 'stale' | 'missing';

/** The file in a build folder naming the stamp it was built from. */
export const BUILD_STAMP_FILE = '.build-stamp';

/** Bumped when the way apps are built changes, to rebuild them all. */
const BUILDER_VERSION = '1';

/** Names never hashed: build output, dependencies, editors' and OS files. */
const SKIPPED = new Set(['node_modules', 'dist', '.DS_Store']);

/**
 * The stamp of an app's sources: SHA-256 over each file under `root` and
 * its `sources` (by its path relative to `root`; the build folder,
 * `node_modules` and dot files left out) and over the installed version of
 * each of its packages (`-` for one not installed).
 */
export async function webAppStamp(app: WebApp): Promise<string> {
  await prepareWebApp(app);
  const hash = createHash('sha256');
  hash.update(`builder ${BUILDER_VERSION}\n`);
  const files = await sourceFiles(app.root, app.outDir);
  for (const source of [...(app.sources ?? [])].sort()) {
    files.push(
      ...((await stat(source)).isDirectory()
        ? await sourceFiles(source, app.outDir)
        : [source]),
    );
  }
  for (const file of files) {
    hash.update(`file ${relative(app.root, file).split(sep).join('/')}\n`);
    hash.update(await readFile(file));
    hash.update('\n');
  }
  const require = createRequire(join(app.root, 'package.json'));
  for (const name of [...app.packages].sort()) {
    hash.update(`package ${name} ${installedVersion(require, name)}\n`);
  }
  return hash.digest('hex');
}

/** Whether `app`'s build folder holds a build of its current sources. */
export async function webAppState(app: WebApp): Promise<WebAppState> {
  let built: string;
  try {
    built = (await readFile(join(app.outDir, BUILD_STAMP_FILE), 'utf8')).trim();
  } catch {
    return 'missing';
  }
  return built === (await webAppStamp(app)) ? 'fresh' : 'stale';
}

async function sourceFiles(dir: string, outDir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (
      SKIPPED.has(entry.name) ||
      entry.name.startsWith('.') ||
      path === outDir ||
      path.startsWith(`${outDir}.building-`)
    ) {
      continue;
    }
    if (entry.isDirectory()) found.push(...(await sourceFiles(path, outDir)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

function installedVersion(require: NodeJS.Require, name: string): string {
  try {
    const manifest = require(`${name}/package.json`) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '-';
  } catch {
    return '-';
  }
}
