// Faults of PostgreSQL under a bounded load of governed cross-department
// reads (issue 14): the hub runs as `npm start` does, as a process of its
// own, on a PostgreSQL cluster of this test's own (tests/utils/
// privatePostgres.ts) holding the demo city, which the test restarts and
// freezes. The figures of each case are printed as test diagnostics.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';

import { verifyAccessLog } from '../../policies/store/src/audit/index.js';
import { openDatabase } from '../../subgraphs/kit/src/index.js';
import { createDemoDatabase } from '../utils/demoTemplate.js';
import { demoHeaders, TEST_TOKEN_SECRET } from '../utils/graphql.js';
import { freePort } from '../utils/net.js';
import {
  dumpDatabase,
  startPrivatePostgres,
  type PrivatePostgres,
} from '../utils/privatePostgres.js';
import { collect, LAUNCHER, waitFor } from '../utils/processes.js';

/** How long the gateway waits for a subgraph here (the default is 10 s). */
const SUBGRAPH_TIMEOUT_MS = 2_000;
/** The caller of the load: a street officer reading public security's register. */
const CALLER = 'enforcement-jiefangbei';
/** Requests in flight at once. */
const CONCURRENCY = 4;
/**
 * The longest a request may wait while PostgreSQL stalls: the subgraph
 * call timeout, the access-log append deadline (GATEWAY_AUDIT_DEADLINE_MS,
 * 2 s by default) and a margin for the loaded machine.
 */
const STALL_ANSWER_BOUND_MS = SUBGRAPH_TIMEOUT_MS + 2_000 + 2_000;

let postgres: PrivatePostgres;
let hub: ChildProcess;
let hubIo: ReturnType<typeof collect>;
let gatewayUrl: string;
let headers: Record<string, string>;

before(async () => {
  // The demo city, copied from the shared server's template into the
  // private cluster.
  const { tdb } = await createDemoDatabase();
  try {
    await using dump = await dumpDatabase(tdb.url);
    postgres = await startPrivatePostgres({ dumpFile: dump.file });
  } finally {
    await tdb.drop();
  }
  const port = await freePort();
  // As `npm start` runs it: one process (the launcher runs the hub's
  // bundle itself), so SIGKILL kills the hub and not a wrapper in front of it.
  hub = spawn(process.execPath, [LAUNCHER, 'hub/start.ts'], {
    cwd: new URL('../..', import.meta.url),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: postgres.url('demo'),
      PORT: String(port),
      SUBGRAPH_PORTS: 'free',
      CONSOLE_PORT: String(await freePort()),
      GOVGRAPH_TOKEN_SECRET: TEST_TOKEN_SECRET,
      GATEWAY_SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
    },
  });
  hubIo = collect(hub);
  await waitFor(() => hubIo.out().includes('govgraph is up'), 60_000).catch(
    (error: unknown) => {
      throw new Error(`${String(error)}\n${hubIo.err()}`);
    },
  );
  gatewayUrl = `http://127.0.0.1:${String(port)}/graphql`;
  headers = await demoHeaders(CALLER);
});

after(async () => {
  if (hub.exitCode === null && hub.signalCode === null) {
    hub.kill('SIGTERM');
    await Promise.race([hubIo.exit, new Promise((r) => setTimeout(r, 10_000))]);
    hub.kill('SIGKILL');
  }
  await postgres[Symbol.asyncDispose]();
});

/** One request of the load and how it went. */
interface Sent {
  readonly n: number;
  readonly sentAt: number;
  ms: number;
  status: number;
  /** Cross-department data reached the caller. */
  answered: boolean;
  codes: string[];
}

/**
 * Cross-department reads, {@link CONCURRENCY} at a time, each with a text
 * of its own (`r<n>:`) so that its access-log record can be found.
 */
let next = 0;

function startLoad(): { stop(): Promise<Sent[]> } {
  const sent: Sent[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const n = next++;
      const request: Sent = {
        n,
        sentAt: Date.now(),
        ms: 0,
        status: 0,
        answered: false,
        codes: [],
      };
      sent.push(request);
      try {
        const res = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ r${String(n)}: complaint(id: "C-20250915-JCK") { id complainant { name } } }`,
          }),
          signal: AbortSignal.timeout(60_000),
        });
        request.status = res.status;
        const body = (await res.json()) as {
          data?: Record<string, { complainant: { name: string } | null }>;
          errors?: { extensions?: { code?: string } }[];
        };
        request.answered =
          typeof body.data?.[`r${String(n)}`]?.complainant?.name === 'string';
        request.codes = (body.errors ?? []).map(
          (e) => e.extensions?.code ?? '?',
        );
      } catch (error) {
        request.codes = [error instanceof Error ? error.name : 'fetch'];
      }
      request.ms = Date.now() - request.sentAt;
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, () => loop());
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return sent;
    },
  };
}

/** Counts of the error codes of the load. */
function codesOf(sent: readonly Sent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sent) {
    for (const code of new Set(s.codes)) counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/** The request numbers the access log holds a record of, by outcome. */
async function recorded(): Promise<Map<number, string>> {
  const client = new pg.Client({ connectionString: postgres.url('demo') });
  await client.connect();
  try {
    const { rows } = await client.query<{ text: string; outcome: string }>(
      `SELECT operation_text AS text, outcome FROM audit.access_records WHERE subject = $1`,
      [CALLER],
    );
    const byNumber = new Map<number, string>();
    for (const row of rows) {
      const match = /\br(\d+):/.exec(row.text);
      if (match?.[1] !== undefined) byNumber.set(Number(match[1]), row.outcome);
    }
    return byNumber;
  } finally {
    await client.end();
  }
}

async function assertChainVerifies(): Promise<void> {
  const db = await openDatabase({
    kind: 'pg',
    connectionString: postgres.url('demo'),
  });
  try {
    const verification = await verifyAccessLog(db);
    assert.deepEqual(verification.problems, []);
  } finally {
    await db.close();
  }
}

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

// Every case is bounded: a fault that hangs the test fails it instead.
describe(
  'PostgreSQL faults under load (npm start on a private cluster)',
  { timeout: 90_000 },
  () => {
    it('survives a restart: no process exits, reads recover by themselves, every answered read has its record', async (t) => {
      const load = startLoad();
      await sleep(1_500);
      await postgres.stop();
      await sleep(3_000);
      await postgres.start();
      const up = Date.now();
      let recoveredAt = 0;
      // Recovery without a restart: reads sent after the server is back are
      // answered again.
      await waitFor(async () => {
        const res = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ complaint(id: "C-20250915-JCK") { complainant { name } } }`,
          }),
        });
        const body = (await res.json()) as {
          data?: { complaint?: { complainant?: { name?: unknown } } };
        };
        const ok =
          res.status === 200 &&
          typeof body.data?.complaint?.complainant?.name === 'string';
        if (ok) recoveredAt = Date.now();
        return ok;
      }, 20_000);
      await sleep(500);
      const sent = await load.stop();
      assert.ok(
        hub.exitCode === null && hub.signalCode === null,
        `the hub exited: ${hubIo.err()}`,
      );
      const records = await recorded();
      const answered = sent.filter((s) => s.answered);
      const unrecorded = answered.filter((s) => !records.has(s.n));
      t.diagnostic(
        `restart: ${String(sent.length)} requests, ${String(answered.length)} answered with data, errors by code ${JSON.stringify(codesOf(sent))}, ${String(records.size)} records, ${String(unrecorded.length)} answered without a record, recovered ${String(recoveredAt - up)} ms after the server was back`,
      );
      assert.ok(answered.length > 0, 'the load got answers');
      assert.deepEqual(
        unrecorded.map((s) => s.n),
        [],
        'every answered read has its record',
      );
      await assertChainVerifies();
    });

    it('answers every request within a bound while PostgreSQL stalls, and recovers when it thaws', async (t) => {
      const load = startLoad();
      await sleep(1_000);
      const stalled = Date.now();
      await postgres.pause();
      try {
        await sleep(8_000);
      } finally {
        await postgres.resume();
      }
      const thawed = Date.now();
      await waitFor(async () => {
        const res = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ complaint(id: "C-20250915-JCK") { complainant { name } } }`,
          }),
        });
        return res.status === 200;
      }, 20_000);
      const recovered = Date.now();
      const sent = await load.stop();
      assert.ok(
        hub.exitCode === null && hub.signalCode === null,
        `the hub exited: ${hubIo.err()}`,
      );
      const during = sent.filter(
        (s) => s.sentAt >= stalled && s.sentAt < thawed,
      );
      const slowest = Math.max(...during.map((s) => s.ms));
      const records = await recorded();
      const unrecorded = sent.filter((s) => s.answered && !records.has(s.n));
      t.diagnostic(
        `stall: ${String(sent.length)} requests (${String(during.length)} sent during the 8 s stall, slowest answered in ${String(slowest)} ms), ${String(sent.filter((s) => s.answered).length)} answered with data, errors by code ${JSON.stringify(codesOf(sent))}, ${String(unrecorded.length)} answered without a record, recovered ${String(recovered - thawed)} ms after the thaw`,
      );
      assert.ok(during.length > 0, 'requests were sent during the stall');
      assert.ok(
        slowest <= STALL_ANSWER_BOUND_MS,
        `a request sent during the stall waited ${String(slowest)} ms (bound ${String(STALL_ANSWER_BOUND_MS)} ms)`,
      );
      assert.deepEqual(
        unrecorded.map((s) => s.n),
        [],
        'every answered read has its record',
      );
    });

    it('leaves no answered read without its record when the hub is killed (SIGKILL) under load', async (t) => {
      const load = startLoad();
      await sleep(1_500);
      hub.kill('SIGKILL');
      await hubIo.exit;
      const sent = await load.stop();
      const records = await recorded();
      const answered = sent.filter((s) => s.answered);
      const unrecorded = answered.filter((s) => !records.has(s.n));
      t.diagnostic(
        `SIGKILL: ${String(sent.length)} requests, ${String(answered.length)} answered with data, ${String(unrecorded.length)} answered without a record`,
      );
      assert.ok(answered.length > 0, 'the load got answers before the kill');
      assert.deepEqual(
        unrecorded.map((s) => s.n),
        [],
      );
      await assertChainVerifies();
    });
  },
);
