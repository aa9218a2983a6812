// Builds every web app of the repository that is stale: run by
// `npm install` (postinstall), by `npm start` before it serves the apps,
// and by `npm run build:web` (`-- --force` rebuilds). An app is stale when
// the hash of its sources (and of the lockfile) differs from the one its
// last build wrote beside its output, so an unchanged checkout builds
// nothing and a pull that changes an app rebuilds it at the next start.
//
// Each app is a Vite project (vite.config.ts in its folder); `prepare`
// writes what its build derives from the repository (e.g. the console's
// typed schema) first.
import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A web app built with Vite. */
export interface WebApp {
  /** For messages: `console`. */
  readonly name: string;
  /** Its folder (with vite.config.ts), repository-relative. */
  readonly root: string;
  /** Its build output inside `root`. */
  readonly outDir: string;
  /** Writes the files its build derives from the repository. */
  readonly prepare?: () => Promise<void>;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** The registered web apps. */
export const WEB_APPS: readonly WebApp[] = [
  {
    name: 'console',
    root: 'console',
    outDir: 'dist',
    prepare: async () => {
      const { generate } = await import('../console/scripts/generate.js');
      const generated = new URL(
        '../console/src/graphql/generated/',
        import.meta.url,
      );
      const read = (name: string): string | null =>
        existsSync(new URL(name, generated))
          ? readFileSync(new URL(name, generated), 'utf8')
          : null;
      const before = read('schema.graphql');
      generate();
      // The operations' types (what `npm run check:types` reads too), when
      // the schema changed: gql.tada's output takes a TypeScript program.
      if (before === read('schema.graphql') && read('graphql-env.d.ts')) {
        return;
      }
      const { generateOutput } = await import('@gql.tada/cli-utils');
      await generateOutput({
        tsconfig: fileURLToPath(
          new URL('../console/tsconfig.json', import.meta.url),
        ),
        output: undefined,
        silent: true,
      });
    },
  },
];

const STAMP = '.build-hash';
const SKIP = new Set(['node_modules', 'dist', '.vite']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      if (SKIP.has(entry) || entry.startsWith('.')) return [];
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? sourceFiles(path) : [path];
    });
}

/** The hash of an app's sources and of the lockfile. */
export function sourceHash(app: WebApp): string {
  const hash = createHash('sha256');
  const root = join(REPO, app.root);
  for (const file of [...sourceFiles(root), join(REPO, 'package-lock.json')]) {
    hash.update(relative(REPO, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether the app's build is missing or older than its sources. */
export function isStale(app: WebApp): boolean {
  const stamp = join(REPO, app.root, app.outDir, STAMP);
  return (
    !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== sourceHash(app)
  );
}

/**
 * Builds each app that is stale (every app with `force`); `log` gets one
 * line per app built. Returns the names of the apps built.
 */
export async function buildWebApps(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<string[]> {
  const built: string[] = [];
  for (const app of WEB_APPS) {
    await app.prepare?.();
    if (options.force !== true && !isStale(app)) continue;
    const started = performance.now();
    const { build } = await import('vite');
    const root = join(REPO, app.root);
    await build({
      configFile: join(root, 'vite.config.ts'),
      root,
      logLevel: 'warn',
    });
    writeFileSync(join(root, app.outDir, STAMP), `${sourceHash(app)}\n`);
    built.push(app.name);
    options.log?.(
      `built the ${app.name} web app in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  try {
    const built = await buildWebApps({
      force,
      log: (line) => process.stdout.write(`govgraph: ${line}\n`),
    });
    if (built.length === 0) {
      process.stdout.write('govgraph: web apps are up to date\n');
    }
  } catch (error) {
    process.stderr.write(
      `govgraph: building the web apps failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
