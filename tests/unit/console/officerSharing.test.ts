// What the data officer's share-request, grant and report pages compute
// from the server's answers (console/src/pages/officer/sharing.ts): overdue
// against now, a grant's expiry state, the approval's row filter, the
// report's range and dates in China Standard Time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  EXPIRING_SOON_DAYS,
  dateInChina,
  endOfDayInChina,
  grantState,
  isOverdue,
  lastDays,
  rowFilterJson,
} from '../../../console/src/pages/officer/sharing.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

describe('the data officer pages: share requests and grants', () => {
  it('marks a request overdue only while PENDING past its due date', () => {
    const due = '2026-11-16T16:00:00Z';
    assert.equal(isOverdue({ status: 'PENDING', dueAt: due }, NOW), true);
    assert.equal(isOverdue({ status: 'APPROVED', dueAt: due }, NOW), false);
    assert.equal(
      isOverdue({ status: 'PENDING', dueAt: '2026-12-15T16:00:00Z' }, NOW),
      false,
    );
    assert.equal(isOverdue({ status: 'PENDING', dueAt: 'soon' }, NOW), false);
  });

  it('tells revoked, expired, expiring-soon, not yet started and in-force grants apart', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const grant = (
      expiresAt: string,
      revoked = false,
      validFrom = at(NOW - DAY),
    ) => ({
      revoked,
      validFrom,
      expiresAt,
    });
    assert.equal(grantState(grant(at(NOW + 400 * DAY), true), NOW), 'REVOKED');
    assert.equal(grantState(grant(at(NOW - 1)), NOW), 'EXPIRED');
    assert.equal(grantState(grant(at(NOW)), NOW), 'EXPIRED');
    assert.equal(
      grantState(grant(at(NOW + EXPIRING_SOON_DAYS * DAY)), NOW),
      'EXPIRING_SOON',
    );
    assert.equal(
      grantState(grant(at(NOW + (EXPIRING_SOON_DAYS + 1) * DAY)), NOW),
      'IN_FORCE',
    );
    assert.equal(
      grantState(grant(at(NOW + 400 * DAY), false, at(NOW + DAY)), NOW),
      'NOT_STARTED',
    );
    assert.equal(
      grantState(
        { revoked: false, validFrom: null, expiresAt: at(NOW + 400 * DAY) },
        NOW,
      ),
      'IN_FORCE',
    );
  });

  it('builds the row filter the API takes, or none', () => {
    assert.equal(
      rowFilterJson({ field: ' regionCode ', op: 'prefix', value: '500103 ' }),
      '{"op":"prefix","field":"regionCode","value":"500103"}',
    );
    assert.equal(
      rowFilterJson({ field: 'regionCode', op: 'eq', value: '' }),
      null,
    );
    assert.equal(rowFilterJson({ field: '', op: 'eq', value: 'x' }), null);
  });

  it('computes the report range and dates in China Standard Time', () => {
    assert.deepEqual(lastDays(30, NOW), {
      since: new Date(NOW - 30 * DAY).toISOString(),
      until: new Date(NOW).toISOString(),
    });
    // 20:00 UTC is already the next day in Chongqing.
    assert.equal(dateInChina('2026-12-06T20:00:00Z'), '2026-12-07');
    assert.equal(dateInChina('not a time'), '');
    assert.equal(endOfDayInChina('2027-06-30'), '2027-06-30T23:59:59+08:00');
    assert.equal(
      Date.parse(endOfDayInChina('2027-06-30')),
      Date.parse('2027-06-30T15:59:59Z'),
    );
  });
});
