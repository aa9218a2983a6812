import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { LAUNCHER } from '../../utils/processes.js';

const root = new URL('../../..', import.meta.url);

/** Runs `script` with `env` (and no signing variables of ours). */
function run(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  const clean = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'GATEWAY_SIGNING_SECRET',
    'GATEWAY_SIGNING_PUBLIC_KEY_FILE',
    'GATEWAY_SIGNING_PRIVATE_KEY_FILE',
    'GOVGRAPH_TOKEN_SECRET',
    'GOVGRAPH_JWKS_URL',
  ]) {
    delete clean[name];
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LAUNCHER, script, ...args],
      { cwd: root, env: { ...clean, PORT: '0', ...env }, timeout: 60_000 },
      (error, _stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stderr,
        }),
    );
  });
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.match(stderr, pattern);
}

// Each case is its own process: they run side by side.
describe(
  'the mains refuse to start without a signing key',
  { concurrency: true },
  () => {
    it('a subgraph main exits 1 with one line when no key is set', async () => {
      const { code, stderr } = await run('subgraphs/market/src/main.ts', {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
      });
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^govgraph: GATEWAY_SIGNING_SECRET \(or GATEWAY_SIGNING_PUBLIC_KEY_FILE\) is required: the market subgraph answers only calls signed by the gateway/,
      );
    });

    it('a subgraph main exits 1 with one line for a short secret, without printing it', async () => {
      const { code, stderr } = await run('subgraphs/water/src/main.ts', {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
        GATEWAY_SIGNING_SECRET: 'hunter2-hunter2',
      });
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^govgraph: invalid environment: GATEWAY_SIGNING_SECRET must be at least 32 bytes long/,
      );
      assert.doesNotMatch(stderr, /hunter2/);
    });

    it('a subgraph main exits 1 with one line for an unreadable key file', async () => {
      const { code, stderr } = await run('subgraphs/water/src/main.ts', {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
        GATEWAY_SIGNING_PUBLIC_KEY_FILE: '/nonexistent/gateway.pem',
      });
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^govgraph: cannot read key file \/nonexistent\/gateway\.pem/,
      );
    });

    it('the gateway main exits 1 with one line when no key is set', async () => {
      const { code, stderr } = await run('gateway/src/main.ts', {});
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^govgraph gateway: GATEWAY_SIGNING_SECRET \(or GATEWAY_SIGNING_PRIVATE_KEY_FILE\) is required/,
      );
    });

    it('the gateway main exits 1 with one line when no token key is set', async () => {
      const { code, stderr } = await run('gateway/src/main.ts', {
        GATEWAY_SIGNING_SECRET: 'a signing secret of at least 32 bytes',
      });
      assert.equal(code, 1);
      assertOneLine(
        stderr,
        /^govgraph gateway: GOVGRAPH_TOKEN_SECRET \(or GOVGRAPH_JWKS_URL\) is required/,
      );
    });

    it('npm run token exits 1 without GOVGRAPH_TOKEN_SECRET and 2 for an unknown user', async () => {
      // No secret kept by an npm start either (hub/devSecrets.ts).
      const missing = await run(
        'hub/tokenMain.ts',
        { PGLITE_DATA_DIR: '/nonexistent/govgraph/pglite' },
        ['env-analyst'],
      );
      assert.equal(missing.code, 1);
      assertOneLine(
        missing.stderr,
        /^govgraph token: GOVGRAPH_TOKEN_SECRET is required/,
      );
      const unknown = await run(
        'hub/tokenMain.ts',
        { GOVGRAPH_TOKEN_SECRET: 'a token secret of at least 32 bytes!' },
        ['nobody'],
      );
      assert.equal(unknown.code, 2);
      assertOneLine(
        unknown.stderr,
        /unknown demo user "nobody"; known: env-analyst/,
      );
    });
  },
);
