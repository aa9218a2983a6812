import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  affectedDepartments,
  classificationEffect,
  type ClassificationChangeInput,
  type NegativeListEntry,
} from '../../../../policies/src/index.js';

function entry(
  id: string,
  ownerDepartment: string,
  tags: string[],
  status: NegativeListEntry['status'] = 'ACTIVE',
  coordinates: string[] = [],
): NegativeListEntry {
  return {
    id,
    version: 1,
    ownerDepartment,
    status,
    priority: 0,
    shareClass: 'NOT_SHARED',
    legalBasis: 'x',
    reason: 'x',
    selector: { tags, coordinates },
  };
}

// As seeded: NL-PS-001 withholds PERSONAL_SENSITIVE, NL-PS-003 PERSONAL.
const entries = [
  entry('NL-PS-001', 'publicsecurity', ['PERSONAL_SENSITIVE'], 'ACTIVE', [
    'Person.idNumber',
  ]),
  entry('NL-PS-003', 'publicsecurity', ['PERSONAL']),
  entry('NL-PS-009', 'publicsecurity', ['PERSONAL_SENSITIVE'], 'DRAFT'),
  entry('NL-MKT-009', 'market', ['IMPORTANT']),
];

/** Person.id: resolved by three departments, stored GENERAL. */
const personId = (storedAfter: string[]): ClassificationChangeInput => ({
  coordinate: 'Person.id',
  owners: ['emergency', 'market', 'publicsecurity'],
  sdlTags: [],
  storedBefore: ['GENERAL'],
  storedAfter,
});

describe('classificationEffect', () => {
  it('makes every other owner of a co-resolved field, and the department whose entry it switches on, approve (finding 4)', () => {
    const effect = classificationEffect({
      change: personId(['GENERAL', 'PERSONAL_SENSITIVE']),
      entries,
      proposerDepartment: 'market',
    });
    assert.deepEqual(effect.added, ['PERSONAL_SENSITIVE']);
    assert.deepEqual(effect.removed, []);
    assert.deepEqual(effect.coverageChanges, ['NL-PS-001@1']);
    assert.deepEqual(
      effect.affected.map((a) => a.department),
      ['emergency', 'publicsecurity'],
    );
    const ps = effect.affected.find((a) => a.department === 'publicsecurity');
    assert.deepEqual(ps?.reasons, [
      'resolves Person.id too (co-owner)',
      'NL-PS-001@1 selects by tag and the change adds PERSONAL_SENSITIVE: it would start deciding Person.id',
    ]);
  });

  it('treats removing a tag an entry selects the same way', () => {
    const effect = classificationEffect({
      change: {
        ...personId(['GENERAL']),
        storedBefore: ['PERSONAL_SENSITIVE'],
      },
      entries,
      proposerDepartment: 'market',
    });
    assert.deepEqual(
      [effect.added, effect.removed],
      [['GENERAL'], ['PERSONAL_SENSITIVE']],
    );
    assert.deepEqual(effect.coverageChanges, ['NL-PS-001@1']);
    assert.match(
      effect.affected.find((a) => a.department === 'publicsecurity')
        ?.reasons[1] ?? '',
      /removes PERSONAL_SENSITIVE: it would stop deciding Person\.id/,
    );
  });

  it('lets a department classify a field it resolves alone at once, when no other department selects the tags', () => {
    const effect = classificationEffect({
      change: {
        coordinate: 'Enterprise.creditGrade',
        owners: ['market'],
        sdlTags: [],
        storedBefore: [],
        storedAfter: ['GENERAL', 'IMPORTANT'],
      },
      entries,
      proposerDepartment: 'market',
    });
    assert.deepEqual(effect.added, ['GENERAL', 'IMPORTANT']);
    assert.deepEqual(effect.affected, []);
  });

  it('needs the approval of a department whose active entry selects a changed tag, even where it decides nothing of the field', () => {
    const effect = classificationEffect({
      change: {
        coordinate: 'Enterprise.legalRepresentative',
        owners: ['market'],
        sdlTags: [],
        storedBefore: ['PERSONAL'],
        storedAfter: ['GENERAL'],
      },
      entries,
      proposerDepartment: 'market',
    });
    assert.deepEqual(effect.coverageChanges, []);
    assert.deepEqual(effect.affected, [
      {
        department: 'publicsecurity',
        reasons: [
          'NL-PS-003@1 selects by tag and the change removes PERSONAL: its coverage of Enterprise.legalRepresentative does not change',
        ],
      },
    ]);
  });

  it('ignores entries that are not ACTIVE and tags that do not change', () => {
    // PERSONAL_SENSITIVE is declared in the SDL already: storing it changes nothing.
    const effect = classificationEffect({
      change: {
        coordinate: 'Person.mobile',
        owners: ['publicsecurity', 'market'],
        sdlTags: ['PERSONAL_SENSITIVE'],
        storedBefore: [],
        storedAfter: ['PERSONAL_SENSITIVE'],
      },
      entries,
      proposerDepartment: 'market',
    });
    assert.deepEqual(effect, {
      coordinate: 'Person.mobile',
      added: [],
      removed: [],
      coverageChanges: [],
      affected: [],
    });
    const draftOnly = classificationEffect({
      change: {
        coordinate: 'Enterprise.name',
        owners: ['market'],
        sdlTags: [],
        storedBefore: ['GENERAL'],
        storedAfter: ['PERSONAL_SENSITIVE'],
      },
      entries: entries.filter((e) => e.id === 'NL-PS-009'),
      proposerDepartment: 'market',
    });
    assert.deepEqual(draftOnly.affected, []);
  });

  it('never asks the proposer’s own department, and asks every owner when the city data authority proposes', () => {
    const own = classificationEffect({
      change: {
        coordinate: 'Person.name',
        owners: ['publicsecurity'],
        sdlTags: ['PERSONAL'],
        storedBefore: [],
        storedAfter: ['PERSONAL_SENSITIVE'],
      },
      entries,
      proposerDepartment: 'publicsecurity',
    });
    assert.deepEqual(own.affected, []);
    assert.deepEqual(own.coverageChanges, []);
    const city = classificationEffect({
      change: personId(['IMPORTANT']),
      entries,
      proposerDepartment: 'bigdata',
    });
    assert.deepEqual(
      city.affected.map((a) => a.department),
      ['emergency', 'market', 'publicsecurity'],
    );
  });
});

describe('affectedDepartments', () => {
  it('unites the departments of several fields, each reason naming its field', () => {
    const effects = [
      classificationEffect({
        change: personId(['PERSONAL_SENSITIVE']),
        entries,
        proposerDepartment: 'market',
      }),
      classificationEffect({
        change: {
          coordinate: 'Enterprise.creditCode',
          owners: ['emergency', 'enforcement', 'environment', 'market'],
          sdlTags: [],
          storedBefore: ['GENERAL'],
          storedAfter: ['PUBLIC'],
        },
        entries,
        proposerDepartment: 'market',
      }),
    ];
    const all = affectedDepartments(effects);
    assert.deepEqual(
      all.map((a) => a.department),
      ['emergency', 'enforcement', 'environment', 'publicsecurity'],
    );
    assert.deepEqual(all.find((a) => a.department === 'emergency')?.reasons, [
      'resolves Person.id too (co-owner)',
      'resolves Enterprise.creditCode too (co-owner)',
    ]);
  });
});
