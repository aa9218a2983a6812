import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readOwnership } from '../../../policies/src/index.js';
import {
  diffPolicies,
  formatPolicyDiff,
} from '../../../policies/store/src/policy/diffPolicies.js';
import { policyVersion } from '../../../policies/store/src/policy/index.js';
import type { PolicyDocument } from '../../../policies/store/src/policy/index.js';
import {
  formatPolicyFile,
  parsePolicyFile,
  PolicyFileError,
} from '../../../policies/store/src/policy/policyFile.js';
import {
  levenshtein,
  nearestName,
  policyNamesOf,
  validateAgainstSupergraph,
} from '../../../policies/src/document/validateAgainstSupergraph.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import { supergraphSdl } from '../gateway/governance/fixtures.js';

const names = policyNamesOf(readOwnership(supergraphSdl));

function reversed(doc: PolicyDocument): PolicyDocument {
  return {
    entries: [...doc.entries].reverse(),
    grants: [...doc.grants].reverse(),
    roles: Object.fromEntries(Object.entries(doc.roles).reverse()),
    algorithms: [...doc.algorithms].reverse(),
  };
}

describe('policy files', () => {
  it('are deterministic: equal content in any order gives the same bytes apart from exportedAt', () => {
    const at = new Date('2026-11-22T00:00:00Z');
    const a = formatPolicyFile(demoPolicy(), at);
    assert.equal(formatPolicyFile(reversed(demoPolicy()), at), a);
    const later = formatPolicyFile(
      demoPolicy(),
      new Date('2027-01-01T00:00:00Z'),
    );
    assert.notEqual(later, a);
    assert.equal(
      later.replace(/"exportedAt": "[^"]*"/, ''),
      a.replace(/"exportedAt": "[^"]*"/, ''),
    );
    const head = JSON.parse(a) as Record<string, unknown>;
    assert.deepEqual(Object.keys(head), [
      'format',
      'formatVersion',
      'version',
      'exportedAt',
      'entries',
      'grants',
      'roles',
      'algorithms',
      'classifications',
      'settings',
    ]);
    assert.equal(head['version'], policyVersion(demoPolicy()));
  });

  it('parse back to the same content and version', () => {
    const text = formatPolicyFile(demoPolicy(), new Date());
    const parsed = parsePolicyFile(text, 'demo.json');
    assert.equal(parsed.version, parsed.statedVersion);
    assert.deepEqual(diffPolicies(parsed.document, demoPolicy()), []);
  });

  it('refuse another format, another formatVersion and invalid items', () => {
    const file = JSON.parse(
      formatPolicyFile(demoPolicy(), new Date()),
    ) as Record<string, unknown>;
    const problems = (value: unknown): readonly string[] => {
      try {
        parsePolicyFile(JSON.stringify(value), 'p.json');
      } catch (error) {
        assert.ok(error instanceof PolicyFileError);
        return error.problems;
      }
      assert.fail('expected a PolicyFileError');
    };
    assert.deepEqual(problems({ ...file, format: 'x', formatVersion: 2 }), [
      'p.json: format must be "govgraph-policy", not "x"',
      'p.json: formatVersion must be 1, not 2',
    ]);
    const [first, ...rest] = file['entries'] as Record<string, unknown>[];
    const broken = problems({
      ...file,
      entries: [{ ...first, shareClass: 'MAYBE' }, ...rest],
    });
    assert.equal(broken.length, 1);
    assert.match(broken[0] ?? '', /^p\.json: entries\[0\] .*shareClass/);
    assert.match(problems('{')[0] ?? '', /not JSON|must be a JSON object/);
  });
});

describe('validateAgainstSupergraph', () => {
  it('accepts the demo policy', () => {
    assert.deepEqual(validateAgainstSupergraph(demoPolicy(), names), []);
  });

  it('lists every unknown selector with the nearest existing name', () => {
    const demo = demoPolicy();
    const [entry, ...entries] = demo.entries;
    assert.ok(entry);
    const [grant, ...grants] = demo.grants;
    assert.ok(grant);
    const doc: PolicyDocument = {
      ...demo,
      entries: [
        {
          ...entry,
          selector: {
            coordinates: ['Person.mobil'],
            types: ['Persn'],
            tags: ['PERSONAL_SENSITIV', 'NOTHING_LIKE_ANY_TAG_AT_ALL'],
          },
        },
        ...entries,
      ],
      grants: [{ ...grant, coordinates: ['person.name'] }, ...grants],
    };
    const where = `entry ${entry.id}@${String(entry.version)} selector`;
    assert.deepEqual(validateAgainstSupergraph(doc, names), [
      `${where}: unknown coordinate Person.mobil in the supergraph (did you mean Person.mobile?)`,
      `${where}: unknown type Persn in the supergraph (did you mean Person?)`,
      `${where}: unknown tag PERSONAL_SENSITIV in the supergraph (did you mean PERSONAL_SENSITIVE?)`,
      `${where}: unknown tag NOTHING_LIKE_ANY_TAG_AT_ALL in the supergraph`,
      `grant ${grant.id} coordinates: unknown coordinate person.name in the supergraph (did you mean Person.name?)`,
    ]);
  });

  it('refuses grants under entries that are not CONDITIONAL', () => {
    const demo = demoPolicy();
    const notShared = demo.entries.find(
      (e) => e.shareClass === 'NOT_SHARED' && e.status === 'ACTIVE',
    );
    assert.ok(notShared);
    const [grant, ...grants] = demo.grants;
    assert.ok(grant);
    const doc = {
      ...demo,
      grants: [{ ...grant, entryId: notShared.id }, ...grants],
    };
    assert.deepEqual(validateAgainstSupergraph(doc, names), [
      `grant ${grant.id}: entry ${notShared.id}@${String(notShared.version)} is NOT_SHARED; grants are issued only under CONDITIONAL entries`,
    ]);
  });

  it('measures Levenshtein distance and suggests only what is near', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(nearestName('Persn', ['Person', 'Enterprise']), 'Person');
    assert.equal(nearestName('Zzzzzzzz', ['Person', 'Enterprise']), undefined);
  });
});

describe('diffPolicies', () => {
  it('finds nothing between equal content in any order', () => {
    assert.deepEqual(diffPolicies(demoPolicy(), reversed(demoPolicy())), []);
  });

  it('names each item added, removed or changed, with the changed fields', () => {
    const before = demoPolicy();
    const [entry, ...entries] = before.entries;
    const [grant, ...grants] = before.grants;
    const [filing, ...filings] = before.algorithms;
    assert.ok(entry && grant && filing);
    const roleNames = Object.keys(before.roles).sort();
    const [role] = roleNames;
    assert.ok(role !== undefined);
    const after: PolicyDocument = {
      entries: [
        { ...entry, reason: 'Changed.', priority: entry.priority + 1 },
        ...entries,
        { ...entry, id: 'NL-NEW-001', version: 1 },
      ],
      grants,
      roles: {
        ...before.roles,
        [role]: [
          ...(before.roles[role] ?? []),
          { action: 'read', subject: 'all' },
        ],
      },
      algorithms: [{ ...filing, state: 'SUSPENDED' }, ...filings],
    };
    const changes = diffPolicies(before, after);
    const key = `${entry.id}@${String(entry.version)}`;
    assert.deepEqual(
      changes.map((c) => [
        c.kind,
        c.key,
        c.change,
        c.fields.map((f) => f.field),
      ]),
      [
        ['entry', 'NL-NEW-001@1', 'added', []],
        ['entry', key, 'changed', ['priority', 'reason']],
        ['grant', grant.id, 'removed', []],
        [
          'role',
          role,
          'changed',
          [`rules[${String(before.roles[role]?.length ?? 0)}]`],
        ],
        ['algorithm', filing.filingId, 'changed', ['state']],
      ],
    );
    const lines = formatPolicyDiff(changes);
    assert.ok(lines.includes(`~ entry ${key} changed`));
    assert.ok(
      lines.includes(
        `    priority: ${String(entry.priority)} → ${String(entry.priority + 1)}`,
      ),
    );
    assert.ok(lines.includes('+ entry NL-NEW-001@1 added'));
    assert.ok(lines.includes(`- grant ${grant.id} removed`));
  });
});
