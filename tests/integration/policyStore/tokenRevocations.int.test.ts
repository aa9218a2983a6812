import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pino } from 'pino';

import {
  createPolicyStore,
  insertTokenRevocation,
  listTokenRevocations,
  loadPolicySnapshot,
  migratePolicyStore,
  readTokenRevocations,
  writePolicyDocument,
  type PolicySnapshot,
  type PolicyStore,
} from '../../../policies/store/src/policy/index.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import { createTestDatabase } from '../../utils/testDatabase.js';

const silent = pino({ level: 'silent' });

/** Resolves once the store's snapshot is no longer `previous` (≤ 2 s). */
async function nextSnapshot(
  store: PolicyStore,
  previous: PolicySnapshot,
): Promise<PolicySnapshot> {
  const started = performance.now();
  while (store.current() === previous) {
    assert.ok(
      performance.now() - started < 2_000,
      'no reload within 2 s of the revocation',
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return store.current();
}

describe('policy store: token revocations', () => {
  it('loads a revocation on its notification, around the same policy objects', async () => {
    await using tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    await writePolicyDocument(tdb.db, demoPolicy());
    const store = createPolicyStore({ db: tdb.db, logger: silent });
    try {
      await store.start();
      const before = store.current();
      assert.equal(before.revocations.size, 0);
      const revocation = await insertTokenRevocation(tdb.db, {
        jti: 'jti-1',
        reason: 'lost',
        revokedBy: 'city-data-authority',
        revokedAt: new Date().toISOString(),
      });
      const after = await nextSnapshot(store, before);
      assert.deepEqual(
        after.revocations.find({ sub: 'x', jti: 'jti-1', iat: 0 }),
        revocation,
      );
      // Only the revocations changed: the policy version and the objects
      // the gateway's caches are kept per stay the same.
      assert.equal(after.policy, before.policy);
      assert.equal(after.algorithms, before.algorithms);
      assert.equal(after.policy.version, before.policy.version);
      // A reload that finds nothing new keeps the snapshot.
      assert.equal(await store.refresh(), after);
    } finally {
      await store.close();
    }
  });

  it('keeps revocations append-only and checks their shape', async () => {
    await using tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    const at = new Date().toISOString();
    await insertTokenRevocation(tdb.db, {
      subject: 'env-analyst',
      issuedBefore: at,
      reason: 'left',
      revokedBy: 'city-data-authority',
      revokedAt: at,
    });
    await assert.rejects(
      tdb.db.query('DELETE FROM policy.token_revocations'),
      /append-only/,
    );
    await assert.rejects(
      tdb.db.query(
        `INSERT INTO policy.token_revocations (jti, subject, issued_before, reason, revoked_by)
         VALUES ('j', 's', now(), 'both', 'me')`,
      ),
      /token_revocations_one_target/,
    );
    const list = await readTokenRevocations(tdb.db);
    assert.equal(list.size, 1);
    const page = await listTokenRevocations(
      tdb.db,
      { subject: 'env-analyst' },
      { limit: 10, offset: 0 },
    );
    assert.equal(page.totalCount, 1);
    assert.equal(page.nodes[0]?.issuedBefore, at);
    assert.equal((await loadPolicySnapshot(tdb.db)).revocations.size, 1);
  });
});
