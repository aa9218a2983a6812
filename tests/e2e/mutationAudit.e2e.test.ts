// Mutations tell the truth under audit failure (docs/governance.md "The
// access log"): a recorded mutation's attempt is in the access log before it
// runs, so that with the log unwritable (or stalled past the deadline) it is
// refused AND not done; once the log is writable it runs once, and a retry
// with the same Idempotency-Key gets the first answer instead of a second
// write.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';

import { verifyAccessLog } from '../../policies/store/src/audit/index.js';
import {
  demoHeaders,
  postGraphQL,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { findError, scalar } from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

/** The gateway's access-log deadline in this file. */
const DEADLINE_MS = 500;

const CREATE = `mutation Create($input: NegativeListEntryInput!) {
  createNegativeListEntry(input: $input) { id version status revision coverage } }`;
const COMPLAINT = `{ complaint(id: "C-20250915-JCK") { summary complainant { id name mobile } } }`;

let t: TestHub;

before(async () => {
  t = await startTestHub({
    replayScenarios: false,
    accessLogDeadlineMs: DEADLINE_MS,
  });
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

const idOf = (n: number): string => `NL-PS-9${String(n).padStart(2, '0')}`;

/** A publicsecurity data officer creates draft entry `idOf(n)`. */
async function create(
  n: number,
  key?: string,
  coordinate = 'Person.mobile',
): Promise<GraphQLResponse<any>> {
  return postGraphQL(
    t.hub.gatewayUrl,
    CREATE,
    {
      input: {
        id: idOf(n),
        ownerDepartment: 'publicsecurity',
        content: {
          selector: { coordinates: [coordinate] },
          shareClass: 'NOT_SHARED',
          legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
          reason: `test entry ${String(n)}`,
          priority: 30,
        },
      },
    },
    {
      ...(await demoHeaders('publicsecurity-data-officer')),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
  );
}

/** Versions stored of the entries `ns`. */
async function storedVersions(ns: readonly number[]): Promise<number> {
  return scalar<number>(
    t.tdb.db,
    'SELECT count(*)::int FROM policy.negative_list_entries WHERE id = ANY($1::text[])',
    [ns.map(idOf)],
  );
}

async function lastSeq(): Promise<number> {
  return Number(
    await scalar<string>(
      t.tdb.db,
      'SELECT COALESCE(max(seq), 0)::text FROM audit.access_log',
    ),
  );
}

interface LoggedRow {
  seq: number;
  outcome: string;
  attempt_id: string | null;
  operation_name: string | null;
}

async function recordsAfter(seq: number): Promise<LoggedRow[]> {
  const { rows } = await t.tdb.db.query<LoggedRow & { seq: string }>(
    `SELECT seq::text AS seq, outcome, attempt_id, operation_name
       FROM audit.access_log WHERE seq > $1 ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** Polls `probe` until it holds; fails after `ms`. */
async function within(
  ms: number,
  what: string,
  probe: () => Promise<boolean>,
): Promise<void> {
  const started = performance.now();
  while (!(await probe())) {
    assert.ok(
      performance.now() - started < ms,
      `${what}: not within ${String(ms)} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function assertRefusedNotRun(res: GraphQLResponse<any>): void {
  assert.equal(res.status, 503, res.text);
  assert.equal(res.data, undefined, res.text);
  const error = findError(res, 'AUDIT_UNAVAILABLE');
  assert.equal(error.extensions?.['executed'], false);
}

describe('mutations under audit failure', () => {
  it('refuses five writes while the access log is unwritable and stores none; then each runs once, and a retry with its key gets the first answer', async () => {
    const ns = [1, 2, 3, 4, 5];
    const keys = ns.map(() => randomUUID());
    const start = await lastSeq();
    await t.tdb.db.exec(
      `CREATE FUNCTION public.test_refuse_audit() RETURNS trigger LANGUAGE plpgsql
         AS $$BEGIN RAISE EXCEPTION 'access log unwritable (test)'; END$$;
       CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit.access_log
         FOR EACH STATEMENT EXECUTE FUNCTION public.test_refuse_audit();`,
    );
    try {
      for (const [i, n] of ns.entries()) {
        assertRefusedNotRun(await create(n, keys[i]));
      }
    } finally {
      await t.tdb.db.exec(
        `DROP TRIGGER test_refuse_audit ON audit.access_log;
         DROP FUNCTION public.test_refuse_audit();`,
      );
    }
    assert.equal(await storedVersions(ns), 0, 'a refused write is not done');
    assert.deepEqual(await recordsAfter(start), []);
    assert.equal(
      await scalar<number>(
        t.tdb.db,
        'SELECT count(*)::int FROM audit.idempotency_keys WHERE key = ANY($1::text[])',
        [keys],
      ),
      0,
      'the keys of writes that did not run are free again',
    );

    // Writable again: the same writes, with the same keys, run once each.
    const first: GraphQLResponse<any>[] = [];
    for (const [i, n] of ns.entries()) {
      const res = await create(n, keys[i]);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.errors, undefined, res.text);
      assert.deepEqual(
        [
          res.data.createNegativeListEntry.id,
          res.data.createNegativeListEntry.status,
        ],
        [idOf(n), 'DRAFT'],
      );
      first.push(res);
    }
    assert.equal(await storedVersions(ns), 5);

    // A retry after a lost answer: the first answer again, nothing written.
    for (const [i, n] of ns.entries()) {
      const again = await create(n, keys[i]);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.errors, undefined, again.text);
      assert.deepEqual(again.data, first[i]?.data);
      assert.equal(
        (JSON.parse(again.text) as any).extensions?.idempotentReplay,
        true,
      );
    }
    assert.equal(await storedVersions(ns), 5, 'a replay does not write twice');

    // Without a key the retry runs again, and the store refuses it.
    const bare = await create(1);
    assert.ok(bare.errors && bare.errors.length > 0, bare.text);
    assert.equal(await storedVersions(ns), 5);

    // The same key for another operation (another entry) is refused, not run.
    const reused = await create(6, keys[0]);
    assert.equal(reused.status, 422, reused.text);
    findError(reused, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await storedVersions([6]), 0);

    // Every write that ran has its attempt before it and its outcome after
    // it, linked; the replays and the refused reuse wrote no records.
    const records = await recordsAfter(start);
    const attempts = records.filter((r) => r.outcome === 'ATTEMPTED');
    assert.equal(attempts.length, 6, JSON.stringify(records)); // five + the bare retry
    for (const attempt of attempts) {
      const outcomes = records.filter(
        (r) => r.attempt_id === attempt.attempt_id && r !== attempt,
      );
      assert.equal(outcomes.length, 1, JSON.stringify(records));
      assert.ok((outcomes[0]?.seq ?? 0) > attempt.seq);
      assert.equal(attempt.operation_name, 'Create');
    }
    assert.equal(records.length, 12, JSON.stringify(records));
    const verification = await verifyAccessLog(t.tdb.db);
    assert.equal(verification.ok, true, JSON.stringify(verification.problems));
  });

  it('refuses a write (not run) and a read within the deadline while the access log is stalled', async () => {
    const key = randomUUID();
    const start = await lastSeq();
    // A second connection holds the table: the append's batch waits on it.
    const locker = new pg.Client({ connectionString: t.tdb.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(
        'LOCK TABLE audit.access_log IN ACCESS EXCLUSIVE MODE',
      );
      const started = performance.now();
      const res = await create(7, key);
      const took = performance.now() - started;
      assertRefusedNotRun(res);
      assert.ok(took >= DEADLINE_MS - 5, `answered after ${String(took)} ms`);
      assert.ok(
        took < DEADLINE_MS + 1_500,
        `answered after ${String(took)} ms`,
      );

      const readStarted = performance.now();
      const read = await postGraphQL(
        t.hub.gatewayUrl,
        COMPLAINT,
        undefined,
        await demoHeaders('enforcement-jiefangbei'),
      );
      const readTook = performance.now() - readStarted;
      assert.equal(read.status, 503, read.text);
      findError(read, 'AUDIT_UNAVAILABLE');
      assert.ok(
        readTook < DEADLINE_MS + 1_500,
        `answered after ${String(readTook)} ms`,
      );
      assert.equal(await storedVersions([7]), 0, 'the write was not run');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    // The late attempt is written once the table is free, and its outcome
    // says it was refused.
    await within(8_000, 'the late attempt and its refusal', async () => {
      const records = await recordsAfter(start);
      const attempt = records.find((r) => r.outcome === 'ATTEMPTED');
      return (
        attempt !== undefined &&
        records.some(
          (r) =>
            r.attempt_id === attempt.attempt_id && r.outcome === 'REJECTED',
        )
      );
    });
    assert.equal(await storedVersions([7]), 0);
    // The key was given back: the retry with it runs, once.
    const retry = await create(7, key);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.errors, undefined, retry.text);
    assert.equal(await storedVersions([7]), 1);
    assert.equal((await verifyAccessLog(t.tdb.db)).ok, true);
  });

  it('refuses a malformed Idempotency-Key before anything runs', async () => {
    const res = await create(8, 'has spaces in it');
    assert.equal(res.status, 400, res.text);
    const error = findError(res, 'BAD_USER_INPUT');
    assert.equal(error.extensions?.['reason'], 'idempotency-key-malformed');
    assert.equal(await storedVersions([8]), 0);
  });
});
