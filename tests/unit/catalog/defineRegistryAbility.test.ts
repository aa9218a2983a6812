import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  checkRegistry,
  defineRegistryAbility,
} from '../../../catalog/src/model/defineRegistryAbility.js';
import type { AdministrationActor } from '../../../policies/src/index.js';

const owner: AdministrationActor = {
  subject: 'environment-algorithm-owner',
  department: 'environment',
  roles: ['algorithm-owner'],
};
const reviewer: AdministrationActor = {
  subject: 'algorithm-reviewer',
  department: 'cac',
  roles: ['algorithm-reviewer'],
};
const filing = {
  ownerDepartment: 'environment',
  submittedBy: 'environment-algorithm-owner',
};

function check(
  actor: AdministrationActor,
  action: Parameters<typeof checkRegistry>[1],
  object: object,
) {
  return checkRegistry(defineRegistryAbility(actor), action, object, actor);
}

describe('defineRegistryAbility', () => {
  it('lets owners act for their own department’s filings only', () => {
    for (const action of [
      'create',
      'edit',
      'submit',
      'pilot',
      'serve',
      'requestChange',
    ] as const) {
      assert.equal(check(owner, action, filing).allowed, true, action);
      assert.equal(
        check(owner, action, { ...filing, ownerDepartment: 'water' }).allowed,
        false,
        action,
      );
    }
    assert.equal(check(owner, 'file', filing).allowed, false);
  });

  it('lets reviewers review, never their own department’s filings nor their own submissions', () => {
    assert.equal(check(reviewer, 'file', filing).allowed, true);
    assert.equal(check(reviewer, 'submit', filing).allowed, false);
    const ownDepartment = check(
      { ...reviewer, department: 'environment' },
      'file',
      filing,
    );
    assert.ok(!ownDepartment.allowed);
    assert.equal(ownDepartment.rule, 'registry:reviewer-independence');
    const self = check(reviewer, 'startReview', {
      ownerDepartment: 'water',
      submittedBy: 'algorithm-reviewer',
    });
    assert.ok(!self.allowed);
    assert.equal(self.rule, 'registry:four-eyes');
  });

  it('lets everyone read the registry, and nobody without a role change it', () => {
    const analyst: AdministrationActor = {
      subject: 'env-analyst',
      department: 'environment',
      roles: ['analyst'],
    };
    assert.equal(check(analyst, 'read', filing).allowed, true);
    const refused = check(analyst, 'create', filing);
    assert.ok(!refused.allowed);
    assert.equal(refused.rule, 'registry:not-permitted');
  });
});
