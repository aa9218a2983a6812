// `--help` on every command-line tool prints its usage and changes nothing:
// no database opened (no folder, no lock), no secrets made, no file written
// (`npm run compose -- --help` once rewrote gateway/supergraph.graphql).
// The tools are the package.json scripts that run a main file; all of them
// run in one child process (runHelps.ts) to keep the CPU cost down.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The main file of each tool script in package.json. */
async function toolMains(): Promise<Map<string, string>> {
  const pkg = JSON.parse(
    await readFile(join(root, 'package.json'), 'utf8'),
  ) as { scripts: Record<string, string> };
  const mains = new Map<string, string>();
  for (const [name, command] of Object.entries(pkg.scripts)) {
    const match =
      /^(?:exec )?(?:tsx|node scripts\/launch\.js) ([\w/.-]+\.ts)(?: --check)?$/.exec(
        command,
      );
    // Benchmarks, tests and the fuzzer are not operators' tools.
    if (!match?.[1] || /^(bench|soak|test|fuzz|check:)/.test(name)) continue;
    mains.set(name, match[1]);
  }
  return mains;
}

async function fingerprint(path: string): Promise<string> {
  const [content, info] = await Promise.all([readFile(path), stat(path)]);
  return `${createHash('sha256').update(content).digest('hex')} ${String(info.mtimeMs)}`;
}

describe('--help on every command-line tool', () => {
  it('prints the usage, exits 0 and writes nothing', async () => {
    const mains = await toolMains();
    for (const tool of [
      'start',
      'compose',
      'token',
      'policy',
      'audit:verify',
      'audit:report',
      'seed',
      'explain',
      'gateway',
      'worker',
      'console',
    ]) {
      assert.ok(mains.has(tool), `${tool} is a script with a main file`);
    }
    // A signal to npm reaches the process: the long-running scripts exec
    // the launcher, which runs the main in its own process, rather than
    // leave it behind a shell (`kill $!` after `npm start &`).
    const pkg = JSON.parse(
      await readFile(join(root, 'package.json'), 'utf8'),
    ) as { scripts: Record<string, string> };
    for (const tool of ['start', 'gateway', 'worker', 'console']) {
      assert.match(
        pkg.scripts[tool] ?? '',
        /^exec node scripts\/launch\.js /,
        tool,
      );
    }
    const state = await mkdtemp(join(tmpdir(), 'govgraph-help-'));
    const out = join(state, 'results.json');
    const supergraph = join(root, 'gateway/supergraph.graphql');
    const before = await fingerprint(supergraph);
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PGLITE_DATA_DIR: join(state, 'pglite'),
      };
      delete env['DATABASE_URL'];
      delete env['GOVGRAPH_TOKEN_SECRET'];
      await new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          [
            '--import',
            'tsx',
            'tests/integration/cli/runHelps.ts',
            ...mains.values(),
            out,
          ],
          { cwd: root, env, timeout: 120_000 },
          (error, _stdout, stderr) =>
            error
              ? reject(new Error(`${error.message}\n${stderr}`))
              : resolve(),
        );
      });
      const results = JSON.parse(await readFile(out, 'utf8')) as {
        file: string;
        code: number | null;
        stdout: string;
        stderr: string;
      }[];
      assert.equal(results.length, mains.size);
      for (const result of results) {
        assert.equal(result.code, 0, `${result.file}: ${result.stderr}`);
        assert.match(result.stdout, /^usage: /, result.file);
        assert.equal(result.stderr, '', result.file);
      }
      assert.equal(await fingerprint(supergraph), before);
      assert.deepEqual(await readdir(state), ['results.json']);
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
