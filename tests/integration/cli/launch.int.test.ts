// The launcher of the mains (scripts/launch.js), on a repository of its own
// made in a temporary folder (the launcher beside a tsconfig.json, a main
// and the modules it imports, the real packages linked into its
// node_modules): it runs the main from a bundle built once and kept while
// every file it was built from is unchanged, builds it again after an edit,
// gives each module its own import.meta.url and the main its own path in
// process.argv[1], maps stack traces to the .ts files, lets a signal reach
// the main, says where sources do not compile, and falls back to tsx when
// the cache cannot be written. Every other test that starts a main starts
// it through the launcher too, as npm's scripts do.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { LAUNCHER } from '../../utils/processes.js';

const repoModules = fileURLToPath(
  new URL('../../../node_modules', import.meta.url),
);

const MAIN = `import { readFileSync } from 'node:fs';
import { helperUrl, value } from './helper.js';

const mode = process.argv[2];
if (mode === 'throw') {
  const { fail } = await import('./lazy.js');
  fail();
}
if (mode === 'exit') process.exit(3);
if (mode === 'wait') {
  process.on('SIGTERM', () => {
    process.stdout.write('stopped by SIGTERM\\n');
    process.exit(0);
  });
  process.stdout.write('waiting\\n');
  setInterval(() => undefined, 1000);
} else {
  const { lazy } = await import('./lazy.js');
  process.stdout.write(
    JSON.stringify({
      argv1: process.argv[1],
      args: process.argv.slice(2),
      mainUrl: import.meta.url,
      helperUrl,
      value,
      lazy: lazy(),
      data: readFileSync(new URL('./data.txt', import.meta.url), 'utf8'),
    }),
  );
}
`;

const LAZY = `export function lazy(): string {
  return 'loaded when asked';
}

export function fail(): never {
  throw new Error('failed on purpose');
}
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the launcher of the mains (scripts/launch.js)', () => {
  let repo: string;
  let cache: string;

  const launch = (args: string[], cwd = repo): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(repo, 'scripts/launch.js'), ...args],
        { cwd, timeout: 60_000, encoding: 'utf8' },
        (error, stdout, stderr) =>
          resolve({
            code: error
              ? typeof error.code === 'number'
                ? error.code
                : -1
              : 0,
            stdout,
            stderr,
          }),
      );
    });
  const writeHelper = (value: string): void =>
    writeFileSync(
      join(repo, 'src/helper.ts'),
      `export const helperUrl: string = import.meta.url;\nexport const value: string = '${value}';\n`,
    );
  /** The build folders of src/main.ts in the cache. */
  const builds = (): string[] =>
    readdirSync(cache).filter(
      (f) => f.startsWith('src__main.ts.') && !f.endsWith('.json'),
    );

  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'govgraph-launch-'));
    mkdirSync(join(repo, 'scripts'));
    mkdirSync(join(repo, 'src'));
    copyFileSync(LAUNCHER, join(repo, 'scripts/launch.js'));
    writeFileSync(
      join(repo, 'package.json'),
      JSON.stringify({ name: 'launch-test', private: true, type: 'module' }),
    );
    writeFileSync(
      join(repo, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          strict: true,
          verbatimModuleSyntax: true,
        },
      }),
    );
    // The packages, linked one by one: the cache is this repository's own.
    mkdirSync(join(repo, 'node_modules'));
    for (const entry of readdirSync(repoModules)) {
      if (entry === '.cache') continue;
      symlinkSync(join(repoModules, entry), join(repo, 'node_modules', entry));
    }
    cache = join(repo, 'node_modules/.cache/govgraph/mains');
    writeFileSync(join(repo, 'src/main.ts'), MAIN);
    writeFileSync(join(repo, 'src/lazy.ts'), LAZY);
    writeFileSync(join(repo, 'src/data.txt'), 'beside the main');
    writeHelper('first');
  });

  after(() => rmSync(repo, { recursive: true, force: true }));

  it('runs a main as tsx would: its own path, its modules’ own URLs, its arguments', async () => {
    const run = await launch(['src/main.ts', 'a', '--b']);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.deepEqual(JSON.parse(run.stdout), {
      argv1: join(repo, 'src/main.ts'),
      args: ['a', '--b'],
      mainUrl: pathToFileURL(join(repo, 'src/main.ts')).href,
      helperUrl: pathToFileURL(join(repo, 'src/helper.ts')).href,
      value: 'first',
      lazy: 'loaded when asked',
      data: 'beside the main',
    });
    assert.equal(builds().length, 1);
    // The lazily imported module is a chunk of its own.
    const [build] = builds();
    assert.ok(
      readdirSync(join(cache, build ?? '')).filter((f) => f.endsWith('.mjs'))
        .length >= 2,
    );
  });

  it('keeps the bundle while its files are unchanged, and builds it again after an edit', async () => {
    const manifest = (): string =>
      readFileSync(join(cache, 'src__main.ts.json'), 'utf8');
    const before = manifest();
    const again = await launch(['src/main.ts']);
    assert.equal(again.code, 0);
    assert.equal(manifest(), before, 'not built again');
    assert.equal(builds().length, 1);

    writeHelper('second');
    const edited = await launch(['src/main.ts']);
    assert.equal(edited.stderr, '');
    assert.equal(
      (JSON.parse(edited.stdout) as { value: string }).value,
      'second',
    );
    assert.notEqual(manifest(), before);
    // The earlier build stays for an hour (a process may still load its
    // chunks); the manifest names the new one.
    assert.equal(builds().length, 2);
    assert.ok(
      builds().includes((JSON.parse(manifest()) as { dir: string }).dir),
    );
  });

  it('builds again over a manifest that is not one (cut short, edited)', async () => {
    for (const text of ['{}', 'null', '{"stamp":', '[1]']) {
      writeFileSync(join(cache, 'src__main.ts.json'), text);
      const run = await launch(['src/main.ts']);
      assert.equal(run.stderr, '', text);
      assert.equal(run.code, 0, text);
      assert.equal(
        (JSON.parse(run.stdout) as { value: string }).value,
        'second',
      );
    }
  });

  it('runs from another working folder, with the main named by an absolute path', async () => {
    const run = await launch([join(repo, 'src/main.ts')], tmpdir());
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      (JSON.parse(run.stdout) as { argv1: string }).argv1,
      join(repo, 'src/main.ts'),
    );
  });

  it('points a stack trace at the .ts file, and passes the exit code on', async () => {
    const thrown = await launch(['src/main.ts', 'throw']);
    assert.notEqual(thrown.code, 0);
    assert.match(thrown.stderr, /Error: failed on purpose/);
    assert.match(thrown.stderr, /src\/lazy\.ts:6:\d+/);
    const exited = await launch(['src/main.ts', 'exit']);
    assert.equal(exited.code, 3);
  });

  it('lets SIGTERM reach the main: the launcher is the main’s own process', async () => {
    const child = spawn(
      process.execPath,
      [join(repo, 'scripts/launch.js'), 'src/main.ts', 'wait'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((r) =>
      child.on('exit', (code) => r(code)),
    );
    const until = Date.now() + 30_000;
    while (!out.includes('waiting') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.equal(out, 'waiting\nstopped by SIGTERM\n');
  });

  it('builds once when several start at once on an empty cache', async () => {
    rmSync(cache, { recursive: true, force: true });
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() => launch(['src/main.ts', 'x'])),
    );
    for (const run of runs) {
      assert.equal(run.stderr, '');
      assert.deepEqual((JSON.parse(run.stdout) as { args: string[] }).args, [
        'x',
      ]);
    }
    assert.equal(builds().length, 1, 'the same build, kept once');
    assert.deepEqual(
      readdirSync(cache).filter((f) => f.includes('.tmp')),
      [],
      'no temporary files left',
    );
  });

  it('says where sources do not compile, and runs nothing', async () => {
    writeFileSync(
      join(repo, 'src/broken.ts'),
      `import './helper.js';\nconst x: number = ;\nprocess.stdout.write('ran');\n`,
    );
    const run = await launch(['src/broken.ts']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^launch: src\/broken\.ts:2:\d+: Unexpected ";"\n$/,
    );
    // The same when only building (the image's build step).
    const built = await launch(['--build', 'src/broken.ts']);
    assert.equal(built.code, 1);
    assert.match(
      built.stderr,
      /^launch: src\/broken\.ts:2:\d+: Unexpected ";"\n$/,
    );
  });

  it('refuses what is not a TypeScript file of the repository', async () => {
    const outside = await launch([join(tmpdir(), 'elsewhere.ts')]);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /is not a TypeScript file of the repository/);
    const none = await launch([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^usage: node scripts\/launch\.js <main\.ts>/);
  });

  it('runs the main through tsx, saying why, when the cache cannot be written', async () => {
    rmSync(join(repo, 'node_modules/.cache'), { recursive: true, force: true });
    // A file where the cache's folder would be.
    writeFileSync(join(repo, 'node_modules/.cache'), 'not a folder');
    try {
      const run = await launch(['src/main.ts', 'via-tsx']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stderr,
        /^launch: running src\/main\.ts through tsx, its bundle could not be built in .*: ENOTDIR[^\n]*\n$/,
      );
      assert.deepEqual(JSON.parse(run.stdout), {
        argv1: join(repo, 'src/main.ts'),
        args: ['via-tsx'],
        mainUrl: pathToFileURL(join(repo, 'src/main.ts')).href,
        helperUrl: pathToFileURL(join(repo, 'src/helper.ts')).href,
        value: 'second',
        lazy: 'loaded when asked',
        data: 'beside the main',
      });
    } finally {
      rmSync(join(repo, 'node_modules/.cache'), { force: true });
    }
  });
});
