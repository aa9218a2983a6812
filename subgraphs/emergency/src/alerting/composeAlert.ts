// Pure composition of an alert from a breach: Chinese title and message in
// the style of the city's warnings, the parties notified, the recipients.
import { chinaDay, chineseMonthDay } from './chinaTime.js';
import { alertIdFor, evaluationKey } from './evaluationKey.js';
import type { Breach } from './evaluateThreshold.js';
import { departmentRecipient } from './alertPrincipal.js';
import type { RaiseAlertInput } from './repository/alertRepository.js';
import type { WatchedRiskItemRow } from './repository/evaluationRepository.js';
import type { SuspectedSourceRow } from './repository/rows.js';

/**
 * The metrics the evaluator watches: the water-quality parameters the
 * environment department measures at its monitoring sections
 * (`WaterParameter`), with their Chinese names.
 */
export const WATER_METRIC_LABELS: Readonly<Record<string, string>> = {
  DISSOLVED_OXYGEN: '溶解氧',
  AMMONIA_NITROGEN: '氨氮',
  PERMANGANATE_INDEX: '高锰酸盐指数',
  TOTAL_PHOSPHORUS: '总磷',
  PETROLEUM: '石油类',
  PH: 'pH',
};

/** The watched metrics. */
export const WATER_METRICS: readonly string[] =
  Object.keys(WATER_METRIC_LABELS);

/** The subject alerts raised by the evaluator are recorded under. */
export const EVALUATOR_ACTOR = 'alert-evaluator';

/** The department that manages water (水利局): told of every water alert. */
export const WATER_DEPARTMENT = 'water';

/**
 * The department responsible for a risk category's domain, as department
 * codes (the departments of the city: a code need not have a subgraph).
 */
export const DOMAIN_DEPARTMENTS: Readonly<
  Record<string, { code: string; name: string }>
> = {
  自然灾害: { code: 'planning', name: '规划自然资源局' },
  安全生产: { code: 'emergency', name: '应急管理局' },
  城市运行: { code: 'urban', name: '城市管理局' },
  生态环境: { code: 'environment', name: '生态环境局' },
  公共卫生: { code: 'health', name: '卫生健康委' },
  社会安全: { code: 'publicsecurity', name: '公安分局' },
};

/** Chinese names of the departments alerts go to. */
const DEPARTMENT_NAMES: Readonly<Record<string, string>> = {
  emergency: '应急管理局',
  water: '水利局',
  environment: '生态环境局',
};

const COMPARATOR_TEXT = {
  LT: '低于',
  LTE: '不高于',
  GT: '高于',
  GTE: '不低于',
} as const;

/** What the graph tells about a monitoring section, for the alert. */
export interface SectionContext {
  readonly id: string;
  /** e.g. 蒲河寨溪大桥断面; null when withheld. */
  readonly name: string | null;
  /** The street or town the section is in, e.g. 三角镇. */
  readonly streetName: string | null;
  /** 街道, 镇 or 乡. */
  readonly streetKind: string | null;
  /** The district or county, e.g. 綦江区. */
  readonly districtName: string | null;
  /** Upstream sources, nearest first. */
  readonly sources: readonly SuspectedSourceRow[];
}

/** Formats a number as the warnings do: no trailing zeros. */
function num(value: number): string {
  return String(Number(value.toFixed(4)));
}

/**
 * `8月12日3.2、13日2.9、14日3.4`: each reading's day (the month only when
 * it changes) and value.
 */
function readingsText(breach: Breach): string {
  let month = '';
  return breach.readings
    .map((r) => {
      const day = chineseMonthDay(chinaDay(new Date(r.measuredAt)));
      const [m = '', d = ''] = day.split('月');
      const text =
        m === month ? `${d}${num(r.value)}` : `${day}${num(r.value)}`;
      month = m;
      return text;
    })
    .join('、');
}

/**
 * The alert to raise for `breach` of `item`'s threshold at `now`: id and
 * evaluation key, Chinese title and message naming the readings and the
 * suspected sources with their distance, the parties notified, and the
 * recipients — the emergency department, the category's responsible
 * department and the water department in the item's district, and the
 * item's responsible person.
 */
export function composeAlert(
  item: WatchedRiskItemRow,
  breach: Breach,
  section: SectionContext | null,
  now: Date,
): RaiseAlertInput {
  const t = breach.threshold;
  const key = evaluationKey(item.id, t, breach.windowStart);
  const label = WATER_METRIC_LABELS[t.metric] ?? t.metric;
  const place = section?.name ?? item.name;
  const district = item.region_code.slice(0, 6);
  const responsible = DOMAIN_DEPARTMENTS[item.domain];
  const departments = [
    ...new Set([
      'emergency',
      responsible?.code ?? 'emergency',
      WATER_DEPARTMENT,
    ]),
  ];
  const districtName = section?.districtName ?? '属地';
  const parties = [
    ...new Set([
      ...departments.map(
        (d) =>
          `${districtName}${DEPARTMENT_NAMES[d] ?? responsible?.name ?? d}`,
      ),
      ...(section?.streetName
        ? [
            `${section.streetName}${section.streetKind === '街道' ? '办事处' : '人民政府'}`,
            `${section.streetName}基层治理中心`,
          ]
        : []),
    ]),
  ];
  const sustained =
    t.windowDays > 1
      ? `连续${t.windowDays}天${COMPARATOR_TEXT[t.comparator]}`
      : COMPARATOR_TEXT[t.comparator];
  const sources = section?.sources ?? [];
  const tracing =
    sources.length > 0
      ? `经溯源分析，上游${sources
          .map(
            (s) => `${s.name ?? s.sourceId}（距断面${num(s.distanceKm)}公里）`,
          )
          .join('、')}为疑似污染源，`
      : '上游河段未登记污染源，请现场排查，';
  const message =
    `${place}${label}${sustained}${num(t.value)}${t.unit}（${readingsText(breach)}${t.unit}）。` +
    `${tracing}请${parties.slice(1).join('、')}协同处置。`;
  return {
    id: alertIdFor(key, breach.windowEnd),
    evaluationKey: key,
    riskItemId: item.id,
    level: t.alertLevel,
    title: `${place}${label}${t.windowDays > 1 ? `连续${t.windowDays}天` : ''}超标预警`,
    message,
    raisedAt: now,
    regionCode: item.region_code,
    sectionId: item.section_id,
    suspectedCreditCodes: [
      ...new Set(
        sources.flatMap((s) => (s.creditCode === null ? [] : [s.creditCode])),
      ),
    ],
    notifiedParties: parties,
    rule: t,
    triggeringReadings: breach.readings.map((r) => ({
      metric: r.metric,
      value: r.value,
      unit: r.unit,
      measuredAt: new Date(r.measuredAt).toISOString(),
    })),
    suspectedSources: sources,
    departments: departments.map((d) => ({
      department: d,
      regionCode: district,
      recipient: departmentRecipient(d, district),
    })),
    personIds: [item.responsible_person_id],
    actor: EVALUATOR_ACTOR,
  };
}
