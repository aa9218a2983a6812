// The administrative history behind the demo policy (seeds/src/policy/
// demoPolicy.ts): who wrote, submitted, returned, approved, superseded and
// revoked each entry version and when, and the share requests — approved,
// rejected, withdrawn and pending, one of them overdue — that the grants
// answer. Deterministic: fixed instants in China Standard Time.
import { dueDate, type EntryStatus } from '../../../policies/src/index.js';
import {
  appendEntryEvent,
  hasEntryHistory,
  restoreEntryLifecycle,
  restoreGrantProvenance,
  restoreShareRequest,
  type ShareRequestStatus,
} from '../../../policies/store/src/administration/index.js';
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';

/** An instant in China Standard Time. */
function cst(local: string): string {
  return new Date(`${local}+08:00`).toISOString();
}

type Action =
  | 'CREATED'
  | 'EDITED'
  | 'SUBMITTED'
  | 'RETURNED'
  | 'APPROVED'
  | 'SUPERSEDED'
  | 'REVOKED';

const STATUS_AFTER: Readonly<Record<Action, EntryStatus>> = {
  CREATED: 'DRAFT',
  EDITED: 'DRAFT',
  SUBMITTED: 'IN_REVIEW',
  RETURNED: 'DRAFT',
  APPROVED: 'ACTIVE',
  SUPERSEDED: 'SUPERSEDED',
  REVOKED: 'REVOKED',
};

/** One step of a version's history: action, instant (CST), actor, comment. */
type Step = readonly [Action, string, string, string?];

/** The history of every seeded entry version, oldest step first. */
export const DEMO_ENTRY_HISTORY: Readonly<Record<string, readonly Step[]>> = {
  'NL-PS-001@1': [
    ['CREATED', '2024-12-02T09:30:00', 'publicsecurity-data-officer'],
    ['SUBMITTED', '2024-12-05T15:00:00', 'publicsecurity-data-officer'],
    ['APPROVED', '2024-12-10T10:00:00', 'publicsecurity-chief-data-officer'],
  ],
  'NL-PS-002@1': [
    ['CREATED', '2024-12-02T10:00:00', 'publicsecurity-data-officer'],
    ['SUBMITTED', '2024-12-05T15:05:00', 'publicsecurity-data-officer'],
    ['APPROVED', '2024-12-10T10:05:00', 'publicsecurity-chief-data-officer'],
    [
      'SUPERSEDED',
      '2025-05-20T16:00:00',
      'publicsecurity-chief-data-officer',
      'superseded by NL-PS-002@2',
    ],
  ],
  'NL-PS-002@2': [
    [
      'CREATED',
      '2025-05-06T09:00:00',
      'publicsecurity-data-officer',
      'revision of NL-PS-002@1',
    ],
    ['SUBMITTED', '2025-05-08T17:30:00', 'publicsecurity-data-officer'],
    [
      'RETURNED',
      '2025-05-12T11:20:00',
      'publicsecurity-chief-data-officer',
      '户籍地址须脱敏至区县；请补充《重庆市数据条例》作为依据 (mask household addresses to the district; cite the Chongqing data regulation)',
    ],
    ['EDITED', '2025-05-14T10:00:00', 'publicsecurity-data-officer'],
    ['SUBMITTED', '2025-05-15T09:00:00', 'publicsecurity-data-officer'],
    ['APPROVED', '2025-05-20T16:00:00', 'publicsecurity-chief-data-officer'],
  ],
  'NL-PS-003@1': [
    ['CREATED', '2024-12-02T10:30:00', 'publicsecurity-data-officer'],
    ['SUBMITTED', '2024-12-05T15:10:00', 'publicsecurity-data-officer'],
    ['APPROVED', '2024-12-10T10:10:00', 'publicsecurity-chief-data-officer'],
  ],
  'NL-ENV-001@1': [
    ['CREATED', '2024-12-09T14:00:00', 'environment-data-officer'],
    ['SUBMITTED', '2024-12-11T09:00:00', 'environment-data-officer'],
    ['APPROVED', '2024-12-16T15:30:00', 'environment-chief-data-officer'],
  ],
  'NL-ENV-002@1': [
    [
      'CREATED',
      '2025-07-18T07:10:00',
      'environment-data-officer',
      '汝溪河油污事件立案 (the 汝溪河 oil slick is under investigation)',
    ],
    ['SUBMITTED', '2025-07-18T07:20:00', 'environment-data-officer'],
    ['APPROVED', '2025-07-18T07:45:00', 'environment-chief-data-officer'],
  ],
  'NL-WAT-001@1': [
    ['CREATED', '2024-12-03T10:00:00', 'water-data-officer'],
    ['SUBMITTED', '2024-12-04T10:00:00', 'water-data-officer'],
    ['APPROVED', '2024-12-12T09:00:00', 'water-chief-data-officer'],
  ],
  'NL-EMG-001@1': [
    ['CREATED', '2025-03-03T09:00:00', 'emergency-data-officer'],
    ['SUBMITTED', '2025-03-05T09:00:00', 'emergency-data-officer'],
    [
      'APPROVED',
      '2025-03-10T14:00:00',
      'emergency-chief-data-officer',
      '过渡期至2029年底 (transition period until the end of 2029)',
    ],
  ],
  'NL-EMG-002@1': [
    ['CREATED', '2026-11-20T10:00:00', 'emergency-data-officer'],
    ['SUBMITTED', '2026-11-23T09:00:00', 'emergency-data-officer'],
  ],
  'NL-MKT-001@1': [
    ['CREATED', '2026-11-10T14:00:00', 'market-data-officer'],
    ['SUBMITTED', '2026-11-12T10:00:00', 'market-data-officer'],
    [
      'RETURNED',
      '2026-11-16T15:00:00',
      'market-chief-data-officer',
      '请写明适用场景并补充法律依据的条款号 (name the scenarios and cite the articles)',
    ],
  ],
  'NL-MKT-002@1': [
    ['CREATED', '2024-12-20T10:00:00', 'market-data-officer'],
    ['SUBMITTED', '2024-12-23T10:00:00', 'market-data-officer'],
    ['APPROVED', '2025-01-03T09:00:00', 'market-chief-data-officer'],
    [
      'REVOKED',
      '2025-06-30T17:00:00',
      'market-chief-data-officer',
      '信用等级评定规则已公布，恢复共享 (the grading rules are published: credit grades are shared again)',
    ],
  ],
};

/** A seeded share request. */
interface DemoShareRequest {
  readonly id: string;
  readonly entryId: string;
  readonly ownerDepartment: string;
  readonly consumerDepartment: string;
  readonly purpose: string;
  readonly scenario?: string;
  readonly coordinates: readonly string[];
  readonly justification: string;
  readonly requestedExpiry: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly status: ShareRequestStatus;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decisionReason?: string;
  readonly grantId?: string;
}

const UNTIL_2031 = cst('2031-01-01T00:00:00');

/** The share requests of the demo city, in every state. */
export const DEMO_SHARE_REQUESTS: readonly DemoShareRequest[] = [
  {
    id: 'SR-2025-0001',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'enforcement',
    purpose: 'complaint-handling',
    scenario: 'NIGHT_MARKET_COMPLAINT',
    coordinates: ['Person.name', 'Person.mobile'],
    justification:
      '较场口夜市等投诉办理需回访投诉人 (complaints such as the 较场口 night market need a call back to the complainant)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'enforcement-data-officer',
    requestedAt: cst('2025-05-26T09:00:00'),
    status: 'APPROVED',
    decidedBy: 'publicsecurity-data-officer',
    decidedAt: cst('2025-05-30T16:00:00'),
    decisionReason:
      '姓名、手机号脱敏，限渝中区 (name and mobile masked, 渝中区 only)',
    grantId: 'G-2025-001',
  },
  {
    id: 'SR-2025-0002',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'emergency',
    purpose: 'emergency-response',
    scenario: 'FLOOD_EMERGENCY',
    coordinates: [
      'Person.name',
      'Person.mobile',
      'Person.birthDate',
      'Person.householdAddress',
    ],
    justification:
      '防汛应急需联系风险点责任人 (flood response must reach the risk items’ responsible persons)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'emergency-data-officer',
    requestedAt: cst('2025-05-26T10:00:00'),
    status: 'APPROVED',
    decidedBy: 'publicsecurity-data-officer',
    decidedAt: cst('2025-05-30T16:10:00'),
    decisionReason: '出生日期只到年份 (birth dates to the year only)',
    grantId: 'G-2025-002',
  },
  {
    id: 'SR-2025-0003',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'market',
    purpose: 'market-supervision',
    coordinates: ['Person.name'],
    justification:
      '2025年度营业执照年审核对法定代表人 (the 2025 licence review checks legal representatives)',
    requestedExpiry: cst('2026-01-01T00:00:00'),
    requestedBy: 'market-data-officer',
    requestedAt: cst('2025-05-27T09:00:00'),
    status: 'APPROVED',
    decidedBy: 'publicsecurity-data-officer',
    decidedAt: cst('2025-05-30T16:20:00'),
    grantId: 'G-2025-003',
  },
  {
    id: 'SR-2025-0004',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'emergency',
    purpose: 'risk-inventory',
    scenario: 'RISK_RESPONSIBLE_PERSON_NOTICE',
    coordinates: ['Person.name', 'Person.mobile'],
    justification:
      '2025年风险普查通知责任人 (the 2025 risk census notifies responsible persons)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'emergency-data-officer',
    requestedAt: cst('2025-05-27T10:00:00'),
    status: 'APPROVED',
    decidedBy: 'publicsecurity-data-officer',
    decidedAt: cst('2025-05-30T16:30:00'),
    grantId: 'G-2025-004',
  },
  {
    id: 'SR-2025-0005',
    entryId: 'NL-ENV-001',
    ownerDepartment: 'environment',
    consumerDepartment: 'market',
    purpose: 'market-supervision',
    coordinates: [
      'DischargeRecord.id',
      'DischargeRecord.recordedAt',
      'DischargeRecord.pollutant',
      'DischargeRecord.concentration',
      'DischargeRecord.unit',
      'DischargeRecord.permittedLimit',
      'DischargeRecord.exceedsPermit',
    ],
    justification:
      '许可证监管比对企业在线监测数据 (licence supervision compares online discharge records)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'market-data-officer',
    requestedAt: cst('2024-12-18T09:00:00'),
    status: 'APPROVED',
    decidedBy: 'environment-data-officer',
    decidedAt: cst('2024-12-27T11:00:00'),
    grantId: 'G-2025-005',
  },
  {
    id: 'SR-2025-0006',
    entryId: 'NL-WAT-001',
    ownerDepartment: 'water',
    consumerDepartment: 'emergency',
    purpose: 'emergency-response',
    scenario: 'OIL_SLICK_TRACING',
    coordinates: [
      'DrinkingWaterIntake.riverKm',
      'DrinkingWaterIntake.populationServed',
    ],
    justification:
      '预测污染带到达取水口的时间 (forecast when a slick reaches an intake)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'emergency-data-officer',
    requestedAt: cst('2024-12-16T09:00:00'),
    status: 'APPROVED',
    decidedBy: 'water-data-officer',
    decidedAt: cst('2024-12-20T15:00:00'),
    grantId: 'G-2025-006',
  },
  {
    id: 'SR-2025-0007',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'environment',
    purpose: 'environmental-supervision',
    coordinates: ['Person.mobile'],
    justification:
      '联系排污企业法定代表人 (reach the legal representatives of discharging enterprises)',
    requestedExpiry: UNTIL_2031,
    requestedBy: 'environment-data-officer',
    requestedAt: cst('2025-08-04T09:00:00'),
    status: 'REJECTED',
    decidedBy: 'publicsecurity-data-officer',
    decidedAt: cst('2025-08-11T10:00:00'),
    decisionReason:
      '最小必要：请通过企业登记的联系方式联系，不共享个人手机号 (minimum necessary: use the enterprise’s registered contact, not a personal mobile)',
  },
  {
    id: 'SR-2025-0008',
    entryId: 'NL-ENV-001',
    ownerDepartment: 'environment',
    consumerDepartment: 'emergency',
    purpose: 'emergency-response',
    coordinates: ['DischargeRecord.pollutant', 'DischargeRecord.concentration'],
    justification: '汝溪河油污应急处置 (response to the 汝溪河 oil slick)',
    requestedExpiry: cst('2025-12-31T00:00:00'),
    requestedBy: 'emergency-data-officer',
    requestedAt: cst('2025-07-18T08:00:00'),
    status: 'WITHDRAWN',
    decidedAt: cst('2025-07-18T11:00:00'),
  },
  {
    id: 'SR-2026-0001',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'market',
    purpose: 'market-supervision',
    coordinates: ['Person.name'],
    justification:
      '2026年度营业执照年审续期（原 G-2025-003 已到期）(the 2026 licence review: G-2025-003 expired)',
    requestedExpiry: cst('2027-01-01T00:00:00'),
    requestedBy: 'market-data-officer',
    requestedAt: cst('2026-11-02T09:00:00'),
    status: 'PENDING',
  },
  {
    id: 'SR-2026-0002',
    entryId: 'NL-PS-002',
    ownerDepartment: 'publicsecurity',
    consumerDepartment: 'enforcement',
    purpose: 'complaint-handling',
    scenario: 'NIGHT_MARKET_COMPLAINT',
    coordinates: ['Person.name', 'Person.mobile', 'Person.householdAddress'],
    justification:
      '跨区投诉办理需核实投诉人户籍所在区县 (cross-district complaints need the complainant’s district)',
    requestedExpiry: cst('2027-12-31T00:00:00'),
    requestedBy: 'enforcement-data-officer',
    requestedAt: cst('2026-12-01T10:00:00'),
    status: 'PENDING',
  },
];

/** Who revoked which grant, and why. */
const GRANT_REVOCATIONS: Readonly<
  Record<string, { by: string; at: string; reason: string }>
> = {
  'G-2025-004': {
    by: 'publicsecurity-data-officer',
    at: cst('2025-12-15T10:00:00'),
    reason:
      '风险普查结束，按最小必要原则收回 (the census is over: withdrawn as no longer necessary)',
  },
};

/** The department a seeded actor acts for (the prefix of its subject). */
function departmentOf(actor: string): string {
  if (actor === 'city-data-authority') return 'bigdata';
  return actor.slice(0, actor.indexOf('-'));
}

/**
 * Writes the demo policy's administrative history into a store that holds
 * the demo policy (`writePolicyDocument(db, demoPolicy())` first): each
 * entry version's lifecycle instants, revision and history, the share
 * requests, and who issued and revoked the grants. In one transaction;
 * history and requests already there (a reseed) are kept as they are.
 */
export async function writeDemoGovernance(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [key, steps] of Object.entries(DEMO_ENTRY_HISTORY)) {
      const at = key.lastIndexOf('@');
      const id = key.slice(0, at);
      const version = Number(key.slice(at + 1));
      // The history is append-only: a reseed keeps the one written before.
      const recorded = await hasEntryHistory(tx, id, version);
      let from: EntryStatus | undefined;
      let submittedAt: string | null = null;
      let approvedAt: string | null = null;
      for (const [i, [action, local, actor, comment]] of steps.entries()) {
        const instant = cst(local);
        const to = STATUS_AFTER[action];
        if (!recorded) {
          await appendEntryEvent(tx, {
            entryId: id,
            version,
            action,
            ...(from === undefined ? {} : { fromStatus: from }),
            toStatus: to,
            actor,
            actorDepartment: departmentOf(actor),
            ...(comment === undefined ? {} : { comment }),
            revision: i + 1,
            at: instant,
          });
        }
        if (action === 'SUBMITTED') submittedAt = instant;
        if (action === 'APPROVED') approvedAt = instant;
        from = to;
      }
      const first = steps[0];
      const last = steps.at(-1);
      if (first === undefined || last === undefined) continue;
      await restoreEntryLifecycle(tx, {
        id,
        version,
        createdAt: cst(first[1]),
        updatedAt: cst(last[1]),
        submittedAt,
        approvedAt,
        revision: steps.length,
      });
    }
    for (const r of DEMO_SHARE_REQUESTS) {
      await restoreShareRequest(tx, {
        ...r,
        dueAt: dueDate(new Date(r.requestedAt)).toISOString(),
        revision: r.status === 'PENDING' ? 1 : 2,
      });
      if (r.grantId !== undefined && r.decidedBy !== undefined) {
        const revocation = GRANT_REVOCATIONS[r.grantId];
        await restoreGrantProvenance(tx, r.grantId, {
          requestId: r.id,
          issuedBy: r.decidedBy,
          ...(revocation === undefined ? {} : { revocation }),
        });
      }
    }
  });
}
