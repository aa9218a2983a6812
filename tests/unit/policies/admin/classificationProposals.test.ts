import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  approvalCovers,
  checkAdministration,
  classificationProposalTransition,
  defineAdministrationAbility,
  type AdministrationActor,
} from '../../../../policies/src/index.js';

const marketOfficer: AdministrationActor = {
  subject: 'market-data-officer',
  department: 'market',
  roles: ['data-officer'],
};
const marketChief: AdministrationActor = {
  subject: 'market-chief-data-officer',
  department: 'market',
  roles: ['data-officer'],
};
const psOfficer: AdministrationActor = {
  subject: 'publicsecurity-data-officer',
  department: 'publicsecurity',
  roles: ['data-officer'],
};
const envOfficer: AdministrationActor = {
  subject: 'environment-data-officer',
  department: 'environment',
  roles: ['data-officer'],
};
const authority: AdministrationActor = {
  subject: 'city-data-authority',
  department: 'bigdata',
  roles: ['city-data-authority'],
};
const analyst: AdministrationActor = {
  subject: 'env-analyst',
  department: 'environment',
  roles: ['analyst'],
};

/** Market's officer tagged Person.id; emergency approved, publicsecurity has not. */
const proposal = {
  author: marketOfficer.subject,
  authorDepartment: 'market',
  departments: ['emergency', 'publicsecurity'],
  awaiting: ['publicsecurity'],
  status: 'PENDING',
};

function check(
  actor: AdministrationActor,
  action: 'read' | 'decide' | 'withdraw',
  object: Record<string, unknown> = proposal,
) {
  return checkAdministration(
    defineAdministrationAbility(actor),
    action,
    'ClassificationProposal',
    object,
    actor,
  );
}

describe('classification proposals: who may do what (CASL)', () => {
  it('lets the proposing and the affected departments’ officers and the city read a proposal, nobody else', () => {
    for (const actor of [marketOfficer, marketChief, psOfficer, authority]) {
      assert.equal(check(actor, 'read').allowed, true, actor.subject);
    }
    for (const actor of [envOfficer, analyst]) {
      assert.equal(check(actor, 'read').allowed, false, actor.subject);
    }
  });

  it('lets an awaited department’s officer or the city approve or reject, never the author (four eyes)', () => {
    assert.deepEqual(check(psOfficer, 'decide'), { allowed: true });
    assert.deepEqual(check(authority, 'decide'), { allowed: true });
    const own = check(marketOfficer, 'decide');
    assert.equal(own.allowed, false);
    assert.equal(!own.allowed && own.rule, 'governance:four-eyes');
    const cityOwn = check(authority, 'decide', {
      ...proposal,
      author: authority.subject,
    });
    assert.equal(!cityOwn.allowed && cityOwn.rule, 'governance:four-eyes');
  });

  it('refuses a department the proposal does not await, naming the rule', () => {
    // The author's colleague: market is not affected by its own change.
    const colleague = check(marketChief, 'decide');
    assert.equal(
      !colleague.allowed && colleague.rule,
      'governance:not-awaited',
    );
    // emergency approved already; environment was never affected.
    for (const actor of [
      envOfficer,
      { ...psOfficer, department: 'emergency' },
    ]) {
      const verdict = check(actor, 'decide');
      assert.equal(!verdict.allowed && verdict.rule, 'governance:not-awaited');
    }
    const nobody = check(analyst, 'decide');
    assert.equal(!nobody.allowed && nobody.rule, 'governance:not-permitted');
  });

  it('lets only its author withdraw it', () => {
    assert.deepEqual(check(marketOfficer, 'withdraw'), { allowed: true });
    const other = check(psOfficer, 'withdraw');
    assert.equal(!other.allowed && other.rule, 'governance:author-only');
    assert.equal(check(analyst, 'withdraw').allowed, false);
  });
});

describe('approvalCovers', () => {
  it('counts an officer’s approval for their own awaited department, the city’s for every awaited one', () => {
    const awaiting = ['publicsecurity', 'emergency'];
    assert.deepEqual(approvalCovers(psOfficer, awaiting), ['publicsecurity']);
    assert.deepEqual(approvalCovers(envOfficer, awaiting), []);
    assert.deepEqual(approvalCovers(authority, awaiting), [
      'emergency',
      'publicsecurity',
    ]);
  });
});

describe('classificationProposalTransition', () => {
  it('stays PENDING until the last awaited department approves, then APPLIED', () => {
    assert.equal(
      classificationProposalTransition('approve', 'PENDING', ['emergency']),
      'PENDING',
    );
    assert.equal(
      classificationProposalTransition('approve', 'PENDING', []),
      'APPLIED',
    );
    assert.equal(
      classificationProposalTransition('reject', 'PENDING'),
      'REJECTED',
    );
    assert.equal(
      classificationProposalTransition('withdraw', 'PENDING'),
      'WITHDRAWN',
    );
  });

  it('changes nothing once decided', () => {
    for (const status of ['APPLIED', 'REJECTED', 'WITHDRAWN'] as const) {
      for (const action of ['approve', 'reject', 'withdraw'] as const) {
        assert.equal(
          classificationProposalTransition(action, status),
          null,
          `${action} from ${status}`,
        );
      }
    }
  });
});
