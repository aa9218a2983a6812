// The browser apps' build stamps (subgraphs/kit/src/web/webApp.ts) cover
// everything their builds bundle: a file outside an app's folder that its
// code imports (not for types only) is under one of the app's `sources`,
// and changing such a file changes the stamp, so `npm start` rebuilds the
// app instead of serving a build of the old code.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { after, describe, it } from 'node:test';

import { WEB_APPS } from '../../../hub/webApps.js';
import {
  webAppStamp,
  type WebApp,
} from '../../../subgraphs/kit/src/web/webApp.js';

/** Every .ts/.tsx file under `dir`, build output and dependencies left out. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (
      entry.name === 'node_modules' ||
      entry.name === 'dist' ||
      entry.name.startsWith('.')
    )
      return [];
    if (entry.isDirectory()) return codeFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** The file a relative specifier names (`.js` written for `.ts` and `.tsx`). */
function resolveSpecifier(from: string, specifier: string): string {
  const path = resolve(dirname(from), specifier);
  const candidates = [
    path,
    path.replace(/\.js$/, '.ts'),
    path.replace(/\.js$/, '.tsx'),
    `${path}.ts`,
    `${path}.tsx`,
    join(path, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? path;
}

/** The relative specifiers `file` imports or re-exports for their values. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(
    /^(import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms,
  )) {
    if (match[2] === undefined) found.push(match[3] ?? '');
  }
  for (const match of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) {
    found.push(match[1] ?? '');
  }
  return found;
}

const inside = (file: string, folder: string): boolean =>
  file === folder || file.startsWith(`${folder}${sep}`);

describe('the browser apps', () => {
  for (const app of WEB_APPS) {
    it(`${app.name}: every file it bundles from outside its folder is in its sources`, () => {
      const sources = app.sources ?? [];
      const seen = new Set<string>();
      const outside: string[] = [];
      // What Vite bundles: the code under src/ (index.html's entry) and
      // what it imports, not the build's own scripts.
      const queue = codeFiles(join(app.root, 'src'));
      while (queue.length > 0) {
        const file = queue.pop() ?? '';
        if (seen.has(file)) continue;
        seen.add(file);
        for (const specifier of valueImports(file)) {
          const target = resolveSpecifier(file, specifier);
          if (inside(target, app.root)) {
            queue.push(target);
            continue;
          }
          if (!sources.some((s) => inside(target, s))) {
            outside.push(
              `${relative(app.root, file)} imports ${relative(app.root, target)}`,
            );
          }
          queue.push(target);
        }
      }
      assert.deepEqual(outside, []);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'govgraph-web-app-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('changes the stamp when a file of its sources changes, and only then', async () => {
    const root = join(dir, 'app');
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'index.html'),
      '<script type="module" src="/src/main.ts"></script>',
    );
    writeFileSync(
      join(root, 'src', 'main.ts'),
      "import { shared } from '../../shared/shared.js';\nshared();\n",
    );
    mkdirSync(join(dir, 'shared'));
    writeFileSync(
      join(dir, 'shared', 'shared.ts'),
      'export const shared = () => 1;\n',
    );
    writeFileSync(join(dir, 'unrelated.ts'), 'export {};\n');
    const app: WebApp = {
      name: 'test',
      root,
      outDir: join(root, 'dist'),
      packages: [],
      sources: [join(dir, 'shared')],
    };
    const first = await webAppStamp(app);
    writeFileSync(join(dir, 'unrelated.ts'), 'export const other = 2;\n');
    assert.equal(await webAppStamp(app), first);
    writeFileSync(
      join(dir, 'shared', 'shared.ts'),
      'export const shared = () => 2;\n',
    );
    const second = await webAppStamp(app);
    assert.notEqual(second, first);
    assert.notEqual(await webAppStamp({ ...app, sources: [] }), second);
  });
});
