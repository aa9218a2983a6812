// The demo policy against the real graph: everything it names exists in the
// committed supergraph, it fits the demo users, and every branch of
// policies' `decide` is taken by some demo user reading some field through a
// query the gateway would accept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { parse, validate } from 'graphql';

import { snapshotOf } from '../../../policies/store/src/policy/index.js';
import { demoUsers } from '../../../hub/demoUsers.js';
import {
  analyzeOperation,
  decide,
  mayIntrospect,
  nextPolicyChange,
  readFieldCatalog,
  type Decision,
  type DecisionCode,
  type FieldInfo,
  type MaskKind,
  type NegativeListEntry,
  type PolicySet,
  type Principal,
  type RowFilter,
} from '../../../policies/src/index.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import { supergraphApiSchema } from '../policies/fixtures/schemas.js';

/** The instant every decision is taken at unless a case says otherwise. */
const NOW = new Date('2026-11-22T00:00:00Z');

const catalog = readFieldCatalog(
  readFileSync(
    new URL('../../../gateway/supergraph.graphql', import.meta.url),
    'utf8',
  ),
);
const api = supergraphApiSchema();
const doc = demoPolicy();
const snapshot = snapshotOf(doc, NOW);
const policy = snapshot.policy;

const DEPARTMENTS = [
  'environment',
  'water',
  'market',
  'enforcement',
  'emergency',
  'publicsecurity',
];
/** The prefix of classification tags in subgraph SDL (the gateway strips it). */
const CLASS = 'class:';

/** The supergraph's facts about one coordinate; fails for an unknown one. */
function catalogEntry(coordinate: string) {
  const entry = catalog.get(coordinate);
  assert.ok(entry, `${coordinate} is not a field of the supergraph`);
  return entry;
}

/** What the gateway hands `decide` for a field one department resolves. */
function fieldInfo(coordinate: string): FieldInfo {
  const entry = catalogEntry(coordinate);
  assert.equal(
    entry.subgraphs.length,
    1,
    `${coordinate} has several owners: ${entry.subgraphs.join(', ')}`,
  );
  return {
    coordinate,
    ownerDepartment: entry.subgraphs[0] ?? '',
    classification: entry.tags
      .filter((t) => t.startsWith(CLASS))
      .map((t) => t.slice(CLASS.length)),
  };
}

/** The engine's principal for a demo user, its filing from the snapshot. */
function principalOf(userId: string): Principal {
  const user = demoUsers.find((u) => u.id === userId);
  assert.ok(user, `no demo user ${userId}`);
  const { claims } = user;
  const filing =
    claims.filing === undefined
      ? undefined
      : snapshot.algorithms.get(claims.filing);
  if (claims.filing !== undefined) {
    assert.ok(filing, `filing ${claims.filing} is not bound`);
  }
  return {
    subject: claims.sub,
    department: claims.dept,
    roles: claims.roles,
    level: claims.level,
    regionCode: claims.region,
    purposes: claims.purposes,
    ...(filing === undefined ? {} : { algorithm: filing }),
  };
}

/** The coordinates a query against the gateway's API schema touches. */
function touched(query: string): string[] {
  const document = parse(query);
  assert.deepEqual(
    validate(api, document).map((e) => e.message),
    [],
    'the query must be valid against the supergraph API schema',
  );
  return analyzeOperation(api, document, {}).coordinates.map(
    (c) => c.coordinate,
  );
}

/** The policy without some entries: to prove which entry a decision turns on. */
function without(...keys: string[]): PolicySet {
  const drop = (e: NegativeListEntry): boolean =>
    keys.includes(`${e.id}@${String(e.version)}`);
  return {
    ...policy,
    version: 'test',
    entries: policy.entries.filter((e) => !drop(e)),
  };
}

interface Expected {
  effect: Decision['effect'];
  rule: string;
  code?: DecisionCode;
  mask?: MaskKind;
  rowFilter?: RowFilter;
  trail?: readonly string[];
  reason?: RegExp;
}

interface Case {
  /** The branch of `decide` the case takes. */
  branch: string;
  user: string;
  /** Defaults to the demo user's own purpose. */
  purpose?: string;
  /** A query the user can send that touches `coordinate`. */
  query: string;
  coordinate: string;
  expect: Expected;
  /** Decided at another instant or under another policy (to prove a window or a priority). */
  now?: Date;
  policy?: PolicySet;
}

const COMPLAINT = 'C-20250915-JCK';

const CASES: Case[] = [
  {
    branch: 'purpose not declarable',
    user: 'env-analyst',
    purpose: 'complaint-handling',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { readings { nodes { value } } } }`,
    coordinate: 'Reading.value',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN',
      rule: 'purpose-not-declarable',
      trail: ['purpose-not-declarable'],
    },
  },
  {
    branch: 'own department (public security reads its persons)',
    user: 'police-crowd-yuzhong',
    query: `{ person(id: "P-1") { name birthDate } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'ALLOW',
      rule: 'own-department',
      trail: ['own-department', 'casl:role:crowd-analyst'],
    },
  },
  {
    branch: 'NOT_SHARED by coordinate and tag: the complainant’s ID number',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { idNumber } } }`,
    coordinate: 'Person.idNumber',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-001@1',
      trail: ['negative-list:NL-PS-001@1'],
      reason: /不予共享/,
    },
  },
  {
    branch: 'NOT_SHARED: a responsible person’s gender (other person data)',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { responsiblePerson { gender } } }`,
    coordinate: 'Person.gender',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-003@1',
    },
  },
  {
    branch: 'CONDITIONAL + grant, masked NAME, with the grant’s row filter',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { name mobile } } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'MASK',
      mask: 'NAME',
      rule: 'grant:G-2025-001',
      rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
      trail: [
        'negative-list:NL-PS-002@2',
        'grant:G-2025-001',
        'casl:role:enforcement-officer',
      ],
    },
  },
  {
    branch: 'CONDITIONAL + grant, masked MOBILE',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { name mobile } } }`,
    coordinate: 'Person.mobile',
    expect: {
      effect: 'MASK',
      mask: 'MOBILE',
      rule: 'grant:G-2025-001',
      rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
    },
  },
  {
    branch: 'CONDITIONAL + grant, masked DATE_TO_YEAR by the grant',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { responsiblePerson { name mobile birthDate householdAddress } } }`,
    coordinate: 'Person.birthDate',
    expect: { effect: 'MASK', mask: 'DATE_TO_YEAR', rule: 'grant:G-2025-002' },
  },
  {
    branch: 'CONDITIONAL + grant, masked ADDRESS by the entry (the floor)',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { responsiblePerson { householdAddress } } }`,
    coordinate: 'Person.householdAddress',
    expect: { effect: 'MASK', mask: 'ADDRESS', rule: 'grant:G-2025-002' },
  },
  {
    branch: 'CONDITIONAL + grant, in clear',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { responsiblePerson { mobile } } }`,
    coordinate: 'Person.mobile',
    expect: {
      effect: 'ALLOW',
      rule: 'grant:G-2025-002',
      trail: [
        'negative-list:NL-PS-002@2',
        'grant:G-2025-002',
        'casl:role:duty-officer',
      ],
    },
  },
  {
    branch: 'CONDITIONAL without a grant: GRANT_REQUIRED',
    user: 'env-analyst',
    purpose: 'environmental-supervision',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { name } } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'DENY',
      code: 'GRANT_REQUIRED',
      rule: 'negative-list:NL-PS-002@2',
      reason: /apply to publicsecurity/,
    },
  },
  {
    branch: 'CONDITIONAL whose conditions exclude the consumer',
    user: 'water-duty-qijiang',
    query: `{ alert(id: "AL-20250814-PUHE") { riskItem { responsiblePerson { name } } } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-002@2',
      reason: /not with water/,
    },
  },
  {
    branch: 'CONDITIONAL whose conditions exclude the purpose',
    user: 'env-analyst',
    purpose: 'water-pollution-tracing',
    query: `{ pollutionSource(id: "PS-PUHE-03") { enterprise { legalRepresentative { name } } } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-002@2',
      reason: /not for water-pollution-tracing/,
    },
  },
  {
    branch:
      'exception by purpose: water-pollution tracing reads discharge records',
    user: 'water-duty-qijiang',
    purpose: 'water-pollution-tracing',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { suspectedSources { nodes { source { dischargeRecords { nodes { concentration } } } } } } }`,
    coordinate: 'DischargeRecord.concentration',
    expect: {
      effect: 'ALLOW',
      rule: 'negative-list:NL-ENV-001@1',
      trail: ['negative-list:NL-ENV-001@1', 'casl:role:duty-officer'],
      reason: /exempt/,
    },
  },
  {
    branch: 'the same field outside the exception: GRANT_REQUIRED',
    user: 'water-duty-qijiang',
    purpose: 'flood-and-water-safety',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { suspectedSources { nodes { source { dischargeRecords { nodes { concentration } } } } } } }`,
    coordinate: 'DischargeRecord.concentration',
    expect: {
      effect: 'DENY',
      code: 'GRANT_REQUIRED',
      rule: 'negative-list:NL-ENV-001@1',
    },
  },
  {
    branch: 'exception by consumer: environment reads drinking-water intakes',
    user: 'env-analyst',
    query: `{ river(id: "R-RUXI") { drinkingWaterIntakes { nodes { name populationServed } } } }`,
    coordinate: 'DrinkingWaterIntake.populationServed',
    expect: { effect: 'ALLOW', rule: 'negative-list:NL-WAT-001@1' },
  },
  {
    branch: 'entry not yet valid (2030-01-01): shared meanwhile',
    user: 'water-duty-qijiang',
    query: `{ riskItems(regionCode: "500110") { nodes { name latitude longitude } } }`,
    coordinate: 'RiskItem.latitude',
    expect: { effect: 'ALLOW', rule: 'no-entry' },
  },
  {
    branch: '… and once it is in force',
    user: 'water-duty-qijiang',
    query: `{ riskItems(regionCode: "500110") { nodes { latitude } } }`,
    coordinate: 'RiskItem.latitude',
    now: new Date('2030-06-01T00:00:00Z'),
    expect: {
      effect: 'DENY',
      code: 'GRANT_REQUIRED',
      rule: 'negative-list:NL-EMG-001@1',
    },
  },
  {
    branch: 'entry expired (investigation closed 2025-10-31): shared again',
    user: 'emergency-duty',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { description } }`,
    coordinate: 'PollutionIncident.description',
    expect: { effect: 'ALLOW', rule: 'no-entry' },
  },
  {
    branch: '… and while it was in force',
    user: 'emergency-duty',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { description } }`,
    coordinate: 'PollutionIncident.description',
    now: new Date('2025-08-01T00:00:00Z'),
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-ENV-002@1',
    },
  },
  {
    branch: 'expired grant: GRANT_REQUIRED',
    user: 'market-data-officer',
    query: `{ enterprise(creditCode: "91500110MAGTNENH14") { legalRepresentative { name } } }`,
    coordinate: 'Person.name',
    expect: {
      effect: 'DENY',
      code: 'GRANT_REQUIRED',
      rule: 'negative-list:NL-PS-002@2',
    },
  },
  {
    branch: '… the same grant before it expired',
    user: 'market-data-officer',
    query: `{ enterprise(creditCode: "91500110MAGTNENH14") { legalRepresentative { name } } }`,
    coordinate: 'Person.name',
    now: new Date('2025-09-01T00:00:00Z'),
    expect: { effect: 'ALLOW', rule: 'grant:G-2025-003' },
  },
  {
    branch: 'revoked grant: GRANT_REQUIRED',
    user: 'emergency-duty',
    purpose: 'risk-inventory',
    query: `{ riskItems { nodes { responsiblePerson { mobile } } } }`,
    coordinate: 'Person.mobile',
    expect: {
      effect: 'DENY',
      code: 'GRANT_REQUIRED',
      rule: 'negative-list:NL-PS-002@2',
    },
  },
  {
    branch: '… the same grant had it not been revoked',
    user: 'emergency-duty',
    purpose: 'risk-inventory',
    query: `{ riskItems { nodes { responsiblePerson { mobile } } } }`,
    coordinate: 'Person.mobile',
    policy: {
      ...policy,
      version: 'test',
      grants: policy.grants.map((g) =>
        g.id === 'G-2025-004' ? { ...g, revoked: false } : g,
      ),
    },
    expect: { effect: 'ALLOW', rule: 'grant:G-2025-004' },
  },
  {
    branch:
      'priority: without NL-PS-002 (20), NL-PS-001 (10, by tag) denies the mobile',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { mobile } } }`,
    coordinate: 'Person.mobile',
    policy: without('NL-PS-002@2'),
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-001@1',
    },
  },
  {
    branch:
      'priority: without NL-PS-002 (20), NL-PS-003 (0, by tag) denies the name',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { complainant { name } } }`,
    coordinate: 'Person.name',
    policy: without('NL-PS-002@2'),
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN_BY_NEGATIVE_LIST',
      rule: 'negative-list:NL-PS-003@1',
    },
  },
  {
    branch: 'a draft in review takes no part',
    user: 'water-duty-qijiang',
    query: `{ riskItem(id: "RI-PUHE-ZHAIXI") { responsiblePerson { id } } }`,
    coordinate: 'RiskItem.responsiblePerson',
    expect: { effect: 'ALLOW', rule: 'no-entry' },
  },
  {
    branch: 'no entry: enterprise data is shared',
    user: 'env-analyst',
    query: `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { suspectedSources { nodes { source { enterprise { name creditGrade } } } } } }`,
    coordinate: 'Enterprise.name',
    expect: {
      effect: 'ALLOW',
      rule: 'no-entry',
      trail: ['no-entry', 'casl:role:analyst'],
    },
  },
  {
    branch:
      'CASL: an inverted rule with its reason (duty officers and legal representatives)',
    user: 'emergency-duty',
    query: `{ riskItem(id: "RI-RUXI-LIRANG") { enterprise { name legalRepresentative { id } } } }`,
    coordinate: 'Enterprise.legalRepresentative',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN',
      rule: 'casl:role:duty-officer',
      trail: ['no-entry', 'casl:role:duty-officer'],
      reason: /法定代表人/,
    },
  },
  {
    branch: 'CASL: an inverted rule on the role’s own department’s data',
    user: 'police-crowd-yuzhong',
    query: `{ person(id: "P-1") { idNumber } }`,
    coordinate: 'Person.idNumber',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN',
      rule: 'casl:role:crowd-analyst',
      trail: ['own-department', 'casl:role:crowd-analyst'],
      reason: /身份证/,
    },
  },
  {
    branch: 'CASL: no rule of the role for water’s data',
    user: 'enforcement-jiefangbei',
    query: `{ complaint(id: "${COMPLAINT}") { region { rivers { nodes { name } } } } }`,
    coordinate: 'River.name',
    expect: {
      effect: 'DENY',
      code: 'FORBIDDEN',
      rule: 'casl:no-rule',
      trail: ['no-entry', 'casl:no-rule'],
    },
  },
  {
    branch: 'algorithm: a filed input of its own department',
    user: 'algo-ruxi-oil',
    query: `{ monitoringSection(id: "MS-RUXI-LIRANG") { readings(parameter: PETROLEUM) { nodes { value } } } }`,
    coordinate: 'Reading.value',
    expect: {
      effect: 'ALLOW',
      rule: 'own-department',
      trail: [
        'own-department',
        'casl:role:algorithm',
        'algorithm-filing:ALG-2025-017',
      ],
    },
  },
  {
    branch: 'algorithm: a filed input of another department',
    user: 'algo-ruxi-oil',
    query: `{ river(id: "R-RUXI") { hydrologicalStations { nodes { latestFlow { velocity } } } } }`,
    coordinate: 'FlowReading.velocity',
    expect: {
      effect: 'ALLOW',
      rule: 'no-entry',
      trail: [
        'no-entry',
        'casl:role:algorithm',
        'algorithm-filing:ALG-2025-017',
      ],
    },
  },
  {
    branch: 'algorithm: a filed input under an exception',
    user: 'algo-ruxi-oil',
    query: `{ monitoringSection(id: "MS-RUXI-LIRANG") { downstreamIntakes { nodes { distanceKm intake { riverKm } } } } }`,
    coordinate: 'DrinkingWaterIntake.riverKm',
    expect: { effect: 'ALLOW', rule: 'negative-list:NL-WAT-001@1' },
  },
  {
    branch: 'algorithm: an input it did not file (a legal representative)',
    user: 'algo-ruxi-oil',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { candidateSources { nodes { source { enterprise { legalRepresentative { id } } } } } } }`,
    coordinate: 'Enterprise.legalRepresentative',
    expect: {
      effect: 'DENY',
      code: 'ALGORITHM_INPUT_NOT_FILED',
      rule: 'algorithm-filing:ALG-2025-017',
      trail: [
        'no-entry',
        'casl:role:algorithm',
        'algorithm-filing:ALG-2025-017',
      ],
      reason: /not among the inputs filed/,
    },
  },
  {
    branch: 'algorithm: an input it did not file (a region)',
    user: 'algo-ruxi-oil',
    query: `{ pollutionIncident(id: "INC-RUXI-OIL") { region { fullName } } }`,
    coordinate: 'Region.fullName',
    expect: {
      effect: 'DENY',
      code: 'ALGORITHM_INPUT_NOT_FILED',
      rule: 'algorithm-filing:ALG-2025-017',
    },
  },
];

function check(c: Case): Decision {
  assert.ok(
    touched(c.query).includes(c.coordinate),
    `the query does not touch ${c.coordinate}`,
  );
  const principal = principalOf(c.user);
  const purpose =
    c.purpose ?? demoUsers.find((u) => u.id === c.user)?.purpose ?? '';
  const decision = decide(
    principal,
    purpose,
    fieldInfo(c.coordinate),
    c.policy ?? policy,
    c.now ?? NOW,
  );
  const { expect } = c;
  assert.equal(decision.effect, expect.effect, decision.reason);
  assert.equal(decision.rule, expect.rule, decision.reason);
  assert.equal(decision.code, expect.code);
  assert.equal(decision.mask, expect.mask);
  assert.deepEqual(decision.rowFilter, expect.rowFilter);
  if (expect.trail) assert.deepEqual(decision.trail, expect.trail);
  if (expect.reason) assert.match(decision.reason, expect.reason);
  return decision;
}

describe('demo policy: every branch of decide, reached by a demo user', () => {
  for (const c of CASES) {
    it(`${c.branch} — ${c.user} reads ${c.coordinate}`, () => {
      check(c);
    });
  }

  it('covers every effect, denial code and kind of rule', () => {
    const decisions = CASES.map(check);
    const effects = new Set(decisions.map((d) => d.effect));
    assert.deepEqual([...effects].sort(), ['ALLOW', 'DENY', 'MASK']);
    const codes = new Set(decisions.map((d) => d.code).filter(Boolean));
    assert.deepEqual([...codes].sort(), [
      'ALGORITHM_INPUT_NOT_FILED',
      'FORBIDDEN',
      'FORBIDDEN_BY_NEGATIVE_LIST',
      'GRANT_REQUIRED',
    ]);
    const kinds = new Set(
      decisions.flatMap((d) => d.trail).map((rule) => rule.split(/[:@]/)[0]),
    );
    for (const kind of [
      'purpose-not-declarable',
      'own-department',
      'no-entry',
      'negative-list',
      'grant',
      'casl',
      'algorithm-filing',
    ]) {
      assert.ok(kinds.has(kind), `no case takes a ${kind} rule`);
    }
    const masks = new Set(decisions.map((d) => d.mask).filter(Boolean));
    assert.deepEqual([...masks].sort(), [
      'ADDRESS',
      'DATE_TO_YEAR',
      'MOBILE',
      'NAME',
    ]);
  });

  it('reads nothing for a suspended filing', () => {
    const filing = snapshot.algorithms.get('ALG-2024-031');
    assert.ok(filing);
    assert.equal(filing.state, 'SUSPENDED');
    assert.ok(
      !demoUsers.some((u) => u.claims.filing === 'ALG-2024-031'),
      'no demo user is bound to the suspended filing',
    );
    // A hypothetical identity of the suspended filing, reading a filed input.
    const crowdForecast: Principal = {
      subject: 'algo-jiefangbei-crowd',
      department: 'publicsecurity',
      roles: ['algorithm'],
      level: 'CITY',
      regionCode: '500000',
      purposes: ['crowd-management'],
      algorithm: filing,
    };
    assert.ok(filing.inputs.includes('CrowdArea.name'));
    const d = decide(
      crowdForecast,
      'crowd-management',
      fieldInfo('CrowdArea.name'),
      policy,
      NOW,
    );
    assert.equal(d.effect, 'DENY');
    assert.equal(d.code, 'ALGORITHM_INPUT_NOT_FILED');
    assert.equal(d.rule, 'algorithm-filing:ALG-2024-031');
    assert.match(d.reason, /SUSPENDED/);
  });

  it('lets ALG-2025-017 read everything the 汝溪河 oil-slick tracing asks for', () => {
    const tracing = `
      query OilSlickTracing {
        pollutionIncident(id: "INC-RUXI-OIL") {
          id kind description riverKm areaSquareMeters detectedAt
          river {
            id name lengthKm basin
            hydrologicalStations {
              nodes { id name riverKm latestFlow { measuredAt flowRate waterLevel velocity } }
            }
            drinkingWaterIntakes { nodes { id name riverKm populationServed } }
          }
          candidateSources(withinKm: 30) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes {
              distanceKm
              source {
                id name kind riverKm permitNumber
                dischargeRecords(first: 50) {
                  nodes { recordedAt pollutant concentration unit permittedLimit exceedsPermit }
                }
                enterprise { creditCode name industry status address latitude longitude }
              }
            }
          }
        }
        monitoringSection(id: "MS-RUXI-LIRANG") {
          readings(parameter: PETROLEUM) { nodes { value unit measuredAt breachesStandard } }
          nearbyHydrologicalStations { nodes { offsetKm station { id name } } }
          downstreamIntakes { nodes { distanceKm travelHours intake { id name populationServed } } }
        }
      }`;
    const algo = principalOf('algo-ruxi-oil');
    const inputs = new Set(snapshot.algorithms.get('ALG-2025-017')?.inputs);
    for (const coordinate of touched(tracing)) {
      assert.ok(inputs.has(coordinate), `${coordinate} is not filed`);
      // As the gateway decides a field several departments resolve: the
      // principal's own when its department is among them, else the
      // strictest decision over every owner.
      const { subgraphs, tags } = catalogEntry(coordinate);
      const owners = subgraphs.includes(algo.department)
        ? [algo.department]
        : subgraphs;
      for (const ownerDepartment of owners) {
        const d = decide(
          algo,
          'water-pollution-tracing',
          {
            coordinate,
            ownerDepartment,
            classification: tags
              .filter((t) => t.startsWith(CLASS))
              .map((t) => t.slice(CLASS.length)),
          },
          policy,
          NOW,
        );
        assert.notEqual(d.effect, 'DENY', `${coordinate}: ${d.reason}`);
      }
    }
  });

  it('stays as it is until the entry not yet in force starts (2030-01-01 CST)', () => {
    assert.equal(
      nextPolicyChange(policy, NOW)?.toISOString(),
      '2029-12-31T16:00:00.000Z',
    );
  });

  it('lets the roles that may introspect do so, and no algorithm or enforcement officer', () => {
    const introspecting = demoUsers
      .filter((u) => mayIntrospect(principalOf(u.id), policy))
      .map((u) => u.id);
    assert.deepEqual(introspecting, [
      'env-analyst',
      'water-duty-qijiang',
      'market-data-officer',
      'emergency-duty',
      'police-crowd-yuzhong',
      'publicsecurity-data-officer',
      'publicsecurity-chief-data-officer',
      'enforcement-data-officer',
      'city-data-authority',
      'city-auditor',
      'hub-operator',
    ]);
  });
});

describe('demo policy: consistent with the supergraph and the demo users', () => {
  const purposes = new Set(demoUsers.flatMap((u) => u.claims.purposes));
  const typeNames = new Set([...catalog.values()].map((e) => e.typeName));

  /** Fails unless `coordinate` exists and `department` resolves it. */
  function ownedBy(coordinate: string, department: string): void {
    const entry = catalogEntry(coordinate);
    assert.ok(
      entry.subgraphs.includes(department),
      `${department} does not resolve ${coordinate}`,
    );
  }

  it('names only coordinates, types and tags its entries’ owners resolve', () => {
    for (const entry of doc.entries) {
      assert.ok(DEPARTMENTS.includes(entry.ownerDepartment), entry.id);
      const { coordinates = [], types = [], tags = [] } = entry.selector;
      for (const c of coordinates) ownedBy(c, entry.ownerDepartment);
      for (const t of types) {
        assert.ok(
          [...catalog.values()].some(
            (e) =>
              e.typeName === t && e.subgraphs.includes(entry.ownerDepartment),
          ),
          `${entry.ownerDepartment} resolves no field of ${t}`,
        );
      }
      for (const tag of tags) {
        assert.ok(
          [...catalog.values()].some(
            (e) =>
              e.tags.includes(`${CLASS}${tag}`) &&
              e.subgraphs.includes(entry.ownerDepartment),
          ),
          `no field of ${entry.ownerDepartment} is tagged ${CLASS}${tag}`,
        );
      }
      for (const c of Object.keys(entry.conditions?.masks ?? {})) {
        ownedBy(c, entry.ownerDepartment);
      }
      for (const consumer of [
        ...(entry.conditions?.consumers ?? []),
        ...(entry.exceptions?.consumers ?? []),
      ]) {
        assert.ok(DEPARTMENTS.includes(consumer), `${entry.id}: ${consumer}`);
      }
      for (const purpose of [
        ...(entry.conditions?.purposes ?? []),
        ...(entry.exceptions?.purposes ?? []),
      ]) {
        assert.ok(purposes.has(purpose), `${entry.id}: purpose ${purpose}`);
      }
    }
  });

  it('grants only what their entry selects, to a demo department for one of its purposes', () => {
    for (const grant of doc.grants) {
      const entry = policy.entries.find(
        (e) => e.id === grant.entryId && e.status === 'ACTIVE',
      );
      assert.ok(entry, `${grant.id}: no active entry ${grant.entryId}`);
      assert.equal(entry.shareClass, 'CONDITIONAL');
      for (const c of [
        ...grant.coordinates,
        ...Object.keys(grant.masks ?? {}),
      ]) {
        ownedBy(c, entry.ownerDepartment);
        assert.ok(
          grant.coordinates.includes(c),
          `${grant.id} masks ${c}, which it does not grant`,
        );
        const field = fieldInfo(c);
        const { coordinates = [], types = [], tags = [] } = entry.selector;
        assert.ok(
          coordinates.includes(c) ||
            types.includes(c.split('.')[0] ?? '') ||
            tags.some((t) => field.classification.includes(t)),
          `${grant.id}: ${entry.id} does not select ${c}`,
        );
      }
      assert.ok(
        demoUsers.some(
          (u) =>
            u.claims.dept === grant.consumerDepartment &&
            u.claims.purposes.includes(grant.purpose),
        ),
        `${grant.id}: no demo user of ${grant.consumerDepartment} declares ${grant.purpose}`,
      );
    }
  });

  it('has every role of every demo user, and roles name real subjects and fields', () => {
    for (const user of demoUsers) {
      for (const role of user.claims.roles) {
        assert.ok(Object.hasOwn(doc.roles, role), `${user.id}: role ${role}`);
      }
    }
    for (const [role, rules] of Object.entries(doc.roles)) {
      for (const rule of rules) {
        const subjects =
          typeof rule.subject === 'string' ? [rule.subject] : rule.subject;
        const fields =
          rule.fields === undefined
            ? []
            : typeof rule.fields === 'string'
              ? [rule.fields]
              : rule.fields;
        for (const subject of subjects) {
          if (subject === 'all' || subject === 'Schema') {
            assert.equal(fields.length, 0, `${role}: fields on ${subject}`);
          } else if (
            DEPARTMENTS.includes(subject) ||
            subject === 'catalog' ||
            subject === 'governance'
          ) {
            for (const f of fields) ownedBy(f, subject);
          } else {
            assert.ok(typeNames.has(subject), `${role}: subject ${subject}`);
            for (const f of fields) catalogEntry(`${subject}.${f}`);
          }
        }
      }
    }
  });

  it('binds the filing of the algorithm demo user, and files only real coordinates', () => {
    for (const user of demoUsers) {
      if (user.claims.filing === undefined) continue;
      const filing = snapshot.algorithms.get(user.claims.filing);
      assert.ok(filing, `${user.id}: filing ${user.claims.filing}`);
      assert.equal(filing.state, 'IN_SERVICE');
    }
    for (const filing of doc.algorithms) {
      assert.equal(
        new Set(filing.inputs).size,
        filing.inputs.length,
        `${filing.filingId} lists an input twice`,
      );
      for (const c of filing.inputs) catalogEntry(c);
    }
  });
});

describe('demo policy: the lifecycle', () => {
  it('holds entries in every state, and only ACTIVE ones decide', () => {
    assert.deepEqual([...new Set(doc.entries.map((e) => e.status))].sort(), [
      'ACTIVE',
      'DRAFT',
      'IN_REVIEW',
      'REVOKED',
      'SUPERSEDED',
    ]);
    for (const entry of doc.entries) {
      if (entry.status === 'DRAFT' || entry.status === 'IN_REVIEW') {
        assert.equal(entry.approver, undefined, `${entry.id} is not approved`);
      } else {
        assert.ok(entry.approver, `${entry.id} was approved`);
        assert.notEqual(entry.approver, entry.author, `${entry.id}: four eyes`);
      }
    }
  });
});
