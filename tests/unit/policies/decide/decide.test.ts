import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decide } from '../../../../policies/src/decide/index.js';
import {
  type FieldInfo,
  type NegativeListEntry,
  type PolicySet,
  type Principal,
} from '../../../../policies/src/model/index.js';
import {
  ENTRIES,
  F,
  GRANTS,
  NOW,
  POLICY,
  deepFreeze,
  policyWith,
  principal,
} from './fixtures.js';

const emergency = principal();
const enforcement = principal({
  subject: 'u-enforcement-01',
  department: 'enforcement',
});
/** May read ID numbers as far as roles go, so only the negative list decides. */
const emergencyInvestigator = principal({ roles: ['investigator'] });
const market = principal({ subject: 'u-market-01', department: 'market' });
const environment = principal({
  subject: 'u-environment-01',
  department: 'environment',
});

function run(
  who: Principal,
  field: FieldInfo,
  options: { purpose?: string; policy?: PolicySet; now?: Date } = {},
) {
  return decide(
    who,
    options.purpose ?? 'EMERGENCY_RESPONSE',
    field,
    options.policy ?? POLICY,
    options.now ?? NOW,
  );
}

describe('decide: the declared purpose', () => {
  it('denies every field, own data included, for a purpose the principal may not declare', () => {
    const who = principal({ purposes: ['EMERGENCY_RESPONSE'] });
    for (const field of [F.crowdName, F.enterpriseName]) {
      const d = run(who, field, { purpose: 'MARKETING' });
      assert.equal(d.effect, 'DENY');
      assert.equal(d.code, 'FORBIDDEN');
      assert.equal(d.rule, 'purpose-not-declarable');
      assert.match(d.reason, /MARKETING/);
      // Decisions are cached per policy key, which leaves the subject out.
      assert.doesNotMatch(d.reason, new RegExp(who.subject));
    }
    const own = run(
      principal({ department: 'market', purposes: [] }),
      F.enterpriseName,
    );
    assert.equal(own.rule, 'purpose-not-declarable');
  });
});

describe('decide: own department', () => {
  it('allows a department its own data whatever the negative list says', () => {
    const ps = principal({
      department: 'publicsecurity',
      roles: ['investigator'],
    });
    const d = run(ps, F.idNumber);
    assert.deepEqual(d, {
      effect: 'ALLOW',
      coordinate: 'Person.idNumber',
      rule: 'own-department',
      reason: d.reason,
      trail: ['own-department', 'casl:role:investigator'],
    });
    assert.equal(run(ps, F.mobile).effect, 'ALLOW');
  });

  it('still applies CASL to own data', () => {
    const ps = principal({ department: 'publicsecurity', roles: ['analyst'] });
    const d = run(ps, F.idNumber);
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'FORBIDDEN');
    assert.equal(d.rule, 'casl:role:analyst');
    assert.equal(d.reason, 'Analysts never see ID numbers.');
    assert.deepEqual(d.trail, ['own-department', 'casl:role:analyst']);
  });
});

describe('decide: NOT_SHARED', () => {
  it('denies by exact coordinate, naming entry, version, reason and legal basis', () => {
    const d = run(emergency, F.idNumber);
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(d.rule, 'negative-list:NL-1@2');
    assert.match(d.reason, /Person\.idNumber is not shared/);
    assert.match(d.reason, /居民身份证号码属敏感个人信息/);
    assert.match(d.reason, /个人信息保护法/);
    assert.deepEqual(d.trail, ['negative-list:NL-1@2']);
  });

  it('denies by whole type', () => {
    const d = run(enforcement, F.gender, { purpose: 'COMPLAINT_HANDLING' });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(d.rule, 'negative-list:NL-3@1');
  });

  it('denies by classification tag', () => {
    const d = run(emergency, F.registeredCapital);
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(d.rule, 'negative-list:NL-10@4');
  });

  it('applies an entry only to fields of its owner department', () => {
    // NL-11 (market, tag PERSONAL) must not reach public security's PERSONAL fields.
    const d = run(emergency, F.mobile);
    assert.notEqual(d.rule, 'negative-list:NL-11@1');
    assert.equal(
      run(emergency, F.legalRepresentative).rule,
      'negative-list:NL-11@1',
    );
  });

  it('lets the denial stand whatever the roles say', () => {
    const d = run(principal({ roles: ['investigator'] }), F.idNumber);
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
  });
});

describe('decide: no entry', () => {
  it('shares a field no entry covers (sharing is the rule)', () => {
    const d = run(emergency, F.crowdObservations, { purpose: 'CROWD_SAFETY' });
    assert.deepEqual(d, {
      effect: 'ALLOW',
      coordinate: 'CrowdArea.observations',
      rule: 'no-entry',
      reason: d.reason,
      trail: ['no-entry', 'casl:role:analyst'],
    });
  });
});

describe('decide: CONDITIONAL', () => {
  it('masks with the entry mask under an active grant, and combines row filters', () => {
    const d = run(emergency, F.mobile);
    assert.equal(d.effect, 'MASK');
    assert.equal(d.mask, 'MOBILE'); // the entry's mask beats the grant's HASH
    assert.equal(d.rule, 'grant:G-7');
    assert.deepEqual(d.trail, [
      'negative-list:NL-2@1',
      'grant:G-7',
      'casl:role:analyst',
    ]);
    assert.deepEqual(d.rowFilter, {
      op: 'and',
      filters: [
        { op: 'prefix', field: 'regionCode', value: '5001' },
        { op: 'eq', field: 'districtCode', value: '500103' },
      ],
    });
    assert.match(d.reason, /grant G-7/);
  });

  it('masks with the grant mask where the entry has none', () => {
    const d = run(emergency, F.name);
    assert.equal(d.effect, 'MASK');
    assert.equal(d.mask, 'NAME');
  });

  it('allows unmasked under a grant when neither entry nor grant masks', () => {
    const entry: NegativeListEntry = {
      ...ENTRIES.personContact,
      conditions: {},
    };
    const policy = policyWith([entry], [{ ...GRANTS.emergency, masks: {} }]);
    const d = run(emergency, F.name, { policy });
    assert.equal(d.effect, 'ALLOW');
    assert.equal(d.rule, 'grant:G-7');
    assert.deepEqual(d.rowFilter, {
      op: 'eq',
      field: 'districtCode',
      value: '500103',
    });
    const { rowFilter: _dropped, ...unfiltered } = GRANTS.emergency;
    const bare = run(emergency, F.name, {
      policy: policyWith([entry], [{ ...unfiltered, masks: {} }]),
    });
    assert.equal('rowFilter' in bare, false);
  });

  it('requires a grant when there is none', () => {
    const d = run(emergency, F.name, {
      policy: policyWith([ENTRIES.personContact]),
    });
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'GRANT_REQUIRED');
    assert.equal(d.rule, 'negative-list:NL-2@1');
    assert.match(d.reason, /apply to publicsecurity/);
  });

  it('requires a grant covering the coordinate', () => {
    const d = run(emergency, F.householdAddress);
    assert.equal(d.code, 'GRANT_REQUIRED');
  });

  it('requires a grant that has not expired', () => {
    const d = run(enforcement, F.name, { purpose: 'COMPLAINT_HANDLING' });
    assert.equal(d.code, 'GRANT_REQUIRED');
    const before = run(enforcement, F.name, {
      purpose: 'COMPLAINT_HANDLING',
      now: new Date('2025-05-31T23:59:59Z'),
    });
    assert.equal(before.rule, 'grant:G-8');
    const atExpiry = run(enforcement, F.name, {
      purpose: 'COMPLAINT_HANDLING',
      now: new Date('2025-06-01T00:00:00Z'),
    });
    assert.equal(atExpiry.code, 'GRANT_REQUIRED');
  });

  it('requires a grant that has started', () => {
    const july = new Date('2025-07-01T00:00:00Z');
    const d = run(enforcement, F.name, {
      purpose: 'COMPLAINT_HANDLING',
      now: july,
    });
    assert.equal(d.rule, 'grant:G-10');
  });

  it('requires a grant that is not revoked', () => {
    const d = run(market, F.name, { purpose: 'LICENSING' });
    assert.equal(d.code, 'GRANT_REQUIRED');
  });

  it('treats a grant with an unreadable expiry as lapsed', () => {
    const policy = policyWith(
      [ENTRIES.personContact],
      [{ ...GRANTS.emergency, expiresAt: 'next spring' }],
    );
    assert.equal(run(emergency, F.name, { policy }).code, 'GRANT_REQUIRED');
  });

  it('requires a grant for the declared purpose', () => {
    // COMPLAINT_HANDLING is an allowed purpose of NL-2, but G-7 is for EMERGENCY_RESPONSE.
    const d = run(emergency, F.name, { purpose: 'COMPLAINT_HANDLING' });
    assert.equal(d.code, 'GRANT_REQUIRED');
  });

  it('requires a grant for the consumer department', () => {
    // Enforcement is an allowed consumer, but G-7 was granted to emergency.
    const policy = policyWith(
      [ENTRIES.personContact],
      [{ ...GRANTS.emergency, consumerDepartment: 'emergency' }],
    );
    const d = run(enforcement, F.name, { policy });
    assert.equal(d.code, 'GRANT_REQUIRED');
  });

  it('requires a grant under the same entry', () => {
    const policy = policyWith(
      [ENTRIES.personContact],
      [{ ...GRANTS.emergency, entryId: 'NL-99' }],
    );
    assert.equal(run(emergency, F.name, { policy }).code, 'GRANT_REQUIRED');
  });

  it('refuses consumers outside the entry conditions, even with a grant', () => {
    const policy = policyWith(
      [ENTRIES.personContact],
      [{ ...GRANTS.emergency, consumerDepartment: 'environment' }],
    );
    const d = run(environment, F.name, { policy });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(d.rule, 'negative-list:NL-2@1');
    assert.match(d.reason, /not with environment/);
  });

  it('refuses purposes outside the entry conditions, even with a grant', () => {
    const policy = policyWith(
      [ENTRIES.personContact],
      [{ ...GRANTS.emergency, purpose: 'CROWD_SAFETY' }],
    );
    const d = run(emergency, F.name, { policy, purpose: 'CROWD_SAFETY' });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.match(d.reason, /not for CROWD_SAFETY/);
  });

  it('refuses everyone when the conditions list no consumer', () => {
    const entry: NegativeListEntry = {
      ...ENTRIES.personContact,
      conditions: { consumers: [] },
    };
    const d = run(emergency, F.name, {
      policy: policyWith([entry], [GRANTS.emergency]),
    });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.match(d.reason, /only with no department/);
  });

  it('picks the grant with the smallest id when several apply', () => {
    const policy = policyWith(
      [ENTRIES.personContact],
      [
        { ...GRANTS.emergency, id: 'G-9' },
        { ...GRANTS.emergency, id: 'G-10', masks: {} },
      ],
    );
    assert.equal(run(emergency, F.name, { policy }).rule, 'grant:G-10');
  });
});

describe('decide: exceptions', () => {
  it('exempts a purpose from an entry, naming the entry', () => {
    const d = run(emergency, F.name, { purpose: 'LIFE_SAFETY_RESCUE' });
    assert.equal(d.effect, 'ALLOW');
    assert.equal(d.rule, 'negative-list:NL-2@1');
    assert.match(d.reason, /exempt/);
    assert.equal(d.rowFilter, undefined);
  });

  it('exempts a consumer from an entry', () => {
    // NL-3 (Person, NOT_SHARED) exempts emergency.
    const d = run(emergency, F.gender);
    assert.equal(d.effect, 'ALLOW');
    assert.equal(d.rule, 'negative-list:NL-3@1');
    assert.equal(
      run(enforcement, F.gender, { purpose: 'COMPLAINT_HANDLING' }).effect,
      'DENY',
    );
  });

  it('lets a weaker entry apply when the request is exempt from a stronger one', () => {
    // Exempt from NL-2 (priority 5) by purpose; NL-3 (priority 1) still applies to enforcement.
    const d = run(enforcement, F.name, { purpose: 'LIFE_SAFETY_RESCUE' });
    assert.equal(d.effect, 'DENY');
    assert.equal(d.rule, 'negative-list:NL-3@1');
  });
});

describe('decide: validity and status of entries', () => {
  const field = F.dischargeConcentration;

  it('ignores an entry before its window', () => {
    const d = run(emergency, field, { now: new Date('2024-12-31T15:59:59Z') });
    assert.equal(d.rule, 'no-entry');
  });

  it('applies an entry from the start of its window', () => {
    const d = run(emergency, field, { now: new Date('2024-12-31T16:00:00Z') });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(run(emergency, field).rule, 'negative-list:NL-20@1');
  });

  it('ignores an entry from the end of its window on', () => {
    for (const now of ['2025-06-30T16:00:00Z', '2026-01-01T00:00:00Z']) {
      assert.equal(
        run(emergency, field, { now: new Date(now) }).rule,
        'no-entry',
      );
    }
  });

  it('keeps applying an entry whose window cannot be read (fail closed)', () => {
    const entry = { ...ENTRIES.dischargeWindow, validUntil: 'soon' };
    const d = run(emergency, field, {
      policy: policyWith([entry]),
      now: new Date('2030-01-01T00:00:00Z'),
    });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
  });

  it('ignores entries that are not ACTIVE', () => {
    for (const status of [
      'DRAFT',
      'IN_REVIEW',
      'SUPERSEDED',
      'REVOKED',
    ] as const) {
      const policy = policyWith([{ ...ENTRIES.idNumber, status }]);
      assert.equal(
        run(emergencyInvestigator, F.idNumber, { policy }).rule,
        'no-entry',
        status,
      );
    }
  });

  it('matches nothing with an empty selector', () => {
    const policy = policyWith([{ ...ENTRIES.idNumber, selector: {} }]);
    assert.equal(
      run(emergencyInvestigator, F.idNumber, { policy }).rule,
      'no-entry',
    );
  });
});

describe('decide: several matching entries', () => {
  const conditional: NegativeListEntry = {
    ...ENTRIES.personContact,
    selector: { coordinates: ['Person.idNumber'] },
  };

  it('lets the highest priority win, even over NOT_SHARED', () => {
    // Person.name: NL-2 (CONDITIONAL, 5) beats NL-3 (NOT_SHARED by type, 1).
    assert.equal(
      run(enforcement, F.name, { purpose: 'COMPLAINT_HANDLING' }).code,
      'GRANT_REQUIRED',
    );
    const policy = policyWith(
      [ENTRIES.idNumber, { ...conditional, priority: 11 }],
      [{ ...GRANTS.emergency, coordinates: ['Person.idNumber'] }],
    );
    assert.equal(
      run(emergencyInvestigator, F.idNumber, { policy }).rule,
      'grant:G-7',
    );
  });

  it('lets NOT_SHARED beat CONDITIONAL at equal priority, in either order', () => {
    const tie = { ...conditional, priority: 10 };
    for (const entries of [
      [ENTRIES.idNumber, tie],
      [tie, ENTRIES.idNumber],
    ]) {
      const d = run(emergency, F.idNumber, {
        policy: policyWith(entries, [
          { ...GRANTS.emergency, coordinates: ['Person.idNumber'] },
        ]),
      });
      assert.equal(d.rule, 'negative-list:NL-1@2');
    }
  });

  it('breaks a full tie by entry id, whatever the order of the policy set', () => {
    const a = { ...ENTRIES.idNumber, id: 'NL-A', reason: 'a' };
    const b = { ...ENTRIES.idNumber, id: 'NL-B', reason: 'b' };
    for (const entries of [
      [a, b],
      [b, a],
    ]) {
      assert.equal(
        run(emergency, F.idNumber, { policy: policyWith(entries) }).rule,
        'negative-list:NL-A@2',
      );
    }
  });
});

describe('decide: CASL roles', () => {
  it('allows by subject type and field', () => {
    const who = principal({ roles: ['enterpriseNames'] });
    const d = run(who, F.enterpriseName);
    assert.equal(d.effect, 'ALLOW');
    assert.deepEqual(d.trail, ['no-entry', 'casl:role:enterpriseNames']);
  });

  it('denies a field no rule of the role names', () => {
    const who = principal({ roles: ['enterpriseNames'] });
    const d = run(who, F.enterpriseIndustry);
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'FORBIDDEN');
    assert.equal(d.rule, 'casl:no-rule');
    assert.deepEqual(d.trail, ['no-entry', 'casl:no-rule']);
    assert.match(d.reason, /enterpriseNames/);
  });

  it('allows by owner department and coordinate pattern', () => {
    const who = principal({ roles: ['crowdViewer'] });
    assert.equal(run(who, F.crowdObservations).effect, 'ALLOW');
    assert.equal(run(who, F.enterpriseName).rule, 'casl:no-rule');
  });

  it('denies by a cannot rule on the owner department', () => {
    const who = principal({ roles: ['noPersons'] });
    const d = run(who, F.mobile);
    assert.equal(d.code, 'FORBIDDEN');
    assert.equal(d.rule, 'casl:role:noPersons');
    assert.match(d.reason, /Role "noPersons" forbids reading Person\.mobile/);
    assert.equal(run(who, F.crowdName).effect, 'ALLOW');
  });

  it('does not withhold a field for a row-conditional cannot', () => {
    const who = principal({ roles: ['notInYuzhong'] });
    assert.equal(run(who, F.name).effect, 'MASK');
  });

  it('combines roles deny-overrides, whatever their order', () => {
    for (const roles of [
      ['investigator', 'noPersons'],
      ['noPersons', 'investigator'],
    ]) {
      const d = run(principal({ roles }), F.name);
      assert.equal(d.rule, 'casl:role:noPersons');
    }
    const d = run(
      principal({ roles: ['enterpriseNames', 'investigator'] }),
      F.enterpriseIndustry,
    );
    assert.equal(d.rule, 'no-entry');
    assert.deepEqual(d.trail, ['no-entry', 'casl:role:investigator']);
  });

  it('denies by default: no roles, or roles the policy set does not know', () => {
    for (const roles of [
      [],
      ['ghost'],
      ['constructor', '__proto__', 'toString'],
    ]) {
      const d = run(principal({ roles }), F.crowdName);
      assert.equal(d.effect, 'DENY');
      assert.equal(d.rule, 'casl:no-rule');
    }
  });

  it('applies roles after the negative list (a grant does not bypass CASL)', () => {
    const d = run(principal({ roles: ['noPersons'] }), F.mobile);
    assert.deepEqual(d.trail, [
      'negative-list:NL-2@1',
      'grant:G-7',
      'casl:role:noPersons',
    ]);
  });
});

describe('decide: algorithm identities', () => {
  const tracing = (state: NonNullable<Principal['algorithm']>['state']) =>
    principal({
      subject: 'alg-oil-tracing',
      department: 'environment',
      roles: ['investigator'],
      purposes: ['POLLUTION_TRACING'],
      algorithm: {
        filingId: 'ALG-2025-017',
        inputs: [
          'Enterprise.name',
          'Enterprise.industry',
          'Reading.value',
          'Person.idNumber',
        ],
        state,
      },
    });
  const opts = { purpose: 'POLLUTION_TRACING' };

  it('allows filed inputs while IN_SERVICE or PILOT', () => {
    for (const state of ['IN_SERVICE', 'PILOT'] as const) {
      const d = run(tracing(state), F.enterpriseName, opts);
      assert.equal(d.effect, 'ALLOW');
      assert.equal(d.rule, 'no-entry');
      assert.deepEqual(d.trail, [
        'no-entry',
        'casl:role:investigator',
        'algorithm-filing:ALG-2025-017',
      ]);
    }
    assert.equal(
      run(tracing('IN_SERVICE'), F.readingValue, opts).rule,
      'own-department',
    );
  });

  it('denies inputs the filing does not declare, own data included', () => {
    for (const field of [F.crowdName, F.dischargeConcentration]) {
      const d = run(tracing('IN_SERVICE'), field, opts);
      assert.equal(d.effect, 'DENY');
      assert.equal(d.code, 'ALGORITHM_INPUT_NOT_FILED');
      assert.equal(d.rule, 'algorithm-filing:ALG-2025-017');
      assert.match(d.reason, /not among the inputs filed/);
    }
  });

  it('lets a filing with a pending change keep reading its approved inputs', () => {
    const d = run(tracing('CHANGE_PENDING'), F.enterpriseName, opts);
    assert.notEqual(d.effect, 'DENY');
  });

  it('denies even filed inputs outside PILOT, IN_SERVICE and CHANGE_PENDING', () => {
    for (const state of ['SUSPENDED', 'RETIRED', 'FILED', 'DRAFT'] as const) {
      const d = run(tracing(state), F.enterpriseName, opts);
      assert.equal(d.code, 'ALGORITHM_INPUT_NOT_FILED', state);
      assert.match(d.reason, new RegExp(`is ${state}`));
    }
  });

  it('applies the negative list and roles before the filing', () => {
    assert.equal(
      run(tracing('IN_SERVICE'), F.idNumber, opts).code,
      'FORBIDDEN_BY_NEGATIVE_LIST',
    );
    const narrow = { ...tracing('IN_SERVICE'), roles: ['crowdViewer'] };
    assert.equal(run(narrow, F.enterpriseName, opts).rule, 'casl:no-rule');
  });
});

describe('decide: purity', () => {
  it('gives equal decisions for equal inputs and mutates nothing', () => {
    const policy = deepFreeze(structuredClone(POLICY));
    const who = principal();
    for (const field of Object.values(F)) {
      assert.deepEqual(
        decide(who, 'EMERGENCY_RESPONSE', field, policy, NOW),
        decide(who, 'EMERGENCY_RESPONSE', field, POLICY, NOW),
      );
    }
  });
});

describe('decide: unclassified fields and stored classifications', () => {
  const withhold = (policy: PolicySet, classifications = {}): PolicySet =>
    deepFreeze({
      ...policy,
      classifications,
      settings: { withholdUnclassified: true },
    });

  it('withholds another department’s unclassified field when the city says so', () => {
    const d = run(emergency, F.enterpriseName, { policy: withhold(POLICY) });
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'FIELD_NOT_CLASSIFIED');
    assert.equal(d.rule, 'unclassified-field');
    assert.match(
      d.reason,
      /Enterprise\.name has not been classified by market/,
    );
    // Off (the default): shared as before.
    assert.equal(run(emergency, F.enterpriseName).effect, 'ALLOW');
  });

  it('lets the owner read its own unclassified fields, and classified ones go on to the negative list', () => {
    const policy = withhold(POLICY);
    assert.equal(run(market, F.enterpriseName, { policy }).effect, 'ALLOW');
    // SDL-tagged: decided by the negative list as usual.
    const id = run(emergency, F.idNumber, { policy });
    assert.equal(id.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    // Classified by a data officer: shared again.
    const reviewed = withhold(POLICY, { 'Enterprise.name': ['GENERAL'] });
    assert.equal(
      run(emergency, F.enterpriseName, { policy: reviewed }).effect,
      'ALLOW',
    );
  });

  it('lets entries select by tags stored for a field, as by its SDL tags', () => {
    const byTag: NegativeListEntry = {
      id: 'NL-T',
      version: 1,
      ownerDepartment: 'market',
      selector: { tags: ['TRADE_SECRET'] },
      shareClass: 'NOT_SHARED',
      legalBasis: '《中华人民共和国反不正当竞争法》',
      reason: 'trade secrets',
      priority: 1,
      status: 'ACTIVE',
    };
    const base = policyWith([byTag]);
    assert.equal(
      run(emergency, F.enterpriseIndustry, { policy: base }).effect,
      'ALLOW',
    );
    const tagged: PolicySet = deepFreeze({
      ...base,
      classifications: { 'Enterprise.industry': ['TRADE_SECRET'] },
    });
    const d = run(emergency, F.enterpriseIndustry, { policy: tagged });
    assert.equal(d.code, 'FORBIDDEN_BY_NEGATIVE_LIST');
    assert.equal(d.rule, 'negative-list:NL-T@1');
  });
});
