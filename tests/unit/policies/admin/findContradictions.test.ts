import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  entryCoverage,
  findContradictions,
  type FieldInfo,
  type Grant,
  type NegativeListEntry,
} from '../../../../policies/src/index.js';

const NOW = new Date('2026-12-04T00:00:00Z');

const fields: FieldInfo[] = [
  {
    coordinate: 'Person.name',
    ownerDepartment: 'publicsecurity',
    classification: ['PERSONAL'],
  },
  {
    coordinate: 'Person.mobile',
    ownerDepartment: 'publicsecurity',
    classification: ['PERSONAL'],
  },
  {
    coordinate: 'Person.idNumber',
    ownerDepartment: 'publicsecurity',
    classification: ['PERSONAL_SENSITIVE'],
  },
  {
    coordinate: 'Enterprise.name',
    ownerDepartment: 'market',
    classification: [],
  },
];

function entry(overrides: Partial<NegativeListEntry>): NegativeListEntry {
  return {
    id: 'NL-X',
    version: 1,
    ownerDepartment: 'publicsecurity',
    selector: { coordinates: ['Person.mobile'] },
    shareClass: 'CONDITIONAL',
    legalBasis: 'PIPL',
    reason: 'test',
    priority: 10,
    status: 'DRAFT',
    ...overrides,
  };
}

const grant: Grant = {
  id: 'G-1',
  entryId: 'NL-X',
  consumerDepartment: 'enforcement',
  purpose: 'complaint-handling',
  coordinates: ['Person.name', 'Person.mobile'],
  expiresAt: '2030-01-01T00:00:00.000Z',
  revoked: false,
};

function kinds(
  e: NegativeListEntry,
  others: NegativeListEntry[] = [],
  grants: Grant[] = [],
) {
  return findContradictions({
    entry: e,
    entries: others,
    grants,
    fields,
    now: NOW,
  }).map((c) => c.kind);
}

describe('entryCoverage', () => {
  it('covers the owner’s fields by coordinate, type and tag, never another department’s', () => {
    assert.deepEqual(
      entryCoverage(entry({ selector: { tags: ['PERSONAL'] } }), fields),
      ['Person.mobile', 'Person.name'],
    );
    assert.deepEqual(
      entryCoverage(entry({ selector: { types: ['Person'] } }), fields),
      ['Person.idNumber', 'Person.mobile', 'Person.name'],
    );
    assert.deepEqual(
      entryCoverage(
        entry({ selector: { coordinates: ['Enterprise.name'] } }),
        fields,
      ),
      [],
    );
  });
});

describe('findContradictions', () => {
  it('finds nothing wrong with a plain entry', () => {
    assert.deepEqual(kinds(entry({})), []);
  });

  it('reports a selector that covers nothing of its owner', () => {
    assert.deepEqual(kinds(entry({ selector: { tags: ['AGGREGATE'] } })), [
      'COVERS_NOTHING',
    ]);
  });

  it('reports another active entry of the other class at the same priority', () => {
    const other = entry({
      id: 'NL-Y',
      status: 'ACTIVE',
      shareClass: 'NOT_SHARED',
      selector: { tags: ['PERSONAL'] },
    });
    const found = findContradictions({
      entry: entry({}),
      entries: [other],
      grants: [],
      fields,
      now: NOW,
    });
    assert.deepEqual(
      found.map((c) => c.kind),
      ['OPPOSITE_CLASS_AT_SAME_PRIORITY', 'SHADOWED'],
    );
    assert.equal(found[0]?.otherEntry, 'NL-Y@1');
    assert.deepEqual(found[0]?.coordinates, ['Person.mobile']);
    // Not compared: drafts, other ids' inactive versions, other owners, own id.
    assert.deepEqual(kinds(entry({}), [{ ...other, status: 'DRAFT' }]), []);
    assert.deepEqual(
      kinds(entry({}), [{ ...other, id: 'NL-X', version: 0 }]),
      [],
    );
  });

  it('reports an entry every field of which a stronger NOT_SHARED entry withholds', () => {
    const stronger = entry({
      id: 'NL-Z',
      status: 'ACTIVE',
      shareClass: 'NOT_SHARED',
      priority: 50,
      selector: { types: ['Person'] },
    });
    assert.deepEqual(kinds(entry({}), [stronger]), ['SHADOWED']);
    // With exceptions it may not apply to everyone: not shadowed.
    assert.deepEqual(
      kinds(entry({}), [{ ...stronger, exceptions: { purposes: ['x'] } }]),
      [],
    );
    // A weaker one does not shadow.
    assert.deepEqual(kinds(entry({}), [{ ...stronger, priority: 1 }]), []);
  });

  it('reports consumers and purposes that are conditioned and exempt at once', () => {
    const found = findContradictions({
      entry: entry({
        conditions: { consumers: ['enforcement', 'market'], purposes: ['p'] },
        exceptions: { consumers: ['market'] },
      }),
      entries: [],
      grants: [],
      fields,
      now: NOW,
    });
    assert.deepEqual(
      found.map((c) => c.kind),
      ['EXEMPT_AND_CONDITIONED'],
    );
    assert.match(found[0]?.message ?? '', /consumer market/);
  });

  it('reports grants in force that a revision would leave behind', () => {
    const narrower = findContradictions({
      entry: entry({ version: 2 }),
      entries: [],
      grants: [grant],
      fields,
      now: NOW,
    });
    assert.deepEqual(
      narrower.map((c) => c.kind),
      ['GRANTS_WOULD_LAPSE'],
    );
    assert.deepEqual(narrower[0]?.coordinates, ['Person.name']);
    assert.deepEqual(narrower[0]?.grants, ['G-1']);
    assert.deepEqual(
      kinds(
        entry({
          version: 2,
          shareClass: 'NOT_SHARED',
          selector: { tags: ['PERSONAL'] },
        }),
        [],
        [grant],
      ),
      ['GRANTS_WOULD_LAPSE'],
    );
    // A NOT_SHARED entry that overrides a weaker conditional one.
    const conditional = entry({
      id: 'NL-C',
      status: 'ACTIVE',
      selector: { tags: ['PERSONAL'] },
      priority: 5,
    });
    const overriding = findContradictions({
      entry: entry({ id: 'NL-N', shareClass: 'NOT_SHARED', priority: 10 }),
      entries: [conditional],
      grants: [{ ...grant, entryId: 'NL-C' }],
      fields,
      now: NOW,
    });
    assert.deepEqual(
      overriding.map((c) => [c.kind, c.otherEntry, c.coordinates]),
      [['GRANTS_WOULD_LAPSE', 'NL-C', ['Person.mobile']]],
    );
    // Not when the conditional entry is the stronger one.
    assert.deepEqual(
      kinds(
        entry({ id: 'NL-N', shareClass: 'NOT_SHARED', priority: 1 }),
        [conditional],
        [{ ...grant, entryId: 'NL-C' }],
      ),
      [],
    );
    // Revoked or expired grants lapse already.
    assert.deepEqual(
      kinds(entry({ version: 2 }), [], [{ ...grant, revoked: true }]),
      [],
    );
    assert.deepEqual(
      kinds(
        entry({ version: 2 }),
        [],
        [{ ...grant, expiresAt: '2026-01-01T00:00:00Z' }],
      ),
      [],
    );
  });
});
