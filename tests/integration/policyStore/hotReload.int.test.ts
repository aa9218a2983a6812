// Hot reload of the policy store over LISTEN/NOTIFY on the real PostgreSQL:
// every store on the database sees a written policy within 2 s, a store
// whose connections are killed reconnects its listener, and status() tells
// a lost database (stale, with the error) from a recovered one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';
import { pino } from 'pino';

import {
  createPolicyStore,
  migratePolicyStore,
  policyVersion,
  writePolicyDocument,
  type PolicyDocument,
  type PolicyStore,
} from '../../../policies/store/src/policy/index.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import {
  openDatabase,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  TEST_SERVER_URL,
  type TestDatabase,
} from '../../utils/testDatabase.js';

const silent = pino({ level: 'silent' });

/** The demo policy with grant G-2025-001 revoked or not. */
function withGrantRevoked(revoked: boolean): PolicyDocument {
  const doc = demoPolicy();
  return {
    ...doc,
    grants: doc.grants.map((g) =>
      g.id === 'G-2025-001' ? { ...g, revoked } : g,
    ),
  };
}

/** Polls `condition` every 5 ms; rejects after `timeoutMs`. */
async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(`timed out after ${String(timeoutMs)} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/** Runs one statement on a connection of its own. */
async function onOwnConnection(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Terminates every other connection to the database of `url`. */
function killConnections(url: string): Promise<void> {
  return onOwnConnection(
    url,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
}

describe('policy store: hot reload over LISTEN/NOTIFY', () => {
  let tdb: TestDatabase;
  const opened: Database[] = [];
  const stores: PolicyStore[] = [];

  before(async () => {
    tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    await writePolicyDocument(tdb.db, withGrantRevoked(false));
  });
  after(async () => {
    for (const store of stores) await store.close();
    for (const db of opened) await db.close();
    await tdb.drop();
  });

  /** A store on a connection pool of its own, as another gateway has. */
  async function gatewayStore(): Promise<PolicyStore> {
    const db = await openDatabase({ kind: 'pg', connectionString: tdb.url });
    opened.push(db);
    const store = createPolicyStore({
      db,
      logger: silent,
      // Only a notification can explain a reload within the test.
      refreshIntervalMs: 3_600_000,
    });
    stores.push(store);
    await store.start();
    await waitFor('the store listens', () => store.status().listening, 2_000);
    return store;
  }

  it('migrations 002, 003 and 005 add a notifying trigger to every table the policy is loaded from', async () => {
    const { rows } = await tdb.db.query<{ table: string }>(
      `SELECT DISTINCT event_object_table AS table
         FROM information_schema.triggers
        WHERE trigger_schema = 'policy' AND action_statement LIKE '%notify_policy_change%'
        ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((r) => r.table),
      [
        'algorithm_bindings',
        'field_classifications',
        'grants',
        'negative_list_entries',
        'role_rules',
        'roles',
        'settings',
        'token_revocations',
      ],
    );
  });

  it('two stores on separate connections see a written policy within 2 s', async () => {
    const a = await gatewayStore();
    const b = await gatewayStore();
    const before = policyVersion(withGrantRevoked(false));
    assert.equal(a.current().policy.version, before);
    assert.equal(b.current().policy.version, before);
    const a0 = a.current();

    const changed = withGrantRevoked(true);
    const expected = policyVersion(changed);
    assert.notEqual(expected, before);
    const started = performance.now();
    await writePolicyDocument(tdb.db, changed);
    const delays = await Promise.all(
      [a, b].map(async (store) => {
        await waitFor(
          'the store sees the change',
          () => store.current().policy.version === expected,
          2_000,
        );
        return performance.now() - started;
      }),
    );
    for (const ms of delays) assert.ok(ms < 2_000, `${String(ms)} ms`);
    // The snapshot a request took is untouched by the swap.
    assert.equal(a0.policy.version, before);
    assert.equal(
      a0.policy.grants.find((g) => g.id === 'G-2025-001')?.revoked,
      false,
    );
    for (const store of [a, b]) {
      const status = store.status();
      assert.equal(status.stale, false);
      assert.equal(status.listening, true);
      assert.equal(status.lastError, null);
      assert.equal(status.version, expected);
    }

    // A write by plain SQL, outside writePolicyDocument, notifies too.
    await tdb.db.query(
      `UPDATE policy.grants SET revoked = false WHERE id = 'G-2025-001'`,
    );
    await Promise.all(
      [a, b].map((store) =>
        waitFor(
          'the store sees the SQL change',
          () => store.current().policy.version === before,
          2_000,
        ),
      ),
    );
  });

  it('reconnects its listener after its connections are killed and still sees a later change', async () => {
    const store = await gatewayStore();
    const version = store.current().policy.version;
    await killConnections(tdb.url);
    await waitFor(
      'the listener notices the lost connection',
      () => !store.status().listening,
      2_000,
    );
    await waitFor(
      'the listener reconnects',
      () => store.status().listening,
      5_000,
    );
    const other = version === policyVersion(withGrantRevoked(true));
    const changed = withGrantRevoked(!other);
    const expected = policyVersion(changed);
    const started = performance.now();
    // The test database's own pool lost its connections too: a fresh one.
    await writeOnOwnConnection(tdb.url, changed);
    await waitFor(
      'the reconnected store sees the change',
      () => store.current().policy.version === expected,
      2_000,
    );
    assert.ok(performance.now() - started < 2_000);
    assert.equal(store.status().stale, false);
  });
});

/** writePolicyDocument through a pool of its own (closed afterwards). */
async function writeOnOwnConnection(
  url: string,
  doc: PolicyDocument,
): Promise<void> {
  const db = await openDatabase({ kind: 'pg', connectionString: url });
  try {
    await writePolicyDocument(db, doc);
  } finally {
    await db.close();
  }
}

describe('policy store: status when the database is lost', () => {
  it('goes stale with the error while the database is gone, and fresh again after it is back', async () => {
    const tdb = await createTestDatabase();
    const adminUrl = TEST_SERVER_URL;
    let db: Database | undefined;
    let store: PolicyStore | undefined;
    try {
      await migratePolicyStore(tdb.db);
      await writePolicyDocument(tdb.db, withGrantRevoked(false));
      db = await openDatabase({ kind: 'pg', connectionString: tdb.url });
      store = createPolicyStore({
        db,
        logger: silent,
        refreshIntervalMs: 3_600_000,
      });
      await store.start();
      const s = store;
      await waitFor('the store listens', () => s.status().listening, 2_000);
      const loaded = s.current();
      assert.deepEqual(
        { stale: s.status().stale, lastError: s.status().lastError },
        { stale: false, lastError: null },
      );

      // The database disappears under the store.
      await onOwnConnection(adminUrl, `DROP DATABASE ${tdb.name} WITH (FORCE)`);
      await waitFor('the store goes stale', () => s.status().stale, 5_000);
      const lost = s.status();
      assert.equal(lost.listening, false);
      assert.match(lost.lastError ?? '', /does not exist|terminat|connect/i);
      assert.ok(lost.lastAttemptAt !== null);
      assert.equal(lost.version, loaded.policy.version);
      // It keeps deciding from the last policy it loaded.
      assert.equal(s.current(), loaded);
      await assert.rejects(s.refresh());
      assert.equal(s.status().stale, true);

      // The database comes back, with a changed policy.
      await onOwnConnection(adminUrl, `CREATE DATABASE ${tdb.name}`);
      const restored = await openDatabase({
        kind: 'pg',
        connectionString: tdb.url,
      });
      try {
        await migratePolicyStore(restored);
        await writePolicyDocument(restored, withGrantRevoked(true));
      } finally {
        await restored.close();
      }
      const expected = policyVersion(withGrantRevoked(true));
      await waitFor(
        'the store recovers',
        () =>
          s.status().listening &&
          !s.status().stale &&
          s.current().policy.version === expected,
        5_000,
      );
      assert.equal(s.status().lastError, null);
    } finally {
      await store?.close();
      await db?.close();
      await tdb.drop();
    }
  });
});
