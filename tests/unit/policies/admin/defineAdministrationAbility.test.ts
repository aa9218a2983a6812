import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  checkAdministration,
  defineAdministrationAbility,
  type AdministrationActor,
} from '../../../../policies/src/index.js';

const officer: AdministrationActor = {
  subject: 'publicsecurity-data-officer',
  department: 'publicsecurity',
  roles: ['data-officer'],
};
const chief: AdministrationActor = {
  subject: 'publicsecurity-chief-data-officer',
  department: 'publicsecurity',
  roles: ['data-officer'],
};
const marketOfficer: AdministrationActor = {
  subject: 'market-data-officer',
  department: 'market',
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

function check(
  actor: AdministrationActor,
  action: Parameters<typeof checkAdministration>[1],
  type: Parameters<typeof checkAdministration>[2],
  object: Record<string, unknown>,
) {
  return checkAdministration(
    defineAdministrationAbility(actor),
    action,
    type,
    object,
    actor,
  );
}

const draft = {
  ownerDepartment: 'publicsecurity',
  status: 'DRAFT',
  author: officer.subject,
};
const inReview = { ...draft, status: 'IN_REVIEW' };
const active = { ...draft, status: 'ACTIVE' };

describe('defineAdministrationAbility', () => {
  it('lets everyone read the published list and nobody else’s drafts', () => {
    assert.equal(
      check(analyst, 'read', 'NegativeListEntry', active).allowed,
      true,
    );
    for (const status of ['SUPERSEDED', 'REVOKED']) {
      assert.equal(
        check(analyst, 'read', 'NegativeListEntry', { ...draft, status })
          .allowed,
        true,
      );
    }
    assert.equal(
      check(analyst, 'read', 'NegativeListEntry', draft).allowed,
      false,
    );
    assert.equal(
      check(marketOfficer, 'read', 'NegativeListEntry', inReview).allowed,
      false,
    );
    assert.equal(
      check(chief, 'read', 'NegativeListEntry', draft).allowed,
      true,
    );
    assert.equal(
      check(authority, 'read', 'NegativeListEntry', draft).allowed,
      true,
    );
  });

  it('lets a data officer write entries for their own department only', () => {
    assert.equal(
      check(officer, 'create', 'NegativeListEntry', draft).allowed,
      true,
    );
    const other = check(marketOfficer, 'create', 'NegativeListEntry', draft);
    assert.equal(other.allowed, false);
    assert.ok(!other.allowed && other.rule === 'governance:not-permitted');
    assert.equal(
      check(analyst, 'create', 'NegativeListEntry', draft).allowed,
      false,
    );
    assert.equal(
      check(authority, 'create', 'NegativeListEntry', draft).allowed,
      true,
    );
  });

  it('keeps edits and submission to the author', () => {
    assert.equal(
      check(officer, 'edit', 'NegativeListEntry', draft).allowed,
      true,
    );
    const edit = check(chief, 'edit', 'NegativeListEntry', draft);
    assert.ok(!edit.allowed);
    assert.equal(edit.rule, 'governance:author-only');
    assert.equal(
      check(authority, 'submit', 'NegativeListEntry', draft).allowed,
      false,
    );
  });

  it('never lets the author approve (four eyes), even as the city data authority', () => {
    const self = check(officer, 'approve', 'NegativeListEntry', inReview);
    assert.ok(!self.allowed);
    assert.equal(self.rule, 'governance:four-eyes');
    assert.match(self.reason, /four eyes/i);
    assert.equal(
      check(chief, 'approve', 'NegativeListEntry', inReview).allowed,
      true,
    );
    assert.equal(
      check(authority, 'approve', 'NegativeListEntry', inReview).allowed,
      true,
    );
    const own = check(authority, 'approve', 'NegativeListEntry', {
      ...inReview,
      author: authority.subject,
    });
    assert.ok(!own.allowed && own.rule === 'governance:four-eyes');
    assert.equal(
      check(marketOfficer, 'approve', 'NegativeListEntry', inReview).allowed,
      false,
    );
  });

  it('lets consumers request and owners decide share requests, never their own', () => {
    const request = {
      ownerDepartment: 'publicsecurity',
      consumerDepartment: 'market',
      requestedBy: marketOfficer.subject,
    };
    assert.equal(
      check(marketOfficer, 'create', 'ShareRequest', request).allowed,
      true,
    );
    assert.equal(
      check(officer, 'create', 'ShareRequest', request).allowed,
      false,
    );
    assert.equal(
      check(officer, 'decide', 'ShareRequest', request).allowed,
      true,
    );
    assert.equal(
      check(marketOfficer, 'decide', 'ShareRequest', request).allowed,
      false,
    );
    assert.equal(
      check(marketOfficer, 'withdraw', 'ShareRequest', request).allowed,
      true,
    );
    const other = check(officer, 'withdraw', 'ShareRequest', request);
    assert.ok(!other.allowed && other.rule === 'governance:requester-only');
    assert.equal(
      check(marketOfficer, 'read', 'ShareRequest', request).allowed,
      true,
    );
    assert.equal(check(officer, 'read', 'ShareRequest', request).allowed, true);
    // A developer of the consumer department sees the requests too.
    assert.equal(
      check(
        { ...analyst, department: 'market' },
        'read',
        'ShareRequest',
        request,
      ).allowed,
      true,
    );
    assert.equal(
      check(analyst, 'read', 'ShareRequest', request).allowed,
      false,
    );
    const authorityOwn = check(authority, 'decide', 'ShareRequest', {
      ...request,
      requestedBy: authority.subject,
    });
    assert.ok(
      !authorityOwn.allowed && authorityOwn.rule === 'governance:four-eyes',
    );
  });

  it('lets owners revoke their grants and read reports on their own data', () => {
    const grant = {
      ownerDepartment: 'publicsecurity',
      consumerDepartment: 'enforcement',
    };
    assert.equal(check(officer, 'revoke', 'Grant', grant).allowed, true);
    assert.equal(check(marketOfficer, 'revoke', 'Grant', grant).allowed, false);
    assert.equal(
      check({ ...analyst, department: 'enforcement' }, 'read', 'Grant', grant)
        .allowed,
      true,
    );
    assert.equal(
      check(officer, 'read', 'AccessReport', {
        ownerDepartment: 'publicsecurity',
      }).allowed,
      true,
    );
    assert.equal(
      check(marketOfficer, 'read', 'AccessReport', {
        ownerDepartment: 'publicsecurity',
      }).allowed,
      false,
    );
    assert.equal(
      check(authority, 'read', 'AccessReport', { ownerDepartment: 'market' })
        .allowed,
      true,
    );
  });

  it('lets any owning department classify a field, and only the authority change settings', () => {
    const shared = { owners: ['market', 'environment'] };
    assert.equal(
      check(marketOfficer, 'classify', 'FieldClassification', shared).allowed,
      true,
    );
    assert.equal(
      check(officer, 'classify', 'FieldClassification', shared).allowed,
      false,
    );
    assert.equal(
      check(authority, 'classify', 'FieldClassification', shared).allowed,
      true,
    );
    assert.equal(check(analyst, 'read', 'PolicySettings', {}).allowed, true);
    assert.equal(check(officer, 'update', 'PolicySettings', {}).allowed, false);
    assert.equal(
      check(authority, 'update', 'PolicySettings', {}).allowed,
      true,
    );
  });

  it('lets a city-level auditor read the access log and reports, and write nothing; nobody else reads the log', () => {
    const auditor: AdministrationActor = {
      subject: 'city-auditor',
      department: 'bigdata',
      roles: ['auditor'],
      level: 'CITY',
    };
    assert.equal(check(auditor, 'read', 'AccessRecord', {}).allowed, true);
    assert.equal(
      check(auditor, 'read', 'AccessReport', { ownerDepartment: 'market' })
        .allowed,
      true,
    );
    for (const [action, type] of [
      ['create', 'NegativeListEntry'],
      ['approve', 'NegativeListEntry'],
      ['decide', 'ShareRequest'],
      ['revoke', 'Grant'],
      ['update', 'PolicySettings'],
      ['revoke', 'BearerToken'],
    ] as const) {
      assert.equal(
        check(auditor, action, type, { ownerDepartment: 'market' }).allowed,
        false,
        `${action} ${type}`,
      );
    }
    for (const actor of [
      officer,
      authority,
      analyst,
      { ...auditor, level: 'DISTRICT' },
      { subject: 'city-auditor', department: 'bigdata', roles: ['auditor'] },
    ]) {
      const verdict = check(actor, 'read', 'AccessRecord', {});
      assert.equal(verdict.allowed, false);
      assert.equal(
        verdict.allowed ? '' : verdict.rule,
        'governance:auditor-only',
      );
    }
  });
});
