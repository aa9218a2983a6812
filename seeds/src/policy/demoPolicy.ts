// The seeded policy of the demo city: the data-sharing negative list
// (数据共享负面清单) of its departments, the grants issued under it, the CASL
// rules of the demo users' roles and the algorithm filings' bindings. It is
// consistent with hub/demoUsers.ts (roles, departments, purposes, filing
// ALG-2025-017 of `algo-ruxi-oil`) and gateway/supergraph.graphql
// (coordinates, types, `class:` tags), and takes every branch of the policy
// engine's `decide` for some demo user (tests/unit/seeds/demoPolicy.test.ts).
// Dates stay meaningful for years: windows open on 2025-01-01 and grants run
// to the end of 2030 (China Standard Time); the one entry not yet in force
// starts in 2030.
import type {
  Grant,
  RoleRule,
  SchemaCoordinate,
} from '../../../policies/src/index.js';
import type {
  AlgorithmFiling,
  PolicyDocument,
  PolicyDocumentEntry,
} from '../../../policies/store/src/policy/index.js';
import { demoClassifications } from './demoClassifications.js';

/** An instant in China Standard Time (UTC+8), as the store returns it. */
function cst(local: string): string {
  return new Date(`${local}+08:00`).toISOString();
}

/** `Type.field` for each field. */
export function fieldsOf(
  typeName: string,
  fields: readonly string[],
): SchemaCoordinate[] {
  return fields.map((field) => `${typeName}.${field}`);
}

/** `nodes`, `totalCount` and `pageInfo` of a connection type. */
export function connection(typeName: string): SchemaCoordinate[] {
  return fieldsOf(typeName, ['nodes', 'totalCount', 'pageInfo']);
}

/** Where most windows open and grants run to (exclusive). */
const IN_FORCE_FROM = cst('2025-01-01T00:00:00');
const GRANTS_EXPIRE = cst('2031-01-01T00:00:00');

// Legal bases, as cited in the city's catalogue.
const PIPL = '《中华人民共和国个人信息保护法》';
const SHARING_MEASURES =
  '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）第九条';
const CHONGQING_DATA = '《重庆市数据条例》';
const CHONGQING_GOV_DATA = '《重庆市政务数据资源管理暂行办法》';
const DATA_SECURITY_LAW = '《中华人民共和国数据安全法》第二十一条';

/** The publicsecurity (公安局) entries: person-level data (scenario 3). */
const publicSecurityEntries: PolicyDocumentEntry[] = [
  {
    id: 'NL-PS-001',
    version: 1,
    ownerDepartment: 'publicsecurity',
    // The coordinate as well as the tag: the ID number stays listed even if
    // its classification tag were dropped from the SDL.
    selector: {
      coordinates: ['Person.idNumber'],
      tags: ['PERSONAL_SENSITIVE'],
    },
    shareClass: 'NOT_SHARED',
    legalBasis: `${PIPL}第二十八条；《中华人民共和国居民身份证法》第六条；${SHARING_MEASURES}`,
    reason:
      '居民身份证号码等敏感个人信息不予共享；跨部门关联人员请使用不透明人员标识 Person.id (sensitive personal information is not shared; link persons by their opaque id)',
    validFrom: IN_FORCE_FROM,
    priority: 10,
    status: 'ACTIVE',
    author: 'publicsecurity-data-officer',
    approver: 'publicsecurity-chief-data-officer',
  },
  {
    id: 'NL-PS-002',
    version: 1,
    ownerDepartment: 'publicsecurity',
    selector: {
      coordinates: [
        'Person.name',
        'Person.mobile',
        'Person.birthDate',
        'Person.householdAddress',
      ],
    },
    shareClass: 'CONDITIONAL',
    legalBasis: `${PIPL}第三十四条；${SHARING_MEASURES}`,
    reason:
      '人员基本信息与联系方式仅为投诉办理、应急处置有条件共享 (person details are shared only for complaint handling and emergency response)',
    conditions: {
      consumers: ['enforcement', 'emergency'],
      purposes: ['complaint-handling', 'emergency-response'],
    },
    validFrom: IN_FORCE_FROM,
    priority: 20,
    status: 'SUPERSEDED',
    author: 'publicsecurity-data-officer',
    approver: 'publicsecurity-chief-data-officer',
  },
  {
    id: 'NL-PS-002',
    version: 2,
    ownerDepartment: 'publicsecurity',
    selector: {
      coordinates: [
        'Person.name',
        'Person.mobile',
        'Person.birthDate',
        'Person.householdAddress',
      ],
    },
    shareClass: 'CONDITIONAL',
    legalBasis: `${PIPL}第十三条、第三十四条；${SHARING_MEASURES}；${CHONGQING_DATA}`,
    reason:
      '人员基本信息与联系方式仅为投诉办理、应急处置、风险责任人通知、市场与环境监管等法定职责有条件共享，遵循最小必要原则，户籍地址只共享到区县 (person details are shared only under a grant, for statutory duties, minimum necessary; household addresses only to the district)',
    conditions: {
      consumers: ['enforcement', 'emergency', 'market', 'environment'],
      purposes: [
        'complaint-handling',
        'emergency-response',
        'risk-inventory',
        'market-supervision',
        'environmental-supervision',
      ],
      scenarios: [
        'NIGHT_MARKET_COMPLAINT',
        'FLOOD_EMERGENCY',
        'RISK_RESPONSIBLE_PERSON_NOTICE',
      ],
      masks: { 'Person.householdAddress': 'ADDRESS' },
    },
    validFrom: cst('2025-06-01T00:00:00'),
    // Above NL-PS-001 (10) and NL-PS-003 (0): the specific conditional
    // sharing of these fields overrides the general NOT_SHARED entries that
    // also select them by tag.
    priority: 20,
    status: 'ACTIVE',
    author: 'publicsecurity-data-officer',
    approver: 'publicsecurity-chief-data-officer',
  },
  {
    id: 'NL-PS-003',
    version: 1,
    ownerDepartment: 'publicsecurity',
    selector: {
      coordinates: ['Person.gender', 'Person.region'],
      tags: ['PERSONAL'],
    },
    shareClass: 'NOT_SHARED',
    legalBasis: `${PIPL}第三十四条；${CHONGQING_DATA}`,
    reason:
      '其他人员明细数据不予共享，人群态势只以聚合数据（CrowdArea、CrowdObservation）共享 (other person-level data is not shared; crowds are shared in aggregate only)',
    validFrom: IN_FORCE_FROM,
    priority: 0,
    status: 'ACTIVE',
    author: 'publicsecurity-data-officer',
    approver: 'publicsecurity-chief-data-officer',
  },
];

/** The environment (生态环境局) entries. */
const environmentEntries: PolicyDocumentEntry[] = [
  {
    id: 'NL-ENV-001',
    version: 1,
    ownerDepartment: 'environment',
    selector: { types: ['DischargeRecord'] },
    shareClass: 'CONDITIONAL',
    legalBasis:
      '《排污许可管理条例》；《企业环境信息依法披露管理办法》；《突发环境事件应急管理办法》',
    reason:
      '企业自动监测明细数据含生产工艺信息，仅为监管执法和应急处置有条件共享；水污染溯源须即时比对，不受本条限制 (enterprises’ online discharge records are shared under a grant; water-pollution tracing is exempt)',
    conditions: {
      consumers: ['market', 'enforcement', 'emergency', 'water'],
      purposes: [
        'market-supervision',
        'complaint-handling',
        'emergency-response',
        'flood-and-water-safety',
      ],
      scenarios: ['OIL_SLICK_TRACING', 'DISSOLVED_OXYGEN_BREACH'],
    },
    exceptions: { purposes: ['water-pollution-tracing'] },
    validFrom: IN_FORCE_FROM,
    priority: 10,
    status: 'ACTIVE',
    author: 'environment-data-officer',
    approver: 'environment-chief-data-officer',
  },
  {
    id: 'NL-ENV-002',
    version: 1,
    ownerDepartment: 'environment',
    selector: { coordinates: ['PollutionIncident.description'] },
    shareClass: 'NOT_SHARED',
    legalBasis: '《生态环境行政处罚办法》',
    reason:
      '汝溪河油污事件立案调查期间，事件描述（含涉案企业线索）暂不共享 (withheld while the 汝溪河 oil slick was under investigation)',
    validFrom: cst('2025-07-18T06:40:00'),
    validUntil: cst('2025-10-31T00:00:00'),
    priority: 10,
    status: 'ACTIVE',
    author: 'environment-data-officer',
    approver: 'environment-chief-data-officer',
  },
];

/** The water (水利局) entries. */
const waterEntries: PolicyDocumentEntry[] = [
  {
    id: 'NL-WAT-001',
    version: 1,
    ownerDepartment: 'water',
    selector: {
      coordinates: [
        'DrinkingWaterIntake.riverKm',
        'DrinkingWaterIntake.populationServed',
      ],
    },
    shareClass: 'CONDITIONAL',
    legalBasis: `《中华人民共和国水法》；《中华人民共和国水污染防治法》；${DATA_SECURITY_LAW}`,
    reason:
      '集中式饮用水水源地取水口位置与供水人口属关键基础设施信息，有条件共享；生态环境部门共同承担水源保护职责，不受本条限制 (drinking-water intakes are critical infrastructure: shared under a grant; environment shares the duty of protecting them and is exempt)',
    conditions: {
      consumers: ['environment', 'emergency', 'publicsecurity'],
      purposes: ['water-pollution-tracing', 'emergency-response'],
      scenarios: ['OIL_SLICK_TRACING'],
    },
    exceptions: { consumers: ['environment'] },
    validFrom: IN_FORCE_FROM,
    priority: 10,
    status: 'ACTIVE',
    author: 'water-data-officer',
    approver: 'water-chief-data-officer',
  },
];

/** The emergency (应急管理局) entries. */
const emergencyEntries: PolicyDocumentEntry[] = [
  {
    id: 'NL-EMG-001',
    version: 1,
    ownerDepartment: 'emergency',
    selector: {
      coordinates: [
        'RiskItem.address',
        'RiskItem.latitude',
        'RiskItem.longitude',
      ],
    },
    shareClass: 'CONDITIONAL',
    legalBasis: `${DATA_SECURITY_LAW}；《危险化学品安全管理条例》；${CHONGQING_GOV_DATA}`,
    reason:
      '风险点精确位置（含危险化学品重大危险源）经数据分类分级列为重要数据，过渡期满后有条件共享 (precise risk locations are important data: shared under a grant once the transition period ends)',
    conditions: {
      consumers: ['water', 'environment', 'publicsecurity', 'enforcement'],
      purposes: [
        'flood-and-water-safety',
        'water-pollution-tracing',
        'crowd-management',
        'complaint-handling',
      ],
    },
    validFrom: cst('2030-01-01T00:00:00'),
    priority: 10,
    status: 'ACTIVE',
    author: 'emergency-data-officer',
    approver: 'emergency-chief-data-officer',
  },
  {
    // A draft in review: takes no part in decisions until approved.
    id: 'NL-EMG-002',
    version: 1,
    ownerDepartment: 'emergency',
    selector: { coordinates: ['RiskItem.responsiblePerson'] },
    shareClass: 'CONDITIONAL',
    legalBasis: `${PIPL}第三十四条；《中华人民共和国突发事件应对法》`,
    reason:
      '风险清单任务负责人仅向负有处置职责的部门共享（草案，审核中）(responsible persons only for departments with a disposal duty: draft in review)',
    conditions: {
      consumers: ['water', 'environment', 'enforcement'],
      purposes: ['flood-and-water-safety', 'emergency-response'],
    },
    priority: 10,
    status: 'IN_REVIEW',
    author: 'emergency-data-officer',
  },
];

/**
 * The market (市场监管局) entries: one draft still being written and one
 * revoked, so that the store holds entries in every state. Neither takes
 * part in decisions (only ACTIVE entries do).
 */
const marketEntries: PolicyDocumentEntry[] = [
  {
    // A draft: the data officer has not sent it for review yet.
    id: 'NL-MKT-001',
    version: 1,
    ownerDepartment: 'market',
    selector: { coordinates: ['Enterprise.registeredCapitalWan'] },
    shareClass: 'CONDITIONAL',
    legalBasis:
      '《企业信息公示暂行条例》；《中华人民共和国数据安全法》第二十一条',
    reason:
      '注册资本明细拟仅向市场监管协同部门有条件共享（草稿）(registered capital to be shared only with co-regulating departments: draft)',
    conditions: {
      consumers: ['enforcement', 'emergency'],
      purposes: ['complaint-handling', 'risk-inventory'],
    },
    priority: 5,
    status: 'DRAFT',
    author: 'market-data-officer',
  },
  {
    // Revoked: credit grades were withheld until the 2025 grading rules were
    // published, then the entry was revoked and the grades are shared.
    id: 'NL-MKT-002',
    version: 1,
    ownerDepartment: 'market',
    selector: { coordinates: ['Enterprise.creditGrade'] },
    shareClass: 'NOT_SHARED',
    legalBasis: '《企业信用风险分类管理办法》',
    reason:
      '信用等级评定规则公布前不予共享（已撤销）(credit grades withheld until the grading rules were published: revoked)',
    validFrom: cst('2025-01-01T00:00:00'),
    priority: 10,
    status: 'REVOKED',
    author: 'market-data-officer',
    approver: 'market-chief-data-officer',
  },
];

/** Grants issued under the conditional entries (approved share requests). */
const grants: Grant[] = [
  {
    // 较场口 night-market complaint: the complainant, masked, 渝中区 only.
    id: 'G-2025-001',
    entryId: 'NL-PS-002',
    consumerDepartment: 'enforcement',
    purpose: 'complaint-handling',
    coordinates: ['Person.name', 'Person.mobile'],
    masks: { 'Person.name': 'NAME', 'Person.mobile': 'MOBILE' },
    rowFilter: { op: 'prefix', field: 'regionCode', value: '500103' },
    validFrom: cst('2025-06-01T00:00:00'),
    expiresAt: GRANTS_EXPIRE,
    revoked: false,
  },
  {
    // Responsible persons of risk items, reachable in an emergency: name and
    // mobile in clear, birth date to the year (the household address is
    // masked by NL-PS-002 itself).
    id: 'G-2025-002',
    entryId: 'NL-PS-002',
    consumerDepartment: 'emergency',
    purpose: 'emergency-response',
    coordinates: [
      'Person.name',
      'Person.mobile',
      'Person.birthDate',
      'Person.householdAddress',
    ],
    masks: { 'Person.birthDate': 'DATE_TO_YEAR' },
    validFrom: cst('2025-06-01T00:00:00'),
    expiresAt: GRANTS_EXPIRE,
    revoked: false,
  },
  {
    // Legal representatives' names for the 2025 licence review: expired.
    id: 'G-2025-003',
    entryId: 'NL-PS-002',
    consumerDepartment: 'market',
    purpose: 'market-supervision',
    coordinates: ['Person.name'],
    validFrom: cst('2025-06-01T00:00:00'),
    expiresAt: cst('2026-01-01T00:00:00'),
    revoked: false,
  },
  {
    // Responsible persons' contacts for the 2025 risk census: revoked when
    // the census closed (minimum necessary).
    id: 'G-2025-004',
    entryId: 'NL-PS-002',
    consumerDepartment: 'emergency',
    purpose: 'risk-inventory',
    coordinates: ['Person.name', 'Person.mobile'],
    validFrom: cst('2025-06-01T00:00:00'),
    expiresAt: GRANTS_EXPIRE,
    revoked: true,
  },
  {
    // Market supervision compares licences with discharge records.
    id: 'G-2025-005',
    entryId: 'NL-ENV-001',
    consumerDepartment: 'market',
    purpose: 'market-supervision',
    coordinates: fieldsOf('DischargeRecord', [
      'id',
      'recordedAt',
      'pollutant',
      'concentration',
      'unit',
      'permittedLimit',
      'exceedsPermit',
    ]),
    validFrom: IN_FORCE_FROM,
    expiresAt: GRANTS_EXPIRE,
    revoked: false,
  },
  {
    // Emergency management forecasts when a slick reaches an intake.
    id: 'G-2025-006',
    entryId: 'NL-WAT-001',
    consumerDepartment: 'emergency',
    purpose: 'emergency-response',
    coordinates: [
      'DrinkingWaterIntake.riverKm',
      'DrinkingWaterIntake.populationServed',
    ],
    validFrom: IN_FORCE_FROM,
    expiresAt: GRANTS_EXPIRE,
    revoked: false,
  },
];

/** Lets a role introspect the schema (see policies' `mayIntrospect`). */
const INTROSPECT: RoleRule = { action: 'introspect', subject: 'Schema' };

/**
 * The CASL rules of the demo users' roles. Subjects are GraphQL types (with
 * field names) or owner departments (with coordinates); `all` is every
 * subject. Roles are deny by default.
 */
const DUTY_OFFICER_REPRESENTATIVES =
  '值班岗位不查阅企业法定代表人个人信息，处置联系请经风险清单任务负责人 (duty officers do not read legal representatives; contact the risk item’s responsible person)';

const roles: Record<string, RoleRule[]> = {
  /** 生态环境局 analyst: reads what sharing allows. */
  analyst: [{ action: 'read', subject: 'all' }, INTROSPECT],
  /**
   * Duty officers (水利局, 应急管理局): everything but who represents which
   * enterprise, in either direction (the enterprise's legal representative,
   * and the enterprises a person represents).
   */
  'duty-officer': [
    { action: 'read', subject: 'all' },
    {
      action: 'read',
      subject: 'Enterprise',
      fields: 'legalRepresentative',
      inverted: true,
      reason: DUTY_OFFICER_REPRESENTATIVES,
    },
    {
      action: 'read',
      subject: 'Person',
      fields: 'legalRepresentativeOf',
      inverted: true,
      reason: DUTY_OFFICER_REPRESENTATIVES,
    },
    INTROSPECT,
  ],
  /**
   * A department's data officer (数据专员): reads what sharing allows and
   * administers the department's list through the governance subgraph
   * (which decides what they may do there).
   */
  'data-officer': [{ action: 'read', subject: 'all' }, INTROSPECT],
  /**
   * 市大数据发展局, the city data authority: reads what sharing allows and
   * administers every department's list and the city-wide settings.
   */
  'city-data-authority': [{ action: 'read', subject: 'all' }, INTROSPECT],
  /**
   * 市委网信办 algorithm reviewers and the departments' algorithm owners:
   * the registry and the data directory (the catalog subgraph decides what
   * they may do there), nothing of the departments' data.
   */
  'algorithm-reviewer': [
    { action: 'read', subject: 'catalog' },
    // Paging: PageInfo is resolved by every subgraph, so it is decided for
    // every owner and needs a rule of its own.
    {
      action: 'read',
      subject: 'PageInfo',
      fields: ['hasNextPage', 'endCursor'],
    },
  ],
  'algorithm-owner': [
    { action: 'read', subject: 'catalog' },
    {
      action: 'read',
      subject: 'PageInfo',
      fields: ['hasNextPage', 'endCursor'],
    },
  ],
  /**
   * 街道 enforcement officer: enforcement's and market's data and the
   * complainant's name and mobile; no rule for the other departments'
   * data, so it is denied (`casl:no-rule`). No introspection.
   */
  'enforcement-officer': [
    { action: 'read', subject: ['enforcement', 'market'] },
    { action: 'read', subject: 'Person', fields: ['id', 'name', 'mobile'] },
  ],
  /** 公安 crowd analyst: aggregates and person basics, never ID numbers. */
  'crowd-analyst': [
    { action: 'read', subject: 'all' },
    {
      action: 'read',
      subject: 'Person',
      fields: 'idNumber',
      inverted: true,
      reason:
        '人群态势分析岗位只使用聚合数据和必要的人员基本信息，不查阅居民身份证号码 (crowd analysts do not read ID numbers)',
    },
    INTROSPECT,
  ],
  /**
   * Algorithm identities: reading is bounded by the filing's inputs, which
   * the gateway checks after the roles. No introspection.
   */
  algorithm: [{ action: 'read', subject: 'all' }],
  /**
   * The hub's operators (运维): the hub's own administration data — the
   * registry and data directory (catalog), the published negative list and
   * the policy settings (governance) — and the schema; no department's
   * data. Their tokens also open the details of the gateway's `/health`.
   */
  operator: [
    { action: 'read', subject: ['catalog', 'governance'] },
    {
      action: 'read',
      subject: 'PageInfo',
      fields: ['hasNextPage', 'endCursor'],
    },
    INTROSPECT,
  ],
  /**
   * 市大数据局 auditors (审计员): the governance subgraph, where they read
   * the access log and its verification (which the governance subgraph
   * grants city-level auditors only) and access reports; no department's
   * data.
   */
  auditor: [
    { action: 'read', subject: 'governance' },
    {
      action: 'read',
      subject: 'PageInfo',
      fields: ['hasNextPage', 'endCursor'],
    },
    INTROSPECT,
  ],
  /**
   * 应急管理局's risk monitor (the service principal of the alert
   * evaluator, hub/startAlerting.ts): the readings and upstream sources of
   * monitoring sections and the names of their places, to evaluate the
   * risk inventory's thresholds and name suspects. Nothing else.
   */
  'risk-monitor': [
    { action: 'read', subject: 'Query', fields: ['monitoringSection'] },
    {
      action: 'read',
      subject: 'MonitoringSection',
      fields: ['id', 'name', 'river', 'region', 'readings', 'suspectedSources'],
    },
    { action: 'read', subject: 'River', fields: ['id', 'name'] },
    {
      action: 'read',
      subject: 'ReadingConnection',
      fields: ['nodes', 'totalCount', 'pageInfo'],
    },
    {
      action: 'read',
      subject: 'Reading',
      fields: ['parameter', 'value', 'unit', 'measuredAt'],
    },
    {
      action: 'read',
      subject: 'SuspectedSourceConnection',
      fields: ['nodes', 'totalCount', 'pageInfo'],
    },
    {
      action: 'read',
      subject: 'SuspectedSource',
      fields: ['source', 'distanceKm'],
    },
    {
      action: 'read',
      subject: 'PollutionSource',
      fields: ['id', 'name', 'kind', 'enterprise'],
    },
    { action: 'read', subject: 'Enterprise', fields: ['creditCode'] },
    {
      action: 'read',
      subject: 'Region',
      fields: ['code', 'name', 'kind', 'parent'],
    },
    {
      action: 'read',
      subject: 'PageInfo',
      fields: ['hasNextPage', 'endCursor'],
    },
  ],
};

/**
 * ALG-2025-017, the 汝溪河 oil-slick source tracing (scenario 2): the
 * incident and its candidate sources with their discharge records
 * (environment), the river, its hydrological stations, flows and
 * drinking-water intakes (water), and the enterprises' registration basics
 * (market). Nothing else: no persons, regions, alerts, licences or
 * violations.
 */
export const OIL_SLICK_TRACING_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', [
    'pollutionIncident',
    'pollutionIncidents',
    'pollutionSource',
    'monitoringSection',
    'monitoringSections',
    'river',
    'hydrologicalStation',
    'enterprise',
  ]),
  ...fieldsOf('PollutionIncident', [
    'id',
    'kind',
    'description',
    'river',
    'riverKm',
    'areaSquareMeters',
    'detectedAt',
    'candidateSources',
  ]),
  ...connection('PollutionIncidentConnection'),
  ...fieldsOf('SuspectedSource', ['source', 'distanceKm']),
  ...connection('SuspectedSourceConnection'),
  ...fieldsOf('PollutionSource', [
    'id',
    'name',
    'kind',
    'enterprise',
    'river',
    'riverKm',
    'permitNumber',
    'dischargeRecords',
  ]),
  ...fieldsOf('DischargeRecord', [
    'id',
    'recordedAt',
    'pollutant',
    'concentration',
    'unit',
    'permittedLimit',
    'exceedsPermit',
  ]),
  ...connection('DischargeRecordConnection'),
  ...fieldsOf('MonitoringSection', [
    'id',
    'name',
    'river',
    'riverKm',
    'latitude',
    'longitude',
    'targetClass',
    'readings',
    'latestReading',
    'upstreamSection',
    'downstreamSection',
    'suspectedSources',
    'nearbyHydrologicalStations',
    'downstreamIntakes',
  ]),
  ...connection('MonitoringSectionConnection'),
  ...fieldsOf('Reading', [
    'parameter',
    'value',
    'unit',
    'measuredAt',
    'breachesStandard',
  ]),
  ...connection('ReadingConnection'),
  ...fieldsOf('River', [
    'id',
    'name',
    'lengthKm',
    'basin',
    'parent',
    'confluenceKm',
    'tributaries',
    'monitoringSections',
    'hydrologicalStations',
    'drinkingWaterIntakes',
  ]),
  ...connection('RiverConnection'),
  ...fieldsOf('HydrologicalStation', [
    'id',
    'name',
    'river',
    'riverKm',
    'flowReadings',
    'latestFlow',
  ]),
  ...connection('HydrologicalStationConnection'),
  ...fieldsOf('FlowReading', [
    'measuredAt',
    'flowRate',
    'waterLevel',
    'velocity',
  ]),
  ...connection('FlowReadingConnection'),
  ...fieldsOf('StationDistance', ['station', 'offsetKm']),
  ...connection('StationDistanceConnection'),
  ...fieldsOf('DrinkingWaterIntake', [
    'id',
    'name',
    'river',
    'riverKm',
    'populationServed',
  ]),
  ...connection('DrinkingWaterIntakeConnection'),
  ...fieldsOf('IntakeDistance', ['intake', 'distanceKm', 'travelHours']),
  ...connection('IntakeDistanceConnection'),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'industry',
    'status',
    'address',
    'latitude',
    'longitude',
  ]),
  ...fieldsOf('PageInfo', ['hasNextPage', 'endCursor']),
];

/**
 * ALG-2024-031, the 解放碑 crowd congestion forecast (scenario 3): aggregated
 * crowd observations and congestion points only, never persons.
 */
export const CROWD_FORECAST_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['crowdArea', 'crowdAreas']),
  ...fieldsOf('CrowdArea', [
    'id',
    'name',
    'latitude',
    'longitude',
    'safeCapacity',
    'observations',
    'latestObservation',
  ]),
  ...connection('CrowdAreaConnection'),
  ...fieldsOf('CrowdObservation', [
    'observedAt',
    'currentCount',
    'visitorsToday',
    'congestionPoints',
  ]),
  ...connection('CrowdObservationConnection'),
  ...fieldsOf('CongestionPoint', [
    'name',
    'latitude',
    'longitude',
    'density',
    'level',
  ]),
  ...fieldsOf('PageInfo', ['hasNextPage', 'endCursor']),
];

/** The algorithm filings' bindings. */
const algorithms: AlgorithmFiling[] = [
  {
    filingId: 'ALG-2025-017',
    state: 'IN_SERVICE',
    inputs: [...OIL_SLICK_TRACING_INPUTS],
  },
  {
    // 解放碑商圈客流拥堵预测: suspended pending its annual re-review; bound
    // to no demo user, it reads nothing while suspended.
    filingId: 'ALG-2024-031',
    state: 'SUSPENDED',
    inputs: [...CROWD_FORECAST_INPUTS],
  },
];

/** Options of {@link demoPolicy}. */
export interface DemoPolicyOptions {
  /**
   * The composed supergraph: when given, the policy classifies its fields
   * as the demo city's data officers did (`demoClassifications`).
   */
  readonly supergraphSdl?: string;
}

/**
 * The demo city's policy: negative list, grants, roles, algorithm bindings
 * and (given the supergraph) field classifications, as
 * `writePolicyDocument` seeds it. A new object on every call.
 */
export function demoPolicy(options: DemoPolicyOptions = {}): PolicyDocument {
  return structuredClone({
    ...(options.supergraphSdl === undefined
      ? {}
      : { classifications: demoClassifications(options.supergraphSdl) }),
    entries: [
      ...publicSecurityEntries,
      ...environmentEntries,
      ...waterEntries,
      ...emergencyEntries,
      ...marketEntries,
    ],
    grants,
    roles,
    algorithms,
  });
}
