import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  dueDate,
  ENTRY_ACTIONS,
  entryActionNeedsComment,
  entryTransition,
  type EntryStatus,
} from '../../../../policies/src/index.js';

const STATUSES: EntryStatus[] = [
  'DRAFT',
  'IN_REVIEW',
  'ACTIVE',
  'SUPERSEDED',
  'REVOKED',
];

describe('entryTransition', () => {
  it('allows exactly DRAFT → IN_REVIEW → ACTIVE → REVOKED, edits of drafts and returns to draft', () => {
    const allowed = ENTRY_ACTIONS.flatMap((action) =>
      STATUSES.flatMap((from) => {
        const to = entryTransition(action, from);
        return to === null ? [] : [`${action}: ${from} → ${to}`];
      }),
    );
    assert.deepEqual(allowed, [
      'edit: DRAFT → DRAFT',
      'submit: DRAFT → IN_REVIEW',
      'return: IN_REVIEW → DRAFT',
      'approve: IN_REVIEW → ACTIVE',
      'revoke: ACTIVE → REVOKED',
    ]);
  });

  it('leaves superseded and revoked versions as they are', () => {
    for (const action of ENTRY_ACTIONS) {
      assert.equal(entryTransition(action, 'SUPERSEDED'), null);
      assert.equal(entryTransition(action, 'REVOKED'), null);
    }
  });

  it('asks for a comment on return and revocation only', () => {
    assert.deepEqual(ENTRY_ACTIONS.filter(entryActionNeedsComment), [
      'return',
      'revoke',
    ]);
  });
});

describe('dueDate', () => {
  it('gives 10 working days, ending at midnight China Standard Time', () => {
    // Friday 2026-12-04 10:00 CST → the 10th working day after it is
    // Friday 2026-12-18; due at its end, 2026-12-19 00:00 CST.
    assert.equal(
      dueDate(new Date('2026-12-04T10:00:00+08:00')).toISOString(),
      '2026-12-18T16:00:00.000Z',
    );
  });

  it('counts in China Standard Time, not UTC', () => {
    // 2026-12-05 01:00 CST is Saturday there (still Friday in UTC): the
    // count starts on Monday 12-07, so the 10th working day is Friday 12-18.
    assert.equal(
      dueDate(new Date('2026-12-05T01:00:00+08:00')).toISOString(),
      '2026-12-18T16:00:00.000Z',
    );
    // Thursday 2026-12-03 23:30 CST: the 10th working day is Thursday 12-17.
    assert.equal(
      dueDate(new Date('2026-12-03T23:30:00+08:00')).toISOString(),
      '2026-12-17T16:00:00.000Z',
    );
  });

  it('skips weekends for other spans and refuses a span that is not a positive integer', () => {
    // Monday 2026-11-30 + 1 working day = Tuesday 12-01.
    assert.equal(
      dueDate(new Date('2026-11-30T09:00:00+08:00'), 1).toISOString(),
      '2026-12-01T16:00:00.000Z',
    );
    // Friday + 1 working day = Monday.
    assert.equal(
      dueDate(new Date('2026-12-04T09:00:00+08:00'), 1).toISOString(),
      '2026-12-07T16:00:00.000Z',
    );
    assert.throws(() => dueDate(new Date(), 0), RangeError);
    assert.throws(() => dueDate(new Date(), 1.5), RangeError);
  });
});
