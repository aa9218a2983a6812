// Chinese names of the schema's enums and of the hub's departments. Each
// table is typed by the enum of the generated API schema, so a value added
// on the server fails `npm run check:console` until it has a name here.
import type { FilingAction as RegistryAction } from '../../catalog/src/model/filingLifecycle.js';
import type { EnumOf } from './graphql/graphql.js';
import subgraphDepartments from './graphql/generated/departments.json';

export type { EnumOf };

export const STATE_LABELS: Readonly<Record<EnumOf<'AlgorithmState'>, string>> =
  {
    DRAFT: '草稿',
    SUBMITTED: '已提交',
    UNDER_REVIEW: '审核中',
    RETURNED: '已退回',
    FILED: '已备案',
    PILOT: '试点运行',
    IN_SERVICE: '正式运行',
    CHANGE_PENDING: '变更待审',
    SUSPENDED: '已暂停',
    RETIRED: '已注销',
  };

export const RISK_LABELS: Readonly<
  Record<EnumOf<'AlgorithmRiskCategory'>, string>
> = { LOW: '低风险', MEDIUM: '中风险', HIGH: '高风险' };

export const EVIDENCE_LABELS: Readonly<Record<EnumOf<'EvidenceKind'>, string>> =
  {
    IMPACT_ASSESSMENT: '算法影响评估报告',
    SECURITY_ASSESSMENT: '安全评估报告',
    TEST_REPORT: '测试报告',
    SELF_ASSESSMENT: '自评估报告',
    OTHER: '其他材料',
  };

export const FILING_ACTION_LABELS: Readonly<
  Record<EnumOf<'FilingAction'>, string>
> = {
  SUBMIT: '提交备案',
  START_REVIEW: '开始审核',
  FILE: '通过备案',
  RETURN: '退回',
  PILOT: '试点运行',
  SERVE: '正式上线',
  APPROVE_CHANGE: '批准变更',
  REJECT_CHANGE: '驳回变更',
  SUSPEND: '暂停',
  RESUME: '恢复',
  RETIRE: '注销',
};

/** History entries name the registry's actions (catalog/src/model/filingLifecycle.ts). */
export const HISTORY_LABELS: Readonly<
  Record<RegistryAction | 'CREATED', string>
> = {
  CREATED: '创建备案',
  submit: '提交备案',
  startReview: '开始审核',
  file: '通过备案',
  return: '退回',
  pilot: '试点运行',
  serve: '正式上线',
  requestChange: '申请变更',
  approveChange: '批准变更',
  rejectChange: '驳回变更',
  suspend: '暂停',
  resume: '恢复',
  retire: '注销',
};

export const SHARE_CLASS_LABELS: Readonly<Record<string, string>> = {
  UNCONDITIONAL: '无条件共享',
  CONDITIONAL: '有条件共享',
  NOT_SHARED: '不予共享',
};

/** The lifecycle of a negative-list entry's version. */
export const ENTRY_STATUS_LABELS: Readonly<
  Record<EnumOf<'EntryStatus'>, string>
> = {
  DRAFT: '草稿',
  IN_REVIEW: '待审核',
  ACTIVE: '生效中',
  SUPERSEDED: '已被取代',
  REVOKED: '已撤销',
};

/** Actions in an entry version's history (the policy store's names). */
export const ENTRY_ACTION_LABELS: Readonly<Record<string, string>> = {
  CREATED: '起草',
  EDITED: '修改草稿',
  SUBMITTED: '提交审核',
  RETURNED: '退回修改',
  APPROVED: '审核通过并发布',
  SUPERSEDED: '被新版本取代',
  REVOKED: '撤销',
  IMPORTED: '导入',
};

/**
 * Departments without a subgraph of their own (they read, never publish):
 * the server has no name for them, so they are named here.
 */
const CONSUMER_DEPARTMENTS: Readonly<Record<string, string>> = {
  cac: '市委网信办',
  bigdata: '市大数据发展局',
};

/** Department code → Chinese name: the subgraph registry's, then the consumers'. */
export const DEPARTMENT_NAMES: Readonly<Record<string, string>> = {
  ...CONSUMER_DEPARTMENTS,
  ...(subgraphDepartments as Record<string, string>),
};

/** A department's Chinese name, or its code when the hub names none. */
export function departmentName(code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return DEPARTMENT_NAMES[code] ?? code;
}

/** The label of `key` in `table`, or the key itself, or a dash. */
export function label<Key extends string>(
  table: Readonly<Record<Key, string>>,
  key: Key | string | null | undefined,
): string {
  if (key === null || key === undefined) return '—';
  return (table as Readonly<Record<string, string>>)[key] ?? key;
}

const TIME_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A time in China Standard Time, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME_FORMAT.format(date);
}

// The auditor's and the duty officer's pages.

export const OUTCOME_LABELS: Readonly<Record<EnumOf<'AccessOutcome'>, string>> =
  {
    ATTEMPTED: '已发起',
    OK: '成功',
    PARTIAL: '部分拒绝',
    REJECTED: '已拒绝',
    ERROR: '出错',
  };

export const ALERT_LEVEL_LABELS: Readonly<
  Record<EnumOf<'AlertLevel'>, string>
> = {
  BLUE: '蓝色预警',
  YELLOW: '黄色预警',
  ORANGE: '橙色预警',
  RED: '红色预警',
};

export const ALERT_STATUS_LABELS: Readonly<
  Record<EnumOf<'AlertStatus'>, string>
> = {
  NEW: '新预警',
  ACKNOWLEDGED: '已签收',
  DISPOSED: '已处置',
  CLOSED: '已关闭',
};

export const DELIVERY_STATUS_LABELS: Readonly<
  Record<EnumOf<'AlertDeliveryStatus'>, string>
> = { PENDING: '投递中', DELIVERED: '已送达', DEAD: '投递失败' };

export const DELIVERY_CHANNEL_LABELS: Readonly<
  Record<EnumOf<'AlertDeliveryChannel'>, string>
> = { INBOX: '站内收件箱', WEBHOOK: 'Webhook 推送' };

export const DELIVERY_FAILURE_LABELS: Readonly<
  Record<EnumOf<'AlertDeliveryFailure'>, string>
> = {
  TARGET_NOT_ALLOWED: '地址不在允许的推送目标内，未发送',
  DELIVERY_FAILED: '接收方未确认接收',
};

export const RISK_LEVEL_LABELS: Readonly<Record<EnumOf<'RiskLevel'>, string>> =
  { MAJOR: '重大', HIGH: '较大', MODERATE: '一般', LOW: '低' };

export const RISK_ITEM_STATUS_LABELS: Readonly<
  Record<EnumOf<'RiskItemStatus'>, string>
> = { NORMAL: '正常', ALERTING: '预警中' };

export const FACET_LABELS: Readonly<
  Record<EnumOf<'SearchFacetField'>, string>
> = {
  CATEGORY: '风险类别',
  LEVEL: '风险等级',
  DISTRICT: '区县',
  STREET: '街道',
  RESPONSIBLE_DEPARTMENT: '责任部门',
  STATUS: '状态',
};

/** An instant as a full time (seconds) in China Standard Time, or a dash. */
export function formatSeconds(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('zh-CN', {
        timeZone: 'Asia/Shanghai',
        hour12: false,
      });
}

export const POLLUTION_SOURCE_LABELS: Readonly<
  Record<EnumOf<'PollutionSourceKind'>, string>
> = {
  INDUSTRIAL_ENTERPRISE: '工业企业',
  WASTEWATER_PLANT: '污水处理厂',
  LIVESTOCK_FARM: '畜禽养殖场',
};

// The data officer's share requests, grants and classification.

export const SHARE_REQUEST_STATUS_LABELS: Readonly<
  Record<EnumOf<'ShareRequestStatus'>, string>
> = {
  PENDING: '待答复',
  APPROVED: '已批准',
  REJECTED: '已驳回',
  WITHDRAWN: '已撤回',
};

export const SHARE_REQUEST_ACTION_LABELS: Readonly<
  Record<EnumOf<'ShareRequestAction'>, string>
> = { APPROVE: '批准', REJECT: '驳回', WITHDRAW: '撤回申请' };

export const GRANT_ACTION_LABELS: Readonly<
  Record<EnumOf<'GrantAction'>, string>
> = { REVOKE: '撤销授权' };

export const MASK_LABELS: Readonly<Record<EnumOf<'MaskKind'>, string>> = {
  ID_NUMBER: '身份证号脱敏',
  MOBILE: '手机号脱敏',
  NAME: '姓名脱敏',
  ADDRESS: '地址脱敏',
  DATE_TO_YEAR: '日期只保留年份',
  HASH: '哈希替换',
};

/**
 * Classification tags a data officer usually picks (docs/administration.md
 * "Unclassified fields"); any other upper-case tag may be typed.
 */
export const CLASSIFICATION_TAG_LABELS: Readonly<Record<string, string>> = {
  PUBLIC: '公开数据',
  GENERAL: '一般数据',
  IMPORTANT: '重要数据',
  PERSONAL: '个人信息',
  PERSONAL_SENSITIVE: '敏感个人信息',
};
