import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import {
  AccessLogError,
  GENESIS_HASH,
  hashRecord,
  normalizeRecord,
  type AccessLogRecord,
} from '../../../policies/store/src/audit/index.js';
import { canonicalJson } from '../../../policies/src/index.js';

const record: AccessLogRecord = {
  recordedAt: new Date('2025-06-01T08:00:00.123Z'),
  subject: 'u-market-1',
  department: 'market',
  roles: ['analyst', 'viewer'],
  purpose: 'inspection',
  operationHash: 'abc',
  operationText: '{ enterprises { name } }',
  operationName: null,
  read: { market: ['Enterprise.name'], environment: ['Station.code'] },
  withheld: [
    {
      coordinate: 'Person.idNumber',
      path: ['person', 0, 'idNumber'],
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-1@2',
    },
  ],
  masked: [{ coordinate: 'Person.mobile', rule: 'grant:G-7', mask: 'MOBILE' }],
  outcome: 'PARTIAL',
  latencyMs: 12,
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } }),
      '{"a":{"c":"x","d":[3,1]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys were built in', () => {
    assert.equal(
      canonicalJson({ x: 1, y: { p: null, q: true } }),
      canonicalJson({ y: { q: true, p: null }, x: 1 }),
    );
  });

  it('leaves out undefined members and refuses what is not JSON', () => {
    assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
    assert.throws(() => canonicalJson(Number.NaN), TypeError);
    assert.throws(() => canonicalJson(undefined), TypeError);
  });
});

describe('hashRecord', () => {
  it('hashes attempt_id only where a record has one, so older records keep their hashes', () => {
    const attempt: AccessLogRecord = {
      ...record,
      outcome: 'ATTEMPTED',
      attemptId: 'a-1',
    };
    const expected = createHash('sha256')
      .update(
        canonicalJson({
          recorded_at: '2025-06-01T08:00:00.123Z',
          subject: record.subject,
          department: record.department,
          roles: record.roles,
          purpose: record.purpose,
          operation_hash: record.operationHash,
          operation_text: record.operationText,
          operation_name: null,
          read: record.read,
          withheld: record.withheld,
          masked: record.masked,
          outcome: 'ATTEMPTED',
          latency_ms: 12,
          attempt_id: 'a-1',
          prev_hash: GENESIS_HASH,
        }),
      )
      .digest('hex');
    assert.equal(hashRecord(GENESIS_HASH, attempt), expected);
    assert.notEqual(
      hashRecord(GENESIS_HASH, { ...attempt, attemptId: 'a-2' }),
      expected,
    );
    assert.deepEqual(
      normalizeRecord({ ...record, attemptId: 'a-1' }, () => new Date()),
      { ...record, attemptId: 'a-1' },
    );
    assert.equal(
      'attemptId' in normalizeRecord(record, () => new Date()),
      false,
    );
  });

  it('hashes trace_id only where a record has one, and takes only trace ids', () => {
    const traced = { ...record, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
    assert.notEqual(
      hashRecord(GENESIS_HASH, traced),
      hashRecord(GENESIS_HASH, record),
    );
    assert.deepEqual(
      normalizeRecord(traced, () => new Date()),
      traced,
    );
    for (const traceId of ['4BF92F3577B34DA6A3CE929D0E0E4736', 'x', '']) {
      assert.throws(
        () => normalizeRecord({ ...record, traceId }, () => new Date()),
        (e: unknown) =>
          e instanceof AccessLogError && e.code === 'INVALID_RECORD',
      );
    }
  });

  it('hashes like canonicalJson of the whole record for any content, with or without the nested JSON passed in', () => {
    const variants: AccessLogRecord[] = [
      record,
      { ...record, operationName: 'Q"1\\', subject: 'é\u2028😀', roles: [] },
      { ...record, attemptId: 'x', outcome: 'ATTEMPTED', latencyMs: 0 },
      { ...record, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
      {
        ...record,
        attemptId: 'x',
        outcome: 'ATTEMPTED',
        traceId: '0af7651916cd43dd8448eb211c80319c',
      },
      {
        ...record,
        read: { z: ['B.b', 'A.a'], a: [], ü: ['C.c'] },
        withheld: [],
        masked: [{ mask: 'M', rule: 'r', coordinate: 'P.m' }],
      },
    ];
    for (const r of variants) {
      const reference = createHash('sha256')
        .update(
          canonicalJson({
            recorded_at: r.recordedAt.toISOString(),
            subject: r.subject,
            department: r.department,
            roles: r.roles,
            purpose: r.purpose,
            operation_hash: r.operationHash,
            operation_text: r.operationText,
            operation_name: r.operationName,
            read: r.read,
            withheld: r.withheld,
            masked: r.masked,
            outcome: r.outcome,
            latency_ms: r.latencyMs,
            attempt_id: r.attemptId,
            trace_id: r.traceId,
            prev_hash: 'f'.repeat(64),
          }),
        )
        .digest('hex');
      assert.equal(hashRecord('f'.repeat(64), r), reference);
      assert.equal(
        hashRecord('f'.repeat(64), r, {
          read: canonicalJson(r.read),
          withheld: canonicalJson(r.withheld),
          masked: canonicalJson(r.masked),
        }),
        reference,
      );
    }
  });

  it('is SHA-256 over the canonical JSON of the columns and prev_hash', () => {
    const expected = createHash('sha256')
      .update(
        canonicalJson({
          department: 'market',
          latency_ms: 12,
          masked: record.masked,
          operation_hash: 'abc',
          operation_name: null,
          operation_text: '{ enterprises { name } }',
          outcome: 'PARTIAL',
          prev_hash: GENESIS_HASH,
          purpose: 'inspection',
          read: record.read,
          recorded_at: '2025-06-01T08:00:00.123Z',
          roles: ['analyst', 'viewer'],
          subject: 'u-market-1',
          withheld: record.withheld,
        }),
      )
      .digest('hex');
    assert.equal(hashRecord(GENESIS_HASH, record), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
    assert.equal(GENESIS_HASH, '0'.repeat(64));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = hashRecord(GENESIS_HASH, record);
    const variants: AccessLogRecord[] = [
      { ...record, recordedAt: new Date('2025-06-01T08:00:00.124Z') },
      { ...record, subject: 'u-market-2' },
      { ...record, department: 'water' },
      { ...record, roles: ['viewer', 'analyst'] },
      { ...record, purpose: 'statistics' },
      { ...record, operationHash: 'abd' },
      { ...record, operationText: '{ enterprises { id } }' },
      { ...record, operationName: 'Q' },
      { ...record, read: { market: ['Enterprise.id'] } },
      { ...record, withheld: [] },
      { ...record, masked: [] },
      { ...record, outcome: 'OK' },
      { ...record, latencyMs: 13 },
    ];
    const hashes = new Set(variants.map((v) => hashRecord(GENESIS_HASH, v)));
    assert.equal(hashes.size, variants.length);
    assert.ok(!hashes.has(base));
    assert.notEqual(hashRecord('1'.repeat(64), record), base);
  });

  it('does not depend on the key order of the jsonb fields', () => {
    const reordered: AccessLogRecord = {
      ...record,
      read: { environment: ['Station.code'], market: ['Enterprise.name'] },
      masked: [
        { mask: 'MOBILE', rule: 'grant:G-7', coordinate: 'Person.mobile' },
      ],
    };
    assert.equal(
      hashRecord(GENESIS_HASH, reordered),
      hashRecord(GENESIS_HASH, record),
    );
  });
});

describe('normalizeRecord', () => {
  const now = (): Date => new Date('2025-01-01T00:00:00.000Z');

  it('keeps only the known fields, dates the record and rounds the latency', () => {
    const normalized = normalizeRecord(
      {
        ...record,
        recordedAt: undefined,
        latencyMs: 12.6,
        extra: 'dropped',
        withheld: [{ ...record.withheld[0]!, note: 'dropped' }],
      } as never,
      now,
    );
    assert.equal(
      normalized.recordedAt.toISOString(),
      '2025-01-01T00:00:00.000Z',
    );
    assert.equal(normalized.latencyMs, 13);
    assert.ok(!('extra' in normalized));
    assert.deepEqual(normalized.withheld, record.withheld);
  });

  it('refuses what PostgreSQL could not store unchanged', () => {
    const invalid = [
      { ...record, subject: 'a\u0000b' },
      { ...record, purpose: 'x\uD800' },
      { ...record, roles: ['ok', 3] },
      { ...record, outcome: 'MAYBE' },
      { ...record, latencyMs: -1 },
      { ...record, latencyMs: Number.POSITIVE_INFINITY },
      { ...record, recordedAt: new Date('invalid') },
      { ...record, read: [] },
      { ...record, read: { market: 'Enterprise.name' } },
      {
        ...record,
        withheld: [{ coordinate: 'A.b', path: [{}], code: 'X', rule: 'r' }],
      },
      { ...record, masked: [{ coordinate: 'A.b', rule: 'r' }] },
      { ...record, outcome: 'ATTEMPTED' },
      { ...record, attemptId: 7 },
    ];
    for (const input of invalid) {
      assert.throws(
        () => normalizeRecord(input as never, now),
        (error: unknown) =>
          error instanceof AccessLogError && error.code === 'INVALID_RECORD',
        JSON.stringify(input, (_k, v: unknown) => (v === undefined ? null : v)),
      );
    }
  });

  it('keeps a department named __proto__ as data', () => {
    const normalized = normalizeRecord(
      { ...record, read: JSON.parse('{"__proto__":["A.b"]}') as never },
      now,
    );
    assert.deepEqual(Object.keys(normalized.read), ['__proto__']);
    assert.equal(canonicalJson(normalized.read), '{"__proto__":["A.b"]}');
  });
});
