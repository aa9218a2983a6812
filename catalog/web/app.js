// 算法备案审核台 — the algorithm reviewers' console. Plain modern
// JavaScript, no build step: every call goes to /graphql on this origin
// (proxied to the gateway) with the reviewer's own bearer token and the
// purpose of use `algorithm-review`.
/* global document, window, sessionStorage, fetch, atob, TextDecoder, URLSearchParams */

const TOKEN_KEY = 'govgraph.console.token';
const PURPOSE_KEY = 'govgraph.console.purpose';
const DEFAULT_PURPOSE = 'algorithm-review';
const PAGE_SIZE = 20;

// ---------------------------------------------------------------- labels

const STATE_LABELS = {
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

const RISK_LABELS = { LOW: '低风险', MEDIUM: '中风险', HIGH: '高风险' };

const SHARE_CLASS_LABELS = {
  UNCONDITIONAL: '无条件共享',
  CONDITIONAL: '有条件共享',
  NOT_SHARED: '不予共享',
};

const EVIDENCE_LABELS = {
  IMPACT_ASSESSMENT: '算法影响评估报告',
  SECURITY_ASSESSMENT: '安全评估报告',
  TEST_REPORT: '测试报告',
  SELF_ASSESSMENT: '自评估报告',
  OTHER: '其他材料',
};

const DEPARTMENT_LABELS = {
  environment: '生态环境局',
  water: '水利局',
  market: '市场监管局',
  enforcement: '综合执法局',
  emergency: '应急管理局',
  publicsecurity: '公安局',
  cac: '市委网信办',
  bigdata: '市大数据发展局',
};

/** History actions (the registry's own names) in Chinese. */
const EVENT_LABELS = {
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

/** The reviewer's actions: label, whether a comment is required, from which states. */
const ACTIONS = [
  { action: 'START_REVIEW', label: '开始审核', from: ['SUBMITTED'] },
  { action: 'FILE', label: '通过备案', from: ['UNDER_REVIEW'], primary: true },
  {
    action: 'RETURN',
    label: '退回',
    from: ['UNDER_REVIEW'],
    needsComment: true,
  },
  {
    action: 'APPROVE_CHANGE',
    label: '批准变更',
    from: ['CHANGE_PENDING'],
    primary: true,
  },
  {
    action: 'REJECT_CHANGE',
    label: '驳回变更',
    from: ['CHANGE_PENDING'],
    needsComment: true,
  },
  {
    action: 'SUSPEND',
    label: '暂停',
    from: ['IN_SERVICE', 'CHANGE_PENDING'],
    needsComment: true,
    danger: true,
  },
  { action: 'RESUME', label: '恢复', from: ['SUSPENDED'] },
  {
    action: 'RETIRE',
    label: '注销',
    from: ['FILED', 'PILOT', 'IN_SERVICE', 'CHANGE_PENDING', 'SUSPENDED'],
    needsComment: true,
    danger: true,
  },
];

const ERROR_LABELS = {
  FORBIDDEN: '无权执行',
  CONFLICT: '状态冲突',
  BAD_USER_INPUT: '输入有误',
  UNAUTHENTICATED: '身份验证失败',
  NOT_FOUND: '未找到',
  UPSTREAM_UNAVAILABLE: '网关不可用',
};

const label = (table, key) => (key == null ? '—' : (table[key] ?? key));
const department = (d) =>
  DEPARTMENT_LABELS[d] ? `${DEPARTMENT_LABELS[d]}（${d}）` : d;

const TIME_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME_FORMAT.format(date);
}

// ---------------------------------------------------------------- DOM

/**
 * Creates an element: `h('td', { class: 'x', dataset: { testid: 'y' } }, 'text', child)`.
 * Text is always set as text, never parsed as HTML.
 */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) {
        if (data != null) el.dataset[name] = String(data);
      }
    } else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof window.Node ? child : String(child));
  }
}

const view = () => document.getElementById('view');

function render(...children) {
  const root = view();
  root.replaceChildren();
  append(root, children);
}

function showAlert(message) {
  const el = document.querySelector('[data-testid="alert"]');
  el.textContent = message;
  el.hidden = !message;
}

function showNotice(message) {
  const el = document.querySelector('[data-testid="notice"]');
  el.textContent = message;
  el.hidden = !message;
}

function clearMessages() {
  showAlert('');
  showNotice('');
}

const badge = (kind, key, text, testid) =>
  h(
    'span',
    {
      class: `badge ${kind}-${String(key).toLowerCase()}`,
      dataset: { testid, [kind]: key },
    },
    text,
  );
const stateBadge = (state, testid) =>
  badge('state', state, label(STATE_LABELS, state), testid);
const riskBadge = (risk, testid) =>
  badge('risk', risk, label(RISK_LABELS, risk), testid);

// ---------------------------------------------------------------- session

const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get purpose() {
    return sessionStorage.getItem(PURPOSE_KEY) || DEFAULT_PURPOSE;
  },
  save(token, purpose) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(PURPOSE_KEY, purpose || DEFAULT_PURPOSE);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(PURPOSE_KEY);
  },
};

/** The token's claims, for showing who is signed in (not verified here). */
function tokenClaims(token) {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function updateChrome() {
  const token = session.token;
  const claims = token ? tokenClaims(token) : null;
  document.querySelector('[data-testid="nav"]').hidden = !token;
  document.querySelector('[data-testid="who"]').hidden = !token;
  document.querySelector('[data-testid="who-name"]').textContent = claims
    ? `${claims.sub ?? '未知用户'} · ${DEPARTMENT_LABELS[claims.dept] ?? claims.dept ?? ''}`
    : '已登录';
  const route = currentRoute().name;
  for (const link of document.querySelectorAll('[data-nav]')) {
    const active =
      link.dataset.nav === route ||
      (link.dataset.nav === 'queue' && route === 'filing');
    link.classList.toggle('active', active);
  }
}

// ---------------------------------------------------------------- GraphQL

class GraphQLRequestError extends Error {
  constructor(errors) {
    super(errors.map(describeError).join('\n'));
    this.errors = errors;
  }
  get codes() {
    return this.errors.map((e) => e.extensions?.code);
  }
}

function describeError(error) {
  const code = error.extensions?.code;
  const rule = error.extensions?.rule;
  const prefix = ERROR_LABELS[code] ?? '请求失败';
  const detail = [code, rule ? `规则 ${rule}` : null]
    .filter(Boolean)
    .join('，');
  return `${prefix}${detail ? `（${detail}）` : ''}：${error.message}`;
}

/**
 * Runs a GraphQL operation: `{ data, errors }`, where `errors` are those of
 * partial data (fields the gateway withheld). Throws GraphQLRequestError
 * when no data came back.
 */
async function request(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.token ?? ''}`,
        'x-govgraph-purpose': session.purpose,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphQLRequestError([
      { message: '无法连接审核台服务，请检查网络后重试。' },
    ]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError([
      { message: `服务返回了无法解析的应答（HTTP ${response.status}）。` },
    ]);
  }
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    session.clear();
    updateChrome();
  }
  if (body?.data == null) {
    throw new GraphQLRequestError(
      errors.length > 0
        ? errors
        : [{ message: `服务未返回数据（HTTP ${response.status}）。` }],
    );
  }
  return { data: body.data, errors };
}

/** Runs an operation; the errors of partial data are shown in the alert area. */
async function graphql(query, variables) {
  const { data, errors } = await request(query, variables);
  if (errors.length > 0) showAlert(errors.map(describeError).join('\n'));
  return data;
}

/**
 * Runs a list query. When the gateway withholds the list's `pageInfo`, the
 * first such error is returned for the pager to explain; other errors are
 * shown in the alert area.
 */
async function listQuery(query, variables) {
  const { data, errors } = await request(query, variables);
  const paging = errors.filter(
    (e) => Array.isArray(e.path) && e.path.includes('pageInfo'),
  );
  const other = errors.filter((e) => !paging.includes(e));
  if (other.length > 0) showAlert(other.map(describeError).join('\n'));
  return { data, pagingWithheld: paging[0] ?? null };
}

/** Shows an error in the alert area; sends the user to log in when the token is gone. */
function reportError(error) {
  const message = error instanceof Error ? error.message : String(error);
  showAlert(message);
  if (error instanceof GraphQLRequestError && !session.token) {
    flash = `${message}\n请重新登录。`;
    window.location.hash = '#/login';
  }
}

const FILING_ROW_FIELDS = `id name ownerDepartment state riskCategory filingNumber updatedAt`;

const QUEUE_QUERY = `query ReviewQueue($risk: AlgorithmRiskCategory, $after: String) {
  algorithmReviewQueue(riskCategory: $risk, first: ${PAGE_SIZE}, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${FILING_ROW_FIELDS} }
  }
}`;

const FILINGS_QUERY = `query Filings($state: AlgorithmState, $risk: AlgorithmRiskCategory, $department: String, $search: String, $after: String) {
  algorithmFilings(state: $state, riskCategory: $risk, ownerDepartment: $department, search: $search, first: ${PAGE_SIZE}, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${FILING_ROW_FIELDS} }
  }
}`;

const FILING_QUERY = `query Filing($id: ID!) {
  algorithmFiling(id: $id) {
    id name ownerDepartment safetyOfficer serviceForm domain algorithmType
    riskCategory state filingNumber version submittedBy reviewer filedAt
    lastReviewedAt nextReviewAt reviewFlaggedAt createdBy createdAt updatedAt mayRead
    currentRevision {
      revision purposeAndImpact operatingLogic
      inputs { coordinate owners shareClass negativeListEntry }
      outputs legalBasis humanOversight selfAssessment modelVersions
      deploymentEndpoint evidence { kind title uri } createdBy createdAt
    }
    approvedRevision { revision inputs { coordinate } }
    history { action fromState toState actor actorDepartment comment revision at }
  }
}`;

const TRANSITION_MUTATION = `mutation Transition($id: ID!, $action: FilingAction!, $version: Int!, $comment: String) {
  transitionAlgorithmFiling(id: $id, action: $action, expectedVersion: $version, comment: $comment) {
    id state version filingNumber
  }
}`;

// ---------------------------------------------------------------- routing

function currentRoute() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  const [name = '', ...rest] = path.split('/');
  return {
    name: name || (session.token ? 'queue' : 'login'),
    arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : null,
    params: new URLSearchParams(query),
  };
}

function hashFor(name, params) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v != null && v !== ''),
  ).toString();
  return `#/${name}${query ? `?${query}` : ''}`;
}

let renderCount = 0;
/** A message to show after the next navigation (e.g. why the user must log in again). */
let flash = '';

async function route() {
  const ticket = ++renderCount;
  const r = currentRoute();
  clearMessages();
  if (flash) {
    showAlert(flash);
    flash = '';
  }
  if (r.name !== 'login' && !session.token) {
    window.location.hash = '#/login';
    return;
  }
  updateChrome();
  const stale = () => ticket !== renderCount;
  try {
    if (r.name === 'login') await loginView();
    else if (r.name === 'queue') await queueView(r.params, stale);
    else if (r.name === 'filing' && r.arg) await filingView(r.arg, stale);
    else if (r.name === 'registry') await registryView(r.params, stale);
    else render(h('p', { class: 'muted' }, '页面不存在。'));
  } catch (error) {
    if (!stale()) reportError(error);
  }
  if (!stale()) {
    const heading = view().querySelector('h1');
    if (heading) document.title = `${heading.textContent} · 算法备案审核台`;
  }
}

// ---------------------------------------------------------------- 登录

async function loginView() {
  const purposeInput = h('input', {
    id: 'purpose',
    type: 'text',
    value: DEFAULT_PURPOSE,
    dataset: { testid: 'purpose' },
  });
  const tokenInput = h('textarea', {
    id: 'token',
    rows: 4,
    placeholder: 'eyJhbGciOiJIUzI1NiIs…',
    dataset: { testid: 'token' },
  });
  const demoBox = h('div', { class: 'demo-users' });
  render(
    h(
      'section',
      { class: 'login' },
      h('h1', {}, '登录'),
      h(
        'p',
        { class: 'muted' },
        '算法备案审核员以本人身份登录；所有请求均以“算法备案审核（algorithm-review）”为使用目的经网关发出。',
      ),
      h('div', { class: 'card' }, h('h2', {}, '演示账号'), demoBox),
      h(
        'form',
        {
          class: 'card',
          dataset: { testid: 'token-form' },
          onsubmit: (event) => {
            event.preventDefault();
            const token = tokenInput.value.trim().replace(/^Bearer\s+/i, '');
            if (!token) {
              showAlert('请粘贴访问令牌（Bearer token）。');
              return;
            }
            session.save(token, purposeInput.value.trim());
            window.location.hash = '#/queue';
          },
        },
        h('h2', {}, '使用访问令牌'),
        h('label', { for: 'token' }, '访问令牌（Bearer token）'),
        tokenInput,
        h('label', { for: 'purpose' }, '使用目的（x-govgraph-purpose）'),
        purposeInput,
        h(
          'div',
          { class: 'form-actions' },
          h(
            'button',
            {
              type: 'submit',
              class: 'primary',
              dataset: { testid: 'token-login' },
            },
            '登录',
          ),
        ),
      ),
    ),
  );
  const response = await fetch('/api/demo-users').catch(() => null);
  if (!response || !response.ok) {
    demoBox.append(
      h('p', { class: 'muted' }, '本环境未开放演示账号，请使用访问令牌登录。'),
    );
    return;
  }
  const users = await response.json();
  demoBox.append(
    h(
      'ul',
      { class: 'user-list' },
      users.map((user) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'user',
              dataset: { testid: `demo-user-${user.id}` },
              onclick: () => demoLogin(user.id),
            },
            h('span', { class: 'user-id' }, user.id),
            h('span', { class: 'user-desc' }, user.description),
          ),
        ),
      ),
    ),
  );
}

async function demoLogin(userId) {
  clearMessages();
  try {
    const response = await fetch('/api/demo-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (!response.ok) {
      // The console says why (e.g. demo logins only on this machine).
      const body = await response.json().catch(() => null);
      const error = Array.isArray(body?.errors) ? body.errors[0] : null;
      showAlert(
        `演示登录失败（HTTP ${response.status}）${error ? `：${describeError(error)}` : '。'}`,
      );
      return;
    }
    const { token, purpose } = await response.json();
    session.save(token, purpose);
    window.location.hash = '#/queue';
  } catch {
    showAlert('无法连接审核台服务，请稍后重试。');
  }
}

// ---------------------------------------------------------------- lists

function riskSelect(value, onchange) {
  return h(
    'select',
    { dataset: { testid: 'risk-filter' }, 'aria-label': '风险等级', onchange },
    h('option', { value: '' }, '全部风险等级'),
    Object.entries(RISK_LABELS).map(([key, text]) =>
      h('option', { value: key, selected: key === value }, text),
    ),
  );
}

function filingTable(nodes, testidPrefix, { withNumber }) {
  if (nodes.length === 0) {
    return h(
      'p',
      { class: 'empty', dataset: { testid: `${testidPrefix}-empty` } },
      '没有符合条件的备案。',
    );
  }
  return h(
    'table',
    { class: 'list', dataset: { testid: `${testidPrefix}-table` } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '编号'),
        h('th', {}, '名称'),
        h('th', {}, '备案主体'),
        h('th', {}, '状态'),
        h('th', {}, '风险等级'),
        withNumber && h('th', {}, '备案编号'),
        h('th', {}, '更新时间'),
      ),
    ),
    h(
      'tbody',
      {},
      nodes.map((f) => {
        const open = () => {
          window.location.hash = `#/filing/${encodeURIComponent(f.id)}`;
        };
        return h(
          'tr',
          {
            class: 'clickable',
            tabindex: 0,
            dataset: { testid: `${testidPrefix}-row-${f.id}` },
            onclick: open,
            onkeydown: (event) => {
              if (event.key === 'Enter') open();
            },
          },
          h('td', { class: 'mono' }, f.id),
          h(
            'td',
            {},
            h('a', { href: `#/filing/${encodeURIComponent(f.id)}` }, f.name),
          ),
          h('td', {}, department(f.ownerDepartment)),
          h('td', {}, stateBadge(f.state)),
          h('td', {}, riskBadge(f.riskCategory)),
          withNumber && h('td', {}, f.filingNumber ?? '—'),
          h('td', { class: 'nowrap' }, formatTime(f.updatedAt)),
        );
      }),
    ),
  );
}

function pager(list, paging, pagingWithheld) {
  const hasNext =
    list.pageInfo?.hasNextPage === true && Boolean(list.pageInfo.endCursor);
  return h(
    'div',
    { class: 'pager', dataset: { testid: 'pager' } },
    h(
      'span',
      { class: 'muted', dataset: { testid: 'page-info' } },
      `共 ${list.totalCount ?? '—'} 条 · 第 ${paging.stack.length + 1} 页`,
    ),
    pagingWithheld &&
      h(
        'span',
        { class: 'warn small', dataset: { testid: 'paging-withheld' } },
        `无法翻页：网关未允许读取分页信息（${
          pagingWithheld.extensions?.rule ??
          pagingWithheld.extensions?.code ??
          '—'
        }）。`,
      ),
    h(
      'button',
      {
        type: 'button',
        disabled: paging.stack.length === 0,
        dataset: { testid: 'page-prev' },
        onclick: () => {
          paging.after = paging.stack.pop() ?? null;
          route();
        },
      },
      '上一页',
    ),
    h(
      'button',
      {
        type: 'button',
        disabled: !hasNext,
        dataset: { testid: 'page-next' },
        onclick: () => {
          paging.stack.push(paging.after);
          paging.after = list.pageInfo.endCursor;
          route();
        },
      },
      '下一页',
    ),
  );
}

/**
 * Cursor stacks of the paged lists: the `after` cursors of the pages before
 * the current one, kept per list and reset when its filters change.
 */
const pages = {
  queue: { key: '', stack: [], after: null },
  registry: { key: '', stack: [], after: null },
};

function pageState(list, key) {
  const state = pages[list];
  if (state.key !== key) {
    state.key = key;
    state.stack = [];
    state.after = null;
  }
  return state;
}

// ---------------------------------------------------------------- 审核队列

async function queueView(params, stale) {
  const risk = params.get('risk') || null;
  const paging = pageState('queue', `${risk}`);
  render(h('h1', {}, '审核队列'), h('p', { class: 'muted' }, '正在加载…'));
  const { data, pagingWithheld } = await listQuery(QUEUE_QUERY, {
    risk,
    after: paging.after,
  });
  if (stale()) return;
  const queue = data.algorithmReviewQueue;
  render(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, '审核队列'),
      h(
        'p',
        { class: 'muted' },
        '待您审核的备案（已提交、审核中、变更待审），按提交先后排列。',
      ),
    ),
    h(
      'div',
      { class: 'toolbar' },
      h(
        'label',
        {},
        '风险等级 ',
        riskSelect(risk ?? '', (event) => {
          window.location.hash = hashFor('queue', { risk: event.target.value });
        }),
      ),
      h(
        'button',
        {
          type: 'button',
          dataset: { testid: 'refresh' },
          onclick: () => route(),
        },
        '刷新',
      ),
    ),
    filingTable(queue.nodes, 'queue', { withNumber: false }),
    pager(queue, paging, pagingWithheld),
  );
}

// ---------------------------------------------------------------- 备案目录

async function registryView(params, stale) {
  const filters = {
    search: params.get('search') || null,
    state: params.get('state') || null,
    risk: params.get('risk') || null,
    department: params.get('department') || null,
  };
  const paging = pageState('registry', JSON.stringify(filters));
  const searchInput = h('input', {
    type: 'search',
    placeholder: '搜索编号、名称、备案编号、应用领域或算法类型',
    value: filters.search ?? '',
    'aria-label': '搜索',
    dataset: { testid: 'search' },
  });
  const stateSelect = h(
    'select',
    { 'aria-label': '状态', dataset: { testid: 'state-filter' } },
    h('option', { value: '' }, '全部状态'),
    Object.entries(STATE_LABELS).map(([key, text]) =>
      h('option', { value: key, selected: key === filters.state }, text),
    ),
  );
  const riskFilter = riskSelect(filters.risk ?? '', null);
  const departmentSelect = h(
    'select',
    { 'aria-label': '备案主体', dataset: { testid: 'department-filter' } },
    h('option', { value: '' }, '全部备案主体'),
    Object.entries(DEPARTMENT_LABELS).map(([key, text]) =>
      h('option', { value: key, selected: key === filters.department }, text),
    ),
  );
  const apply = () => {
    const target = hashFor('registry', {
      search: searchInput.value.trim(),
      state: stateSelect.value,
      risk: riskFilter.value,
      department: departmentSelect.value,
    });
    if (target === window.location.hash) route();
    else window.location.hash = target;
  };
  stateSelect.addEventListener('change', apply);
  riskFilter.addEventListener('change', apply);
  departmentSelect.addEventListener('change', apply);
  const toolbar = h(
    'form',
    {
      class: 'toolbar',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        apply();
      },
    },
    searchInput,
    stateSelect,
    riskFilter,
    departmentSelect,
    h(
      'button',
      {
        type: 'submit',
        class: 'primary',
        dataset: { testid: 'search-submit' },
      },
      '查询',
    ),
  );
  const head = h(
    'div',
    { class: 'page-head' },
    h('h1', {}, '备案目录'),
    h(
      'p',
      { class: 'muted' },
      '全市算法备案，可按状态、风险等级和备案主体筛选。',
    ),
  );
  render(head, toolbar, h('p', { class: 'muted' }, '正在加载…'));
  const { data, pagingWithheld } = await listQuery(FILINGS_QUERY, {
    ...filters,
    after: paging.after,
  });
  if (stale()) return;
  const list = data.algorithmFilings;
  render(
    head,
    toolbar,
    filingTable(list.nodes, 'registry', { withNumber: true }),
    pager(list, paging, pagingWithheld),
  );
}

// ---------------------------------------------------------------- 备案详情

function field(name, value, testid) {
  return h(
    'div',
    { class: 'field' },
    h('dt', {}, name),
    h('dd', { dataset: testid ? { testid } : undefined }, value ?? '—'),
  );
}

function section(title, ...content) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...content);
}

function paragraph(text, testid) {
  return h('p', { class: 'prose', dataset: { testid } }, text || '—');
}

function inputsTable(revision, approved) {
  const approvedSet = approved
    ? new Set(approved.inputs.map((i) => i.coordinate))
    : null;
  const showChange = approved && approved.revision !== revision.revision;
  const removed = showChange
    ? approved.inputs
        .map((i) => i.coordinate)
        .filter((c) => !revision.inputs.some((i) => i.coordinate === c))
    : [];
  return [
    h(
      'table',
      { class: 'list inputs', dataset: { testid: 'inputs-table' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, '数据项（coordinate）'),
          h('th', {}, '数据提供部门'),
          h('th', {}, '共享类别'),
          h('th', {}, '负面清单条目'),
        ),
      ),
      h(
        'tbody',
        {},
        revision.inputs.map((input) =>
          h(
            'tr',
            { dataset: { testid: `input-${input.coordinate}` } },
            h(
              'td',
              { class: 'mono' },
              input.coordinate,
              showChange &&
                !approvedSet.has(input.coordinate) &&
                h('span', { class: 'tag tag-new' }, '本次新增'),
            ),
            h(
              'td',
              {},
              input.owners.length > 0
                ? input.owners.map(department).join('、')
                : h('span', { class: 'warn' }, '已不在数据目录中'),
            ),
            h(
              'td',
              {},
              h(
                'span',
                {
                  class: `share share-${input.shareClass.toLowerCase()}`,
                  dataset: {
                    testid: `share-${input.coordinate}`,
                    shareClass: input.shareClass,
                  },
                },
                label(SHARE_CLASS_LABELS, input.shareClass),
              ),
            ),
            h('td', { class: 'mono' }, input.negativeListEntry ?? '—'),
          ),
        ),
      ),
    ),
    removed.length > 0 &&
      h('p', { class: 'muted' }, `本次变更删除的数据项：${removed.join('、')}`),
  ];
}

function historyTimeline(history) {
  return h(
    'ol',
    { class: 'timeline', dataset: { testid: 'history' } },
    history.map((event) =>
      h(
        'li',
        { dataset: { testid: 'history-item', action: event.action } },
        h(
          'div',
          { class: 'timeline-head' },
          h('strong', {}, label(EVENT_LABELS, event.action)),
          h(
            'span',
            { class: 'transition' },
            event.fromState ? stateBadge(event.fromState) : null,
            event.fromState ? h('span', { class: 'arrow' }, '→') : null,
            stateBadge(event.toState),
          ),
          h('time', { datetime: event.at }, formatTime(event.at)),
        ),
        h(
          'div',
          { class: 'timeline-meta muted' },
          `${event.actor} · ${DEPARTMENT_LABELS[event.actorDepartment] ?? event.actorDepartment} · 第 ${event.revision} 版`,
        ),
        event.comment && h('blockquote', {}, event.comment),
      ),
    ),
  );
}

function actionPanel(filing) {
  const available = ACTIONS.filter((a) => a.from.includes(filing.state));
  if (available.length === 0) {
    return section(
      '审核操作',
      h(
        'p',
        { class: 'muted', dataset: { testid: 'no-actions' } },
        `当前状态（${label(STATE_LABELS, filing.state)}）下没有审核员可执行的操作。`,
      ),
    );
  }
  const comment = h('textarea', {
    id: 'comment',
    rows: 3,
    placeholder:
      '填写审核意见。退回、驳回变更、暂停和注销须说明理由，意见记入备案历史。',
    dataset: { testid: 'comment' },
  });
  const buttons = available.map((a) =>
    h(
      'button',
      {
        type: 'button',
        class: a.danger ? 'danger' : a.primary ? 'primary' : '',
        dataset: { testid: `action-${a.action}` },
        title: a.needsComment ? '须填写意见' : null,
        onclick: async (event) => {
          const all =
            event.currentTarget.parentElement.querySelectorAll('button');
          for (const b of all) b.disabled = true;
          try {
            await transition(filing, a, comment.value);
          } finally {
            for (const b of all) b.disabled = false;
          }
        },
      },
      a.label,
      a.needsComment
        ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')
        : null,
    ),
  );
  return section(
    '审核操作',
    h('label', { for: 'comment' }, '备注 / 审核意见'),
    comment,
    h('div', { class: 'actions', dataset: { testid: 'actions' } }, buttons),
    h(
      'p',
      { class: 'muted small' },
      `操作基于第 ${filing.version} 版记录提交；若他人已先行处理，将提示状态冲突，请刷新后重试。带 * 的操作须填写意见。`,
    ),
  );
}

async function transition(filing, action, commentText) {
  clearMessages();
  const comment = commentText.trim();
  try {
    const data = await graphql(TRANSITION_MUTATION, {
      id: filing.id,
      action: action.action,
      version: filing.version,
      comment: comment || null,
    });
    const result = data.transitionAlgorithmFiling;
    await route();
    showNotice(
      `已${action.label}：${filing.id} 当前状态为“${label(STATE_LABELS, result.state)}”${
        result.filingNumber ? `，备案编号 ${result.filingNumber}` : ''
      }。`,
    );
  } catch (error) {
    reportError(error);
  }
}

async function filingView(id, stale) {
  render(h('p', { class: 'muted' }, '正在加载…'));
  const data = await graphql(FILING_QUERY, { id });
  if (stale()) return;
  const filing = data.algorithmFiling;
  if (!filing) {
    render(
      h('h1', {}, '备案详情'),
      h('p', { class: 'empty' }, `未找到备案 ${id}，或您无权查看。`),
    );
    return;
  }
  const revision = filing.currentRevision;
  const approved = filing.approvedRevision;
  render(
    h(
      'nav',
      { class: 'crumbs' },
      h('a', { href: '#/queue' }, '审核队列'),
      ' / ',
      h('a', { href: '#/registry' }, '备案目录'),
      ' / ',
      filing.id,
    ),
    h(
      'div',
      { class: 'filing-head card', dataset: { testid: 'filing-header' } },
      h(
        'div',
        { class: 'filing-title' },
        h(
          'div',
          {},
          h(
            'div',
            { class: 'mono muted', dataset: { testid: 'filing-id' } },
            filing.id,
          ),
          h('h1', { dataset: { testid: 'filing-name' } }, filing.name),
        ),
        h(
          'div',
          { class: 'filing-badges' },
          stateBadge(filing.state, 'filing-state'),
          riskBadge(filing.riskCategory, 'filing-risk'),
        ),
      ),
      h(
        'dl',
        { class: 'fields' },
        field('备案主体', department(filing.ownerDepartment), 'filing-owner'),
        field('安全责任人', filing.safetyOfficer),
        field('服务形式', filing.serviceForm),
        field('应用领域', filing.domain),
        field('算法类型', filing.algorithmType),
        field('风险等级', label(RISK_LABELS, filing.riskCategory)),
        field('状态', label(STATE_LABELS, filing.state)),
        field('备案编号', filing.filingNumber ?? '尚未发放', 'filing-number'),
        field('提交人', filing.submittedBy),
        field('审核人', filing.reviewer),
        field('备案时间', formatTime(filing.filedAt)),
        field('下次复审', formatTime(filing.nextReviewAt)),
        field('数据读取', filing.mayRead ? '允许（按已批准版本）' : '不允许'),
        field('记录版本', `v${filing.version}`, 'filing-version'),
      ),
      filing.reviewFlaggedAt &&
        h(
          'p',
          { class: 'warn' },
          `年度复审已到期提醒（${formatTime(filing.reviewFlaggedAt)}）。`,
        ),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'main-col' },
        section(
          `当前版本（第 ${revision.revision} 版${
            approved
              ? approved.revision === revision.revision
                ? '，已批准'
                : `；已批准版本为第 ${approved.revision} 版`
              : '，尚未批准'
          }）`,
          h('h3', {}, '用途与影响'),
          paragraph(revision.purposeAndImpact, 'purpose-and-impact'),
          h('h3', {}, '运行机理'),
          paragraph(revision.operatingLogic, 'operating-logic'),
          h('h3', {}, `数据输入（${revision.inputs.length} 项）`),
          inputsTable(revision, approved),
          h('h3', {}, '输出'),
          h(
            'ul',
            { class: 'plain', dataset: { testid: 'outputs' } },
            revision.outputs.map((o) => h('li', {}, o)),
          ),
          h('h3', {}, '法律依据'),
          paragraph(revision.legalBasis, 'legal-basis'),
          h('h3', {}, '人工干预'),
          paragraph(revision.humanOversight, 'human-oversight'),
          h('h3', {}, '自评估'),
          paragraph(revision.selfAssessment, 'self-assessment'),
          h(
            'dl',
            { class: 'fields compact' },
            field('模型版本', revision.modelVersions.join('、') || '—'),
            field(
              '部署地址',
              h('span', { class: 'mono' }, revision.deploymentEndpoint),
            ),
            field('版本提交人', revision.createdBy),
            field('版本时间', formatTime(revision.createdAt)),
          ),
        ),
        section(
          `证明材料（${revision.evidence.length} 份）`,
          revision.evidence.length === 0
            ? h('p', { class: 'empty' }, '未附证明材料。')
            : h(
                'ul',
                { class: 'evidence', dataset: { testid: 'evidence' } },
                revision.evidence.map((e) =>
                  h(
                    'li',
                    { dataset: { testid: `evidence-${e.kind}` } },
                    h('span', { class: 'tag' }, label(EVIDENCE_LABELS, e.kind)),
                    h('span', {}, e.title),
                    h('span', { class: 'mono muted' }, e.uri),
                  ),
                ),
              ),
        ),
      ),
      h(
        'div',
        { class: 'side-col' },
        actionPanel(filing),
        section(
          `历史（${filing.history.length}）`,
          historyTimeline(filing.history),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- start

document
  .querySelector('[data-testid="logout"]')
  .addEventListener('click', () => {
    session.clear();
    updateChrome();
    window.location.hash = '#/login';
  });
window.addEventListener('hashchange', () => route());
route();
