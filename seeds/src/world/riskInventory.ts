import {
  DOMAIN_DEPARTMENT,
  METRIC_LABELS,
  RISK_CATEGORIES,
  type RiskCategorySpec,
} from '../data/riskCategories.js';
import type {
  AlertEventRow,
  AlertLevel,
  AlertRow,
  EnterpriseRow,
  PollutionSourceRow,
  RiskCategoryRow,
  RiskItemRow,
  SectionRow,
} from '../tables.js';
import { round } from '../util/geo.js';
import { invariant } from '../util/invariant.js';
import { Random } from '../util/Random.js';
import {
  compactDate,
  DAY_MS,
  REFERENCE_NOW_MS,
  timestamp,
} from '../util/time.js';
import { generatedLifecycle, oilSlickLifecycle } from './alertLifecycle.js';
import type { Persons } from './persons.js';
import type { Regions } from './regions.js';
import {
  RiskItemStream,
  type RiskEnterprise,
  type RiskPlace,
} from './RiskItemStream.js';
import { SCENARIOS } from './scenarios.js';

function category(name: string): RiskCategorySpec {
  const c = RISK_CATEGORIES.find((x) => x.name === name);
  invariant(c, `risk category ${name}`);
  return c;
}

/** The category rows (emergency.risk_categories). */
export function riskCategoryRows(): RiskCategoryRow[] {
  return RISK_CATEGORIES.map((c) => ({
    code: c.code,
    name: c.name,
    domain: c.domain,
  }));
}

/** What the risk inventory is built from. */
export interface RiskInventoryInput {
  readonly regions: Regions;
  readonly persons: Persons;
  readonly enterprises: readonly EnterpriseRow[];
  readonly sections: readonly SectionRow[];
  readonly sources: readonly PollutionSourceRow[];
  /** Credit code of the food plant of scenario 2, its alert's suspect. */
  readonly foodPlantCreditCode: string;
  readonly count: number;
  readonly alerts: number;
  readonly seed: number;
}

/**
 * The risk items (as a stream), the alerts raised against them and the
 * alerts' lifecycle events.
 */
export function generateRiskInventory(input: RiskInventoryInput): {
  riskItems: RiskItemStream;
  alerts: AlertRow[];
  alertEvents: AlertEventRow[];
} {
  const { regions, persons, sections, seed } = input;
  const random = new Random(seed, 'risk-inventory');
  // A stream of its own, so that the lifecycles shift no other value.
  const lifecycleRandom = new Random(seed, 'alert-lifecycle');
  const { dissolvedOxygen: d, oilSlick: o, crowd: c } = SCENARIOS;
  const sectionById = new Map(sections.map((s) => [s.id, s]));
  const section = (id: string): SectionRow => {
    const s = sectionById.get(id);
    invariant(s, `section ${id}`);
    return s;
  };
  const inDistrict = (code: string): string =>
    random.pick(persons.idsByDistrict.get(code) ?? persons.ids);

  const zhaixi = section(d.sectionId);
  const lirang = section(o.sectionId);
  const sanjiao = regions.street(d.districtCode, d.townName);
  const lirangTown = regions.street(o.districtCode, o.townName);
  const jiefangbei = regions.streetByCode(c.streetCode);
  const fixed: RiskItemRow[] = [
    {
      id: d.riskItemId,
      name: '蒲河寨溪大桥断面水质超标风险',
      category_code: category('地表水水质超标').code,
      level: 'HIGH',
      region_code: zhaixi.region_code,
      address: `${sanjiao.fullName}寨溪大桥`,
      latitude: zhaixi.latitude,
      longitude: zhaixi.longitude,
      credit_code: null,
      section_id: zhaixi.id,
      thresholds: [
        {
          metric: 'DISSOLVED_OXYGEN',
          comparator: 'LT',
          value: 5,
          unit: 'mg/L',
          windowDays: 3,
          alertLevel: 'ORANGE',
        },
        {
          metric: 'AMMONIA_NITROGEN',
          comparator: 'GT',
          value: 1,
          unit: 'mg/L',
          windowDays: 1,
          alertLevel: 'YELLOW',
        },
      ],
      disposal_measures: [
        '核查上游排污单位排放情况',
        '加密断面水质监测频次',
        '协调水电站调度加大下泄流量',
        '通知下游取水单位做好应对',
        '向生态环境部门报告',
      ],
      responsible_person_id: inDistrict(d.districtCode),
      updated_at: '2025-06-30T10:00:00+08:00',
    },
    {
      id: o.riskItemId,
      name: '汝溪河礼让断面油污风险',
      category_code: category('油污泄漏').code,
      level: 'MAJOR',
      region_code: lirang.region_code,
      address: `${lirangTown.fullName}汝溪河礼让断面`,
      latitude: lirang.latitude,
      longitude: lirang.longitude,
      credit_code: null,
      section_id: lirang.id,
      thresholds: [
        {
          metric: 'PETROLEUM',
          comparator: 'GT',
          value: 0.05,
          unit: 'mg/L',
          windowDays: 1,
          alertLevel: 'RED',
        },
      ],
      disposal_measures: [
        '设置应急截污坝',
        '实施调水稀释',
        '责令涉事企业停产',
        '通知下游取水单位做好应对',
      ],
      responsible_person_id: inDistrict(o.districtCode),
      updated_at: '2025-05-20T09:30:00+08:00',
    },
    {
      id: c.riskItemId,
      name: '解放碑商圈人员聚集风险',
      category_code: category('商圈客流').code,
      level: 'MAJOR',
      region_code: jiefangbei.code,
      address: `${jiefangbei.fullName}解放碑步行街`,
      latitude: 29.5574,
      longitude: 106.577,
      credit_code: null,
      section_id: null,
      thresholds: [
        {
          metric: 'CROWD_DENSITY',
          comparator: 'GTE',
          value: 2.5,
          unit: '人/m²',
          windowDays: 1,
          alertLevel: 'ORANGE',
        },
        {
          metric: 'VISITORS_TODAY',
          comparator: 'GTE',
          value: 1_500_000,
          unit: '人次',
          windowDays: 1,
          alertLevel: 'RED',
        },
      ],
      disposal_measures: [
        '增派警力和安保力量',
        '启动地铁限流和单向通行',
        '开通商场临时疏散通道',
        '联动交通、商务等部门处置',
      ],
      responsible_person_id: inDistrict('500103'),
      updated_at: '2025-01-20T09:00:00+08:00',
    },
  ];

  const places: RiskPlace[] = [];
  for (const s of regions.streets) {
    const urban = s.core || s.kind === '街道';
    places.push({
      code: s.code,
      streetFullName: s.fullName,
      streetShortName: s.name,
      urban,
      latitude: s.latitude,
      longitude: s.longitude,
    });
    for (const g of regions.gridsByStreet.get(s.code) ?? []) {
      places.push({
        code: g.code,
        streetFullName: s.fullName,
        streetShortName: s.name,
        urban,
        latitude: g.latitude,
        longitude: g.longitude,
      });
    }
  }
  const enterprisesByIndustry: Record<string, RiskEnterprise[]> = {};
  for (const e of input.enterprises) {
    if (e.status !== 'ACTIVE') continue;
    (enterprisesByIndustry[e.industry] ??= []).push({
      creditCode: e.credit_code,
      name: e.name,
      regionCode: e.region_code,
      address: e.address,
      latitude: e.latitude,
      longitude: e.longitude,
    });
  }
  const riskItems = new RiskItemStream({
    seed,
    count: input.count,
    fixed,
    places,
    enterprisesByIndustry,
    sections: sections.map((s) => {
      const street = regions.streetByCode(s.region_code.slice(0, 9));
      return {
        id: s.id,
        name: s.name,
        regionCode: s.region_code,
        address: `${street.fullName}${s.name}`,
        latitude: s.latitude,
        longitude: s.longitude,
      };
    }),
    personIds: persons.ids,
  });

  // Upstream sources of each section: the suspects when it breaches.
  const suspects = new Map<string, string[]>();
  for (const s of sections) {
    const upstream = sections
      .filter((x) => x.river_id === s.river_id && x.river_km < s.river_km)
      .reduce((km, x) => Math.max(km, x.river_km), 0);
    suspects.set(
      s.id,
      input.sources
        .filter(
          (p) =>
            p.river_id === s.river_id &&
            p.river_km > upstream &&
            p.river_km <= s.river_km,
        )
        .map((p) => p.credit_code),
    );
  }

  // Scenario 1's alert is not seeded: the alert evaluator raises it from
  // the seeded readings (hub/startHub.ts replays it as of `evaluatedAt`).
  // Scenario 2's was raised by hand from the incident report: no rule.
  const oilSlickItem = fixed[1];
  invariant(oilSlickItem?.id === o.riskItemId, 'oil-slick risk item');
  const oilSlick = oilSlickLifecycle(oilSlickItem.responsible_person_id);
  const alertEvents: AlertEventRow[] = [...oilSlick.events];
  const alerts: AlertRow[] = [
    {
      id: o.alertId,
      risk_item_id: o.riskItemId,
      level: 'RED',
      status: 'CLOSED',
      title: '汝溪河礼让段油污带预警',
      message:
        '汝溪河礼让断面附近河面出现约300平方米油污带。溯源比对流域内17家工业企业排污记录、3座污水处理厂运行参数和5个水文站水流数据，锁定上游2.3公里处食品加工厂隔油池违规排放；按当前流速预计6小时后抵达下游饮用水水源地取水口（供水人口12万）。',
      raised_at: o.raisedAt,
      region_code: lirang.region_code,
      section_id: lirang.id,
      suspected_credit_codes: [input.foodPlantCreditCode],
      notified_parties: [...o.notifiedParties],
      rule: null,
      acknowledged_at: oilSlick.acknowledged_at,
      disposed_at: oilSlick.disposed_at,
      closed_at: oilSlick.closed_at,
    },
  ];
  const comparatorText = {
    LT: '低于',
    LTE: '不高于',
    GT: '超过',
    GTE: '达到',
  } as const;
  const ids = new Set(alerts.map((a) => a.id));
  const generated = input.count - fixed.length;
  for (let n = 1; alerts.length < input.alerts && generated > 0; n += 1) {
    const item = riskItems.at(fixed.length + random.int(0, generated - 1));
    const threshold = random.pick(item.thresholds);
    const raised =
      REFERENCE_NOW_MS -
      Math.floor((random.float(0.02, 120) * DAY_MS) / 60_000) * 60_000;
    const age = REFERENCE_NOW_MS - raised;
    const status =
      age < DAY_MS
        ? random.weighted(['NEW', 'ACKNOWLEDGED'] as const, [60, 40])
        : age < 7 * DAY_MS
          ? random.weighted(
              ['NEW', 'ACKNOWLEDGED', 'DISPOSED'] as const,
              [20, 40, 40],
            )
          : random.weighted(['DISPOSED', 'CLOSED'] as const, [30, 70]);
    const above =
      threshold.comparator === 'GT' || threshold.comparator === 'GTE';
    const digits = Math.max(
      1,
      (String(threshold.value).split('.')[1] ?? '').length + 1,
    );
    const observed = round(
      above
        ? threshold.value * random.float(1.05, 1.5) +
            (threshold.value <= 0 ? random.float(1, 5) : 0)
        : threshold.value * random.float(0.5, 0.95) -
            (threshold.value <= 0 ? random.float(1, 5) : 0),
      digits,
    );
    const label = METRIC_LABELS[threshold.metric] ?? threshold.metric;
    const street = regions.streetByCode(item.region_code.slice(0, 9));
    const district = regions.district(item.region_code.slice(0, 6));
    const cat = RISK_CATEGORIES.find((x) => x.code === item.category_code);
    invariant(cat, `category ${item.category_code}`);
    const notified = [
      `${district.name}应急管理局`,
      `${district.name}${DOMAIN_DEPARTMENT[cat.domain]}`,
      `${street.name}${street.kind === '街道' ? '办事处' : '人民政府'}`,
      `${street.name}基层治理中心`,
    ];
    const suspected =
      item.section_id && random.chance(0.5)
        ? (suspects.get(item.section_id) ?? []).slice(0, 2)
        : item.credit_code && random.chance(0.6)
          ? [item.credit_code]
          : [];
    let id = `AL-${compactDate(raised)}-${String(n).padStart(4, '0')}`;
    for (let k = 2; ids.has(id); k += 1) id = `${id}-${k}`;
    ids.add(id);
    const level: AlertLevel = threshold.alertLevel;
    const lifecycle = generatedLifecycle(lifecycleRandom, {
      alertId: id,
      status,
      level,
      raisedMs: raised,
      responsiblePersonId: item.responsible_person_id,
      domain: cat.domain,
      metricLabel: label,
      disposalMeasures: item.disposal_measures,
    });
    alertEvents.push(...lifecycle.events);
    alerts.push({
      id,
      risk_item_id: item.id,
      level,
      status,
      title: `${item.name}：${label}超阈值预警`,
      message: `${item.address}监测${label}为${observed}${threshold.unit}，${comparatorText[threshold.comparator]}阈值${threshold.value}${threshold.unit}${threshold.windowDays > 1 ? `，已持续${threshold.windowDays}天` : ''}，请按处置措施及时处置。`,
      raised_at: timestamp(raised),
      region_code: item.region_code,
      section_id: item.section_id,
      suspected_credit_codes: [...new Set(suspected)],
      notified_parties: [...new Set(notified)],
      // The threshold as the evaluator stores it (RiskThresholdRow).
      rule: {
        metric: threshold.metric,
        comparator: threshold.comparator,
        value: threshold.value,
        unit: threshold.unit,
        windowDays: threshold.windowDays,
        alertLevel: threshold.alertLevel,
      },
      acknowledged_at: lifecycle.acknowledged_at,
      disposed_at: lifecycle.disposed_at,
      closed_at: lifecycle.closed_at,
    });
  }
  return { riskItems, alerts, alertEvents };
}
