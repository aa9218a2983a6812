// The demo city's algorithm registry (算法备案): the 137 governance
// algorithms the city manages over their whole lifecycle (reference report:
// “推行‘算法备案制’，对137个治理算法模型实施全生命周期管理”), each with its
// registration data, its revisions and the history of every transition.
//
// The filings are drawn from the reference scenarios — pollution source
// tracing and diffusion forecasts, dissolved-oxygen warnings, flood
// forecasts, rock-fall and hazardous-chemical warnings, forest fire risk,
// crowd congestion warnings, precise patrols, complaint dispatch, market
// credit risk grading — as templates per scenario × district. Two of them
// are the filings the demo policy binds (seeds/src/policy/demoPolicy.ts):
// ALG-2025-017 (汝溪河油污溯源, in service) and ALG-2024-031
// (解放碑商圈客流拥堵预测, suspended pending its annual re-review).
//
// Time: three cohorts. The first batch was registered in 2024 and filed in
// November–December 2024; its first annual re-review (a change filing:
// requestChange → approveChange, or a rejected change) ran from late 2025 to
// early 2026. The 2025 filings were re-reviewed in 2026 when a year had
// passed, except those filed from November 2025, which fall due now. The
// 2026 filings are still in review, piloting or newly in service. Every
// instant is a fixed wall-clock time in China Standard Time and every
// history ends before 2026-12-03 18:00 (+08:00), the eve of the re-review
// job of 2026-12-04. No clock and no `Math.random`: the same filings on
// every call.
import {
  connection,
  CROWD_FORECAST_INPUTS,
  fieldsOf,
  OIL_SLICK_TRACING_INPUTS,
} from '../policy/demoPolicy.js';
import type {
  Evidence,
  FilingHeader,
  FilingRevisionContent,
  RiskCategory,
} from '../../../catalog/src/model/Filing.js';
import {
  FILED_STATES,
  filingActionNeedsComment,
  filingNumber,
  filingTransition,
  isReviewerAction,
  type FilingAction,
} from '../../../catalog/src/model/filingLifecycle.js';
import type { AlgorithmFiling } from '../../../policies/store/src/policy/index.js';
import {
  readFieldCatalog,
  type AlgorithmState,
  type Department,
  type SchemaCoordinate,
} from '../../../policies/src/index.js';
import { DISTRICTS } from '../data/districts.js';
import { Random } from '../util/Random.js';
import { at, invariant } from '../util/invariant.js';
import { cst, DAY_MS, startOfDay, timestamp } from '../util/time.js';

/** One entry of a filing's history (catalog.filing_events). */
export interface DemoFilingEvent {
  /** A {@link FilingAction}, or `CREATED` / `REVISED` (a draft edited). */
  action: string;
  from?: AlgorithmState;
  to: AlgorithmState;
  actor: string;
  actorDepartment: string;
  comment?: string;
  /** The revision the event concerns (the new one for `requestChange`). */
  revision: number;
  /** ISO 8601 with the +08:00 offset. */
  at: string;
}

/** One filing of the demo registry, as catalog.filings and its children hold it. */
export interface DemoFiling {
  /** `id` like `ALG-2025-017`; `state` is the final state. */
  header: FilingHeader;
  /** Revision 1…n, in order (`revisions[0]` is revision 1). */
  revisions: FilingRevisionContent[];
  /**
   * The revision being written or reviewed, and the one approved; equal
   * unless a change is pending (a rejected change leaves the approved one
   * current). `approvedRevision` is null until the filing is filed.
   */
  currentRevision: number;
  approvedRevision: number | null;
  /** Issued when FILED, in filing order per year; kept once retired. */
  filingNumber: string | null;
  submittedBy: string | null;
  /** The reviewer of the latest review action, if any. */
  reviewer: string | null;
  createdBy: string;
  filedAt: string | null;
  /** The latest `file`, `approveChange` or `rejectChange`. */
  lastReviewedAt: string | null;
  /** A year after the last review, for the filed states; else null. */
  nextReviewAt: string | null;
  /** The whole history, oldest first. */
  events: DemoFilingEvent[];
}

/** The reviewers of the city's algorithm registry (市委网信办). */
export const DEMO_FILING_REVIEWERS = [
  'algorithm-reviewer',
  'algorithm-reviewer-2',
] as const;

/** The reviewers' department. */
export const REVIEWER_DEPARTMENT = 'cac';

/** Every history ends before this instant (2026-12-03 18:00 CST). */
export const DEMO_FILINGS_UNTIL = timestamp(cst(2026, 12, 3, 18, 0));

/** How many filings the city governs (the reference report's 137). */
const FILING_COUNT = 137;
const SEED = 20_240_603;
const UNTIL_MS = cst(2026, 12, 3, 18, 0);
const MINUTE_MS = 60_000;

/** The owner's algorithm owner (算法主体), who creates, submits and operates. */
function ownerActor(owner: Department): string {
  return `${owner}-algorithm-owner`;
}

// ---------------------------------------------------------------------------
// Inputs: schema coordinates of the supergraph.

const PAGE_INFO = fieldsOf('PageInfo', ['hasNextPage', 'endCursor']);

/** ALG-2025-017's inputs, as the demo policy binds them: the pollution-tracing template. */
const POLLUTION_TRACING_INPUTS: readonly SchemaCoordinate[] =
  OIL_SLICK_TRACING_INPUTS;

const DIFFUSION_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', [
    'pollutionIncident',
    'pollutionIncidents',
    'monitoringSection',
    'monitoringSections',
    'river',
    'hydrologicalStation',
  ]),
  ...fieldsOf('PollutionIncident', [
    'id',
    'kind',
    'river',
    'riverKm',
    'areaSquareMeters',
    'detectedAt',
  ]),
  ...connection('PollutionIncidentConnection'),
  ...fieldsOf('MonitoringSection', [
    'id',
    'name',
    'river',
    'riverKm',
    'latestReading',
    'downstreamSection',
    'nearbyHydrologicalStations',
    'downstreamIntakes',
  ]),
  ...connection('MonitoringSectionConnection'),
  ...fieldsOf('Reading', ['parameter', 'value', 'unit', 'measuredAt']),
  ...fieldsOf('River', [
    'id',
    'name',
    'lengthKm',
    'parent',
    'confluenceKm',
    'hydrologicalStations',
    'drinkingWaterIntakes',
  ]),
  ...fieldsOf('HydrologicalStation', [
    'id',
    'name',
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
    'riverKm',
    'populationServed',
  ]),
  ...connection('DrinkingWaterIntakeConnection'),
  ...fieldsOf('IntakeDistance', ['intake', 'distanceKm', 'travelHours']),
  ...connection('IntakeDistanceConnection'),
  ...PAGE_INFO,
];

const DISSOLVED_OXYGEN_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['monitoringSection', 'monitoringSections', 'river']),
  ...fieldsOf('MonitoringSection', [
    'id',
    'name',
    'river',
    'riverKm',
    'region',
    'targetClass',
    'readings',
    'latestReading',
    'upstreamSection',
    'suspectedSources',
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
  ...fieldsOf('SuspectedSource', ['source', 'distanceKm']),
  ...connection('SuspectedSourceConnection'),
  ...fieldsOf('PollutionSource', [
    'id',
    'name',
    'kind',
    'riverKm',
    'permitNumber',
  ]),
  ...fieldsOf('River', ['id', 'name']),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const DISCHARGE_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['enterprises', 'enterprise', 'pollutionSource']),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'industry',
    'status',
    'pollutionSources',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('PollutionSource', [
    'id',
    'name',
    'kind',
    'region',
    'permitNumber',
    'dischargeRecords',
  ]),
  ...connection('PollutionSourceConnection'),
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
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const FLOOD_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['river', 'rivers', 'hydrologicalStation', 'riskItems']),
  ...fieldsOf('River', [
    'id',
    'name',
    'lengthKm',
    'basin',
    'parent',
    'confluenceKm',
    'tributaries',
    'hydrologicalStations',
  ]),
  ...connection('RiverConnection'),
  ...fieldsOf('HydrologicalStation', [
    'id',
    'name',
    'river',
    'riverKm',
    'region',
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
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'category',
    'level',
    'region',
    'updatedAt',
  ]),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name', 'domain']),
  ...fieldsOf('Region', ['code', 'name', 'fullName']),
  ...PAGE_INFO,
];

const INTAKE_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', [
    'river',
    'monitoringSection',
    'monitoringSections',
    'alerts',
  ]),
  ...fieldsOf('River', [
    'id',
    'name',
    'monitoringSections',
    'drinkingWaterIntakes',
  ]),
  ...fieldsOf('DrinkingWaterIntake', [
    'id',
    'name',
    'river',
    'riverKm',
    'region',
    'populationServed',
  ]),
  ...connection('DrinkingWaterIntakeConnection'),
  ...fieldsOf('MonitoringSection', [
    'id',
    'name',
    'riverKm',
    'targetClass',
    'readings',
    'latestReading',
    'downstreamIntakes',
    'alerts',
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
  ...fieldsOf('IntakeDistance', ['intake', 'distanceKm', 'travelHours']),
  ...connection('IntakeDistanceConnection'),
  ...fieldsOf('Alert', [
    'id',
    'level',
    'status',
    'title',
    'raisedAt',
    'monitoringSection',
  ]),
  ...connection('AlertConnection'),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const HYDROLOGY_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['river', 'rivers', 'hydrologicalStation']),
  ...fieldsOf('River', ['id', 'name', 'hydrologicalStations']),
  ...connection('RiverConnection'),
  ...fieldsOf('HydrologicalStation', [
    'id',
    'name',
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
  ...PAGE_INFO,
];

const THRESHOLDS = fieldsOf('RiskThreshold', [
  'metric',
  'comparator',
  'value',
  'unit',
  'windowDays',
  'alertLevel',
]);

const GEOHAZARD_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['riskItem', 'riskItems', 'riskCategories', 'region']),
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'category',
    'level',
    'region',
    'address',
    'latitude',
    'longitude',
    'thresholds',
    'disposalMeasures',
    'alerts',
    'updatedAt',
  ]),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name', 'domain']),
  ...connection('RiskCategoryConnection'),
  ...THRESHOLDS,
  ...fieldsOf('Alert', [
    'id',
    'level',
    'status',
    'title',
    'message',
    'raisedAt',
    'notifiedParties',
  ]),
  ...connection('AlertConnection'),
  ...fieldsOf('Region', ['code', 'name', 'fullName', 'riskItems']),
  ...PAGE_INFO,
];

const HAZCHEM_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['riskItem', 'riskItems', 'alerts', 'enterprise']),
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'category',
    'level',
    'region',
    'address',
    'enterprise',
    'monitoringSection',
    'thresholds',
    'disposalMeasures',
    'alerts',
    'updatedAt',
  ]),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name']),
  ...THRESHOLDS,
  ...fieldsOf('Enterprise', ['creditCode', 'name', 'industry', 'status']),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('MonitoringSection', ['id', 'name', 'latestReading']),
  ...fieldsOf('Reading', [
    'parameter',
    'value',
    'unit',
    'measuredAt',
    'breachesStandard',
  ]),
  ...fieldsOf('Alert', [
    'id',
    'level',
    'status',
    'title',
    'message',
    'raisedAt',
    'suspectedEnterprises',
  ]),
  ...connection('AlertConnection'),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const FOREST_FIRE_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['riskItems', 'riskCategories', 'region', 'regions']),
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'category',
    'level',
    'region',
    'thresholds',
    'disposalMeasures',
    'updatedAt',
  ]),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name', 'domain', 'riskItemCount']),
  ...connection('RiskCategoryConnection'),
  ...THRESHOLDS,
  ...fieldsOf('Region', [
    'code',
    'name',
    'fullName',
    'level',
    'children',
    'riskItems',
  ]),
  ...connection('RegionConnection'),
  ...PAGE_INFO,
];

const RISK_PUSH_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['alerts', 'alert', 'riskItem']),
  ...fieldsOf('Alert', [
    'id',
    'riskItem',
    'level',
    'status',
    'title',
    'message',
    'raisedAt',
    'notifiedParties',
  ]),
  ...connection('AlertConnection'),
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'level',
    'region',
    'thresholds',
    'disposalMeasures',
    'responsiblePerson',
  ]),
  ...fieldsOf('RiskThreshold', ['metric', 'value', 'unit', 'alertLevel']),
  ...fieldsOf('Person', ['name', 'mobile']),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const CREDIT_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['enterprise', 'enterprises']),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'industry',
    'status',
    'registeredCapitalWan',
    'establishedOn',
    'region',
    'licence',
    'creditGrade',
    'violations',
    'inspections',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('BusinessLicence', ['number', 'issuedOn', 'validUntil']),
  ...fieldsOf('Violation', [
    'id',
    'occurredOn',
    'category',
    'penalty',
    'fineYuan',
    'rectified',
  ]),
  ...connection('ViolationConnection'),
  ...fieldsOf('Inspection', ['id', 'inspectedOn', 'result']),
  ...connection('InspectionConnection'),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const LICENCE_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['enterprises', 'enterprise']),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'status',
    'region',
    'licence',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('BusinessLicence', [
    'number',
    'issuedOn',
    'validUntil',
    'businessScope',
    'issuingAuthority',
  ]),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const RANDOM_INSPECTION_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['enterprises']),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'industry',
    'status',
    'region',
    'creditGrade',
    'violations',
    'inspections',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('Violation', ['id', 'occurredOn', 'category', 'rectified']),
  ...connection('ViolationConnection'),
  ...fieldsOf('Inspection', ['id', 'inspectedOn', 'result']),
  ...connection('InspectionConnection'),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const DISPATCH_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', [
    'complaint',
    'complaints',
    'nearestEnforcementSquads',
    'enforcementSquad',
    'enterprise',
  ]),
  ...fieldsOf('Complaint', [
    'id',
    'channel',
    'summary',
    'receivedAt',
    'address',
    'latitude',
    'longitude',
    'region',
    'merchants',
    'status',
    'assignedSquad',
    'nearestSquads',
    'dispatchedAt',
  ]),
  ...connection('ComplaintConnection'),
  ...fieldsOf('SquadDistance', ['squad', 'distanceMeters']),
  ...fieldsOf('EnforcementSquad', [
    'id',
    'name',
    'region',
    'latitude',
    'longitude',
    'memberCount',
    'dutyPhone',
  ]),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'status',
    'licence',
    'creditGrade',
    'violations',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('BusinessLicence', ['number', 'validUntil', 'businessScope']),
  ...fieldsOf('Violation', ['occurredOn', 'category', 'rectified']),
  ...connection('ViolationConnection'),
  ...fieldsOf('Region', ['code', 'name']),
  ...PAGE_INFO,
];

const ENFORCEMENT_PATROL_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['regions', 'region', 'riskItems', 'enterprises']),
  ...fieldsOf('Region', [
    'code',
    'name',
    'level',
    'children',
    'enforcementSquads',
    'complaints',
  ]),
  ...connection('RegionConnection'),
  ...fieldsOf('RiskItem', [
    'id',
    'name',
    'category',
    'level',
    'region',
    'enterprise',
  ]),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name']),
  ...fieldsOf('Enterprise', [
    'creditCode',
    'name',
    'industry',
    'creditGrade',
    'inspections',
  ]),
  ...connection('EnterpriseConnection'),
  ...fieldsOf('Inspection', [
    'id',
    'inspectedOn',
    'squad',
    'result',
    'findings',
  ]),
  ...connection('InspectionConnection'),
  ...fieldsOf('EnforcementSquad', ['id', 'name']),
  ...connection('EnforcementSquadConnection'),
  ...fieldsOf('Complaint', ['id', 'receivedAt', 'status']),
  ...connection('ComplaintConnection'),
  ...PAGE_INFO,
];

const HOTSPOT_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['complaints', 'regions', 'region']),
  ...fieldsOf('Complaint', [
    'id',
    'channel',
    'receivedAt',
    'latitude',
    'longitude',
    'region',
    'status',
  ]),
  ...connection('ComplaintConnection'),
  ...fieldsOf('Region', ['code', 'name', 'children', 'complaints']),
  ...connection('RegionConnection'),
  ...PAGE_INFO,
];

const CROWD_EVENT_INPUTS: readonly SchemaCoordinate[] = [
  ...CROWD_FORECAST_INPUTS.filter((c) => !c.startsWith('PageInfo.')),
  ...fieldsOf('Query', ['region']),
  ...fieldsOf('Region', ['code', 'name', 'crowdAreas']),
  ...PAGE_INFO,
];

const POLICE_PATROL_INPUTS: readonly SchemaCoordinate[] = [
  ...fieldsOf('Query', ['crowdAreas', 'regions', 'region', 'riskItems']),
  ...fieldsOf('CrowdArea', [
    'id',
    'name',
    'region',
    'safeCapacity',
    'latestObservation',
  ]),
  ...connection('CrowdAreaConnection'),
  ...fieldsOf('CrowdObservation', [
    'observedAt',
    'currentCount',
    'congestionPoints',
  ]),
  ...fieldsOf('CongestionPoint', ['name', 'density', 'level']),
  ...fieldsOf('Region', [
    'code',
    'name',
    'level',
    'children',
    'crowdAreas',
    'riskItems',
  ]),
  ...connection('RegionConnection'),
  ...fieldsOf('RiskItem', ['id', 'name', 'category', 'level', 'region']),
  ...connection('RiskItemConnection'),
  ...fieldsOf('RiskCategory', ['code', 'name']),
  ...PAGE_INFO,
];

/** What a rejected change asked to read on top (not minimum necessary). */
const REJECTED_EXTRA_INPUTS: readonly SchemaCoordinate[] = [
  'Enterprise.legalRepresentative',
  'Person.name',
  'Person.mobile',
];

// ---------------------------------------------------------------------------
// Templates: one scenario, instantiated per place.

/** Where one instance of a template runs. */
interface Place {
  /** The river, section, crowd area…; the district name when absent. */
  readonly label?: string;
  /** 6-digit district code (seeds/src/data/districts.ts). */
  readonly district: string;
  /** The filing's name when the template's would not do. */
  readonly name?: string;
  /** A sentence appended to the purpose. */
  readonly detail?: string;
}

/** The words a template fills in. */
interface Where {
  /** The place label (or the district name). */
  readonly place: string;
  readonly district: string;
}

interface Template {
  readonly key: string;
  readonly owner: Department;
  readonly risk: RiskCategory;
  readonly serviceForm: string;
  readonly domain: string;
  readonly algorithmType: string;
  readonly name: (w: Where) => string;
  readonly purpose: (w: Where) => string;
  readonly operatingLogic: string;
  readonly inputs: readonly SchemaCoordinate[];
  readonly outputs: readonly string[];
  readonly legalBasis: string;
  readonly humanOversight: string;
  readonly selfAssessment: string;
  /** Model name; versions are `<model> v<major>.<minor>`. */
  readonly model: string;
  readonly places: readonly Place[];
}

const DATA_RULES = '《中华人民共和国数据安全法》；《重庆市数据条例》';

const TEMPLATES: readonly Template[] = [
  {
    key: 'pollution-tracing',
    owner: 'environment',
    risk: 'HIGH',
    serviceForm: '决策辅助',
    domain: '生态环境',
    algorithmType: '溯源分析',
    name: (w) => `${w.place}污染溯源`,
    purpose: (w) =>
      `${w.place}（${w.district}）出现断面水质异常或河面油污、异色等突发污染时，将污染数据与流域内工业企业排污记录、污水处理厂运行参数和水文站水流数据实时比对，给出疑似污染源排序，辅助生态环境部门在 15 分钟内锁定排查对象（pollution source tracing）。结论仅作现场排查线索，不直接作出处罚决定。`,
    operatingLogic:
      '以事件位置为起点沿河网上溯 30 公里，按水文站实测流速反推污染物迁移时间窗；对窗口内各排污单位的排放浓度、超标记录与河道距离加权评分（梯度提升树 + 一维水动力模型），输出前 5 名疑似污染源及证据链，并提示下游饮用水源地。',
    inputs: POLLUTION_TRACING_INPUTS,
    outputs: [
      '疑似污染源排序（前 5 名）及评分',
      '证据链：超标排放记录、河道距离与迁移时间',
      '下游饮用水源地受影响提示',
    ],
    legalBasis: `《中华人民共和国水污染防治法》；《突发环境事件应急管理办法》；《排污许可管理条例》；${DATA_RULES}`,
    humanOversight:
      '模型结论仅作排查线索，须由生态环境执法人员现场核实后方可采取措施；值班人员可驳回或调整排序，人工调整全部留痕；推送处置清单前由分管负责人确认。',
    selfAssessment:
      '已评估数据最小必要性：不读取人员信息、企业许可证与违法记录；历史 24 起污染事件回测，前 3 名命中率 87.5%；误判主要来自支流汇入处的流速估计，已设人工复核。',
    model: 'pollution-source-tracing',
    places: [
      {
        label: '汝溪河',
        district: '500155',
        name: '汝溪河油污溯源',
        detail:
          '2025 年 7 月汝溪河约 300 平方米油污带事件中，比对 17 家工业企业、3 座污水处理厂与 5 个水文站数据，锁定上游 2.3 公里处食品加工厂隔油池违规排放。',
      },
      { label: '蒲河', district: '500110' },
      { label: '龙溪河', district: '500231' },
      { label: '临江河', district: '500118' },
      { label: '璧南河', district: '500120' },
      { label: '梁滩河', district: '500106' },
      { label: '濑溪河', district: '500153' },
      { label: '御临河', district: '500112' },
    ],
  },
  {
    key: 'pollution-diffusion',
    owner: 'environment',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '生态环境',
    algorithmType: '预测预警',
    name: (w) => `${w.place}污染扩散预测`,
    purpose: (w) =>
      `预测${w.place}（${w.district}）突发水污染事件中污染带的迁移路径、到达下游断面与饮用水源地的时间和浓度（diffusion forecast），为截污坝选址、调水稀释和取水口停泵提供提前量。`,
    operatingLogic:
      '一维对流—扩散模型：以水文站实时流量、流速和水位为边界条件，按事件面积与污染物类型估算源强，逐小时滚动预测下游各断面浓度；到达取水口的时间按流达时间（travelHours）校正。',
    inputs: DIFFUSION_INPUTS,
    outputs: [
      '污染带到达下游断面与取水口的预计时间',
      '逐小时浓度预测曲线',
      '截污坝与调水稀释建议位置',
    ],
    legalBasis: `《中华人民共和国水污染防治法》；《中华人民共和国突发事件应对法》；《突发环境事件应急管理办法》；${DATA_RULES}`,
    humanOversight:
      '预测结果推送生态环境、水利值班人员，取水口停泵等处置由供水单位和属地政府决定；预测与实测偏差超过 30% 时自动提示人工复核。',
    selfAssessment:
      '仅读取河道、水文与断面数据，不涉及个人信息；2023—2024 年 11 次示踪试验回测，到达时间平均误差 0.6 小时。',
    model: 'pollution-diffusion-1d',
    places: [
      {
        label: '汝溪河',
        district: '500155',
        detail: '汝溪河油污事件中提前 6 小时预判油污抵达下游饮用水源地。',
      },
      { label: '长江主城段', district: '500103' },
      { label: '嘉陵江', district: '500117' },
      { label: '乌江', district: '500102' },
      { label: '綦江', district: '500110' },
      { label: '大宁河', district: '500238' },
    ],
  },
  {
    key: 'dissolved-oxygen',
    owner: 'environment',
    risk: 'MEDIUM',
    serviceForm: '预警推送',
    domain: '生态环境',
    algorithmType: '异常检测',
    name: (w) => `${w.place}溶解氧超标预警`,
    purpose: (w) =>
      `对${w.place}（${w.district}）自动监测断面的溶解氧连续研判，连续 3 日低于目标水质类别标准时预警（dissolved-oxygen warning），关联上游疑似污染源，同步推送水利局、乡镇负责人与基层治理中心。`,
    operatingLogic:
      '按 GB 3838-2002 目标类别阈值判定单次超标，滑动窗口统计连续超标天数；结合上下游断面读数差值与疑似污染源距离排序，生成蓝、黄、橙三级预警。',
    inputs: DISSOLVED_OXYGEN_INPUTS,
    outputs: [
      '溶解氧超标预警（等级、持续天数）',
      '上游疑似污染源清单',
      '推送对象清单（水利局、乡镇、基层治理中心）',
    ],
    legalBasis: `《中华人民共和国水污染防治法》；《地表水环境质量标准》（GB 3838-2002）；${DATA_RULES}`,
    humanOversight:
      '预警由区县生态环境局值班人员确认后推送；设备故障等误报可人工撤销并记录原因。',
    selfAssessment:
      '不涉及个人信息；2024 年全年误报 6 次（均为设备漂移），已加入设备自检状态过滤。',
    model: 'do-breach-detector',
    places: [
      {
        label: '蒲河寨溪大桥断面',
        district: '500110',
        detail:
          '2025 年 8 月连续 3 天超标时自动锁定上游两家污水处理厂，经多部门协同与水电站调度 3 天内恢复。',
      },
      { label: '通惠河', district: '500110' },
      { label: '龙溪河', district: '500115' },
      { label: '梁滩河', district: '500109' },
      { label: '一品河', district: '500113' },
      { label: '清水溪', district: '500108' },
      { label: '跳磴河', district: '500104' },
      { label: '桃花溪', district: '500115' },
    ],
  },
  {
    key: 'discharge-exceedance',
    owner: 'environment',
    risk: 'MEDIUM',
    serviceForm: '决策辅助',
    domain: '生态环境',
    algorithmType: '异常检测',
    name: (w) => `${w.place}排污单位超标排放识别`,
    purpose: (w) =>
      `识别${w.place}重点排污单位自动监测数据中的超标排放、异常恒值与夜间突变，生成执法检查线索。`,
    operatingLogic:
      '逐条比对排放浓度与许可限值；对连续超标、恒值（疑似数据弄虚作假）与夜间突变三类模式评分，按企业汇总排序。',
    inputs: DISCHARGE_INPUTS,
    outputs: ['超标排放线索清单', '疑似监测数据异常企业名单'],
    legalBasis: `《排污许可管理条例》；《中华人民共和国环境保护法》；《企业环境信息依法披露管理办法》；${DATA_RULES}`,
    humanOversight:
      '线索经执法人员核查后方可立案；企业可经复核渠道申诉，申诉结果用于模型校准。',
    selfAssessment:
      '仅读取排污许可与自动监测数据，不读取人员信息；2024 年线索核实率 72%。',
    model: 'discharge-anomaly',
    places: [
      { district: '500115' },
      { district: '500102' },
      { district: '500101' },
      { district: '500116' },
      { district: '500120' },
      { district: '500118' },
    ],
  },
  {
    key: 'flood-forecast',
    owner: 'water',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '水利水务',
    algorithmType: '预测预警',
    name: (w) => `${w.place}洪水预报（${w.district}）`,
    purpose: (w) =>
      `主汛期对${w.place}${w.district}段开展洪水预报（flood forecast），提前 6–24 小时研判水位超警戒与漫堤风险，为转移避险、水库调度和联合会商提供依据。`,
    operatingLogic:
      '新安江产汇流模型与马斯京根河道演算：以上游水文站实测流量、水位滚动校正，叠加气象降雨预报；对沿岸风险点按预计水位分级。',
    inputs: FLOOD_INPUTS,
    outputs: [
      '水文站未来 24 小时水位与流量预报',
      '超警戒风险点清单及等级',
      '会商建议',
    ],
    legalBasis: `《中华人民共和国防洪法》；《中华人民共和国水文条例》；${DATA_RULES}`,
    humanOversight:
      '预报须经水文值班预报员审核签发；转移避险指令由防汛抗旱指挥部决定，模型不直接下达指令。',
    selfAssessment:
      '不涉及个人信息；2024 年主汛期 128 次研判，有效预报率较人工提高 70%；极端降雨情景下误差较大，已设置会商复核。',
    model: 'flood-xaj-muskingum',
    places: [
      { label: '綦江', district: '500110' },
      { label: '嘉陵江', district: '500117' },
      { label: '涪江', district: '500152' },
      { label: '大宁河', district: '500238' },
      { label: '梅溪河', district: '500236' },
      { label: '阿蓬江', district: '500114' },
      { label: '龙河', district: '500240' },
      { label: '任河', district: '500229' },
      { label: '澎溪河', district: '500154' },
    ],
  },
  {
    key: 'intake-risk',
    owner: 'water',
    risk: 'MEDIUM',
    serviceForm: '预警推送',
    domain: '水利水务',
    algorithmType: '预测预警',
    name: (w) => `${w.place}饮用水水源地风险预警`,
    purpose: (w) =>
      `关联${w.place}集中式饮用水水源地上游断面水质与突发污染预警，评估取水口受影响风险，提示水厂提前停泵或切换水源。`,
    operatingLogic:
      '读取上游监测断面最新读数与超标标记，结合断面至取水口的距离与流达时间估算风险窗口，按服务人口加权排序。',
    inputs: INTAKE_INPUTS,
    outputs: ['取水口风险等级与预计受影响时间', '停泵或切换水源建议'],
    legalBasis: `《中华人民共和国水法》；《中华人民共和国水污染防治法》；《饮用水水源保护区污染防治管理规定》；${DATA_RULES}`,
    humanOversight:
      '建议由水利局值班人员复核后通知水厂，停泵由供水单位决定；误报可人工标注。',
    selfAssessment:
      '取水口位置与供水人口属关键基础设施信息，已按负面清单 NL-WAT-001 管理，仅本部门使用；不涉及个人信息。',
    model: 'intake-risk',
    places: [
      { district: '500155' },
      { district: '500110' },
      { district: '500101' },
      { district: '500102' },
      { district: '500116' },
      { district: '500237' },
    ],
  },
  {
    key: 'hydrology-anomaly',
    owner: 'water',
    risk: 'LOW',
    serviceForm: '数据质控',
    domain: '水利水务',
    algorithmType: '异常检测',
    name: (w) => `${w.place}水文站流量异常识别`,
    purpose: (w) =>
      `识别${w.place}沿线水文站流量、水位数据中的缺测、跳变与设备异常，提示运维人员检修，保障水文数据质量。`,
    operatingLogic: '基于历史同期分位数与相邻站点相关性的稳健 Z 分数检测。',
    inputs: HYDROLOGY_INPUTS,
    outputs: ['异常数据点清单', '站点运维工单建议'],
    legalBasis: `《中华人民共和国水文条例》；${DATA_RULES}`,
    humanOversight:
      '异常标记仅用于数据质控，由水文站运维人员确认后修正，不对外发布。',
    selfAssessment: '不涉及个人信息与决策；误报仅增加运维核查工作量。',
    model: 'hydro-qc',
    places: [
      { label: '长江', district: '500116' },
      { label: '嘉陵江', district: '500109' },
      { label: '乌江', district: '500156' },
      { label: '酉水', district: '500242' },
      { label: '濑溪河', district: '500153' },
    ],
  },
  {
    key: 'geohazard',
    owner: 'emergency',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '应急管理',
    algorithmType: '预测预警',
    name: (w) => `${w.place}危岩地灾监测预警`,
    purpose: (w) =>
      `对${w.place}危岩、滑坡等地质灾害风险点（rock-fall and geological hazards）的监测阈值实时研判，超阈值时分级预警并推送任务负责人与群测群防员，支撑提前转移。`,
    operatingLogic:
      '按风险点登记的位移、裂缝、降雨量阈值与时间窗判定，叠加 24 小时降雨预报估算失稳概率，生成蓝、黄、橙、红四级预警。',
    inputs: GEOHAZARD_INPUTS,
    outputs: ['风险点预警等级', '处置措施清单', '通知对象列表'],
    legalBasis: `《地质灾害防治条例》；《中华人民共和国突发事件应对法》；${DATA_RULES}`,
    humanOversight:
      '橙色及以上预警须经区县应急管理局值班领导确认后发布转移指令；现场巡查员核实后可撤销预警。',
    selfAssessment:
      '风险点精确位置按负面清单 NL-EMG-001 管理；2024 年汛期预警 43 次，其中 2 次漏报已纳入阈值修订。',
    model: 'geohazard-warning',
    places: [
      { district: '500237' },
      { district: '500236' },
      { district: '500235' },
      { district: '500101' },
      { district: '500156' },
      { district: '500238' },
      { district: '500229' },
      { district: '500119' },
      { district: '500243' },
    ],
  },
  {
    key: 'hazchem',
    owner: 'emergency',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '应急管理',
    algorithmType: '异常检测',
    name: (w) => `${w.place}危险化学品重大危险源监测预警`,
    purpose: (w) =>
      `对${w.place}危险化学品重大危险源企业的监测数据与风险阈值在线研判（hazardous chemicals monitoring），发现超限、报警未处置等情形及时预警。`,
    operatingLogic:
      '阈值规则与时序异常检测相结合，按危险源等级与关联企业经营状态加权，生成预警与企业安全风险评分。',
    inputs: HAZCHEM_INPUTS,
    outputs: ['重大危险源预警', '企业安全风险评分'],
    legalBasis: `《危险化学品安全管理条例》；《中华人民共和国安全生产法》；${DATA_RULES}`,
    humanOversight:
      '预警推送企业安全负责人与属地应急管理部门；执法检查与停产整改由执法人员决定。',
    selfAssessment: '不读取人员信息；企业风险评分不对外公开，仅用于监管排序。',
    model: 'hazchem-monitor',
    places: [
      { district: '500115' },
      { district: '500102' },
      { district: '500116' },
      { district: '500101' },
      { district: '500110' },
      { district: '500117' },
      { district: '500104' },
    ],
  },
  {
    key: 'forest-fire',
    owner: 'emergency',
    risk: 'MEDIUM',
    serviceForm: '决策辅助',
    domain: '应急管理',
    algorithmType: '预测预警',
    name: (w) => `${w.place}森林火险等级预测`,
    purpose: (w) =>
      `逐日预测${w.place}重点林区森林火险等级（forest fire risk），指导巡护力量部署与野外用火管控。`,
    operatingLogic:
      '结合温度、湿度、风速、连续无降水日数与林区风险点阈值计算火险指数，映射至一至五级。',
    inputs: FOREST_FIRE_INPUTS,
    outputs: ['重点林区火险等级（一至五级）', '巡护力量部署建议'],
    legalBasis: `《森林防火条例》；《中华人民共和国森林法》；${DATA_RULES}`,
    humanOversight:
      '火险等级由林区值班人员复核后发布；禁火令等管控措施由政府决定。',
    selfAssessment: '不涉及个人信息；等级偏差一级以内占 91%。',
    model: 'forest-fire-index',
    places: [
      { district: '500119' },
      { district: '500116' },
      { district: '500109' },
      { district: '500240' },
      { district: '500229' },
      { district: '500242' },
    ],
  },
  {
    key: 'risk-push',
    owner: 'emergency',
    risk: 'MEDIUM',
    serviceForm: '预警推送',
    domain: '应急管理',
    algorithmType: '规则推理',
    name: (w) => `${w.place}风险清单阈值预警推送`,
    purpose: (w) =>
      `将${w.place}风险清单中触发阈值的风险点预警按任务负责人精准推送，确保预警信息送达到人。`,
    operatingLogic:
      '匹配风险点阈值与最新告警，按风险等级与负责人职责生成推送列表；未确认的预警 30 分钟后升级推送至上级。',
    inputs: RISK_PUSH_INPUTS,
    outputs: ['预警推送记录', '未确认预警升级清单'],
    legalBasis: `《中华人民共和国突发事件应对法》；《中华人民共和国个人信息保护法》第十三条、第三十四条；${DATA_RULES}`,
    humanOversight: '推送内容模板经应急管理局审核；值班人员可人工补发或撤回。',
    selfAssessment:
      '负责人姓名与手机号码依授权 G-2025-002 读取，仅用于预警送达，不留存副本。',
    model: 'risk-alert-router',
    places: [
      { district: '500103' },
      { district: '500105' },
      { district: '500107' },
      { district: '500112' },
      { district: '500113' },
    ],
  },
  {
    key: 'credit-risk',
    owner: 'market',
    risk: 'MEDIUM',
    serviceForm: '决策辅助',
    domain: '市场监管',
    algorithmType: '分类评级',
    name: (w) => `${w.place}企业信用风险分类`,
    purpose: (w) =>
      `对${w.place}市场主体开展信用风险分类（A/B/C/D，market credit risk grading），差异化确定“双随机”抽查比例与频次，对低风险企业“无事不扰”。`,
    operatingLogic:
      '以登记信息、许可证、违法记录、检查结果 4 类 20 项指标建立评分卡，逻辑回归确定权重，按分数切分四类。',
    inputs: CREDIT_INPUTS,
    outputs: ['企业信用风险分类结果（A/B/C/D）', '分类依据明细'],
    legalBasis: `《企业信息公示暂行条例》；《优化营商环境条例》；《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》；${DATA_RULES}`,
    humanOversight:
      '分类结果经市场监管局审核后生效；企业可申请信用修复与复核，人工调整留痕。',
    selfAssessment:
      '不读取法定代表人个人信息；分类结果与抽查结果的一致性按季度校验。',
    model: 'credit-risk-scorecard',
    places: [
      { district: '500103' },
      { district: '500105' },
      { district: '500106' },
      { district: '500107' },
      { district: '500108' },
      { district: '500112' },
    ],
  },
  {
    key: 'licence-reminder',
    owner: 'market',
    risk: 'LOW',
    serviceForm: '信息提醒',
    domain: '市场监管',
    algorithmType: '规则推理',
    name: (w) => `${w.place}证照到期与经营异常提醒`,
    purpose: (w) =>
      `提前 60 天提醒${w.place}市场主体营业执照与许可证到期，识别长期停业等经营异常情形。`,
    operatingLogic: '规则匹配：证照有效期、经营状态与经营范围。',
    inputs: LICENCE_INPUTS,
    outputs: ['到期提醒清单', '经营异常提示'],
    legalBasis: `《企业信息公示暂行条例》；《中华人民共和国市场主体登记管理条例》；${DATA_RULES}`,
    humanOversight: '提醒仅为服务性质；列入经营异常名录须经人工审核。',
    selfAssessment: '不涉及个人信息与不利决定。',
    model: 'licence-reminder',
    places: [
      { district: '500101' },
      { district: '500102' },
      { district: '500118' },
      { district: '500114' },
    ],
  },
  {
    key: 'random-inspection',
    owner: 'market',
    risk: 'MEDIUM',
    serviceForm: '决策辅助',
    domain: '市场监管',
    algorithmType: '抽样优化',
    name: (w) => `${w.place}“双随机”抽查对象筛选`,
    purpose: (w) =>
      `按信用风险分类与历史检查结果，为${w.place}“双随机、一公开”抽查确定抽取比例并随机抽取检查对象。`,
    operatingLogic:
      '分层随机抽样：按信用等级分层设定抽查比例，近一年已检查且无问题的企业降低权重。',
    inputs: RANDOM_INSPECTION_INPUTS,
    outputs: ['抽查对象名单', '抽查比例说明'],
    legalBasis: `《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；${DATA_RULES}`,
    humanOversight: '抽查名单经科室负责人复核后公示；随机种子留存备查。',
    selfAssessment: '抽取过程可复现；不读取人员信息。',
    model: 'stratified-sampler',
    places: [
      { district: '500104' },
      { district: '500109' },
      { district: '500113' },
      { district: '500120' },
      { district: '500151' },
      { district: '500117' },
    ],
  },
  {
    key: 'complaint-dispatch',
    owner: 'enforcement',
    risk: 'MEDIUM',
    serviceForm: '任务派发',
    domain: '城市管理',
    algorithmType: '调度优化',
    name: (w) => `${w.place}投诉智能派单`,
    purpose: (w) =>
      `对“渝快办”、12345 等渠道进入${w.place}的投诉，启动“商户码”与“执法码”双码核验，调取涉事商户证照、信用与历史违规，15 秒内生成派单方案，指派距离最近的综合执法中队（complaint dispatch）。`,
    operatingLogic:
      '文本分类识别投诉类型；地址解析后计算与各执法中队的距离，结合中队在岗人数选派；涉事商户按证照与违规记录标注风险。',
    inputs: DISPATCH_INPUTS,
    outputs: ['派单方案（执法中队、距离）', '涉事商户核验结果', '处置时限提示'],
    legalBasis: `《城市管理执法办法》；《信访工作条例》；${DATA_RULES}`,
    humanOversight:
      '派单方案由街道“141”平台值守人员确认后下发，可人工改派；处置结果由执法队员上传并回访投诉人。',
    selfAssessment:
      '不读取投诉人身份信息（最小必要）；2025 年派单准确率 94%，改派率 6%。',
    model: 'complaint-dispatcher',
    places: [
      {
        district: '500103',
        detail:
          '2025 年 9 月 15 日较场口夜市烧烤店油烟扰民投诉从受理到办结用时 2 小时 45 分钟。',
      },
      { district: '500105' },
      { district: '500106' },
      { district: '500107' },
      { district: '500108' },
      { district: '500112' },
      { district: '500113' },
      { district: '500109' },
      { district: '500104' },
      { district: '500101' },
      { district: '500102' },
      { district: '500118' },
    ],
  },
  {
    key: 'precise-inspection',
    owner: 'enforcement',
    risk: 'MEDIUM',
    serviceForm: '决策辅助',
    domain: '城市管理',
    algorithmType: '风险评估',
    name: (w) => `${w.place}综合执法精准巡查`,
    purpose: (w) =>
      `根据风险点、企业信用与历史检查结果，为${w.place}综合执法中队生成每周巡查清单与路线（precise patrol），减少重复执法。`,
    operatingLogic:
      '风险点等级、企业信用等级、距上次检查天数与投诉量加权打分，按中队辖区排序并规划巡查路线。',
    inputs: ENFORCEMENT_PATROL_INPUTS,
    outputs: ['每周巡查清单', '巡查路线建议'],
    legalBasis: `《城市管理执法办法》；《优化营商环境条例》；${DATA_RULES}`,
    humanOversight: '清单由中队长审核调整后执行；企业可对检查频次提出异议。',
    selfAssessment: '不读取人员信息；重复执法投诉量较人工排班下降。',
    model: 'inspection-planner',
    places: [
      { district: '500103' },
      { district: '500105' },
      { district: '500108' },
      { district: '500107' },
      { district: '500106' },
      { district: '500112' },
      { district: '500116' },
      { district: '500117' },
    ],
  },
  {
    key: 'complaint-hotspot',
    owner: 'enforcement',
    risk: 'LOW',
    serviceForm: '统计分析',
    domain: '城市管理',
    algorithmType: '聚类分析',
    name: (w) => `${w.place}投诉热点分析`,
    purpose: (w) =>
      `按时段与网格汇总${w.place}投诉的空间分布，识别反复投诉热点，供街道治理中心研判。`,
    operatingLogic: '核密度估计与 DBSCAN 聚类，按周滚动。',
    inputs: HOTSPOT_INPUTS,
    outputs: ['投诉热力图', '反复投诉热点清单'],
    legalBasis: `《信访工作条例》；${DATA_RULES}`,
    humanOversight: '分析结果仅供研判，不直接触发执法。',
    selfAssessment: '仅使用投诉位置与时间，不涉及投诉人信息。',
    model: 'complaint-heatmap',
    places: [
      { district: '500111' },
      { district: '500120' },
      { district: '500151' },
      { district: '500152' },
      { district: '500153' },
      { district: '500154' },
    ],
  },
  {
    key: 'crowd-forecast',
    owner: 'publicsecurity',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '社会治安',
    algorithmType: '预测预警',
    name: (w) => `${w.place}客流拥堵预测`,
    purpose: (w) =>
      `基于${w.place}（${w.district}）的聚合客流观测（5G 信令与 AI 视频计数，不含个人身份信息），预测未来 15–60 分钟客流与潜在拥堵点位（crowd congestion warning），超过安全容量阈值时生成警力调配、地铁限流与商户引导的疏导方案。`,
    operatingLogic:
      '时空图神经网络叠加节假日因子，输入历史与实时聚合客流、拥堵点密度；预测密度超过 4 人/平方米或总量超过安全容量 80% 时预警。',
    inputs: CROWD_FORECAST_INPUTS,
    outputs: [
      '15/30/60 分钟客流预测',
      '潜在拥堵点位与等级',
      '疏导方案建议（警力、限流、临时通道）',
    ],
    legalBasis: `《大型群众性活动安全管理条例》；《中华人民共和国人民警察法》；《中华人民共和国个人信息保护法》；${DATA_RULES}`,
    humanOversight:
      '疏导方案须经现场指挥员确认后执行；限流等措施由公安、交通部门决定；模型仅使用聚合数据，不识别个人。',
    selfAssessment:
      '仅读取聚合客流（负面清单 NL-PS-003 之外的聚合数据）；节假日高峰预测平均绝对百分比误差 12%。',
    model: 'crowd-stgnn',
    places: [
      {
        label: '解放碑商圈',
        district: '500103',
        detail:
          '2025 年春节黄金周单日最高客流突破 180 万人次，实时识别 3 处潜在拥堵风险点并生成疏导方案。',
      },
      { label: '洪崖洞民俗风貌区', district: '500103' },
      { label: '朝天门广场', district: '500103' },
      { label: '观音桥商圈', district: '500105' },
      { label: '磁器口古镇', district: '500106' },
      { label: '三峡广场商圈', district: '500106' },
      { label: '南坪商圈', district: '500108' },
      { label: '杨家坪商圈', district: '500107' },
    ],
  },
  {
    key: 'event-crowd',
    owner: 'publicsecurity',
    risk: 'HIGH',
    serviceForm: '预警推送',
    domain: '社会治安',
    algorithmType: '预测预警',
    name: (w) => `${w.place}大型活动客流预警`,
    purpose: (w) =>
      `为${w.place}大型群众性活动（演唱会、灯会、跨年活动）预测入场、散场客流峰值与拥堵点位，提前部署安保力量。`,
    operatingLogic:
      '活动票务规模与历史同类活动曲线拟合，叠加辖区商圈实时聚合客流滚动修正。',
    inputs: CROWD_EVENT_INPUTS,
    outputs: ['入场与散场客流峰值预测', '拥堵点位预警', '安保力量部署建议'],
    legalBasis: `《大型群众性活动安全管理条例》；《中华人民共和国人民警察法》；${DATA_RULES}`,
    humanOversight: '预警与部署建议由活动安保指挥部审定；不识别个人。',
    selfAssessment: '仅使用聚合客流；2025 年 14 场活动回测峰值误差 9%。',
    model: 'event-crowd',
    places: [
      { district: '500105' },
      { district: '500108' },
      { district: '500107' },
      { district: '500112' },
    ],
  },
  {
    key: 'police-patrol',
    owner: 'publicsecurity',
    risk: 'HIGH',
    serviceForm: '决策辅助',
    domain: '社会治安',
    algorithmType: '预测预警',
    name: (w) => `${w.place}精准巡逻勤务推荐`,
    purpose: (w) =>
      `依据${w.place}重点区域聚合客流与风险点的时空分布推荐巡逻时段与路线（precise patrol），使警力向高风险时段和区域倾斜。`,
    operatingLogic:
      '时空风险热度模型：聚合客流、拥堵点与风险点等级按网格加权，生成班次巡逻路线。',
    inputs: POLICE_PATROL_INPUTS,
    outputs: ['巡逻时段与路线推荐', '重点网格清单'],
    legalBasis: `《中华人民共和国人民警察法》；《中华人民共和国个人信息保护法》；${DATA_RULES}`,
    humanOversight:
      '推荐结果由派出所勤务指挥员审核后排班；不针对特定个人，不作为执法依据。',
    selfAssessment:
      '不读取个人信息；按季度评估推荐区域与警情分布的偏差，防止对特定区域的过度巡逻。',
    model: 'patrol-heat',
    places: [
      { district: '500103' },
      { district: '500105' },
      { district: '500106' },
      { district: '500107' },
      { district: '500108' },
      { district: '500112' },
      { district: '500113' },
      { district: '500109' },
    ],
  },
];

/** 局 names of the owner departments, for the safety officer. */
const DEPARTMENT_OFFICE: Readonly<Record<string, string>> = {
  environment: '生态环境局',
  water: '水利局',
  market: '市场监督管理局',
  enforcement: '综合行政执法局',
  emergency: '应急管理局',
  publicsecurity: '公安分局',
};

function districtName(code: string): string {
  const district = DISTRICTS.find((d) => d.code === code);
  invariant(district, `no district ${code}`);
  return district.name;
}

/** One template at one place. */
interface Instance {
  readonly template: Template;
  readonly place: Place;
  readonly name: string;
}

function instances(): Instance[] {
  return TEMPLATES.flatMap((template) =>
    template.places.map((place) => {
      const district = districtName(place.district);
      const w: Where = { place: place.label ?? district, district };
      return { template, place, name: place.name ?? template.name(w) };
    }),
  );
}

// ---------------------------------------------------------------------------
// Content.

function evidenceOf(
  id: string,
  revision: number,
  name: string,
  risk: RiskCategory,
  review: string | null,
): Evidence[] {
  const base = `doc://algorithm-registry/${id}/r${String(revision)}`;
  const prefix = review ?? '';
  const evidence: Evidence[] = [
    {
      kind: 'SELF_ASSESSMENT',
      title: `${name}${prefix}算法自评估报告`,
      uri: `${base}/self-assessment.pdf`,
    },
  ];
  if (risk === 'HIGH') {
    evidence.push(
      {
        kind: 'IMPACT_ASSESSMENT',
        title: `${name}算法影响评估报告`,
        uri: `${base}/impact-assessment.pdf`,
      },
      {
        kind: 'SECURITY_ASSESSMENT',
        title: `${name}数据安全评估报告`,
        uri: `${base}/security-assessment.pdf`,
      },
    );
  }
  if (risk !== 'LOW') {
    evidence.push({
      kind: 'TEST_REPORT',
      title: `${name}回测与测试报告`,
      uri: `${base}/test-report.pdf`,
    });
  }
  return evidence;
}

function firstRevision(id: string, instance: Instance): FilingRevisionContent {
  const { template, place } = instance;
  const district = districtName(place.district);
  const w: Where = { place: place.label ?? district, district };
  const purpose = template.purpose(w);
  return {
    purposeAndImpact:
      place.detail === undefined ? purpose : `${purpose}${place.detail}`,
    operatingLogic: template.operatingLogic,
    inputs: [...template.inputs],
    outputs: [...template.outputs],
    legalBasis: template.legalBasis,
    humanOversight: template.humanOversight,
    selfAssessment: template.selfAssessment,
    modelVersions: [`${template.model} v1.0`],
    deploymentEndpoint: `https://algo.${template.owner}.govgraph.internal/${id.toLowerCase()}`,
    evidence: evidenceOf(id, 1, instance.name, template.risk, null),
  };
}

/** Why a change revision was filed. */
type ChangeKind = 'REVIEW' | 'REJECTED' | 'UPGRADE';

function changeRevision(
  id: string,
  instance: Instance,
  first: FilingRevisionContent,
  kind: ChangeKind,
  year: number,
): FilingRevisionContent {
  const { template } = instance;
  const review = `${String(year)}年度复审`;
  switch (kind) {
    case 'REVIEW':
      return {
        ...first,
        selfAssessment: `${review}：${first.selfAssessment}运行期间未发生超出备案输入的数据读取，未收到有效投诉。`,
        modelVersions: [`${template.model} v1.1`],
        evidence: evidenceOf(id, 2, instance.name, template.risk, review),
      };
    case 'REJECTED':
      invariant(
        first.inputs.includes('Enterprise.creditCode') &&
          !REJECTED_EXTRA_INPUTS.some((c) => first.inputs.includes(c)),
        `${id}: a rejected change adds legal representatives to what reads enterprises`,
      );
      return {
        ...first,
        purposeAndImpact: `${first.purposeAndImpact}变更拟直接读取涉事企业法定代表人姓名与手机号码，用于自动外呼通知。`,
        inputs: [...first.inputs, ...REJECTED_EXTRA_INPUTS],
        selfAssessment: `${review}：${first.selfAssessment}`,
        modelVersions: [`${template.model} v1.1`],
        evidence: evidenceOf(id, 2, instance.name, template.risk, review),
      };
    case 'UPGRADE':
      return {
        ...first,
        operatingLogic: `${first.operatingLogic}v2.0 以近两年数据重新训练，并按复审意见增加误报抑制规则。`,
        selfAssessment: `${review}：${first.selfAssessment}v2.0 回测指标优于 v1.x。`,
        modelVersions: [`${template.model} v2.0`],
        evidence: evidenceOf(id, 2, instance.name, template.risk, review),
      };
  }
}

/** A draft still being written: not yet submittable. */
function incomplete(
  content: FilingRevisionContent,
  which: number,
): FilingRevisionContent {
  return which % 2 === 0
    ? { ...content, humanOversight: '', evidence: [] }
    : {
        ...content,
        deploymentEndpoint: '',
        modelVersions: [],
        evidence: content.evidence.filter((e) => e.kind === 'SELF_ASSESSMENT'),
      };
}

// ---------------------------------------------------------------------------
// Time.

/** Saturday or Sunday in Chongqing. */
function weekend(dayStartMs: number): boolean {
  const day = new Date(dayStartMs + 8 * 3_600_000).getUTCDay();
  return day === 0 || day === 6;
}

/** An office-hours instant (09:00–17:30) on the first workday from `dayMs`. */
function officeInstant(rng: Random, dayMs: number): number {
  let day = startOfDay(dayMs);
  while (weekend(day)) day += DAY_MS;
  return day + (9 * 60 + rng.int(0, 8 * 60 + 30)) * MINUTE_MS;
}

/** An office-hours instant `min`…`max` days after `t`, always after it. */
function later(rng: Random, t: number, min: number, max: number): number {
  const x = officeInstant(rng, startOfDay(t) + rng.int(min, max) * DAY_MS);
  return x > t ? x : t + rng.int(20, 90) * MINUTE_MS;
}

/** An office-hours instant on `target`'s day, or soon after `t` if later. */
function notBefore(rng: Random, t: number, target: number): number {
  const x = officeInstant(rng, target);
  return x > t ? x : later(rng, t, 1, 3);
}

/** The same wall-clock instant a year later (CST has no DST). */
function plusOneYear(ms: number): number {
  const local = new Date(ms + 8 * 3_600_000);
  return (
    Date.UTC(
      local.getUTCFullYear() + 1,
      local.getUTCMonth(),
      local.getUTCDate(),
      local.getUTCHours(),
      local.getUTCMinutes(),
      local.getUTCSeconds(),
    ) -
    8 * 3_600_000
  );
}

// ---------------------------------------------------------------------------
// Histories.

/** Builds one filing's history through the lifecycle, guarding every step. */
class History {
  state: AlgorithmState = 'DRAFT';
  currentRevision = 1;
  approvedRevision: number | null = null;
  submittedBy: string | null = null;
  reviewer: string | null = null;
  filedAt: number | null = null;
  lastReviewedAt: number | null = null;
  time: number;
  readonly events: DemoFilingEvent[] = [];
  readonly #owner: Department;

  constructor(owner: Department, createdAt: number) {
    this.#owner = owner;
    this.time = createdAt;
    this.events.push({
      action: 'CREATED',
      to: 'DRAFT',
      actor: ownerActor(owner),
      actorDepartment: owner,
      revision: 1,
      at: timestamp(createdAt),
    });
  }

  /** The owner edits the draft (or the returned revision). */
  revise(at: number): void {
    invariant(
      this.state === 'DRAFT' || this.state === 'RETURNED',
      `revise in ${this.state}`,
    );
    this.#advance(at);
    this.events.push({
      action: 'REVISED',
      from: this.state,
      to: this.state,
      actor: ownerActor(this.#owner),
      actorDepartment: this.#owner,
      revision: this.currentRevision,
      at: timestamp(at),
    });
  }

  act(
    action: FilingAction,
    at: number,
    options: { reviewer?: string; comment?: string } = {},
  ): void {
    const to = filingTransition(action, this.state);
    invariant(to !== null, `${action} from ${this.state}`);
    invariant(
      !filingActionNeedsComment(action) || options.comment !== undefined,
      `${action} needs a comment`,
    );
    this.#advance(at);
    const reviewerAction = isReviewerAction(action);
    invariant(
      reviewerAction === (options.reviewer !== undefined),
      `${action}: a reviewer exactly when it is a reviewer's action`,
    );
    const actor = options.reviewer ?? ownerActor(this.#owner);
    if (action === 'requestChange') this.currentRevision += 1;
    const revision = this.currentRevision;
    this.events.push({
      action,
      from: this.state,
      to,
      actor,
      actorDepartment: reviewerAction ? REVIEWER_DEPARTMENT : this.#owner,
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      revision,
      at: timestamp(at),
    });
    this.state = to;
    if (reviewerAction) this.reviewer = actor;
    switch (action) {
      case 'submit':
        this.submittedBy = actor;
        break;
      case 'file':
        this.filedAt = at;
        this.approvedRevision = revision;
        this.lastReviewedAt = at;
        break;
      case 'approveChange':
        this.approvedRevision = revision;
        this.lastReviewedAt = at;
        break;
      case 'rejectChange':
        invariant(this.approvedRevision !== null, 'reject before filing');
        this.currentRevision = this.approvedRevision;
        this.lastReviewedAt = at;
        break;
      default:
        break;
    }
  }

  #advance(at: number): void {
    invariant(at > this.time, 'events in time order');
    invariant(at < UNTIL_MS, `event after ${DEMO_FILINGS_UNTIL}`);
    this.time = at;
  }
}

// Review comments.
const RETURN_COMMENTS = [
  '运行机理未说明预警阈值的来源与校验方法，请补充模型参数与回测结果后重新提交。',
  '数据输入超出最小必要范围：请说明每个输入字段的用途，删除与算法目的无关的字段。',
  '人工干预措施未明确误报的处置与撤回流程，请补充值班复核环节。',
  '自评估报告未覆盖对企业和公众的影响及申诉渠道，请补充。',
];
const FILE_COMMENT = '材料齐全，数据输入符合最小必要原则，予以备案。';
const REVIEW_REQUEST_COMMENT = '年度复审：更新自评估报告与模型版本。';
const UPGRADE_REQUEST_COMMENT = '年度复审并升级模型至 v2.0，数据输入不变。';
const WIDEN_REQUEST_COMMENT =
  '年度复审：更新自评估报告，并拟新增读取企业法定代表人联系方式用于通知。';
const REJECT_CHANGE_COMMENT =
  '变更拟新增读取法定代表人姓名与手机号码（Enterprise.legalRepresentative、Person.name、Person.mobile），超出算法目的的最小必要范围，不予变更，维持已备案版本。';
const APPROVE_CHANGE_COMMENT = '年度复审通过。';
const SUSPEND_RESUME = {
  suspend: '上游监测站点设备升级期间数据中断，预警可靠性无法保证，暂停运行。',
  resume: '设备升级完成，经抽样复核数据恢复正常，恢复运行。',
};
const SUSPEND_COMMENTS = [
  '运行监测发现误报率连续两个月超过备案自评估的阈值，暂停运行，待整改复核。',
  '所依赖的监测设备批量更换，数据口径变化未经重新评估，暂停运行。',
  '收到企业关于评分依据的集中申诉，经初步核查存在数据口径问题，暂停运行待复核。',
];
const JIEFANGBEI_SUSPEND_COMMENT =
  '2026 年国庆假期客流预测偏差超出备案自评估阈值（平均绝对百分比误差 23%），暂停运行，待年度复审通过后恢复。';
const RETIRE_COMMENTS = [
  '业务已并入全市统一模型，本算法停止运行，备案注销。',
  '监测任务调整，该场景不再需要，备案注销。',
  '由新版算法替代，旧版停止运行，备案注销。',
];

/** What happens to a filing, by its cohort and final state. */
interface Plan {
  readonly cohort: 2024 | 2025 | 2026;
  /** 1-based position in its cohort (the id's sequence). */
  readonly seq: number;
  readonly state: AlgorithmState;
  /** A return before it was filed (or, pre-filing, before the last submit). */
  readonly returnedOnce: boolean;
  /** A suspension and resumption while in service. */
  readonly suspendedOnce: boolean;
  /** The first annual re-review's change was rejected. */
  readonly changeRejected: boolean;
  /** Retired before its first annual re-review. */
  readonly retiredEarly: boolean;
}

const COHORT_SIZES = { 2024: 40, 2025: 52, 2026: 45 } as const;

/** The 2025 filings with a change pending: filed from November 2025. */
const CHANGE_PENDING_2025 = [45, 47, 48, 49, 51, 52];

/** The 2026 filings still before filing: seq 32 onwards. */
const FIRST_PRE_FILED_2026 = 32;

/** `state` for each of `seqs`. */
function statesOf(
  entries: readonly (readonly [AlgorithmState, readonly number[]])[],
): Map<number, AlgorithmState> {
  return new Map(
    entries.flatMap(([state, seqs]) =>
      seqs.map((seq): [number, AlgorithmState] => [seq, state]),
    ),
  );
}

function plans(): Plan[] {
  const out: Plan[] = [];
  const add = (
    cohort: 2024 | 2025 | 2026,
    states: ReadonlyMap<number, AlgorithmState>,
    flags: {
      returned: (seq: number) => boolean;
      suspended?: readonly number[];
      rejected?: readonly number[];
      retiredEarly?: readonly number[];
    },
  ): void => {
    for (let seq = 1; seq <= COHORT_SIZES[cohort]; seq += 1) {
      out.push({
        cohort,
        seq,
        state: states.get(seq) ?? 'IN_SERVICE',
        returnedOnce: flags.returned(seq),
        suspendedOnce: flags.suspended?.includes(seq) ?? false,
        changeRejected: flags.rejected?.includes(seq) ?? false,
        retiredEarly: flags.retiredEarly?.includes(seq) ?? false,
      });
    }
  };
  add(
    2024,
    statesOf([
      ['RETIRED', [7, 22, 38]],
      ['SUSPENDED', [12, 31, 36]],
    ]),
    {
      returned: (seq) => seq % 7 === 3,
      suspended: [9, 18, 35],
      rejected: [5, 27],
      retiredEarly: [7, 22],
    },
  );
  add(
    2025,
    statesOf([
      ['RETIRED', [11]],
      ['SUSPENDED', [29]],
      ['CHANGE_PENDING', CHANGE_PENDING_2025],
    ]),
    {
      returned: (seq) => seq % 6 === 2,
      suspended: [24],
      rejected: [33],
      retiredEarly: [11],
    },
  );
  add(
    2026,
    statesOf([
      ['FILED', [20, 23, 26, 29, 31]],
      ['PILOT', [19, 21, 22, 24, 25, 27, 28, 30]],
      ['RETURNED', [32, 34, 37]],
      ['UNDER_REVIEW', [33, 35, 36, 39, 40]],
      ['SUBMITTED', [38, 41, 42, 43]],
      ['DRAFT', [44, 45]],
    ]),
    { returned: (seq) => seq === 9 || seq === 22 || seq === 35 || seq === 38 },
  );
  return out;
}

/** When the filings of a cohort were created, in sequence order. */
function creationTimes(cohort: 2024 | 2025 | 2026): number[] {
  const rng = new Random(SEED, 'created', cohort);
  const n = COHORT_SIZES[cohort];
  const [start, span] =
    cohort === 2024
      ? [cst(2024, 6, 3), 116]
      : cohort === 2025
        ? [cst(2025, 1, 6), 290]
        : [cst(2026, 1, 5), 300];
  const times: number[] = [];
  for (let k = 0; k < n; k += 1) {
    const day = start + Math.floor((k * span) / n) * DAY_MS;
    times.push(officeInstant(rng, day + rng.int(0, 1) * DAY_MS));
  }
  return times.sort((a, b) => a - b);
}

const ID_2024_031 = 'ALG-2024-031';
const ID_2025_017 = 'ALG-2025-017';

/** The filing's reviewer pair: who reviews it, and who reviews its change. */
function reviewersOf(seq: number): { primary: string; other: string } {
  const [a, b] = DEMO_FILING_REVIEWERS;
  return seq % 2 === 1 ? { primary: a, other: b } : { primary: b, other: a };
}

function yearOf(ms: number): number {
  return new Date(ms + 8 * 3_600_000).getUTCFullYear();
}

interface Built {
  readonly history: History;
  readonly revisions: FilingRevisionContent[];
}

/** Runs one filing's plan through the lifecycle. */
function build(
  id: string,
  plan: Plan,
  instance: Instance,
  createdAt: number,
): Built {
  const rng = new Random(SEED, 'history', id);
  const { template } = instance;
  const h = new History(template.owner, createdAt);
  const { primary, other } = reviewersOf(plan.seq);
  const r1 = firstRevision(id, instance);
  const revisions: FilingRevisionContent[] = [r1];
  const returnComment = at(RETURN_COMMENTS, plan.seq % RETURN_COMMENTS.length);

  /** Submit (after one return when planned), then start the review. */
  const submitAndReview = (submitTarget: number | null): void => {
    if (plan.returnedOnce) {
      h.act('submit', later(rng, h.time, 7, 20));
      h.act('startReview', later(rng, h.time, 1, 4), { reviewer: primary });
      h.act('return', later(rng, h.time, 3, 10), {
        reviewer: primary,
        comment: returnComment,
      });
      h.revise(later(rng, h.time, 3, 12));
    }
    h.act(
      'submit',
      submitTarget === null
        ? later(rng, h.time, 5, 20)
        : notBefore(rng, h.time, submitTarget),
    );
    h.act('startReview', later(rng, h.time, 1, 4), { reviewer: primary });
  };

  /** Pilot for HIGH risk (and every third), then service. */
  const goLive = (): void => {
    if (template.risk === 'HIGH' || plan.seq % 3 === 0) {
      h.act('pilot', later(rng, h.time, 3, 10));
      h.act('serve', later(rng, h.time, 21, 50));
    } else {
      h.act('serve', later(rng, h.time, 3, 12));
    }
  };

  /** The annual re-review as a change filing, approved or rejected. */
  const reReview = (approveTarget: number, kind: ChangeKind): void => {
    const year = yearOf(approveTarget);
    revisions.push(changeRevision(id, instance, r1, kind, year));
    h.act(
      'requestChange',
      notBefore(rng, h.time, approveTarget - 14 * DAY_MS),
      {
        comment:
          kind === 'UPGRADE'
            ? UPGRADE_REQUEST_COMMENT
            : kind === 'REJECTED'
              ? WIDEN_REQUEST_COMMENT
              : REVIEW_REQUEST_COMMENT,
      },
    );
    if (kind === 'REJECTED') {
      h.act('rejectChange', notBefore(rng, h.time, approveTarget), {
        reviewer: other,
        comment: REJECT_CHANGE_COMMENT,
      });
    } else {
      h.act('approveChange', notBefore(rng, h.time, approveTarget), {
        reviewer: other,
        comment: APPROVE_CHANGE_COMMENT,
      });
    }
  };

  const suspendAndResume = (): void => {
    h.act('suspend', later(rng, h.time, 60, 150), {
      reviewer: primary,
      comment: SUSPEND_RESUME.suspend,
    });
    h.act('resume', later(rng, h.time, 10, 40), { reviewer: primary });
  };

  const suspendComment = at(SUSPEND_COMMENTS, plan.seq % 3);
  const retireComment = at(RETIRE_COMMENTS, plan.seq % 3);

  if (id === ID_2025_017) {
    // 汝溪河油污溯源: in service before the July 2025 oil slick, re-reviewed
    // (model v2.0 after the incident) in May 2026.
    h.act('submit', cst(2025, 4, 14, 10, 20));
    h.act('startReview', cst(2025, 4, 16, 9, 40), { reviewer: primary });
    h.act('file', cst(2025, 5, 9, 15, 30), {
      reviewer: primary,
      comment: FILE_COMMENT,
    });
    h.act('pilot', cst(2025, 5, 12, 9, 0));
    h.act('serve', cst(2025, 6, 16, 9, 30));
    revisions.push(changeRevision(id, instance, r1, 'UPGRADE', 2026));
    h.act('requestChange', cst(2026, 4, 20, 14, 0), {
      comment: UPGRADE_REQUEST_COMMENT,
    });
    h.act('approveChange', cst(2026, 5, 8, 11, 0), {
      reviewer: other,
      comment: APPROVE_CHANGE_COMMENT,
    });
    return { history: h, revisions };
  }

  switch (plan.cohort) {
    case 2024: {
      // The first batch: filed in November–December 2024.
      const fileTarget =
        cst(2024, 11, 4) +
        Math.floor(((plan.seq - 1) * 52) / COHORT_SIZES[2024]) * DAY_MS;
      submitAndReview(fileTarget - rng.int(12, 25) * DAY_MS);
      h.act('file', notBefore(rng, h.time, fileTarget), {
        reviewer: primary,
        comment: FILE_COMMENT,
      });
      goLive();
      if (plan.suspendedOnce) suspendAndResume();
      if (plan.retiredEarly) {
        h.act('retire', later(rng, h.time, 120, 220), {
          reviewer: primary,
          comment: retireComment,
        });
        break;
      }
      const filedAt = h.filedAt ?? h.time;
      if (id === ID_2024_031) {
        // 解放碑商圈客流拥堵预测: re-reviewed on 2025-12-03, suspended
        // pending its 2026 annual re-review.
        revisions.push(changeRevision(id, instance, r1, 'REVIEW', 2025));
        h.act('requestChange', cst(2025, 11, 17, 10, 0), {
          comment: REVIEW_REQUEST_COMMENT,
        });
        h.act('approveChange', cst(2025, 12, 3, 16, 20), {
          reviewer: other,
          comment: APPROVE_CHANGE_COMMENT,
        });
        h.act('suspend', cst(2026, 11, 17, 9, 30), {
          reviewer: primary,
          comment: JIEFANGBEI_SUSPEND_COMMENT,
        });
        break;
      }
      reReview(
        plusOneYear(filedAt) + rng.int(0, 50) * DAY_MS,
        plan.changeRejected ? 'REJECTED' : 'REVIEW',
      );
      if (plan.state === 'RETIRED') {
        h.act('retire', later(rng, h.time, 60, 200), {
          reviewer: primary,
          comment: retireComment,
        });
      } else if (plan.state === 'SUSPENDED') {
        h.act('suspend', later(rng, h.time, 30, 200), {
          reviewer: primary,
          comment: suspendComment,
        });
      }
      break;
    }
    case 2025: {
      const changePending = plan.state === 'CHANGE_PENDING';
      // Those with a change pending were filed from November 2025: their
      // first re-review is the change now pending.
      const pendingIndex = CHANGE_PENDING_2025.indexOf(plan.seq);
      submitAndReview(
        changePending ? cst(2025, 10, 20) + pendingIndex * 6 * DAY_MS : null,
      );
      h.act(
        'file',
        changePending
          ? notBefore(rng, h.time, cst(2025, 11, 3) + pendingIndex * 6 * DAY_MS)
          : later(rng, h.time, 5, 25),
        { reviewer: primary, comment: FILE_COMMENT },
      );
      goLive();
      if (plan.suspendedOnce) suspendAndResume();
      if (plan.retiredEarly) {
        h.act('retire', later(rng, h.time, 120, 200), {
          reviewer: primary,
          comment: retireComment,
        });
        break;
      }
      if (changePending) {
        revisions.push(changeRevision(id, instance, r1, 'UPGRADE', 2026));
        h.act(
          'requestChange',
          notBefore(rng, h.time, cst(2026, 10, 12) + pendingIndex * 7 * DAY_MS),
          { comment: UPGRADE_REQUEST_COMMENT },
        );
        break;
      }
      const due = plusOneYear(h.filedAt ?? h.time);
      if (due <= cst(2026, 11, 1)) {
        reReview(
          Math.min(due + rng.int(-20, 25) * DAY_MS, cst(2026, 11, 25)),
          plan.changeRejected ? 'REJECTED' : 'REVIEW',
        );
      }
      if (plan.state === 'SUSPENDED') {
        h.act('suspend', later(rng, h.time, 20, 80), {
          reviewer: primary,
          comment: suspendComment,
        });
      }
      break;
    }
    case 2026: {
      const preFiled =
        plan.state === 'DRAFT' ||
        plan.state === 'SUBMITTED' ||
        plan.state === 'UNDER_REVIEW' ||
        plan.state === 'RETURNED';
      if (plan.state === 'DRAFT') {
        h.revise(later(rng, h.time, 3, 10));
        break;
      }
      if (preFiled) {
        // Waiting on review now: submitted in the autumn of 2026.
        const target =
          cst(2026, 9, 21) + (plan.seq - FIRST_PRE_FILED_2026) * 4 * DAY_MS;
        if (plan.returnedOnce) {
          h.act('submit', notBefore(rng, h.time, target - 30 * DAY_MS));
          h.act('startReview', later(rng, h.time, 1, 4), { reviewer: primary });
          h.act('return', later(rng, h.time, 3, 8), {
            reviewer: primary,
            comment: returnComment,
          });
          h.revise(later(rng, h.time, 3, 8));
        }
        h.act('submit', notBefore(rng, h.time, target));
        if (plan.state === 'SUBMITTED') break;
        h.act('startReview', later(rng, h.time, 1, 4), { reviewer: primary });
        if (plan.state === 'RETURNED') {
          h.act('return', later(rng, h.time, 3, 8), {
            reviewer: primary,
            comment: returnComment,
          });
        }
        break;
      }
      submitAndReview(null);
      h.act('file', later(rng, h.time, 5, 20), {
        reviewer: primary,
        comment: FILE_COMMENT,
      });
      if (plan.state === 'PILOT') {
        h.act('pilot', later(rng, h.time, 3, 20));
      } else if (plan.state === 'IN_SERVICE') {
        goLive();
      }
      break;
    }
  }
  return { history: h, revisions };
}

// ---------------------------------------------------------------------------

/** Fails with every input of every template the supergraph does not have. */
function checkInputs(supergraphSdl: string): void {
  const catalog = readFieldCatalog(supergraphSdl);
  const missing = [
    ...new Set(
      TEMPLATES.flatMap((t) => [...t.inputs, ...REJECTED_EXTRA_INPUTS]).filter(
        (c) => !catalog.has(c),
      ),
    ),
  ];
  invariant(
    missing.length === 0,
    `demo filings read coordinates the supergraph does not have: ${missing.join(', ')}`,
  );
}

/**
 * Instances at fixed positions of the registration order: the two filings
 * the demo policy binds; the scenarios of the reference reports, which were
 * in service when they happened (2025); and the filings whose first annual
 * re-review was a rejected change (they read enterprises).
 */
const PINNED: readonly (readonly [name: string, index: number])[] = [
  ['解放碑商圈客流拥堵预测', 30], // ALG-2024-031
  ['汝溪河油污溯源', COHORT_SIZES[2024] + 16], // ALG-2025-017
  ['渝中区投诉智能派单', 1], // ALG-2024-002: 较场口, 2025-09-15
  ['蒲河寨溪大桥断面溶解氧超标预警', 3], // ALG-2024-004: 2025-08
  ['汝溪河污染扩散预测', 5], // ALG-2024-006: 汝溪河, 2025-07
  ['渝中区企业信用风险分类', 4], // ALG-2024-005: change rejected
  ['长寿区排污单位超标排放识别', 26], // ALG-2024-027: change rejected
  ['沙坪坝区企业信用风险分类', COHORT_SIZES[2024] + 32], // ALG-2025-033
];

/** The instances in registration order, {@link PINNED} in place. */
function orderedInstances(): Instance[] {
  const order = new Random(SEED, 'order').shuffle(instances());
  invariant(order.length === FILING_COUNT, `${String(order.length)} instances`);
  const pin = (name: string, index: number): void => {
    const from = order.findIndex((i) => i.name === name);
    invariant(from >= 0, `no instance ${name}`);
    const moved = at(order, from);
    order[from] = at(order, index);
    order[index] = moved;
  };
  for (const [name, index] of PINNED) pin(name, index);
  return order;
}

/**
 * The demo city's 137 algorithm filings (算法备案), sorted by id: every
 * lifecycle state, most in service, histories that follow the lifecycle
 * (`filingTransition`) from creation, filing numbers issued in filing order
 * per year, and inputs checked against the composed supergraph (a thrown
 * invariant error names any it lacks). ALG-2025-017 and ALG-2024-031 bind
 * what demoPolicy.ts binds ({@link demoAlgorithmBindings}). Deterministic:
 * a new, equal list on every call.
 */
export function demoFilings(supergraphSdl: string): DemoFiling[] {
  checkInputs(supergraphSdl);
  const order = orderedInstances();
  const created = {
    2024: creationTimes(2024),
    2025: creationTimes(2025),
    2026: creationTimes(2026),
  };
  const built = plans().map((plan, index) => {
    const id = `ALG-${String(plan.cohort)}-${String(plan.seq).padStart(3, '0')}`;
    const instance = at(order, index);
    const createdAt = at(created[plan.cohort], plan.seq - 1);
    const { history, revisions } = build(id, plan, instance, createdAt);
    invariant(
      history.state === plan.state,
      `${id} ends ${history.state}, planned ${plan.state}`,
    );
    return { id, plan, instance, history, revisions };
  });

  // Filing numbers: in filing order, per year of filing.
  const numbers = new Map<string, string>();
  const filed = built
    .filter((b) => b.history.filedAt !== null)
    .sort((a, b) => (a.history.filedAt ?? 0) - (b.history.filedAt ?? 0));
  const perYear = new Map<number, number>();
  for (const b of filed) {
    const year = yearOf(b.history.filedAt ?? 0);
    const sequence = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, sequence);
    numbers.set(b.id, filingNumber(year, sequence));
  }

  return built
    .map(({ id, plan, instance, history, revisions }): DemoFiling => {
      const { template, place } = instance;
      const owner = template.owner;
      const office = DEPARTMENT_OFFICE[owner] ?? '';
      const contents =
        plan.state === 'DRAFT'
          ? revisions.map((r) => incomplete(r, plan.seq))
          : revisions;
      const { lastReviewedAt } = history;
      return {
        header: {
          id,
          name: instance.name,
          ownerDepartment: owner,
          safetyOfficer: `${districtName(place.district)}${office}分管副局长`,
          serviceForm: template.serviceForm,
          domain: template.domain,
          algorithmType: template.algorithmType,
          riskCategory: template.risk,
          state: history.state,
        },
        revisions: contents,
        currentRevision: history.currentRevision,
        approvedRevision: history.approvedRevision,
        filingNumber: numbers.get(id) ?? null,
        submittedBy: history.submittedBy,
        reviewer: history.reviewer,
        createdBy: ownerActor(owner),
        filedAt: history.filedAt === null ? null : timestamp(history.filedAt),
        lastReviewedAt:
          lastReviewedAt === null ? null : timestamp(lastReviewedAt),
        nextReviewAt:
          lastReviewedAt !== null && FILED_STATES.includes(history.state)
            ? timestamp(plusOneYear(lastReviewedAt))
            : null,
        events: history.events,
      };
    })
    .sort((a, b) => (a.header.id < b.header.id ? -1 : 1));
}

/**
 * What the gateway binds for each filing that has an approved revision:
 * its state and the approved revision's inputs (policy.algorithm_bindings,
 * as demoPolicy.ts's `algorithms`).
 */
export function demoAlgorithmBindings(
  filings: readonly DemoFiling[],
): AlgorithmFiling[] {
  return filings.flatMap((filing) => {
    if (filing.approvedRevision === null) return [];
    const approved = at(filing.revisions, filing.approvedRevision - 1);
    return [
      {
        filingId: filing.header.id,
        state: filing.header.state,
        inputs: [...approved.inputs],
      },
    ];
  });
}
