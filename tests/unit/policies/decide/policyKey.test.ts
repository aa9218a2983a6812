import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decideAll, policyKey } from '../../../../policies/src/decide/index.js';
import { type Principal } from '../../../../policies/src/model/index.js';
import { F, NOW, POLICY, principal } from './fixtures.js';

const base = principal({ roles: ['analyst', 'crowdViewer'] });
const algorithm = principal({
  department: 'environment',
  algorithm: {
    filingId: 'ALG-2025-017',
    inputs: ['Enterprise.name', 'Reading.value'],
    state: 'IN_SERVICE',
  },
});

describe('policyKey', () => {
  it('is equal for principals that differ only in subject, role order and duplicates', () => {
    const same: Principal[] = [
      { ...base, subject: 'u-someone-else' },
      { ...base, roles: ['crowdViewer', 'analyst'] },
      { ...base, roles: ['crowdViewer', 'analyst', 'analyst'] },
    ];
    for (const other of same) {
      assert.equal(
        policyKey(other, 'CROWD_SAFETY'),
        policyKey(base, 'CROWD_SAFETY'),
      );
    }
    const reordered = {
      ...algorithm,
      algorithm: {
        filingId: 'ALG-2025-017',
        inputs: ['Reading.value', 'Enterprise.name'],
        state: 'IN_SERVICE',
      },
    } satisfies Principal;
    assert.equal(
      policyKey(reordered, 'CROWD_SAFETY'),
      policyKey(algorithm, 'CROWD_SAFETY'),
    );
  });

  it('differs whenever a decision may differ', () => {
    const different: [string, Principal, string][] = [
      ['department', { ...base, department: 'water' }, 'CROWD_SAFETY'],
      ['roles', { ...base, roles: ['analyst'] }, 'CROWD_SAFETY'],
      ['level', { ...base, level: 'DISTRICT' }, 'CROWD_SAFETY'],
      ['region', { ...base, regionCode: '500103' }, 'CROWD_SAFETY'],
      ['purpose', base, 'EMERGENCY_RESPONSE'],
      [
        'declarable',
        { ...base, purposes: ['EMERGENCY_RESPONSE'] },
        'CROWD_SAFETY',
      ],
      [
        'algorithm',
        { ...base, algorithm: algorithm.algorithm! },
        'CROWD_SAFETY',
      ],
    ];
    const keys = new Set([policyKey(base, 'CROWD_SAFETY')]);
    for (const [what, who, purpose] of different) {
      const key = policyKey(who, purpose);
      assert.ok(!keys.has(key), what);
      keys.add(key);
    }
  });

  it('differs by filing id, filing state and filed inputs', () => {
    const filing = algorithm.algorithm!;
    const variants: Principal[] = [
      { ...algorithm, algorithm: { ...filing, filingId: 'ALG-2025-018' } },
      { ...algorithm, algorithm: { ...filing, state: 'SUSPENDED' } },
      { ...algorithm, algorithm: { ...filing, inputs: ['Enterprise.name'] } },
    ];
    const keys = new Set([policyKey(algorithm, 'POLLUTION_TRACING')]);
    for (const who of variants) keys.add(policyKey(who, 'POLLUTION_TRACING'));
    assert.equal(keys.size, 4);
  });

  it('cannot be forged by separators inside values', () => {
    const a = { ...base, department: 'a","b' };
    const b = { ...base, department: 'a', regionCode: 'b' };
    assert.notEqual(policyKey(a, 'X'), policyKey(b, 'X'));
  });

  it('is equal only where every decision is equal', () => {
    const fields = Object.values(F);
    const others: Principal[] = [
      { ...base, subject: 'another' },
      { ...base, subject: 'another', purposes: ['EMERGENCY_RESPONSE'] },
      { ...base, roles: ['crowdViewer', 'analyst', 'crowdViewer'] },
    ];
    const expected = decideAll(base, 'EMERGENCY_RESPONSE', fields, POLICY, NOW);
    for (const other of others) {
      assert.equal(
        policyKey(other, 'EMERGENCY_RESPONSE'),
        policyKey(base, 'EMERGENCY_RESPONSE'),
      );
      assert.deepEqual(
        decideAll(other, 'EMERGENCY_RESPONSE', fields, POLICY, NOW),
        expected,
      );
    }
  });
});

describe('decideAll', () => {
  it('decides every field, index-aligned, duplicates included', () => {
    const fields = [F.idNumber, F.crowdName, F.mobile, F.idNumber];
    const decisions = decideAll(
      principal(),
      'EMERGENCY_RESPONSE',
      fields,
      POLICY,
      NOW,
    );
    assert.deepEqual(
      decisions.map((d) => [d.coordinate, d.effect]),
      [
        ['Person.idNumber', 'DENY'],
        ['CrowdArea.name', 'ALLOW'],
        ['Person.mobile', 'MASK'],
        ['Person.idNumber', 'DENY'],
      ],
    );
    assert.deepEqual(
      decideAll(principal(), 'EMERGENCY_RESPONSE', [], POLICY, NOW),
      [],
    );
  });
});
