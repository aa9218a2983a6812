// @ts-check
// `node scripts/launch.js <main.ts> [args…]`: runs one of govgraph's mains
// (hub/start.ts, gateway/src/main.ts, a subgraph's main, a command-line
// tool) from JavaScript bundled once by esbuild, instead of compiling each
// of its few hundred TypeScript modules through tsx's loader at every
// start. `npm start`, `npm run gateway`, the other npm scripts of a main
// and the deployment image start them this way.
//
// The bundle holds the repository's own modules (npm packages stay
// imports, loaded by Node as usual; a module a main imports with `await
// import()` is a chunk of its own, loaded only then) and is kept in
// node_modules/.cache/govgraph/mains/ with the SHA-256 of every file it was
// built from: a start whose files all match runs it; any other start (a
// source edited, a new esbuild, this launcher changed) builds it again
// first, in about a second. So an edit is never run stale. Inside the
// bundle, `import.meta.url` (and `dirname`, `filename`) of each module is
// its own .ts file's, and process.argv[1] is the main's path, so a module
// finds the files beside it and a main knows it is the main, as under tsx.
// Stack traces point into the .ts files (source maps, as under tsx).
//
// Sources that do not compile stop it with esbuild's messages (file, line,
// column). A cache that cannot be written, or a build that fails for
// another reason, falls back to tsx, with one line on stderr saying why.
import { createHash, randomUUID } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'govgraph', 'mains');
const require = createRequire(import.meta.url);

/** @param {string | Buffer} data */
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * What, besides the sources, decides a bundle: where the repository is (the
 * bundle holds its modules' paths), esbuild's version, the TypeScript
 * settings it compiles with, and this file.
 */
function buildStamp() {
  const esbuildVersion = /** @type {{ version: string }} */ (
    require('esbuild/package.json')
  ).version;
  return sha256(
    [
      root,
      esbuildVersion,
      readFileSync(join(root, 'tsconfig.json'), 'utf8'),
      readFileSync(fileURLToPath(import.meta.url), 'utf8'),
    ].join('\0'),
  );
}

/**
 * @typedef {{ stamp: string, inputs: Record<string, string>, dir: string }} Manifest
 * What `<main>.json` in the cache says of the main's current build: the
 * build stamp, each input's SHA-256 by its path in the repository, and the
 * folder (beside the manifest) holding the bundle and its chunks.
 */

/**
 * The folder of the build of `name` made with `stamp` from files that are,
 * byte for byte, the files on disk now; undefined when there is none.
 * @param {string} name
 * @param {string} stamp
 * @returns {string | undefined}
 */
function currentBuild(name, stamp) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cacheDir, `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
  // A manifest of another build, or not one at all (cut short, edited):
  // build again.
  if (
    manifest?.stamp !== stamp ||
    typeof manifest.inputs !== 'object' ||
    manifest.inputs === null ||
    typeof manifest.dir !== 'string'
  ) {
    return undefined;
  }
  for (const [file, digest] of Object.entries(manifest.inputs)) {
    try {
      if (sha256(readFileSync(join(root, file))) !== digest) return undefined;
    } catch {
      return undefined;
    }
  }
  return join(cacheDir, manifest.dir);
}

/**
 * An esbuild plugin giving each of the repository's modules its own
 * `import.meta.url`, `import.meta.dirname` and `import.meta.filename`
 * (esbuild would otherwise leave the bundle's in all of them).
 * @returns {import('esbuild').Plugin}
 */
function ownImportMeta() {
  return {
    name: 'govgraph-own-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source
          .replace(
            /\bimport\.meta\.url\b/g,
            JSON.stringify(pathToFileURL(args.path).href),
          )
          .replace(
            /\bimport\.meta\.dirname\b/g,
            JSON.stringify(dirname(args.path)),
          )
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * Bundles `rel` into a new folder of the cache and points `<name>.json` at
 * it: the folder is written under a temporary name and renamed, named by
 * what it was built from, and the manifest is renamed into place last — a
 * start beside this one finds the old build or the new one, whole. Builds
 * of this main older than an hour that the manifest no longer names are
 * removed (a process loads its chunks as it starts).
 * @param {string} rel the main's path in the repository
 * @param {string} name the main's name in the cache
 * @param {string} stamp
 * @returns {Promise<string>} the new build's folder
 */
async function build(rel, name, stamp) {
  const esbuild = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `${name}.${randomUUID()}.tmp`);
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [rel],
      outdir: tmp,
      entryNames: '[name]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [ownImportMeta()],
    });
    /** @type {Record<string, string>} */
    const inputs = {};
    for (const input of Object.keys(result.metafile.inputs).sort()) {
      inputs[input] = sha256(readFileSync(join(root, input)));
    }
    const dir = `${name}.${sha256(JSON.stringify([stamp, inputs])).slice(0, 16)}`;
    try {
      renameSync(tmp, join(cacheDir, dir));
    } catch {
      // The same build, made by a start beside this one: keep that one.
    }
    const manifest = join(cacheDir, `${name}.json`);
    writeFileSync(
      `${tmp}.json`,
      JSON.stringify(/** @type {Manifest} */ ({ stamp, inputs, dir })),
    );
    renameSync(`${tmp}.json`, manifest);
    const hourAgo = Date.now() - 3_600_000;
    for (const entry of readdirSync(cacheDir)) {
      if (
        !entry.startsWith(`${name}.`) ||
        entry === dir ||
        entry.endsWith('.json')
      )
        continue;
      const path = join(cacheDir, entry);
      if (statSync(path).mtimeMs < hourAgo)
        rmSync(path, { recursive: true, force: true });
    }
    return join(cacheDir, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(`${tmp}.json`, { force: true });
  }
}

/**
 * The main's absolute path, its path in the repository, its name in the
 * cache and its bundle's entry file; exits with 2 when `main` is not a
 * TypeScript file of the repository.
 * @param {string} main a path relative to the working directory, or absolute
 */
function bundleOf(main) {
  const mainPath = resolve(main);
  const rel = relative(root, mainPath);
  if (rel.startsWith('..') || !/\.tsx?$/.test(rel)) {
    process.stderr.write(
      `launch: ${main} is not a TypeScript file of the repository\n`,
    );
    process.exit(2);
  }
  return {
    mainPath,
    rel,
    name: rel.replace(/[\\/]/g, '__'),
    entry: basename(rel).replace(/\.tsx?$/, '.mjs'),
  };
}

/**
 * When `error` is esbuild's for sources that do not compile: what esbuild
 * says, where (`file:line:column`), one line each, and exit 1.
 * @param {unknown} error
 */
function exitOnCompileErrors(error) {
  const errors = /** @type {{ errors?: import('esbuild').Message[] }} */ (error)
    ?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return;
  for (const { text, location } of errors) {
    const where = location
      ? `${location.file}:${String(location.line)}:${String(location.column + 1)}: `
      : '';
    process.stderr.write(`launch: ${where}${text}\n`);
  }
  process.exit(1);
}

/**
 * Runs `main` (a path relative to the working directory or absolute) with
 * the arguments after it.
 * @param {string} main
 */
async function launch(main) {
  const { mainPath, rel, name, entry } = bundleOf(main);
  // The main sees its own path as the script run, as under tsx.
  process.argv[1] = mainPath;
  /** @type {string | undefined} */
  let dir;
  try {
    const stamp = buildStamp();
    dir = currentBuild(name, stamp) ?? (await build(rel, name, stamp));
  } catch (error) {
    exitOnCompileErrors(error);
    process.stderr.write(
      `launch: running ${rel} through tsx, its bundle could not be built in ${cacheDir}: ${
        error instanceof Error ? error.message : String(error)
      }\n`,
    );
  }
  if (dir !== undefined) {
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(join(dir, entry)).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(mainPath).href);
}

const usage = `usage: node scripts/launch.js <main.ts> [args…]
       node scripts/launch.js --build <main.ts>…   (bundle without running)
`;
if (process.argv[2] === '--build') {
  const mains = process.argv.slice(3);
  if (mains.length === 0) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const stamp = buildStamp();
  for (const main of mains) {
    const { rel, name } = bundleOf(main);
    await build(rel, name, stamp).catch((error) => {
      exitOnCompileErrors(error);
      throw error;
    });
    process.stdout.write(`launch: built ${rel}\n`);
  }
} else {
  const [main] = process.argv.splice(2, 1);
  if (main === undefined) {
    process.stderr.write(usage);
    process.exit(2);
  }
  await launch(main);
}
