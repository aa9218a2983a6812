import { JIEFANGBEI_ROADS, ROAD_STEMS } from '../data/names.js';
import type {
  ComplaintMerchantRow,
  ComplaintRow,
  ComplaintStatus,
  EnterpriseRow,
  InspectionRow,
  SquadRow,
} from '../tables.js';
import { coordinate, distanceKm, offsetPoint } from '../util/geo.js';
import { invariant } from '../util/invariant.js';
import { Random } from '../util/Random.js';
import {
  compactDate,
  cst,
  date,
  DAY_MS,
  HOUR_MS,
  REFERENCE_NOW_MS,
  timestamp,
} from '../util/time.js';
import type { EnterprisePlan } from './enterprises.js';
import { GEOGRAPHY_SEED } from './geography.js';
import { streetPicker, type Persons } from './persons.js';
import type { Regions, StreetInfo } from './regions.js';
import { SCENARIOS } from './scenarios.js';

/** The enforcement department's tables. */
export interface Enforcement {
  readonly squads: readonly SquadRow[];
  readonly complaints: readonly ComplaintRow[];
  readonly complaintMerchants: readonly ComplaintMerchantRow[];
  readonly inspections: readonly InspectionRow[];
}

/** Keys of the three barbecue merchants of the night-market scenario. */
export const MERCHANT_KEYS = [
  'merchant:1',
  'merchant:2',
  'merchant:3',
] as const;

/** Planned enterprises the food plant's inspection names. */
export const FOOD_PLANT_KEY = `source:${SCENARIOS.oilSlick.foodPlantSourceId}`;

/**
 * The three barbecue stalls of 较场口夜市 (scenario 4), each with a licence
 * and a history of violations, the same in every world.
 */
export function planNightMarketMerchants(regions: Regions): EnterprisePlan[] {
  const street = regions.streetByCode(SCENARIOS.nightMarket.streetCode);
  const { latitude, longitude } = SCENARIOS.nightMarket;
  const across = {
    category: '跨门店经营',
    description:
      '较场口夜市投诉（C-20250915-JCK）核查：夜间跨门店占道经营、油烟扰民',
    penalty: '责令当场整改',
    fineYuan: 0,
    rectified: true,
    occurredOn: '2025-09-15',
  };
  const rows: [
    string,
    string,
    number,
    number,
    EnterprisePlan['creditGrade'],
    EnterprisePlan['violations'],
  ][] = [
    [
      '渝中区较场口老码头烧烤店',
      'A区3号',
      0.00015,
      -0.0002,
      'C',
      [
        {
          occurredOn: '2024-08-17',
          category: '跨门店经营',
          description: '在相邻门店门前摆放桌椅、烧烤炉具跨门店经营',
          penalty: '责令改正',
          fineYuan: 0,
          rectified: true,
        },
        {
          occurredOn: '2025-06-21',
          category: '油烟扰民',
          description: '油烟净化设施未正常使用，油烟直排扰民',
          penalty: '责令改正并处罚款',
          fineYuan: 2000,
          rectified: true,
        },
        across,
      ],
    ],
    [
      '渝中区好又来烧烤店',
      'A区5号',
      0.0001,
      0.00012,
      'C',
      [
        {
          occurredOn: '2025-03-08',
          category: '占道经营',
          description: '占用人行道摆放烧烤炉具经营',
          penalty: '责令改正并处罚款',
          fineYuan: 500,
          rectified: true,
        },
        {
          occurredOn: '2025-08-30',
          category: '油烟扰民',
          description: '油烟净化设施未定期清洗，油烟扰民',
          penalty: '责令改正并处罚款',
          fineYuan: 1500,
          rectified: true,
        },
        across,
      ],
    ],
    [
      '渝中区夜猫子烧烤店',
      'B区2号',
      -0.00012,
      0.00018,
      'B',
      [
        {
          occurredOn: '2024-11-02',
          category: '跨门店经营',
          description: '夜间在相邻门店门前跨门店经营',
          penalty: '责令改正',
          fineYuan: 0,
          rectified: true,
        },
        across,
      ],
    ],
  ];
  return rows.map(([name, stall, dLat, dLng, creditGrade, violations], i) => ({
    key: MERCHANT_KEYS[i] ?? `merchant:${i + 1}`,
    name,
    industry: '餐饮',
    street,
    latitude: latitude + dLat,
    longitude: longitude + dLng,
    address: `${street.fullName}较场口夜市${stall}`,
    fixed: true,
    ...(creditGrade ? { creditGrade } : {}),
    ...(violations ? { violations } : {}),
  }));
}

const CHANNELS = [
  '12345热线',
  '渝快办',
  '重庆基层智治小程序',
  '网格员上报',
  '随手拍',
] as const;
const CHANNEL_WEIGHTS = [35, 30, 15, 15, 5];

type Topic = {
  text: (place: string, r: Random) => string;
  merchants: boolean;
};

const TOPICS: readonly Topic[] = [
  {
    text: (p, r) =>
      `${p}${r.pick(['火锅店', '烧烤店', '餐馆'])}油烟直排，影响周边居民生活`,
    merchants: true,
  },
  { text: (p) => `${p}有商户占道经营，影响行人通行`, merchants: true },
  {
    text: (p, r) => `${p}${r.pick(['KTV', '商铺', '广场舞'])}音响噪音扰民`,
    merchants: true,
  },
  { text: (p) => `${p}建筑垃圾乱堆乱放`, merchants: false },
  { text: (p) => `${p}有住户在楼顶搭建违法建筑`, merchants: false },
  { text: (p) => `${p}工地夜间施工噪音扰民`, merchants: false },
  { text: (p) => `${p}户外广告牌破损，存在坠落隐患`, merchants: false },
  { text: (p) => `${p}有人乱倒生活垃圾`, merchants: false },
  { text: (p) => `${p}流动摊贩聚集，堵塞通道`, merchants: false },
  { text: (p) => `${p}渣土车撒漏污染路面`, merchants: false },
];

const RESOLUTIONS = [
  '执法队员到场核查，已责令商户整改，整改后复查合格',
  '已联系相关单位清理，现场恢复正常',
  '经核查情况属实，已依法立案查处',
  '经现场核查未发现投诉所述问题，已向投诉人说明',
  '已责令当事人限期拆除，执法队员将跟踪复查',
];

const FINDINGS = {
  COMPLIANT: [
    '现场检查未发现违法违规问题',
    '证照齐全，经营行为规范',
    '安全生产、环保设施运行正常',
  ],
  RECTIFICATION_ORDERED: [
    '台账记录不完整，责令限期整改',
    '消防器材过期，责令限期更换',
    '门前占道摆放物品，责令立即整改',
    '油烟净化设施未定期清洗，责令限期整改',
  ],
  PENALTY_REFERRED: [
    '发现违法经营行为，已移交市场监管部门立案查处',
    '涉嫌超标排放，已移送生态环境部门处理',
  ],
} as const;

/** A street's short name for squad names: 解放碑, but 三角镇. */
function squadName(street: StreetInfo): string {
  return `${street.kind === '街道' ? street.shortName : street.name}综合执法中队`;
}

/** Duty phone in Chongqing's 023 area. */
function dutyPhone(r: Random): string {
  let n = String(r.pick([4, 6, 7, 8]));
  for (let i = 0; i < 7; i += 1) n += String(r.int(0, 9));
  return `023-${n}`;
}

/**
 * Squads (one 综合执法支队 per district and one 综合执法中队 per street, the
 * same places in every world), complaints with their merchants, and
 * inspections.
 */
export function generateEnforcement(
  regions: Regions,
  persons: Persons,
  enterprises: readonly EnterpriseRow[],
  enterpriseOf: (key: string) => EnterpriseRow,
  counts: { complaints: number; inspections: number },
  seed: number,
): Enforcement {
  const fixed = new Random(GEOGRAPHY_SEED, 'squads');
  const random = new Random(seed, 'enforcement');
  const nm = SCENARIOS.nightMarket;
  const leaderIn = (district: string): string =>
    random.pick(persons.idsByDistrict.get(district) ?? persons.ids);

  const squads: SquadRow[] = [];
  const squadByStreet = new Map<string, SquadRow>();
  const squadsByDistrict = new Map<string, SquadRow[]>();
  for (const district of regions.districts) {
    const [lat, lng] = offsetPoint(
      district.spec.latitude,
      district.spec.longitude,
      fixed.float(0.3, 0.8),
      fixed.float(-0.8, -0.3),
    );
    const own: SquadRow[] = [
      {
        id: `SQ-${district.code}`,
        name: `${district.name}综合执法支队`,
        region_code: district.code,
        ...coordinate(lat, lng),
        member_count: random.int(40, 120),
        leader_person_id: leaderIn(district.code),
        duty_phone: dutyPhone(random),
      },
    ];
    for (const street of district.streets) {
      const jiefangbei = street.code === nm.streetCode;
      const radiusKm = street.core ? 0.2 : 0.8;
      const [sLat, sLng] = jiefangbei
        ? [29.5536, 106.5752]
        : offsetPoint(
            street.latitude,
            street.longitude,
            fixed.float(-radiusKm, radiusKm),
            fixed.float(-radiusKm, radiusKm),
          );
      const squad: SquadRow = {
        id: jiefangbei ? nm.squadId : `SQ-${street.code}`,
        name: squadName(street),
        region_code: street.code,
        ...coordinate(sLat, sLng),
        member_count: street.core ? random.int(15, 35) : random.int(6, 20),
        leader_person_id: leaderIn(district.code),
        duty_phone: dutyPhone(random),
      };
      own.push(squad);
      squadByStreet.set(street.code, squad);
    }
    squadsByDistrict.set(district.code, own);
    squads.push(...own);
  }
  const nearestSquad = (
    districtCode: string,
    lat: number,
    lng: number,
  ): SquadRow => {
    let best: SquadRow | undefined;
    let bestKm = Infinity;
    for (const s of squadsByDistrict.get(districtCode) ?? []) {
      const d = distanceKm(lat, lng, s.latitude, s.longitude);
      if (d < bestKm) {
        best = s;
        bestKm = d;
      }
    }
    invariant(best, `no squad in ${districtCode}`);
    return best;
  };

  // Scenario 4 first.
  const complaints: ComplaintRow[] = [];
  const complaintMerchants: ComplaintMerchantRow[] = [];
  const jiefangbei = regions.streetByCode(nm.streetCode);
  complaints.push({
    id: nm.complaintId,
    channel: nm.channel,
    summary: '较场口夜市3家烧烤店存在跨门店经营、油烟扰民问题',
    received_at: nm.receivedAt,
    address: `${jiefangbei.fullName}较场口夜市`,
    latitude: nm.latitude,
    longitude: nm.longitude,
    region_code: jiefangbei.code,
    complainant_person_id: persons.complainant.id,
    status: 'RESOLVED',
    assigned_squad_id: nm.squadId,
    dispatched_at: nm.dispatchedAt,
    resolved_at: nm.resolvedAt,
    resolution:
      '“商户码”“执法码”双码核验后派单解放碑综合执法中队；执法队员到场责令3家烧烤店撤回跨门店经营设施、规范使用油烟净化设施，已上传整改后照片，投诉人已收到处置结果',
  });
  for (const key of MERCHANT_KEYS) {
    complaintMerchants.push({
      complaint_id: nm.complaintId,
      credit_code: enterpriseOf(key).credit_code,
    });
  }

  const merchantsByStreet = new Map<string, EnterpriseRow[]>();
  for (const e of enterprises) {
    if (e.status !== 'ACTIVE' || !['餐饮', '零售', '住宿'].includes(e.industry))
      continue;
    const list = merchantsByStreet.get(e.region_code) ?? [];
    list.push(e);
    merchantsByStreet.set(e.region_code, list);
  }
  const pickStreet = streetPicker(regions, 4);
  const oldest = REFERENCE_NOW_MS - 180 * DAY_MS;
  for (let i = 1; complaints.length < counts.complaints; i += 1) {
    const street = pickStreet(random);
    const received =
      oldest +
      Math.floor(
        (random.next() * (REFERENCE_NOW_MS - HOUR_MS - oldest)) / 1000,
      ) *
        1000;
    const road =
      street.code === nm.streetCode
        ? random.pick(JIEFANGBEI_ROADS)
        : `${random.pick(ROAD_STEMS)}${random.pick(['路', '街', '大道'])}`;
    const place = `${street.name}${road}`;
    const topic = random.pick(TOPICS);
    const [lat, lng] = offsetPoint(
      street.latitude,
      street.longitude,
      random.float(-1, 1) * (street.core ? 0.5 : 2),
      random.float(-1, 1) * (street.core ? 0.5 : 2),
    );
    const { latitude, longitude } = coordinate(lat, lng);
    const age = REFERENCE_NOW_MS - received;
    let status: ComplaintStatus =
      age < DAY_MS
        ? random.weighted(
            ['RECEIVED', 'DISPATCHED', 'RESOLVED'] as const,
            [30, 50, 20],
          )
        : age < 7 * DAY_MS
          ? random.weighted(
              ['DISPATCHED', 'RESOLVED', 'CLOSED'] as const,
              [20, 50, 30],
            )
          : random.weighted(['RESOLVED', 'CLOSED'] as const, [35, 65]);
    const dispatched = received + random.int(8, 600) * 1000;
    let resolved = dispatched + Math.round(random.float(0.5, 72) * 60) * 60_000;
    if (
      status !== 'RECEIVED' &&
      status !== 'DISPATCHED' &&
      resolved >= REFERENCE_NOW_MS
    ) {
      status = 'DISPATCHED';
    }
    if (status === 'DISPATCHED' && dispatched >= REFERENCE_NOW_MS)
      status = 'RECEIVED';
    const squad = nearestSquad(street.districtCode, latitude, longitude);
    const open = status === 'RECEIVED';
    const done = status === 'RESOLVED' || status === 'CLOSED';
    if (!done) resolved = 0;
    const id = `C-${compactDate(received)}-${String(i).padStart(5, '0')}`;
    const person = random.chance(0.7)
      ? random.pick(
          persons.idsByDistrict.get(street.districtCode) ?? persons.ids,
        )
      : random.pick(persons.ids);
    complaints.push({
      id,
      channel: random.weighted(CHANNELS, CHANNEL_WEIGHTS),
      summary: topic.text(place, random),
      received_at: timestamp(received),
      address: `${street.fullName}${road}${random.int(1, 300)}号附近`,
      latitude,
      longitude,
      region_code: street.code,
      complainant_person_id: person,
      status,
      assigned_squad_id: open ? null : squad.id,
      dispatched_at: open ? null : timestamp(dispatched),
      resolved_at: done ? timestamp(resolved) : null,
      resolution: done ? random.pick(RESOLUTIONS) : null,
    });
    const nearby = merchantsByStreet.get(street.code);
    if (topic.merchants && nearby && nearby.length > 0) {
      for (const m of random.sample(
        nearby,
        Math.min(nearby.length, random.int(1, 2)),
      )) {
        complaintMerchants.push({
          complaint_id: id,
          credit_code: m.credit_code,
        });
      }
    }
  }

  // Inspections: the scenario ones, then random.
  const inspections: InspectionRow[] = [];
  const jfbSquad = nm.squadId;
  for (const key of MERCHANT_KEYS) {
    const code = enterpriseOf(key).credit_code;
    inspections.push(
      {
        id: '',
        credit_code: code,
        inspected_on: '2025-06-21',
        squad_id: jfbSquad,
        result: 'RECTIFICATION_ORDERED',
        findings: '油烟净化设施未正常使用，责令限期整改',
      },
      {
        id: '',
        credit_code: code,
        inspected_on: '2025-09-15',
        squad_id: jfbSquad,
        result: 'RECTIFICATION_ORDERED',
        findings:
          '较场口夜市投诉核查：跨门店经营、油烟扰民，当场责令整改，整改后照片已上传',
      },
    );
  }
  const foodPlant = enterpriseOf(FOOD_PLANT_KEY);
  const foodSquad = squadByStreet.get(foodPlant.region_code);
  invariant(foodSquad, 'squad of the food plant');
  inspections.push({
    id: '',
    credit_code: foodPlant.credit_code,
    inspected_on: '2025-07-18',
    squad_id: foodSquad.id,
    result: 'PENALTY_REFERRED',
    findings:
      '隔油池未正常运行，含油废水违规排放至汝溪河，已责令停产并移送生态环境部门立案查处',
  });
  const inspectable = enterprises.filter(
    (e) => e.status === 'ACTIVE' || e.status === 'SUSPENDED',
  );
  const earliest = cst(2023, 10, 1);
  while (inspections.length < counts.inspections) {
    const e = random.pick(inspectable);
    const squad = squadByStreet.get(e.region_code);
    if (!squad) continue;
    const result = random.weighted(
      ['COMPLIANT', 'RECTIFICATION_ORDERED', 'PENALTY_REFERRED'] as const,
      [65, 28, 7],
    );
    const from = Math.max(
      earliest,
      Date.parse(`${e.established_on}T00:00:00+08:00`),
    );
    if (from >= REFERENCE_NOW_MS - DAY_MS) continue;
    inspections.push({
      id: '',
      credit_code: e.credit_code,
      inspected_on: date(
        from + random.next() * (REFERENCE_NOW_MS - DAY_MS - from),
      ),
      squad_id: squad.id,
      result,
      findings: random.pick(FINDINGS[result]),
    });
  }
  inspections.forEach((row, i) => {
    row.id = `INS-${String(i + 1).padStart(7, '0')}`;
  });
  return { squads, complaints, complaintMerchants, inspections };
}
