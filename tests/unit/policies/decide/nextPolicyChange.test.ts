import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decide,
  nextPolicyChange,
} from '../../../../policies/src/decide/index.js';
import {
  ENTRIES,
  F,
  GRANTS,
  NOW,
  POLICY,
  policyWith,
  principal,
} from './fixtures.js';

describe('nextPolicyChange', () => {
  it('finds the first entry or grant boundary after now', () => {
    // NL-20 ends 2025-06-30T16:00Z; G-10 starts 2025-07-01; G-7 expires 2026.
    assert.deepEqual(
      nextPolicyChange(POLICY, NOW),
      new Date('2025-06-30T16:00:00Z'),
    );
    assert.deepEqual(
      nextPolicyChange(POLICY, new Date('2025-06-30T16:00:00Z')),
      new Date('2025-07-01T00:00:00Z'),
    );
  });

  it('is where a cached decision stops being valid', () => {
    const enforcement = principal({ department: 'enforcement' });
    const at = (now: Date) =>
      decide(enforcement, 'COMPLAINT_HANDLING', F.name, POLICY, now).effect;
    const before = new Date('2025-05-31T00:00:00Z');
    const change = nextPolicyChange(POLICY, before);
    assert.deepEqual(change, new Date('2025-06-01T00:00:00Z'));
    assert.equal(at(before), 'ALLOW');
    assert.equal(at(new Date(change!.getTime() - 1)), 'ALLOW');
    assert.equal(at(change!), 'DENY');
  });

  it('ignores inactive entries, revoked grants and unreadable instants', () => {
    const policy = policyWith(
      [
        { ...ENTRIES.dischargeWindow, status: 'DRAFT' },
        { ...ENTRIES.idNumber, validUntil: 'someday' },
      ],
      [{ ...GRANTS.emergency, revoked: true }],
    );
    assert.equal(nextPolicyChange(policy, NOW), null);
    assert.equal(nextPolicyChange(policyWith([]), NOW), null);
  });
});
