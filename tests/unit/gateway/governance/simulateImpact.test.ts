import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sha256 } from '../../../../subgraphs/kit/src/index.js';
import {
  simulateImpact,
  type RecordedOperation,
} from '../../../../policies/src/index.js';
import type { PolicySet } from '../../../../policies/src/index.js';
import { gatewaySchema, NOW, policy } from './fixtures.js';

/** The fixtures' policy with the complainant's mobile NOT_SHARED. */
const draft: PolicySet = {
  ...policy,
  version: 'draft-1',
  entries: [
    ...policy.entries,
    {
      id: 'NL-PS-3',
      version: 1,
      ownerDepartment: 'publicsecurity',
      selector: { coordinates: ['Person.mobile'] },
      shareClass: 'NOT_SHARED',
      legalBasis: '《中华人民共和国个人信息保护法》',
      reason: 'Mobile numbers are no longer shared.',
      priority: 20,
      status: 'ACTIVE',
    },
  ],
};

const COMPLAINANT =
  'query Complainant { complaint(id: "C-1") { id complainant { name mobile } } }';

const records: RecordedOperation[] = [
  {
    seq: 1,
    subject: 'enforcement-jiefangbei',
    department: 'enforcement',
    roles: ['reader'],
    purpose: 'complaint-handling',
    operationText: COMPLAINANT,
    operationName: 'Complainant',
  },
  {
    seq: 2,
    subject: 'enforcement-jiefangbei',
    department: 'enforcement',
    roles: ['reader'],
    purpose: 'complaint-handling',
    operationText: COMPLAINANT,
    operationName: 'Complainant',
  },
  {
    seq: 3,
    subject: 'police-crowd-yuzhong',
    department: 'publicsecurity',
    roles: ['reader'],
    purpose: 'crowd-management',
    operationText: 'query Person { person(id: "P-1") { name mobile } }',
    operationName: 'Person',
  },
  {
    seq: 4,
    subject: 'enforcement-jiefangbei',
    department: 'enforcement',
    roles: ['reader'],
    purpose: 'complaint-handling',
    operationText: '{ complaint(id: "C-1") { complainant { phoneNumber } } }',
    operationName: null,
  },
  {
    seq: 5,
    subject: 'enforcement-jiefangbei',
    department: 'enforcement',
    roles: ['reader'],
    purpose: 'complaint-handling',
    operationText: '{ complaint(id: ',
    operationName: null,
  },
];

describe('simulateImpact', () => {
  const { schema, local, ownership } = gatewaySchema();
  const simulate = (draftPolicy: PolicySet, limit?: number) =>
    simulateImpact({
      current: { policy },
      draft: { policy: draftPolicy },
      records,
      schema,
      ownership,
      localCoordinates: local,
      now: NOW,
      hashOperation: sha256,
      ...(limit === undefined ? {} : { limit }),
    });

  it("flips enforcement's reads of the complainant's mobile from MASK to DENY, and nothing for publicsecurity", () => {
    const report = simulate(draft);
    assert.equal(report.currentVersion, 'test-1');
    assert.equal(report.draftVersion, 'draft-1');
    assert.equal(report.records, 5);
    assert.equal(report.simulated, 3);
    assert.equal(report.skipped, 2);
    assert.deepEqual(
      report.skippedExamples.map((s) => s.seq),
      [4, 5],
    );
    assert.match(report.skippedExamples[0]?.reason ?? '', /does not validate/);
    assert.match(report.skippedExamples[1]?.reason ?? '', /does not parse/);
    assert.equal(report.changed, 2);
    assert.deepEqual(report.departments, [
      { department: 'enforcement', records: 2, fieldChanges: 2 },
    ]);
    assert.deepEqual(report.operations, [
      {
        operationHash: sha256(COMPLAINANT),
        operationName: 'Complainant',
        records: 2,
        departments: ['enforcement'],
      },
    ]);
    assert.deepEqual(report.fields, [
      {
        coordinate: 'Person.mobile',
        transition: 'MASK→DENY',
        before: 'MASK:MOBILE',
        after: 'DENY:FORBIDDEN_BY_NEGATIVE_LIST',
        records: 2,
        departments: ['enforcement'],
      },
    ]);
    assert.deepEqual(
      report.examples.map((e) => [e.seq, e.changes.map((c) => c.ruleAfter)]),
      [
        [1, ['negative-list:NL-PS-3@1']],
        [2, ['negative-list:NL-PS-3@1']],
      ],
    );
    assert.ok(report.assumptions.some((a) => /CITY/.test(a)));
    assert.ok(report.assumptions.some((a) => /algorithm/.test(a)));
  });

  it('reports nothing for a draft equal to the current policy, and keeps at most limit examples', () => {
    const same = simulate({ ...policy, version: 'same' });
    assert.equal(same.changed, 0);
    assert.deepEqual(same.fields, []);
    assert.deepEqual(same.examples, []);
    const one = simulate(draft, 1);
    assert.equal(one.changed, 2);
    assert.equal(one.examples.length, 1);
    assert.equal(one.skippedExamples.length, 1);
  });

  it('reports DENY→ALLOW when the draft lifts an entry', () => {
    const lifted: PolicySet = {
      ...policy,
      version: 'lifted',
      entries: policy.entries.filter((e) => e.id !== 'NL-PS-1'),
    };
    const report = simulateImpact({
      current: { policy },
      draft: { policy: lifted },
      records: [
        {
          subject: 'enforcement-jiefangbei',
          department: 'enforcement',
          roles: ['reader'],
          purpose: 'complaint-handling',
          operationText:
            '{ complaint(id: "C-1") { complainant { idNumber } } }',
          operationName: null,
        },
      ],
      schema,
      ownership,
      localCoordinates: local,
      now: NOW,
      hashOperation: sha256,
    });
    assert.deepEqual(
      report.fields.map((f) => [f.coordinate, f.before, f.after]),
      [['Person.idNumber', 'DENY:FORBIDDEN_BY_NEGATIVE_LIST', 'ALLOW']],
    );
  });
});
