import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { defineAdministrationAbility } from '../../../../policies/src/index.js';
import {
  ENTRY_CONDITION_COLUMNS,
  PROPOSAL_CONDITION_COLUMNS,
} from '../../../../policies/store/src/administration/index.js';
import { toSqlWhere } from '../../../../subgraphs/governance/src/toSqlWhere.js';

const analyst = defineAdministrationAbility({
  subject: 'env-analyst',
  department: 'environment',
  roles: ['analyst'],
});
const officer = defineAdministrationAbility({
  subject: 'market-data-officer',
  department: 'market',
  roles: ['data-officer'],
});

describe('toSqlWhere', () => {
  it('turns what CASL allows into a SQL condition over the mapped columns', () => {
    assert.deepEqual(
      toSqlWhere(analyst, 'read', 'NegativeListEntry', ENTRY_CONDITION_COLUMNS),
      {
        text: 'e.status = ANY($?)',
        values: [['ACTIVE', 'SUPERSEDED', 'REVOKED']],
      },
    );
    assert.deepEqual(
      toSqlWhere(officer, 'read', 'NegativeListEntry', ENTRY_CONDITION_COLUMNS),
      {
        text: '(e.owner_department IS NOT DISTINCT FROM $? OR e.status = ANY($?))',
        values: ['market', ['ACTIVE', 'SUPERSEDED', 'REVOKED']],
      },
    );
  });

  it('keeps cannot rules as NOT, and no rule at all as FALSE', () => {
    const approvable = toSqlWhere(
      officer,
      'approve',
      'NegativeListEntry',
      ENTRY_CONDITION_COLUMNS,
    );
    assert.equal(
      approvable.text,
      '(e.owner_department IS NOT DISTINCT FROM $? AND NOT (e.author IS NOT DISTINCT FROM $?))',
    );
    assert.deepEqual(approvable.values, ['market', 'market-data-officer']);
    assert.deepEqual(
      toSqlWhere(
        analyst,
        'approve',
        'NegativeListEntry',
        ENTRY_CONDITION_COLUMNS,
      ),
      { text: 'FALSE', values: [] },
    );
  });

  it('matches array columns the way CASL matches array fields: contains, does not contain', () => {
    assert.deepEqual(
      toSqlWhere(
        officer,
        'decide',
        'ClassificationProposal',
        PROPOSAL_CONDITION_COLUMNS,
      ),
      {
        text: '($? = ANY(p.awaiting) AND NOT (p.author IS NOT DISTINCT FROM $?) AND NOT (NOT ($? = ANY(p.awaiting))))',
        values: ['market', 'market-data-officer', 'market'],
      },
    );
    assert.deepEqual(
      toSqlWhere(
        officer,
        'read',
        'ClassificationProposal',
        PROPOSAL_CONDITION_COLUMNS,
      ),
      {
        text: '($? = ANY(p.departments) OR p.author_department IS NOT DISTINCT FROM $?)',
        values: ['market', 'market'],
      },
    );
  });

  it('refuses a condition on a field it has no column for, rather than widen access', () => {
    assert.throws(
      () =>
        toSqlWhere(officer, 'read', 'NegativeListEntry', {
          status: 'e.status',
        }),
      /no column for condition field "ownerDepartment"/,
    );
  });
});
