// ALERT_WEBHOOK_ALLOWED_TARGETS is parsed once at start and a bad entry
// stops the process with one clear line: the emergency subgraph's own main
// and `npm start` (hub/start.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { LAUNCHER } from '../../utils/processes.js';

const root = new URL('../../..', import.meta.url);

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LAUNCHER, script],
      {
        cwd: root,
        env: { ...process.env, PORT: '0', SUBGRAPH_PORTS: 'free', ...env },
        timeout: 60_000,
      },
      (error, _stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stderr,
        }),
    );
  });
}

describe('ALERT_WEBHOOK_ALLOWED_TARGETS at start', () => {
  for (const script of ['subgraphs/emergency/src/main.ts', 'hub/start.ts']) {
    it(`${script} exits 1 with one line naming a bad entry`, async () => {
      const { code, stderr } = await run(script, {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
        ALERT_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1,10.0.0.0/33',
      });
      assert.equal(code, 1, stderr);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(
        stderr,
        /^govgraph: invalid environment: ALERT_WEBHOOK_ALLOWED_TARGETS: "10\.0\.0\.0\/33" is not an allowed-target entry \(prefix \/33\)/,
      );
    });
  }
});
