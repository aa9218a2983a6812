import type { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';

/** What the console tells a user about one error code: what happened, what to do next. */
export interface ErrorMessage {
  readonly title: string;
  readonly next: string;
}

/**
 * Every `extensions.code` the hub sends (the one vocabulary of
 * subgraphs/kit/src/errors/ErrorCode.ts), in Chinese. Typed as a record of
 * that enum's values: a code added on the server fails `npm run check`
 * here until it has a message.
 */
export const ERROR_MESSAGES: Readonly<Record<`${ErrorCode}`, ErrorMessage>> = {
  UNAUTHENTICATED: {
    title: '身份验证失败',
    next: '登录已失效或令牌无效，请重新登录。',
  },
  FORBIDDEN: {
    title: '无权执行此操作',
    next: '您的角色或部门不允许此操作；如确需办理，请联系有权限的同事或管理员。',
  },
  FORBIDDEN_BY_NEGATIVE_LIST: {
    title: '负面清单禁止共享',
    next: '该数据项被提供部门的负面清单列为不予共享；如有法定依据，请向提供部门申请调整清单。',
  },
  GRANT_REQUIRED: {
    title: '需要共享授权',
    next: '该数据项为有条件共享，请先向提供部门提交共享申请并获批准。',
  },
  ALGORITHM_INPUT_NOT_FILED: {
    title: '超出算法备案的数据范围',
    next: '该算法读取了备案未声明的数据项；请先提交备案变更并获批准。',
  },
  FIELD_NOT_CLASSIFIED: {
    title: '数据项尚未分级分类',
    next: '提供部门尚未对该数据项分级分类，暂不向其他部门共享；请联系提供部门的数据专员。',
  },
  AUDIT_UNAVAILABLE: {
    title: '审计日志暂不可用',
    next: '访问记录无法写入，跨部门读取和写操作暂停；请稍后重试或联系运维。',
  },
  IDEMPOTENCY_KEY_REUSED: {
    title: '重复提交的请求内容不一致',
    next: '同一幂等键已用于另一个请求；请刷新页面后重新操作。',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    title: '相同请求正在处理',
    next: '上一次提交尚未完成，请稍候再刷新查看结果。',
  },
  OPERATION_NOT_IN_SAFELIST: {
    title: '操作未登记',
    next: '网关只接受已登记的操作；请联系运维登记此操作。',
  },
  BATCH_TOO_LARGE: {
    title: '批量请求过多',
    next: '一次提交的操作过多，请分批提交。',
  },
  BAD_USER_INPUT: {
    title: '输入有误',
    next: '请按提示修改填写内容后重试。',
  },
  NOT_FOUND: {
    title: '未找到',
    next: '对象不存在或已被删除；请返回列表刷新后重试。',
  },
  CONFLICT: {
    title: '状态冲突',
    next: '他人已先行修改了此记录；请刷新查看最新状态后再操作。',
  },
  RATE_LIMITED: {
    title: '请求过于频繁',
    next: '请稍候片刻再试。',
  },
  SERVER_BUSY: {
    title: '服务繁忙',
    next: '网关当前处理的请求已达上限，请稍后重试。',
  },
  RESPONSE_TOO_LARGE: {
    title: '结果过大',
    next: '请缩小查询范围或减少每页条数后重试。',
  },
  UPSTREAM_UNAVAILABLE: {
    title: '服务暂不可用',
    next: '网关或部门服务无法连接，请稍后重试；持续出现请联系运维。',
  },
  INTERNAL_SERVER_ERROR: {
    title: '服务内部错误',
    next: '请稍后重试；持续出现请联系运维并提供发生时间。',
  },
};

/**
 * Messages for a `BAD_USER_INPUT` whose `extensions.reason` says more: the
 * reasons the catalog refuses an evidence upload with
 * (catalog/src/evidenceDocument.ts). The console refuses most such files
 * before sending them; these cover what only the server can see.
 */
export const REASON_MESSAGES: Readonly<Record<string, ErrorMessage>> = {
  'evidence-file-name': {
    title: '文件名不可用',
    next: '请将文件改名（1–255 个字符，不含路径分隔符或控制字符）后重新上传。',
  },
  'evidence-type-not-allowed': {
    title: '证明材料的文件类型不被接受',
    next: '请上传 PDF、Word（.docx）、PNG、JPEG 或纯文本文件。',
  },
  'evidence-malformed': {
    title: '证明材料内容无法读取',
    next: '文件为空或传输有误，请重新选择文件上传。',
  },
  'evidence-too-large': {
    title: '证明材料超过大小上限',
    next: '请压缩或拆分文件后重新上传。',
  },
  'evidence-content-mismatch': {
    title: '文件内容与其类型不符',
    next: '文件的实际格式与扩展名或声明的类型不一致，请另存为正确的格式后重新上传。',
  },
};

/** The message for errors without a known code (network failures, unparsable answers). */
export const UNKNOWN_ERROR: ErrorMessage = {
  title: '请求失败',
  next: '请检查网络后重试；持续出现请联系运维。',
};

/**
 * The message of a code, or {@link UNKNOWN_ERROR}; for `BAD_USER_INPUT`
 * with a known `reason`, the reason's own message ({@link REASON_MESSAGES}).
 */
export function errorMessageOf(code: unknown, reason?: unknown): ErrorMessage {
  if (
    code === 'BAD_USER_INPUT' &&
    typeof reason === 'string' &&
    Object.hasOwn(REASON_MESSAGES, reason)
  ) {
    return REASON_MESSAGES[reason] ?? UNKNOWN_ERROR;
  }
  return typeof code === 'string' && Object.hasOwn(ERROR_MESSAGES, code)
    ? ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES]
    : UNKNOWN_ERROR;
}
