/**
 * The lifecycle of seeded alerts, as the running system records it: each
 * step's timestamp on the alert (`acknowledged_at`, `disposed_at`,
 * `closed_at`) and one `emergency.alert_events` row per step, the first
 * the one that raised it — the evaluator's subject (`alert-evaluator`, the
 * constant the evaluator itself uses) or a person's as actor, a comment
 * where the step has one (disposing needs one).
 */
import { EVALUATOR_ACTOR } from '../../../subgraphs/emergency/src/alerting/composeAlert.js';
import type { RiskDomain } from '../data/riskCategories.js';
import type { AlertEventRow, AlertLevel, AlertStatus } from '../tables.js';
import { invariant } from '../util/invariant.js';
import type { Random } from '../util/Random.js';
import { REFERENCE_NOW_MS, timestamp } from '../util/time.js';
import { SCENARIOS } from './scenarios.js';

/**
 * The demo subject that closes seeded alerts: the city's emergency duty
 * officer, who may handle every alert (hub/demoUsers.ts).
 */
export const CLOSING_ACTOR = 'emergency-duty';

/** The statuses in lifecycle order. */
export const ALERT_STATUS_ORDER: readonly AlertStatus[] = [
  'NEW',
  'ACKNOWLEDGED',
  'DISPOSED',
  'CLOSED',
];

const MINUTE_MS = 60_000;

/** How soon an alert of each level is acknowledged, minutes (min, max). */
const ACKNOWLEDGE_MINUTES: Readonly<Record<AlertLevel, [number, number]>> = {
  RED: [3, 20],
  ORANGE: [5, 45],
  YELLOW: [10, 120],
  BLUE: [15, 360],
};

/** How long disposing takes after acknowledging, minutes: 1 hour – 3 days. */
const DISPOSE_MINUTES: [number, number] = [60, 3 * 24 * 60];

/** How long until closing after disposing, minutes: 6 hours – 10 days. */
const CLOSE_MINUTES: [number, number] = [6 * 60, 10 * 24 * 60];

/** What the recipient says on acknowledging. */
const ACKNOWLEDGE_COMMENTS: readonly string[] = [
  '已签收，正在组织人员赶赴现场核查',
  '收到预警，已通知属地镇街和网格员现场核实',
  '已接收，按处置措施启动响应并加密监测',
  '收到，责任人已到岗，正在核查现场情况',
];

/** How a disposal ended, by the risk category's domain. */
const DISPOSAL_OUTCOMES: Readonly<Record<RiskDomain, readonly string[]>> = {
  自然灾害: [
    '险情已得到控制，未造成人员伤亡',
    '受威胁群众已安全转移，隐患点已排危除险',
  ],
  安全生产: [
    '隐患已消除，企业已完成整改并恢复安全生产',
    '现场检测指标恢复正常，未造成人员伤亡',
  ],
  城市运行: ['设施已抢修恢复，运行正常', '现场秩序已恢复，隐患已整治'],
  生态环境: [
    '污染源已查明并责令整改，监测数据已恢复达标',
    '排放已得到控制，下游未受影响',
  ],
  公共卫生: [
    '风险已得到有效控制，未发现新增病例',
    '相关样品已送检，重点人群健康监测正常',
  ],
  社会安全: ['现场秩序平稳，未发生次生事件', '人员已有序疏导，风险已解除'],
};

/** What the duty officer says on closing; `{label}` is the metric's name. */
const CLOSE_COMMENTS: readonly string[] = [
  '经复核，{label}已恢复正常，予以销号',
  '处置结果经现场复核属实，{label}持续正常，关闭预警',
  '{label}连续监测未再超阈值，同意关闭',
];

/** What a generated alert's lifecycle is made from. */
export interface GeneratedLifecycleInput {
  readonly alertId: string;
  readonly status: AlertStatus;
  readonly level: AlertLevel;
  /** Epoch ms the alert was raised, before the reference now. */
  readonly raisedMs: number;
  /** The risk item's responsible person: acknowledges and disposes. */
  readonly responsiblePersonId: string;
  readonly domain: RiskDomain;
  /** Chinese name of the threshold's metric. */
  readonly metricLabel: string;
  /** The risk item's disposal measures, in order. */
  readonly disposalMeasures: readonly string[];
}

/** An alert's lifecycle columns and its events. */
export interface AlertLifecycle {
  readonly acknowledged_at: string | null;
  readonly disposed_at: string | null;
  readonly closed_at: string | null;
  readonly events: AlertEventRow[];
}

/**
 * `from` plus a drawn number of minutes, kept within `share` of the time
 * left until the reference now (at least one minute), so that the steps
 * increase and never pass it.
 */
function after(from: number, minutes: number, share: number): number {
  const left = Math.floor((share * (REFERENCE_NOW_MS - from)) / MINUTE_MS);
  return from + Math.min(minutes, Math.max(1, left)) * MINUTE_MS;
}

/**
 * The lifecycle of a generated alert in `status`: the raise by the
 * evaluator, then acknowledged and disposed by the risk item's responsible
 * person and closed by the emergency duty officer, as far as its status
 * goes. Draws the same values from `random` whatever the status, so the
 * stream stays aligned from one alert to the next.
 */
export function generatedLifecycle(
  random: Random,
  input: GeneratedLifecycleInput,
): AlertLifecycle {
  const [ackMin, ackMax] = ACKNOWLEDGE_MINUTES[input.level];
  const ackMinutes = random.int(ackMin, ackMax);
  const disposeMinutes = random.int(...DISPOSE_MINUTES);
  const closeMinutes = random.int(...CLOSE_MINUTES);
  const ackComment = random.pick(ACKNOWLEDGE_COMMENTS);
  const outcome = random.pick(DISPOSAL_OUTCOMES[input.domain]);
  const closeComment = random
    .pick(CLOSE_COMMENTS)
    .replaceAll('{label}', input.metricLabel);

  const acknowledged = after(input.raisedMs, ackMinutes, 0.5);
  const disposed = after(acknowledged, disposeMinutes, 0.5);
  const closed = after(disposed, closeMinutes, 0.9);
  const measures = input.disposalMeasures.join('、');
  return lifecycle(input.alertId, input.status, {
    raised: { ms: input.raisedMs, actor: EVALUATOR_ACTOR, comment: null },
    acknowledged: {
      ms: acknowledged,
      actor: input.responsiblePersonId,
      comment: ackComment,
    },
    disposed: {
      ms: disposed,
      actor: input.responsiblePersonId,
      comment: `已落实处置措施：${measures}。${outcome}。`,
    },
    closed: { ms: closed, actor: CLOSING_ACTOR, comment: closeComment },
  });
}

/**
 * The lifecycle of scenario 2's alert (汝溪河 oil slick, CLOSED): raised by
 * hand from the incident report, acknowledged and disposed by the risk
 * item's responsible person, closed by the emergency duty officer, at the
 * instants of {@link SCENARIOS}.
 */
export function oilSlickLifecycle(responsiblePersonId: string): AlertLifecycle {
  const o = SCENARIOS.oilSlick;
  const ms = (iso: string): number => new Date(iso).getTime();
  return lifecycle(o.alertId, 'CLOSED', {
    raised: { ms: ms(o.raisedAt), actor: o.raisedBy, comment: null },
    acknowledged: {
      ms: ms(o.acknowledgedAt),
      actor: responsiblePersonId,
      comment:
        '已签收，已通知梁平区生态环境局、水利局和礼让镇人民政府赶赴现场，通知下游明达镇取水口做好应对',
    },
    disposed: {
      ms: ms(o.disposedAt),
      actor: responsiblePersonId,
      comment:
        '已在礼让断面下游设置应急截污坝并实施调水稀释，责令鑫汝食品加工厂停产整改隔油池；油污带清理完毕，自发现起用时4.5小时，下游取水口未受影响。',
    },
    closed: {
      ms: ms(o.closedAt),
      actor: o.closedBy,
      comment: '礼让断面及明达镇取水口石油类复测达标，供水正常，解除预警',
    },
  });
}

interface Step {
  readonly ms: number;
  readonly actor: string;
  readonly comment: string | null;
}

/** The columns and events of an alert in `status`, from its steps. */
function lifecycle(
  alertId: string,
  status: AlertStatus,
  steps: {
    raised: Step;
    acknowledged: Step;
    disposed: Step;
    closed: Step;
  },
): AlertLifecycle {
  const reached = ALERT_STATUS_ORDER.indexOf(status);
  const ordered = [
    steps.raised,
    steps.acknowledged,
    steps.disposed,
    steps.closed,
  ].slice(0, reached + 1);
  const events: AlertEventRow[] = ordered.map((step, i) => {
    invariant(
      step.ms <= REFERENCE_NOW_MS &&
        (i === 0 || step.ms > (ordered[i - 1]?.ms ?? Infinity)),
      `alert ${alertId}: step ${i} out of order`,
    );
    return {
      alert_id: alertId,
      from_status: i === 0 ? null : (ALERT_STATUS_ORDER[i - 1] ?? null),
      to_status: ALERT_STATUS_ORDER[i] ?? 'NEW',
      actor: step.actor,
      comment: step.comment,
      at: timestamp(step.ms),
    };
  });
  const at = (s: AlertStatus): string | null =>
    events.find((e) => e.to_status === s)?.at ?? null;
  return {
    acknowledged_at: at('ACKNOWLEDGED'),
    disposed_at: at('DISPOSED'),
    closed_at: at('CLOSED'),
    events,
  };
}
