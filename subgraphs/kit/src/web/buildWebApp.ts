// Builds browser apps with Vite (see webApp.ts). Vite is a development
// package: this module is imported directly by the build script and by
// `npm start`, never through the kit's index, so that the processes of the
// production image (which has no development packages) never reach it.
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { InlineConfig } from 'vite';

import {
  BUILD_STAMP_FILE,
  webAppStamp,
  webAppState,
  type WebApp,
  type WebAppState,
} from './webApp.js';

/** What {@link ensureWebAppBuilt} did. */
export type WebAppBuild =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'built'; readonly ms: number; readonly was: WebAppState }
  /** Vite is not installed (a production install without dev packages). */
  | { readonly kind: 'no-builder'; readonly reason: string };

/**
 * Builds `app` with Vite when its build is missing or stale (always with
 * `force`), into a temporary folder renamed over the build folder once
 * complete, so that a server reading the folder never sees half a build.
 * Answers `no-builder` instead of throwing when Vite is not installed; a
 * failing build throws.
 */
export async function ensureWebAppBuilt(
  app: WebApp,
  options: { force?: boolean } = {},
): Promise<WebAppBuild> {
  const state = options.force === true ? 'stale' : await webAppState(app);
  if (state === 'fresh') return { kind: 'fresh' };
  let build: (config: InlineConfig) => Promise<unknown>;
  try {
    // Vite is a development package: a production install has none.
    ({ build } = await import('vite'));
  } catch (error) {
    return {
      kind: 'no-builder',
      reason: `vite is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    };
  }
  const started = performance.now();
  const stamp = await webAppStamp(app);
  const temporary = `${app.outDir}.building-${String(process.pid)}`;
  await rm(temporary, { recursive: true, force: true });
  try {
    await build({
      root: app.root,
      configFile: join(app.root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: temporary, emptyOutDir: true },
    });
    await writeFile(join(temporary, BUILD_STAMP_FILE), `${stamp}\n`);
    await rm(app.outDir, { recursive: true, force: true });
    await rename(temporary, app.outDir);
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return {
    kind: 'built',
    ms: Math.round(performance.now() - started),
    was: state,
  };
}

/**
 * At a server's start: builds each of `apps` that is missing or stale,
 * saying so through `say` (one line before, one after), and never throws —
 * a server without its pages still serves its API, and answers the pages
 * with how to build them.
 */
export async function buildStaleWebApps(
  apps: readonly WebApp[],
  say: (line: string) => void,
): Promise<void> {
  for (const app of apps) {
    try {
      const state = await webAppState(app);
      if (state === 'fresh') continue;
      say(`building the ${app.name} web app (${state})`);
      const result = await ensureWebAppBuilt(app, { force: true });
      if (result.kind === 'built') {
        say(
          `built the ${app.name} web app in ${(result.ms / 1000).toFixed(1)} s`,
        );
      } else if (result.kind === 'no-builder') {
        say(
          state === 'missing'
            ? `the ${app.name} web app is not built: ${result.reason}`
            : `the ${app.name} web app keeps its earlier build: ${result.reason}`,
        );
      }
    } catch (error) {
      say(
        `the ${app.name} web app failed to build: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  }
}
