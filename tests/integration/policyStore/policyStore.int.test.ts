import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { pino } from 'pino';

import {
  createPolicyStore,
  isPolicySeeded,
  loadPolicySnapshot,
  migratePolicyStore,
  policyVersion,
  PolicyStoreError,
  readPolicyDocument,
  sortPolicyDocument,
  writePolicyDocument,
  type PolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import {
  type Database,
  type Logger,
} from '../../../subgraphs/kit/src/index.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { openMemoryPglite } from '../../utils/pglite.js';

const silent = pino({ level: 'silent' });

function memoryLogger(): { logger: Logger; lines: () => unknown[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(line);
      },
    },
  );
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as unknown) };
}

/** A fresh database with the policy store migrated. */
async function migratedDatabase(): Promise<TestDatabase> {
  const tdb = await createTestDatabase();
  assert.deepEqual(await migratePolicyStore(tdb.db), [
    '001_policy.sql',
    '002_policy_notify.sql',
    '003_administration.sql',
    '004_classification_proposals.sql',
    '005_token_revocations.sql',
  ]);
  return tdb;
}

/** A database whose statements fail while `failing` is set (the server is gone). */
function flaky(db: Database): { db: Database; failing: boolean } {
  const state = { failing: false, db: db };
  const fail = (): Promise<never> =>
    Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  state.db = {
    kind: db.kind,
    query: (text, values) => (state.failing ? fail() : db.query(text, values)),
    exec: (sql) => (state.failing ? fail() : db.exec(sql)),
    transaction: (fn) => (state.failing ? fail() : db.transaction(fn)),
    close: () => db.close(),
  };
  return state;
}

function isStoreError(code: string, message?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof PolicyStoreError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}

function pgCode(code: string) {
  return (error: unknown): boolean => {
    assert.equal((error as { code?: unknown }).code, code, String(error));
    return true;
  };
}

/** The demo policy with its lists reversed: the same content in another order. */
function reordered(doc: PolicyDocument): PolicyDocument {
  return {
    entries: [...doc.entries].reverse(),
    grants: [...doc.grants].reverse(),
    roles: Object.fromEntries(Object.entries(doc.roles).reverse()),
    algorithms: [...doc.algorithms].reverse(),
  };
}

describe('policy store: migrations', () => {
  it('migrates once and then applies nothing', async () => {
    await using tdb = await createTestDatabase();
    assert.deepEqual(await migratePolicyStore(tdb.db), [
      '001_policy.sql',
      '002_policy_notify.sql',
      '003_administration.sql',
      '004_classification_proposals.sql',
      '005_token_revocations.sql',
    ]);
    assert.deepEqual(await migratePolicyStore(tdb.db), []);
    const { rows } = await tdb.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'policy' ORDER BY table_name`,
    );
    assert.deepEqual(
      rows.map((r) => r.table_name),
      [
        'algorithm_bindings',
        'classification_proposal_events',
        'classification_proposals',
        'entry_events',
        'field_classifications',
        'field_sightings',
        'grants',
        'negative_list_entries',
        'publications',
        'role_rules',
        'roles',
        'schema_migrations',
        'settings',
        'share_requests',
        'token_revocations',
      ],
    );
  });

  it('migrates from several processes at once', async () => {
    await using tdb = await createTestDatabase();
    const runs = await Promise.all([
      migratePolicyStore(tdb.db),
      migratePolicyStore(tdb.db),
      migratePolicyStore(tdb.db),
    ]);
    assert.deepEqual(runs.flat(), [
      '001_policy.sql',
      '002_policy_notify.sql',
      '003_administration.sql',
      '004_classification_proposals.sql',
      '005_token_revocations.sql',
    ]);
  });

  it('says the store is not migrated instead of failing obscurely', async () => {
    await using tdb = await createTestDatabase();
    await assert.rejects(
      loadPolicySnapshot(tdb.db),
      isStoreError('NOT_MIGRATED', /migratePolicyStore/),
    );
    await assert.rejects(isPolicySeeded(tdb.db), isStoreError('NOT_MIGRATED'));
    await assert.rejects(
      writePolicyDocument(tdb.db, demoPolicy()),
      isStoreError('NOT_MIGRATED'),
    );
  });
});

describe('policy store: writing and loading', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await migratedDatabase();
  });
  after(async () => {
    await tdb.drop();
  });

  it('round-trips the demo policy exactly', async () => {
    assert.equal(await isPolicySeeded(tdb.db), false);
    const version = await writePolicyDocument(tdb.db, demoPolicy());
    assert.equal(await isPolicySeeded(tdb.db), true);

    const stored = await readPolicyDocument(tdb.db);
    assert.deepStrictEqual(stored, sortPolicyDocument(demoPolicy()));

    const snapshot = await loadPolicySnapshot(tdb.db);
    assert.equal(snapshot.policy.version, version);
    assert.equal(snapshot.policy.version, policyVersion(demoPolicy()));
    assert.match(snapshot.policy.version, /^[0-9a-f]{16}$/);
    assert.deepStrictEqual(
      snapshot.policy.entries,
      stored.entries.map(({ author: _a, approver: _b, ...entry }) => entry),
    );
    assert.deepStrictEqual(snapshot.policy.grants, stored.grants);
    assert.deepStrictEqual(snapshot.policy.roles, stored.roles);
    assert.deepStrictEqual(
      [...snapshot.algorithms.values()],
      stored.algorithms,
    );
    assert.deepEqual(
      [...snapshot.algorithms.keys()],
      ['ALG-2024-031', 'ALG-2025-017'],
    );
    assert.ok(snapshot.loadedAt instanceof Date);
  });

  it('hands out a frozen snapshot', async () => {
    const snapshot = await loadPolicySnapshot(tdb.db);
    assert.ok(Object.isFrozen(snapshot));
    assert.ok(Object.isFrozen(snapshot.policy));
    assert.ok(Object.isFrozen(snapshot.policy.entries));
    assert.ok(Object.isFrozen(snapshot.policy.entries[0]?.selector));
    assert.ok(Object.isFrozen(snapshot.policy.grants[0]?.coordinates));
    assert.ok(Object.isFrozen(snapshot.policy.roles['analyst']));
    assert.ok(Object.isFrozen(snapshot.algorithms.get('ALG-2025-017')?.inputs));
    const algorithms = snapshot.algorithms as Map<string, unknown>;
    assert.throws(() => algorithms.set('ALG-X', {}), TypeError);
    assert.throws(() => algorithms.delete('ALG-2025-017'), TypeError);
    assert.throws(() => {
      algorithms.clear();
    }, TypeError);
    assert.equal(snapshot.algorithms.size, 2);
  });

  it('keeps the version across loads and for the same content in another order', async () => {
    const first = await loadPolicySnapshot(tdb.db);
    const second = await loadPolicySnapshot(tdb.db);
    assert.equal(first.policy.version, second.policy.version);
    const rewritten = await writePolicyDocument(
      tdb.db,
      reordered(demoPolicy()),
    );
    assert.equal(rewritten, first.policy.version);
    assert.equal(
      (await loadPolicySnapshot(tdb.db)).policy.version,
      first.policy.version,
    );
  });

  it('changes the version when any row of any table changes', async () => {
    await writePolicyDocument(tdb.db, demoPolicy());
    const seen = new Set([(await loadPolicySnapshot(tdb.db)).policy.version]);
    const changes = [
      `UPDATE policy.negative_list_entries SET priority = priority + 1
        WHERE id = 'NL-PS-003'`,
      `UPDATE policy.negative_list_entries SET approver = 'publicsecurity-deputy-director'
        WHERE id = 'NL-PS-001'`,
      `UPDATE policy.grants SET revoked = true WHERE id = 'G-2025-001'`,
      `UPDATE policy.grants SET expires_at = expires_at + interval '1 day'
        WHERE id = 'G-2025-002'`,
      `UPDATE policy.role_rules SET reason = 'changed'
        WHERE role = 'duty-officer' AND position = 1`,
      `INSERT INTO policy.roles (name) VALUES ('statistician')`,
      `UPDATE policy.algorithm_bindings SET state = 'SUSPENDED'
        WHERE filing_id = 'ALG-2025-017'`,
      `UPDATE policy.algorithm_bindings SET inputs = inputs[2:]
        WHERE filing_id = 'ALG-2024-031'`,
    ];
    for (const change of changes) {
      await tdb.db.query(change);
      const { version } = (await loadPolicySnapshot(tdb.db)).policy;
      assert.ok(!seen.has(version), `no new version after: ${change}`);
      seen.add(version);
    }
  });

  it('replaces the whole policy, and counts an algorithm binding’s revisions', async () => {
    await writePolicyDocument(tdb.db, demoPolicy());
    const revisions = async (): Promise<Record<string, number>> => {
      const { rows } = await tdb.db.query<{
        filing_id: string;
        revision: number;
      }>('SELECT filing_id, revision FROM policy.algorithm_bindings');
      return Object.fromEntries(rows.map((r) => [r.filing_id, r.revision]));
    };
    const before = await revisions();
    await writePolicyDocument(tdb.db, demoPolicy());
    assert.deepEqual(
      await revisions(),
      before,
      'unchanged bindings keep theirs',
    );

    const doc = demoPolicy();
    const changed: PolicyDocument = {
      entries: doc.entries.filter((e) => e.id !== 'NL-EMG-002'),
      grants: [],
      roles: { analyst: doc.roles['analyst'] ?? [] },
      algorithms: doc.algorithms.map((a) =>
        a.filingId === 'ALG-2025-017' ? { ...a, state: 'SUSPENDED' } : a,
      ),
    };
    await writePolicyDocument(tdb.db, changed);
    const after = await revisions();
    assert.equal(after['ALG-2025-017'], (before['ALG-2025-017'] ?? 0) + 1);
    assert.equal(after['ALG-2024-031'], before['ALG-2024-031']);
    assert.deepStrictEqual(
      await readPolicyDocument(tdb.db),
      sortPolicyDocument(changed),
    );
  });

  it('refuses an invalid document and writes nothing of it', async () => {
    await writePolicyDocument(tdb.db, demoPolicy());
    const { version } = (await loadPolicySnapshot(tdb.db)).policy;
    const doc = demoPolicy();
    const bad = (patch: Partial<PolicyDocument>): PolicyDocument => ({
      ...doc,
      ...patch,
    });
    const firstEntry = doc.entries[0];
    assert.ok(firstEntry);
    const cases: [PolicyDocument, RegExp][] = [
      [
        bad({
          entries: [
            { ...firstEntry, approver: firstEntry.author },
            ...doc.entries.slice(1),
          ],
        }),
        /entries\[0\] \(id "NL-PS-001", version 1\).*author and approver must differ/,
      ],
      [
        bad({
          entries: [
            { ...firstEntry, legalBasis: ' ' },
            ...doc.entries.slice(1),
          ],
        }),
        /entries\[0\].*legalBasis/,
      ],
      [
        bad({
          grants: doc.grants.map((g, i) =>
            i === 1 ? { ...g, entryId: 'NL-NOPE-1' } : g,
          ),
        }),
        /grants\[1\] \(id "G-2025-002"\).*NL-NOPE-1 names no negative-list entry/,
      ],
      [
        bad({
          roles: { ...doc.roles, statistician: [{ action: 'read' }] } as never,
        }),
        /roles\["statistician"\]\[0\].*subject/,
      ],
      [
        bad({
          algorithms: [
            { filingId: 'ALG-1', state: 'LIVE', inputs: [] },
          ] as never,
        }),
        /algorithms\[0\] \(filingId "ALG-1"\).*state/,
      ],
    ];
    for (const [document, message] of cases) {
      await assert.rejects(
        writePolicyDocument(tdb.db, document),
        isStoreError('INVALID_DOCUMENT', message),
      );
    }
    assert.equal((await loadPolicySnapshot(tdb.db)).policy.version, version);
  });
});

describe('policy store: rows the loader refuses', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await migratedDatabase();
  });
  after(async () => {
    await tdb.drop();
  });

  const cases: [string, string, RegExp][] = [
    [
      'an unknown mask kind',
      `UPDATE policy.negative_list_entries
          SET conditions = jsonb_set(conditions, '{masks,Person.householdAddress}', '"BLUR"')
        WHERE id = 'NL-PS-002' AND version = 2`,
      /policy\.negative_list_entries row \(id "NL-PS-002", version 2\) is invalid: conditions\.masks\.Person\.householdAddress/,
    ],
    [
      'a misspelt selector key (it would select nothing)',
      `UPDATE policy.negative_list_entries
          SET selector = '{"coordinate": ["Person.idNumber"]}'
        WHERE id = 'NL-PS-001'`,
      /policy\.negative_list_entries row \(id "NL-PS-001", version 1\) is invalid: .*coordinate/,
    ],
    [
      'a row filter of an unknown form',
      `UPDATE policy.grants SET row_filter = '{"op": "like", "field": "regionCode", "value": "5001%"}'
        WHERE id = 'G-2025-001'`,
      /policy\.grants row \(id "G-2025-001"\) is invalid: rowFilter/,
    ],
    [
      'a coordinate that is not Type.field',
      `UPDATE policy.grants SET coordinates = ARRAY['Person name'] WHERE id = 'G-2025-002'`,
      /policy\.grants row \(id "G-2025-002"\) is invalid: coordinates\.0/,
    ],
    [
      'a role rule whose action is not text',
      `UPDATE policy.role_rules SET action = '[1]' WHERE role = 'analyst' AND position = 0`,
      /policy\.role_rules row \(role "analyst", position 0\) is invalid: action/,
    ],
    [
      'a filed input that is not a coordinate',
      `UPDATE policy.algorithm_bindings SET inputs = ARRAY['*'] WHERE filing_id = 'ALG-2025-017'`,
      /policy\.algorithm_bindings row \(filing_id "ALG-2025-017"\) is invalid: inputs\.0/,
    ],
  ];

  for (const [what, sql, message] of cases) {
    it(`refuses ${what}, naming the row, and loads nothing`, async () => {
      await writePolicyDocument(tdb.db, demoPolicy());
      await tdb.db.query(sql);
      await assert.rejects(
        loadPolicySnapshot(tdb.db),
        isStoreError('INVALID_ROW', message),
      );
    });
  }
});

describe('policy store: constraints', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await migratedDatabase();
  });
  after(async () => {
    await tdb.drop();
  });

  /** Inserts one entry version; `values` override the columns of a valid one. */
  function insertEntry(values: Record<string, unknown>): Promise<unknown> {
    const row: Record<string, unknown> = {
      id: 'NL-T-1',
      version: 1,
      owner_department: 'market',
      status: 'ACTIVE',
      priority: 0,
      share_class: 'NOT_SHARED',
      legal_basis: '《中华人民共和国反不正当竞争法》第九条',
      reason: '商业秘密',
      selector: '{"coordinates": ["Enterprise.registeredCapitalWan"]}',
      author: 'market-data-officer',
      approver: 'market-chief-data-officer',
      ...values,
    };
    const columns = Object.keys(row);
    return tdb.db.query(
      `INSERT INTO policy.negative_list_entries (${columns.join(', ')})
       VALUES (${columns.map((_, i) => `$${String(i + 1)}`).join(', ')})`,
      Object.values(row),
    );
  }

  it('accepts a valid entry version', async () => {
    await insertEntry({ id: 'NL-T-OK' });
  });

  it('refuses an approver who is the author (four eyes)', async () => {
    await assert.rejects(
      insertEntry({ approver: 'market-data-officer' }),
      pgCode('23514'),
    );
  });

  it('refuses an entry without a legal basis, or with a blank one', async () => {
    await assert.rejects(insertEntry({ legal_basis: null }), pgCode('23502'));
    await assert.rejects(insertEntry({ legal_basis: '  ' }), pgCode('23514'));
  });

  it('refuses a published version without an approver', async () => {
    await assert.rejects(insertEntry({ approver: null }), pgCode('23514'));
    await insertEntry({ id: 'NL-T-DRAFT', status: 'DRAFT', approver: null });
  });

  it('refuses unknown statuses, share classes and non-object selectors', async () => {
    await assert.rejects(insertEntry({ status: 'LIVE' }), pgCode('23514'));
    await assert.rejects(
      insertEntry({ share_class: 'SHARED' }),
      pgCode('23514'),
    );
    await assert.rejects(
      insertEntry({ selector: '["Person.idNumber"]' }),
      pgCode('23514'),
    );
  });

  it('refuses an empty or reversed validity window', async () => {
    await assert.rejects(
      insertEntry({
        valid_from: '2026-01-01T00:00:00Z',
        valid_until: '2025-01-01T00:00:00Z',
      }),
      pgCode('23514'),
    );
  });

  it('refuses a second ACTIVE version of an entry, and a repeated version', async () => {
    await insertEntry({ id: 'NL-T-2' });
    await assert.rejects(
      insertEntry({ id: 'NL-T-2', version: 2 }),
      pgCode('23505'),
    );
    await assert.rejects(
      insertEntry({ id: 'NL-T-2', status: 'SUPERSEDED' }),
      pgCode('23505'),
    );
    await insertEntry({
      id: 'NL-T-2',
      version: 2,
      status: 'IN_REVIEW',
      approver: null,
    });
  });

  it('refuses grants without coordinates or expiry, and unknown filing states', async () => {
    await assert.rejects(
      tdb.db.query(
        `INSERT INTO policy.grants (id, entry_id, consumer_department, purpose, coordinates, expires_at)
         VALUES ('G-T-1', 'NL-T-1', 'emergency', 'emergency-response', '{}', now())`,
      ),
      pgCode('23514'),
    );
    await assert.rejects(
      tdb.db.query(
        `INSERT INTO policy.grants (id, entry_id, consumer_department, purpose, coordinates)
         VALUES ('G-T-2', 'NL-T-1', 'emergency', 'emergency-response', '{Person.name}')`,
      ),
      pgCode('23502'),
    );
    await assert.rejects(
      tdb.db.query(
        `INSERT INTO policy.algorithm_bindings (filing_id, state, inputs)
         VALUES ('ALG-T-1', 'LIVE', '{}')`,
      ),
      pgCode('23514'),
    );
  });
});

describe('policy store: serving the gateway', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await migratedDatabase();
    await writePolicyDocument(tdb.db, demoPolicy());
  });
  after(async () => {
    await tdb.drop();
  });

  it('refuses to start when it cannot load, and has nothing to hand out', async () => {
    const down = flaky(tdb.db);
    down.failing = true;
    const store = createPolicyStore({ db: down.db, logger: silent });
    await assert.rejects(store.start(), /ECONNREFUSED/);
    assert.throws(() => store.current(), isStoreError('NOT_LOADED'));
    down.failing = false;
    await store.start();
    assert.equal(store.current().policy.version, policyVersion(demoPolicy()));
    await store.close();
  });

  it('keeps the last snapshot when the database fails, and takes the next one when it is back', async () => {
    const conn = flaky(tdb.db);
    const store = createPolicyStore({ db: conn.db, logger: silent });
    await store.start();
    const first = store.current();

    assert.equal(await store.refresh(), first, 'same version: same snapshot');

    conn.failing = true;
    await assert.rejects(store.refresh(), /ECONNREFUSED/);
    assert.equal(store.current(), first);

    // A row that does not validate keeps the last snapshot too.
    conn.failing = false;
    await tdb.db.query(
      `UPDATE policy.grants SET masks = '{"Person.name": "BLUR"}' WHERE id = 'G-2025-001'`,
    );
    await assert.rejects(store.refresh(), isStoreError('INVALID_ROW'));
    assert.equal(store.current(), first);

    await writePolicyDocument(tdb.db, {
      ...demoPolicy(),
      grants: demoPolicy().grants.filter((g) => g.id !== 'G-2025-004'),
    });
    const next = await store.refresh();
    assert.notEqual(next.policy.version, first.policy.version);
    assert.equal(store.current(), next);
    assert.equal(next.policy.grants.length, first.policy.grants.length - 1);
    await store.close();
    await assert.rejects(store.refresh(), isStoreError('CLOSED'));
    await writePolicyDocument(tdb.db, demoPolicy());
  });

  it('reloads on its interval, logging failures and keeping the last policy', async () => {
    const conn = flaky(tdb.db);
    const { logger, lines } = memoryLogger();
    const store = createPolicyStore({
      db: conn.db,
      logger,
      refreshIntervalMs: 20,
    });
    await store.start();
    const first = store.current();

    conn.failing = true;
    const waitFor = async (done: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !done(); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(done(), 'timed out');
    };
    await waitFor(() =>
      lines().some(
        (l) =>
          (l as { msg?: string }).msg ===
          'policy reload failed; deciding from the last policy loaded',
      ),
    );
    assert.equal(store.current(), first);

    conn.failing = false;
    await writePolicyDocument(tdb.db, {
      ...demoPolicy(),
      algorithms: demoPolicy().algorithms.filter(
        (a) => a.filingId !== 'ALG-2024-031',
      ),
    });
    await waitFor(() => store.current() !== first);
    assert.equal(store.current().algorithms.has('ALG-2024-031'), false);
    assert.ok(
      lines().some((l) => (l as { msg?: string }).msg === 'policy changed'),
    );
    await store.close();
    await writePolicyDocument(tdb.db, demoPolicy());
  });
});

describe('policy store on embedded PostgreSQL (PGlite)', () => {
  it('migrates, writes, loads and versions the demo policy alike', async () => {
    const db = await openMemoryPglite();
    try {
      assert.deepEqual(await migratePolicyStore(db), [
        '001_policy.sql',
        '002_policy_notify.sql',
        '003_administration.sql',
        '004_classification_proposals.sql',
        '005_token_revocations.sql',
      ]);
      assert.deepEqual(await migratePolicyStore(db), []);
      assert.equal(await isPolicySeeded(db), false);
      const version = await writePolicyDocument(db, demoPolicy());
      assert.deepStrictEqual(
        await readPolicyDocument(db),
        sortPolicyDocument(demoPolicy()),
      );
      const store = createPolicyStore({ db, logger: silent });
      await store.start();
      assert.equal(store.current().policy.version, version);
      await store.close();
    } finally {
      await db.close();
    }
  });
});
