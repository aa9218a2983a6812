// SIGTERM under load: every cross-department read the hub answered has its
// access-log record, and the chain verifies after the process has exited.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

import { verifyAccessLog } from '../../policies/store/src/audit/index.js';
import {
  demoHeaders,
  TEST_SIGNING_SECRET,
  TEST_TOKEN_SECRET,
} from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import { createDemoDatabase } from '../utils/demoTemplate.js';
import { LAUNCHER } from '../utils/processes.js';

const QUERY = `query Complaint { complaint(id: "C-20250915-JCK") {
  summary complainant { name mobile } merchants { nodes { name } } } }`;

describe('access log on SIGTERM under load', () => {
  it('loses no record of an answered cross-department read', async () => {
    // A copy of the seeded demo template: the hub starts on the demo city
    // without seeding it (this test is about its stop).
    await using tdb = (await createDemoDatabase()).tdb;
    const port = await freePort();
    // As `npm start` runs it: the launcher runs the hub in its own process,
    // so SIGTERM reaches the hub's handler (tsx's CLI, which ran it before,
    // relayed SIGTERM and SIGKILLed a child that did not acknowledge it
    // within 30 ms, which a hub under load may not).
    const child = spawn(process.execPath, [LAUNCHER, 'hub/start.ts'], {
      cwd: new URL('../..', import.meta.url),
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        PORT: String(port),
        SUBGRAPH_PORTS: 'free',
        GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
        GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const url = `http://127.0.0.1:${String(port)}/graphql`;
    try {
      const started = Date.now();
      for (;;) {
        try {
          if ((await fetch(new URL('/health', url))).ok) break;
        } catch {
          // not up yet
        }
        assert.ok(
          Date.now() - started < 60_000,
          `hub did not start: ${stderr}`,
        );
        await new Promise((r) => setTimeout(r, 200));
      }
      const headers = {
        ...(await demoHeaders('enforcement-jiefangbei')),
        'content-type': 'application/json',
      };
      let answered = 0;
      let lastFailure = '';
      let stopped = false;
      const worker = async (): Promise<void> => {
        while (!stopped) {
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers,
              body: JSON.stringify({ query: QUERY }),
            });
            const body = (await res.json()) as {
              data?: { complaint?: unknown };
            };
            if (res.ok && body.data?.complaint) answered += 1;
            else lastFailure = JSON.stringify(body).slice(0, 300);
          } catch {
            // The hub is going away: connections are refused or cut.
            if (child.exitCode !== null) return;
            await new Promise((r) => setTimeout(r, 5));
          }
        }
      };
      const workers = Array.from({ length: 16 }, () => worker());
      // Let the load build up, then stop the hub in the middle of it.
      const loadStarted = Date.now();
      while (answered < 40) {
        assert.ok(
          Date.now() - loadStarted < 60_000,
          `only ${String(answered)} answers in 60 s; last: ${lastFailure}`,
        );
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGTERM');
      const code = await exited;
      stopped = true;
      await Promise.all(workers);
      assert.equal(code, 0, stderr);
      const { rows } = await tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit.access_log WHERE subject = 'enforcement-jiefangbei'`,
      );
      const records = rows[0]?.n ?? 0;
      process.stdout.write(
        `# SIGTERM under load: ${String(answered)} answered, ${String(records)} records\n`,
      );
      assert.ok(answered >= 40);
      assert.ok(
        records >= answered,
        `${String(answered)} answered but only ${String(records)} records`,
      );
      const verification = await verifyAccessLog(tdb.db);
      assert.equal(
        verification.ok,
        true,
        JSON.stringify(verification.problems),
      );
      // The chain holds every record: the load's and the alert
      // evaluator's (it reads other departments through the gateway too).
      const all = await tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit.access_log`,
      );
      assert.equal(verification.records, all.rows[0]?.n);
      assert.ok(verification.records >= records);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
