import { INDUSTRY_BY_NAME } from '../data/industries.js';
import { TRADE_NAMES } from '../data/names.js';
import type {
  DischargeRecordRow,
  EnterpriseRow,
  IncidentRow,
  PollutionSourceKind,
  PollutionSourceRow,
  ReadingRow,
  SectionRow,
  TargetClass,
  WaterParameter,
} from '../tables.js';
import { coordinate, offsetPoint, round } from '../util/geo.js';
import { at, invariant } from '../util/invariant.js';
import { Random } from '../util/Random.js';
import {
  compactDate,
  date,
  DAY_MS,
  HOUR_MS,
  REFERENCE_NOW_MS,
  timestamp,
} from '../util/time.js';
import type { EnterprisePlan } from './enterprises.js';
import { GEOGRAPHY_SEED, type Geography } from './geography.js';
import { allocate, type StreetInfo } from './regions.js';
import { SCENARIOS } from './scenarios.js';
import { HISTORY_DAYS, HISTORY_START_MS } from './water.js';

/** Monitoring sections in total, about 120 as the design asks. */
export const SECTION_TOTAL = 120;
/** Days of water-quality readings up to the reference now. */
export const READING_DAYS = 60;
/** The first reading day, 2025-08-01; readings are taken at 06:00. */
export const READINGS_START_MS = REFERENCE_NOW_MS - READING_DAYS * DAY_MS;

const PARAMETERS: readonly WaterParameter[] = [
  'DISSOLVED_OXYGEN',
  'AMMONIA_NITROGEN',
  'PERMANGANATE_INDEX',
  'TOTAL_PHOSPHORUS',
  'PETROLEUM',
  'PH',
];

/**
 * The band a section's readings stay in, well inside its target class
 * (GB 3838-2002), with the number of decimals they are reported with.
 */
const NORMAL_BAND: Readonly<
  Record<
    WaterParameter,
    Readonly<Partial<Record<TargetClass, readonly [number, number]>>> & {
      digits: number;
    }
  >
> = {
  DISSOLVED_OXYGEN: {
    II: [6.8, 9.0],
    III: [6.2, 8.5],
    IV: [5.0, 7.5],
    digits: 1,
  },
  AMMONIA_NITROGEN: {
    II: [0.08, 0.35],
    III: [0.15, 0.7],
    IV: [0.3, 1.1],
    digits: 3,
  },
  PERMANGANATE_INDEX: {
    II: [1.5, 3.2],
    III: [2.0, 4.8],
    IV: [3.5, 7.5],
    digits: 1,
  },
  TOTAL_PHOSPHORUS: {
    II: [0.02, 0.07],
    III: [0.04, 0.15],
    IV: [0.08, 0.22],
    digits: 3,
  },
  PETROLEUM: {
    II: [0.005, 0.03],
    III: [0.005, 0.03],
    IV: [0.02, 0.2],
    digits: 3,
  },
  PH: { II: [6.9, 8.3], III: [6.9, 8.3], IV: [6.8, 8.4], digits: 2 },
};

/** A pollution source to create, with the enterprise that operates it. */
export interface SourcePlan {
  readonly id: string;
  readonly name: string;
  readonly kind: PollutionSourceKind;
  readonly riverId: string;
  readonly km: number;
  readonly street: StreetInfo;
  readonly enterprise: EnterprisePlan;
}

/**
 * The monitoring sections (the same in every world): the scenario sections
 * and {@link SECTION_TOTAL} in all, spread over the rivers by length.
 */
export function planSections(geography: Geography): SectionRow[] {
  const { dissolvedOxygen: d, oilSlick: o } = SCENARIOS;
  const regions = geography.regions;
  type Fixed = [
    id: string,
    name: string,
    riverId: string,
    km: number,
    street?: StreetInfo,
  ];
  const fixedSections: Fixed[] = [
    [
      d.upstreamSectionId,
      '蒲河横山断面',
      d.riverId,
      d.upstreamSectionKm,
      regions.street(d.districtCode, '横山镇'),
    ],
    [
      d.sectionId,
      d.sectionName,
      d.riverId,
      d.sectionKm,
      regions.street(d.districtCode, d.townName),
    ],
    [d.downstreamSectionId, '蒲河河口断面', d.riverId, d.downstreamSectionKm],
    [
      'MS-RUXI-PINGJIN',
      '汝溪河屏锦断面',
      o.riverId,
      20,
      regions.street(o.districtCode, o.upstreamTownName),
    ],
    [
      o.sectionId,
      '汝溪河礼让断面',
      o.riverId,
      o.incidentKm,
      regions.street(o.districtCode, o.townName),
    ],
    ['MS-RUXI-CHUJING', '汝溪河出境断面', o.riverId, 92],
    [
      'MS-CHANGJIANG-CHAOTIANMEN',
      '长江朝天门断面',
      'R-CHANGJIANG',
      179,
      regions.street('500103', '朝天门街道'),
    ],
    [
      'MS-JIALING-DAXIGOU',
      '嘉陵江大溪沟断面',
      'R-JIALING',
      148,
      regions.street('500103', '大溪沟街道'),
    ],
  ];
  const names = new Set<string>();
  const sections: SectionRow[] = [];
  const add = (
    id: string,
    name: string,
    riverId: string,
    km: number,
    street?: StreetInfo,
  ): void => {
    const site = street
      ? geography.siteIn(riverId, km, street)
      : geography.site(riverId, km);
    names.add(name);
    sections.push({
      id,
      name,
      river_id: riverId,
      river_km: km,
      region_code: site.street.code,
      ...coordinate(site.latitude, site.longitude),
      target_class: geography.river(riverId).spec.targetClass,
    });
  };
  for (const [id, name, riverId, km, street] of fixedSections)
    add(id, name, riverId, km, street);

  const scenarioRivers = new Set<string>([d.riverId, o.riverId]);
  const others = [...geography.rivers.values()].filter(
    (c) => !scenarioRivers.has(c.spec.id),
  );
  const counts = allocate(
    SECTION_TOTAL - fixedSections.length,
    others.map((c) => c.spec.lengthKm),
    1,
  );
  others.forEach((course, i) => {
    const spec = course.spec;
    const n = at(counts, i);
    const taken = fixedSections
      .filter((f) => f[2] === spec.id)
      .map((f) => f[3]);
    for (let k = 0; k < n; k += 1) {
      let km = round((spec.lengthKm * (k + 0.5)) / n, 1);
      // Keep clear of a fixed section of the same river.
      for (const t of taken)
        if (Math.abs(km - t) < 6) km = round(t + (km <= t ? -8 : 8), 1);
      const site = geography.site(spec.id, km);
      let name = `${spec.name}${site.street.shortName}断面`;
      for (let m = 2; names.has(name); m += 1)
        name = `${spec.name}${site.street.shortName}${m}号断面`;
      add(
        `MS-${spec.slug}-${String(k + 1).padStart(2, '0')}`,
        name,
        spec.id,
        km,
      );
    }
  });
  invariant(sections.length === SECTION_TOTAL, `${sections.length} sections`);
  return sections;
}

/**
 * Daily readings of the six parameters at 06:00 for the {@link READING_DAYS}
 * days up to the reference now, inside each section's normal band — except
 * dissolved oxygen at 寨溪大桥 from 2025-08-12 (scenario 1).
 */
export function generateReadings(
  sections: readonly SectionRow[],
  seed: number,
): ReadingRow[] {
  const random = new Random(seed, 'readings');
  const d = SCENARIOS.dissolvedOxygen;
  const breach = new Map<string, number>(d.breach.map(([day, v]) => [day, v]));
  // Ammonia rises at 寨溪大桥 with the plants' discharges, but stays in class III.
  const ammonia = new Map<string, number>([
    ['2025-08-11', 0.82],
    ['2025-08-12', 0.91],
    ['2025-08-13', 0.94],
    ['2025-08-14', 0.88],
  ]);
  const rows: ReadingRow[] = [];
  for (const section of sections) {
    for (const parameter of PARAMETERS) {
      const band = NORMAL_BAND[parameter];
      const [lo, hi] = band[section.target_class] ?? band.III ?? [0, 1];
      const width = hi - lo;
      const baseline = random.float(lo + 0.25 * width, hi - 0.25 * width);
      let noise = 0;
      for (let day = 0; day < READING_DAYS; day += 1) {
        noise = 0.6 * noise + random.normal(0, 0.08 * width);
        const t = READINGS_START_MS + day * DAY_MS + 6 * HOUR_MS;
        const today = date(t);
        let value = round(
          Math.min(hi, Math.max(lo, baseline + noise)),
          band.digits,
        );
        if (section.id === d.sectionId) {
          if (parameter === 'DISSOLVED_OXYGEN')
            value = breach.get(today) ?? Math.max(6.2, value);
          if (parameter === 'AMMONIA_NITROGEN')
            value = ammonia.get(today) ?? value;
        }
        rows.push({
          section_id: section.id,
          parameter,
          measured_at: timestamp(t),
          value,
        });
      }
    }
  }
  return rows;
}

const ORDINALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

const INDUSTRIAL = [
  '化工',
  '建材',
  '机械制造',
  '食品加工',
  '医药制造',
  '造纸',
  '汽车零部件',
  '纺织服装',
] as const;

/**
 * Plans the pollution sources. 蒲河 and 汝溪河 are laid out by the scenarios
 * and are the same in every world; every other river gets sources at places
 * that vary with the seed.
 */
export function planSources(geography: Geography, seed: number): SourcePlan[] {
  const { dissolvedOxygen: d, oilSlick: o } = SCENARIOS;
  const regions = geography.regions;
  const fixed = new Random(GEOGRAPHY_SEED, 'sources');
  const random = new Random(seed, 'sources');
  const plans: SourcePlan[] = [];
  const names = new Set<string>();

  const unique = (name: string): string => {
    let n = name;
    for (let k = 2; names.has(n); k += 1) {
      n = name.endsWith('污水处理厂')
        ? name.replace(/污水处理厂$/, `第${ORDINALS[k] ?? k}污水处理厂`)
        : name.replace(/(厂|有限公司|合作社|场)$/, `${k}$1`);
    }
    names.add(n);
    return n;
  };
  const companyName = (industry: string, r: Random): string => {
    const spec = INDUSTRY_BY_NAME.get(industry);
    invariant(spec, industry);
    const suffixes = spec.suffixes.filter((s) => !/(店|馆|超市)$/.test(s));
    return unique(`重庆${r.pick(TRADE_NAMES)}${r.pick(suffixes)}`);
  };
  const add = (
    p: {
      id: string;
      kind: PollutionSourceKind;
      riverId: string;
      km: number;
      industry?: string;
      street?: StreetInfo;
      name?: string;
      violations?: EnterprisePlan['violations'];
      creditGrade?: EnterprisePlan['creditGrade'];
    },
    isFixed: boolean,
    r: Random,
  ): void => {
    const site = p.street
      ? geography.siteIn(p.riverId, p.km, p.street)
      : geography.site(p.riverId, p.km);
    const industry =
      p.kind === 'WASTEWATER_PLANT'
        ? '污水处理'
        : p.kind === 'LIVESTOCK_FARM'
          ? '畜禽养殖'
          : (p.industry ?? r.pick(INDUSTRIAL));
    let sourceName: string;
    let enterpriseName: string;
    if (p.kind === 'WASTEWATER_PLANT') {
      sourceName = unique(
        `${site.street.kind === '街道' ? site.street.shortName : site.street.name}污水处理厂`,
      );
      enterpriseName = `${site.street.districtName}${sourceName}`;
    } else {
      sourceName = p.name ? unique(p.name) : companyName(industry, r);
      enterpriseName = sourceName;
    }
    // Plants sit a few hundred metres from the bank.
    const [lat, lng] = offsetPoint(
      site.latitude,
      site.longitude,
      r.float(-0.4, 0.4),
      r.float(-0.4, 0.4),
    );
    plans.push({
      id: p.id,
      name: sourceName,
      kind: p.kind,
      riverId: p.riverId,
      km: p.km,
      street: site.street,
      enterprise: {
        key: `source:${p.id}`,
        name: enterpriseName,
        industry,
        street: site.street,
        latitude: lat,
        longitude: lng,
        fixed: isFixed,
        ...(p.violations ? { violations: p.violations } : {}),
        ...(p.creditGrade ? { creditGrade: p.creditGrade } : {}),
      },
    });
  };

  // Scenario 1: exactly the two plants between 横山 (km 18) and 寨溪大桥 (km 40).
  const puhe: [
    PollutionSourceKind,
    number,
    string | undefined,
    StreetInfo | undefined,
  ][] = [
    ['INDUSTRIAL_ENTERPRISE', 6.5, '建材', undefined],
    ['LIVESTOCK_FARM', 12, undefined, undefined],
    [
      'WASTEWATER_PLANT',
      at(d.plantKms, 0),
      undefined,
      regions.street(d.districtCode, '横山镇'),
    ],
    [
      'WASTEWATER_PLANT',
      at(d.plantKms, 1),
      undefined,
      regions.street(d.districtCode, d.townName),
    ],
    ['INDUSTRIAL_ENTERPRISE', 46.2, '机械制造', undefined],
    ['INDUSTRIAL_ENTERPRISE', 52.5, '食品加工', undefined],
  ];
  puhe.forEach(([kind, km, industry, street], i) => {
    add(
      {
        id: `PS-PUHE-${String(i + 1).padStart(2, '0')}`,
        kind,
        riverId: d.riverId,
        km,
        ...(industry ? { industry } : {}),
        ...(street ? { street } : {}),
      },
      true,
      fixed,
    );
  });

  // Scenario 2: 17 industrial sources and 3 plants within 30 km upstream of
  // the slick; the food plant 2.3 km upstream is the nearest.
  const lirang = regions.street(o.districtCode, o.townName);
  add(
    {
      id: o.foodPlantSourceId,
      kind: 'INDUSTRIAL_ENTERPRISE',
      riverId: o.riverId,
      km: o.foodPlantKm,
      industry: '食品加工',
      street: lirang,
      name: '重庆市梁平区鑫汝食品加工厂',
      creditGrade: 'C',
      violations: [
        {
          occurredOn: '2024-05-09',
          category: '违规排放',
          description: '隔油池油污清掏不及时，含油废水溢流',
          penalty: '责令改正并处罚款',
          fineYuan: 30000,
          rectified: true,
        },
        {
          occurredOn: '2025-07-18',
          category: '违规排放',
          description:
            '隔油池未正常运行，含油废水未经处理违规排放至汝溪河，造成约300平方米油污带',
          penalty: '责令停产整治并处罚款',
          fineYuan: 200000,
          rectified: true,
        },
      ],
    },
    true,
    fixed,
  );
  const reachStart = o.incidentKm - o.withinKm;
  const reachKms: number[] = [];
  while (reachKms.length < o.industrialSources - 1 + o.wastewaterPlants) {
    const km = round(fixed.float(reachStart + 1, o.incidentKm - 3.5), 1);
    if (reachKms.every((k) => Math.abs(k - km) >= 0.4)) reachKms.push(km);
  }
  reachKms.sort((a, b) => a - b);
  const plantIndexes = new Set(
    fixed.sample(
      reachKms.map((_, i) => i),
      o.wastewaterPlants,
    ),
  );
  const outside: [PollutionSourceKind, number][] = [
    ['LIVESTOCK_FARM', 5],
    ['INDUSTRIAL_ENTERPRISE', 14],
    ['LIVESTOCK_FARM', 22.5],
    ['WASTEWATER_PLANT', 27],
    ['INDUSTRIAL_ENTERPRISE', 64.5],
    ['WASTEWATER_PLANT', 76],
    ['INDUSTRIAL_ENTERPRISE', 88],
  ];
  const ruxi: [PollutionSourceKind, number][] = [
    ...reachKms.map((km, i): [PollutionSourceKind, number] => [
      plantIndexes.has(i) ? 'WASTEWATER_PLANT' : 'INDUSTRIAL_ENTERPRISE',
      km,
    ]),
    ...outside,
  ];
  ruxi.forEach(([kind, km], i) => {
    add(
      {
        id: `PS-RUXI-${String(i + 2).padStart(2, '0')}`,
        kind,
        riverId: o.riverId,
        km,
      },
      true,
      fixed,
    );
  });

  // Every other river: sources at random places.
  for (const course of geography.rivers.values()) {
    const spec = course.spec;
    if (spec.id === d.riverId || spec.id === o.riverId) continue;
    const n = Math.min(12, Math.max(2, Math.round(spec.lengthKm / 30)));
    const kms = Array.from({ length: n }, () =>
      round(random.float(1, spec.lengthKm - 1), 1),
    ).sort((a, b) => a - b);
    const urban = spec.districts.every((c) => regions.district(c).spec.core);
    kms.forEach((km, i) => {
      const kind = random.weighted<PollutionSourceKind>(
        ['INDUSTRIAL_ENTERPRISE', 'WASTEWATER_PLANT', 'LIVESTOCK_FARM'],
        [60, 25, urban ? 0 : 15],
      );
      add(
        {
          id: `PS-${spec.slug}-${String(i + 1).padStart(2, '0')}`,
          kind,
          riverId: spec.id,
          km,
        },
        false,
        random,
      );
    });
  }
  return plans;
}

/** A pollutant monitored at a source: name, permitted limit, normal range (mg/L). */
type Pollutant = readonly [name: string, limit: number, lo: number, hi: number];

const POLLUTANTS: Readonly<Record<string, readonly Pollutant[]>> = {
  污水处理: [
    ['化学需氧量', 50, 12, 38],
    ['氨氮', 5, 0.3, 3.5],
  ],
  畜禽养殖: [['氨氮', 80, 10, 60]],
  化工: [['化学需氧量', 100, 20, 80]],
  医药制造: [['化学需氧量', 100, 20, 80]],
  造纸: [['化学需氧量', 100, 30, 85]],
  纺织服装: [['化学需氧量', 100, 20, 80]],
  食品加工: [
    ['化学需氧量', 100, 20, 70],
    ['动植物油', 10, 1.5, 6],
  ],
  建材: [['悬浮物', 70, 10, 50]],
  机械制造: [['石油类', 5, 0.2, 3]],
  汽车零部件: [['石油类', 5, 0.2, 3]],
};

/** Values that scenario sources reported on given days, by source and pollutant. */
function scenarioDischarges(
  plantIds: readonly string[],
  foodPlantId: string,
): Map<string, number> {
  const m = new Map<string, number>();
  const set = (
    sourceId: string,
    pollutant: string,
    days: readonly (readonly [string, number])[],
  ): void => {
    for (const [day, v] of days) m.set(`${sourceId}|${pollutant}|${day}`, v);
  };
  const [p1, p2] = plantIds;
  if (p1 && p2) {
    set(p1, '氨氮', [
      ['2025-08-09', 6.4],
      ['2025-08-10', 8.2],
      ['2025-08-11', 9.6],
      ['2025-08-12', 10.3],
      ['2025-08-13', 8.7],
      ['2025-08-14', 6.1],
    ]);
    set(p1, '化学需氧量', [
      ['2025-08-10', 56],
      ['2025-08-11', 64],
      ['2025-08-12', 71],
      ['2025-08-13', 62],
    ]);
    set(p2, '氨氮', [
      ['2025-08-10', 7.1],
      ['2025-08-11', 9.9],
      ['2025-08-12', 11.4],
      ['2025-08-13', 9.2],
      ['2025-08-14', 7.3],
    ]);
    set(p2, '化学需氧量', [
      ['2025-08-11', 58],
      ['2025-08-12', 67],
      ['2025-08-13', 60],
    ]);
  }
  set(foodPlantId, '动植物油', [
    ['2025-07-16', 14.8],
    ['2025-07-17', 36.5],
    ['2025-07-18', 52.3],
    ['2025-07-19', 4.2],
  ]);
  set(foodPlantId, '化学需氧量', [
    ['2025-07-16', 118],
    ['2025-07-17', 156],
    ['2025-07-18', 174],
  ]);
  return m;
}

/** Pollution sources, their daily discharge records and pollution incidents. */
export function generateSourcesAndIncidents(
  geography: Geography,
  plans: readonly SourcePlan[],
  enterpriseOf: (key: string) => EnterpriseRow,
  seed: number,
): {
  sources: PollutionSourceRow[];
  dischargeRecords: DischargeRecordRow[];
  incidents: IncidentRow[];
} {
  const random = new Random(seed, 'discharges');
  const { dissolvedOxygen: d, oilSlick: o } = SCENARIOS;
  const sources: PollutionSourceRow[] = plans.map((p) => {
    const enterprise = enterpriseOf(p.enterprise.key);
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      credit_code: enterprise.credit_code,
      river_id: p.riverId,
      river_km: p.km,
      region_code: p.street.code,
      permit_number: `${enterprise.credit_code}001${p.kind === 'LIVESTOCK_FARM' ? 'U' : 'V'}`,
    };
  });
  const overrides = scenarioDischarges(d.plantSourceIds, o.foodPlantSourceId);
  const quiet = new Set<string>([d.riverId, o.riverId]);
  const dischargeRecords: DischargeRecordRow[] = [];
  for (const p of plans) {
    const pollutants =
      POLLUTANTS[p.enterprise.industry] ?? POLLUTANTS['化工'] ?? [];
    for (const [pollutant, limit, lo, hi] of pollutants) {
      for (let day = 0; day < HISTORY_DAYS; day += 1) {
        const t = HISTORY_START_MS + day * DAY_MS + 10 * HOUR_MS;
        let value = random.float(lo, hi);
        // Now and then a source exceeds its permit, never on the scenario rivers.
        if (!quiet.has(p.riverId) && random.chance(0.015))
          value = limit * random.float(1.1, 1.6);
        value = overrides.get(`${p.id}|${pollutant}|${date(t)}`) ?? value;
        dischargeRecords.push({
          id: '',
          source_id: p.id,
          recorded_at: timestamp(t),
          pollutant,
          concentration: round(value, value < 10 ? 2 : 1),
          unit: 'mg/L',
          permitted_limit: limit,
        });
      }
    }
  }
  dischargeRecords.forEach((r, i) => {
    r.id = `DR-${String(i + 1).padStart(7, '0')}`;
  });

  const lirang = geography.regions.street(o.districtCode, o.townName);
  const incidents: IncidentRow[] = [
    {
      id: o.incidentId,
      kind: 'OIL_SLICK',
      description:
        '汝溪河礼让段河面出现约300平方米油污带，疑似上游企业含油废水违规排放所致',
      river_id: o.riverId,
      river_km: o.incidentKm,
      region_code: lirang.code,
      area_sqm: o.areaSqm,
      detected_at: o.detectedAt,
    },
  ];
  const kinds = [
    'OIL_SLICK',
    'FISH_KILL',
    'ALGAL_BLOOM',
    'FOAM',
    'DISCOLOURATION',
    'SEWAGE_OVERFLOW',
  ] as const;
  const rivers = [...geography.rivers.values()].filter(
    (c) => !quiet.has(c.spec.id),
  );
  const ids = new Set<string>([o.incidentId]);
  for (let i = 0; i < 12; i += 1) {
    const course = random.pick(rivers);
    const km = round(random.float(1, course.spec.lengthKm - 1), 1);
    const site = geography.site(course.spec.id, km);
    const detected =
      REFERENCE_NOW_MS - Math.floor(random.float(1, 180) * 24) * HOUR_MS;
    const kind = random.pick(kinds);
    const area = Math.round(random.float(20, 2000));
    const place = `${course.spec.name}${site.street.shortName}段`;
    const description = {
      OIL_SLICK: `${place}河面发现油膜，面积约${area}平方米`,
      FISH_KILL: `${place}发现死鱼约${random.int(20, 500)}尾`,
      ALGAL_BLOOM: `${place}水体呈绿色，疑似发生水华`,
      FOAM: `${place}河面出现大量白色泡沫`,
      DISCOLOURATION: `${place}水体发黑发臭`,
      SEWAGE_OVERFLOW: `${place}附近管网溢流，污水直排入河`,
    }[kind];
    let id = `INC-${compactDate(detected)}-${course.spec.slug}`;
    for (let k = 2; ids.has(id); k += 1)
      id = `INC-${compactDate(detected)}-${course.spec.slug}-${k}`;
    ids.add(id);
    incidents.push({
      id,
      kind,
      description,
      river_id: course.spec.id,
      river_km: km,
      region_code: site.street.code,
      area_sqm: area,
      detected_at: timestamp(detected),
    });
  }
  return { sources, dischargeRecords, incidents };
}
