// A small seeded policy set for the decision tests: public security's person
// data (scenario 3: person-level data is negative-listed, crowd aggregates are
// shared), market's enterprises and environment's discharge records.
import {
  type FieldInfo,
  type Grant,
  type NegativeListEntry,
  type PolicySet,
  type Principal,
} from '../../../../policies/src/model/index.js';

/** The instant every test decides at unless it says otherwise. */
export const NOW = new Date('2025-06-15T08:00:00Z');

/** Freezes a value and everything in it, so a test fails if the engine mutates input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function field(
  coordinate: string,
  ownerDepartment: string,
  ...classification: string[]
): FieldInfo {
  return deepFreeze({ coordinate, ownerDepartment, classification });
}

export const F = {
  idNumber: field(
    'Person.idNumber',
    'publicsecurity',
    'PERSONAL',
    'PERSONAL_SENSITIVE',
  ),
  mobile: field('Person.mobile', 'publicsecurity', 'PERSONAL'),
  name: field('Person.name', 'publicsecurity', 'PERSONAL'),
  birthDate: field('Person.birthDate', 'publicsecurity', 'PERSONAL'),
  householdAddress: field(
    'Person.householdAddress',
    'publicsecurity',
    'PERSONAL',
  ),
  gender: field('Person.gender', 'publicsecurity', 'PERSONAL'),
  crowdObservations: field(
    'CrowdArea.observations',
    'publicsecurity',
    'AGGREGATE',
  ),
  crowdName: field('CrowdArea.name', 'publicsecurity'),
  enterpriseName: field('Enterprise.name', 'market'),
  enterpriseIndustry: field('Enterprise.industry', 'market'),
  registeredCapital: field(
    'Enterprise.registeredCapitalWan',
    'market',
    'TRADE_SECRET',
  ),
  legalRepresentative: field(
    'Enterprise.legalRepresentative',
    'market',
    'PERSONAL',
  ),
  dischargeConcentration: field('DischargeRecord.concentration', 'environment'),
  readingValue: field('Reading.value', 'environment'),
} as const;

const PERSONAL_INFORMATION_PROTECTION_LAW =
  '《中华人民共和国个人信息保护法》第二十八条';

export const ENTRIES = {
  /** ID numbers are never shared: by coordinate, highest priority. */
  idNumber: {
    id: 'NL-1',
    version: 2,
    ownerDepartment: 'publicsecurity',
    selector: { coordinates: ['Person.idNumber'] },
    shareClass: 'NOT_SHARED',
    legalBasis: PERSONAL_INFORMATION_PROTECTION_LAW,
    reason: '居民身份证号码属敏感个人信息',
    priority: 10,
    status: 'ACTIVE',
  },
  /** Contact and identity details: conditional, for named consumers and purposes. */
  personContact: {
    id: 'NL-2',
    version: 1,
    ownerDepartment: 'publicsecurity',
    selector: {
      coordinates: [
        'Person.mobile',
        'Person.name',
        'Person.householdAddress',
        'Person.birthDate',
      ],
    },
    shareClass: 'CONDITIONAL',
    legalBasis: PERSONAL_INFORMATION_PROTECTION_LAW,
    reason: '个人联系方式仅限应急处置与投诉办理',
    conditions: {
      consumers: ['emergency', 'enforcement', 'market'],
      purposes: ['EMERGENCY_RESPONSE', 'COMPLAINT_HANDLING', 'LICENSING'],
      scenarios: ['FLOOD_EMERGENCY'],
      rowFilter: { op: 'prefix', field: 'regionCode', value: '5001' },
      masks: { 'Person.mobile': 'MOBILE', 'Person.birthDate': 'DATE_TO_YEAR' },
    },
    exceptions: { purposes: ['LIFE_SAFETY_RESCUE'] },
    priority: 5,
    status: 'ACTIVE',
  },
  /** The rest of a person: not shared, by whole type, lowest priority. */
  personType: {
    id: 'NL-3',
    version: 1,
    ownerDepartment: 'publicsecurity',
    selector: { types: ['Person'] },
    shareClass: 'NOT_SHARED',
    legalBasis: PERSONAL_INFORMATION_PROTECTION_LAW,
    reason: '人员明细数据不予共享，仅共享聚合数据',
    exceptions: { consumers: ['emergency'] },
    priority: 1,
    status: 'ACTIVE',
  },
  /** Trade secrets: not shared, by classification tag. */
  tradeSecret: {
    id: 'NL-10',
    version: 4,
    ownerDepartment: 'market',
    selector: { tags: ['TRADE_SECRET'] },
    shareClass: 'NOT_SHARED',
    legalBasis: '《中华人民共和国反不正当竞争法》第九条',
    reason: '商业秘密',
    priority: 5,
    status: 'ACTIVE',
  },
  /** A market entry on a tag public security's fields also carry: must not touch them. */
  marketPersonal: {
    id: 'NL-11',
    version: 1,
    ownerDepartment: 'market',
    selector: { tags: ['PERSONAL'] },
    shareClass: 'NOT_SHARED',
    legalBasis: PERSONAL_INFORMATION_PROTECTION_LAW,
    reason: '法定代表人个人信息',
    priority: 5,
    status: 'ACTIVE',
  },
  /** Discharge records under investigation: not shared for the first half of 2025. */
  dischargeWindow: {
    id: 'NL-20',
    version: 1,
    ownerDepartment: 'environment',
    selector: { coordinates: ['DischargeRecord.concentration'] },
    shareClass: 'NOT_SHARED',
    legalBasis: '《环境行政处罚办法》',
    reason: '立案调查期间暂不共享',
    validFrom: '2025-01-01T00:00:00+08:00',
    validUntil: '2025-07-01T00:00:00+08:00',
    priority: 5,
    status: 'ACTIVE',
  },
} satisfies Record<string, NegativeListEntry>;

export const GRANTS = {
  /** Emergency may read mobile and name for emergency response; name masked. */
  emergency: {
    id: 'G-7',
    entryId: 'NL-2',
    consumerDepartment: 'emergency',
    purpose: 'EMERGENCY_RESPONSE',
    coordinates: ['Person.mobile', 'Person.name', 'Person.birthDate'],
    masks: { 'Person.name': 'NAME', 'Person.mobile': 'HASH' },
    rowFilter: { op: 'eq', field: 'districtCode', value: '500103' },
    expiresAt: '2026-01-01T00:00:00Z',
    revoked: false,
  },
  /** Enforcement's grant for complaint handling expired. */
  enforcementExpired: {
    id: 'G-8',
    entryId: 'NL-2',
    consumerDepartment: 'enforcement',
    purpose: 'COMPLAINT_HANDLING',
    coordinates: ['Person.name'],
    expiresAt: '2025-06-01T00:00:00Z',
    revoked: false,
  },
  /** Market's grant for licensing was revoked. */
  marketRevoked: {
    id: 'G-9',
    entryId: 'NL-2',
    consumerDepartment: 'market',
    purpose: 'LICENSING',
    coordinates: ['Person.name'],
    expiresAt: '2026-01-01T00:00:00Z',
    revoked: true,
  },
  /** Enforcement's renewed grant starts only in July. */
  enforcementFuture: {
    id: 'G-10',
    entryId: 'NL-2',
    consumerDepartment: 'enforcement',
    purpose: 'COMPLAINT_HANDLING',
    coordinates: ['Person.name'],
    validFrom: '2025-07-01T00:00:00Z',
    expiresAt: '2026-07-01T00:00:00Z',
    revoked: false,
  },
} satisfies Record<string, Grant>;

export const ROLES = {
  /** Reads everything but ID numbers. */
  analyst: [
    { action: 'read', subject: 'all' },
    {
      action: 'read',
      subject: 'Person',
      fields: ['idNumber'],
      inverted: true,
      reason: 'Analysts never see ID numbers.',
    },
  ],
  /** Reads everything. */
  investigator: [{ action: 'manage', subject: 'all' }],
  /** Reads crowd data only, named by department and coordinate pattern. */
  crowdViewer: [
    {
      action: 'read',
      subject: 'publicsecurity',
      fields: ['CrowdArea.*', 'CrowdObservation.*'],
    },
  ],
  /** Reads everything except public security's persons (department subject). */
  noPersons: [
    { action: 'read', subject: 'all' },
    {
      action: 'read',
      subject: 'publicsecurity',
      fields: ['Person.*'],
      inverted: true,
    },
  ],
  /** A row-conditional `cannot` does not withhold the field as a whole. */
  notInYuzhong: [
    { action: 'read', subject: 'all' },
    {
      action: 'read',
      subject: 'Person',
      inverted: true,
      conditions: { regionCode: '500103' },
    },
  ],
  /** Enterprise names only, by type and field. */
  enterpriseNames: [
    { action: 'read', subject: 'Enterprise', fields: ['name'] },
  ],
} as const;

export const POLICY: PolicySet = deepFreeze({
  version: '2025-06-15.1',
  entries: Object.values(ENTRIES),
  grants: Object.values(GRANTS),
  roles: ROLES,
});

/** The same policy set with other entries and grants. */
export function policyWith(
  entries: readonly NegativeListEntry[],
  grants: readonly Grant[] = [],
): PolicySet {
  return deepFreeze({ version: 'test', entries, grants, roles: ROLES });
}

/** A principal; every test starts from one of these. */
export function principal(overrides: Partial<Principal> = {}): Principal {
  return deepFreeze({
    subject: 'u-emergency-01',
    department: 'emergency',
    roles: ['analyst'],
    level: 'CITY',
    regionCode: '500000',
    purposes: [
      'EMERGENCY_RESPONSE',
      'LIFE_SAFETY_RESCUE',
      'COMPLAINT_HANDLING',
      'LICENSING',
      'POLLUTION_TRACING',
      'CROWD_SAFETY',
    ],
    ...overrides,
  });
}
