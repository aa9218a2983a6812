// The algorithm reviewers' web console (算法备案审核台) in a real browser,
// driving the catalog subgraph through the gateway: a reviewer logs in as a
// demo user, finds a submitted HIGH-risk filing in the review queue, reads
// its inputs and history, starts the review, is told why a return without
// a comment is refused, files it and finds it in the registry; the database
// agrees. Also the console server's own HTTP behaviour.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';

import {
  serveRegistryConsole,
  type RegistryConsole,
} from '../../catalog/src/web/serveRegistryConsole.js';
import { mintToken } from '../../gateway/src/identity/index.js';
import { findDemoUser } from '../../hub/demoUsers.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const FILING = 'ALG-2026-301';
const INPUTS = [
  'Query.monitoringSection',
  'MonitoringSection.id',
  'MonitoringSection.name',
  'MonitoringSection.readings',
  'ReadingConnection.nodes',
  'Reading.parameter',
  'Reading.value',
  'Reading.measuredAt',
  // Conditionally shared (NL-ENV-001): the table shows both classes.
  'DischargeRecord.concentration',
  'DischargeRecord.exceedsPermit',
];
const CONTENT = {
  purposeAndImpact:
    '綦江河断面氨氮浓度连续超标时预警，辅助值班员研判污染来源；不直接作出行政决定。',
  operatingLogic:
    '对断面自动监测读数做滑动窗口阈值判断，连续三个窗口超标即生成预警。',
  inputs: INPUTS,
  outputs: ['氨氮超标预警', '超标断面清单'],
  legalBasis: '《中华人民共和国水污染防治法》第二十三条',
  humanOversight: '预警经值班员人工复核后推送，值班员可撤销误报。',
  selfAssessment: '回测误报率低于5%。',
  modelVersions: ['nh3-window-1.2'],
  deploymentEndpoint: 'https://algorithms.cq.gov.cn/nh3-warning',
  evidence: [
    {
      kind: 'SELF_ASSESSMENT',
      title: '自评估报告',
      uri: 'doc://alg-2026-301/self',
    },
    {
      kind: 'IMPACT_ASSESSMENT',
      title: '算法影响评估报告',
      uri: 'doc://alg-2026-301/impact',
    },
  ],
};
const SHARE_CLASS_LABELS: Record<string, string> = {
  UNCONDITIONAL: '无条件共享',
  CONDITIONAL: '有条件共享',
  NOT_SHARED: '不予共享',
};
/**
 * Where the filing page's screenshot goes: REGISTRY_SCREENSHOT (the README's
 * docs/registry-console.png is made with it), else a temporary file.
 */
const SCREENSHOT =
  process.env['REGISTRY_SCREENSHOT'] ??
  join(tmpdir(), `govgraph-registry-console-${String(process.pid)}.png`);
const CONSOLE_USERS = ['algorithm-reviewer'];

let t: TestHub | undefined;
let registryConsole: RegistryConsole | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

before(async () => {
  t = await startTestHub();
  registryConsole = await serveRegistryConsole({
    port: 0,
    gatewayUrl: t.hub.gatewayUrl,
    mode: {
      kind: 'demo',
      users: CONSOLE_USERS.map((id) => ({
        id,
        description: findDemoUser(id)!.description,
      })),
      mintToken: async (id, ttlSeconds) => {
        const user = findDemoUser(id);
        if (!user) throw new Error(`no demo user "${id}"`);
        return mintToken(
          user.claims,
          new TextEncoder().encode(TEST_TOKEN_SECRET),
          { ttlSeconds },
        );
      },
    },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await registryConsole?.close();
  await t?.[Symbol.asyncDispose]();
});

async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<any>> {
  return postGraphQL<any>(
    t!.hub.gatewayUrl,
    query,
    variables,
    await demoHeaders(user),
  );
}

function data(res: GraphQLResponse<any>): any {
  assert.equal(res.errors, undefined, res.text);
  return res.data;
}

/** Creates and submits the HIGH-risk filing as its owner department. */
async function submitFiling(): Promise<void> {
  const created = data(
    await as(
      'environment-algorithm-owner',
      `mutation($input: AlgorithmFilingInput!) { createAlgorithmFiling(input: $input) { version } }`,
      {
        input: {
          id: FILING,
          name: '綦江河氨氮超标预警',
          safetyOfficer: '生态环境局 李娜',
          serviceForm: '预警推送',
          domain: '生态环境',
          algorithmType: '预测预警',
          riskCategory: 'HIGH',
          content: CONTENT,
        },
      },
    ),
  ).createAlgorithmFiling;
  const submitted = data(
    await as(
      'environment-algorithm-owner',
      `mutation($v: Int!) { transitionAlgorithmFiling(id: "${FILING}", action: SUBMIT, expectedVersion: $v) { state } }`,
      { v: created.version },
    ),
  ).transitionAlgorithmFiling;
  assert.equal(submitted.state, 'SUBMITTED');
}

/** Waits until the filing page shows `state`. */
async function waitForState(page: Page, state: string): Promise<void> {
  await page
    .locator(`[data-testid="filing-state"][data-state="${state}"]`)
    .waitFor();
}

describe('the algorithm registry console', () => {
  it('lets a reviewer find, read, start, refuse to return without a comment, and file a filing in the browser', async () => {
    await submitFiling();
    // What the gateway says the inputs' share classes are, for the table.
    const expectedInputs: {
      coordinate: string;
      shareClass: string;
      negativeListEntry: string | null;
    }[] = data(
      await as(
        'algorithm-reviewer',
        `{ algorithmFiling(id: "${FILING}") { currentRevision { inputs { coordinate shareClass negativeListEntry } } } }`,
      ),
    ).algorithmFiling.currentRevision.inputs;
    assert.equal(expectedInputs.length, INPUTS.length);
    assert.deepEqual(
      [...new Set(expectedInputs.map((i) => i.shareClass))].sort(),
      ['CONDITIONAL', 'UNCONDITIONAL'],
    );

    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    try {
      // 登录: the demo reviewer.
      await page.goto(registryConsole!.url);
      await page.getByTestId('demo-user-algorithm-reviewer').click();

      // 审核队列: the new filing, also under the HIGH filter.
      await page.getByTestId('queue-table').waitFor();
      // The token is kept for this tab only.
      assert.match(
        String(
          await page.evaluate(
            "sessionStorage.getItem('govgraph.console.token')",
          ),
        ),
        /^[\w-]+\.[\w-]+\.[\w-]+$/,
      );
      await page.getByTestId('risk-filter').selectOption('HIGH');
      const row = page.getByTestId(`queue-row-${FILING}`);
      await row.waitFor();
      const rowText = await row.innerText();
      assert.match(rowText, /綦江河氨氮超标预警/);
      assert.match(rowText, /生态环境局/);
      assert.match(rowText, /已提交/);
      assert.match(rowText, /高风险/);
      for (const r of await page.locator('[data-testid^="queue-row-"]').all()) {
        assert.match(await r.innerText(), /高风险/);
      }
      await row.click();

      // 备案详情: header, inputs with their share class, evidence, history.
      await waitForState(page, 'SUBMITTED');
      assert.equal(
        await page.getByTestId('filing-name').innerText(),
        '綦江河氨氮超标预警',
      );
      assert.equal(
        await page.getByTestId('filing-number').innerText(),
        '尚未发放',
      );
      for (const input of expectedInputs) {
        const share = page.getByTestId(`share-${input.coordinate}`);
        assert.equal(
          await share.getAttribute('data-share-class'),
          input.shareClass,
        );
        assert.equal(
          await share.innerText(),
          SHARE_CLASS_LABELS[input.shareClass],
        );
        assert.equal(
          (
            await page
              .getByTestId(`input-${input.coordinate}`)
              .locator('td')
              .last()
              .innerText()
          ).trim(),
          input.negativeListEntry ?? '—',
        );
      }
      assert.match(
        await page.getByTestId('evidence-IMPACT_ASSESSMENT').innerText(),
        /算法影响评估报告/,
      );
      assert.equal(await page.getByTestId('history-item').count(), 2);
      assert.match(
        await page.getByTestId('history-item').last().innerText(),
        /提交备案[\s\S]*草稿[\s\S]*→[\s\S]*已提交/,
      );
      // Only the action the state allows is offered.
      assert.equal(await page.getByTestId('action-FILE').count(), 0);

      // 开始审核.
      await page.getByTestId('action-START_REVIEW').click();
      await waitForState(page, 'UNDER_REVIEW');
      await page
        .getByTestId('notice')
        .filter({ hasText: `已开始审核：${FILING}` })
        .waitFor();

      // 退回 without a comment: the server refuses and the console says why.
      await page.getByTestId('action-RETURN').click();
      const alert = page.getByTestId('alert');
      await alert.waitFor({ state: 'visible' });
      const alertText = await alert.innerText();
      assert.match(alertText, /输入有误/);
      assert.match(alertText, /BAD_USER_INPUT/);
      assert.match(alertText, /comment/);
      await waitForState(page, 'UNDER_REVIEW');

      // 通过备案: FILED with a filing number.
      await page
        .getByTestId('comment')
        .fill('材料齐全，影响评估充分，同意备案。');
      await page.getByTestId('action-FILE').click();
      await waitForState(page, 'FILED');
      assert.equal(await alert.isVisible(), false);
      assert.equal(
        await page.getByTestId('filing-state').innerText(),
        '已备案',
      );
      const filingNumber = await page.getByTestId('filing-number').innerText();
      assert.match(filingNumber, /^渝算备20\d\d第\d{4}号$/);
      assert.equal(await page.getByTestId('history-item').count(), 4);
      assert.match(
        await page.getByTestId('history-item').last().innerText(),
        /通过备案[\s\S]*审核中[\s\S]*→[\s\S]*已备案[\s\S]*algorithm-reviewer[\s\S]*同意备案/,
      );
      mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // 备案目录: search by id.
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-table').waitFor();
      await page.getByTestId('search').fill(FILING);
      await page.getByTestId('search').press('Enter');
      const found = page.getByTestId(`registry-row-${FILING}`);
      await found.waitFor();
      assert.equal(
        await page.locator('[data-testid^="registry-row-"]').count(),
        1,
      );
      assert.match(await found.innerText(), /已备案/);
      assert.ok((await found.innerText()).includes(filingNumber));

      // The database agrees.
      const { rows } = await t!.tdb.db.query<{
        state: string;
        filing_number: string | null;
      }>('SELECT state, filing_number FROM catalog.filings WHERE id = $1', [
        FILING,
      ]);
      assert.deepEqual(rows, [{ state: 'FILED', filing_number: filingNumber }]);
      assert.deepEqual(pageErrors, []);
    } catch (error) {
      // What the page showed and logged, for the failure report.
      const shown = await page
        .locator('main')
        .innerText({ timeout: 1_000 })
        .catch(() => '(no page)');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- page (${page.url()}):\n${shown.slice(0, 2_000)}\n--- page errors:\n${pageErrors.join('\n')}`,
        { cause: error },
      );
    } finally {
      await page.close();
    }
  });

  it('serves only its own files, proxies /graphql and offers demo logins only in demo mode', async () => {
    // (Host, origin and content-type checks: tests/security/console.e2e.test.ts.)
    const base = registryConsole!.url;
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/index.html', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/styles.css', 'text/css'],
    ] as const) {
      const res = await fetch(new URL(path, base));
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', new RegExp(type));
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      await res.arrayBuffer();
    }
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/web/app.js',
      '/serveRegistryConsole.ts',
    ]) {
      assert.equal(await rawGetStatus(base, path), 404, path);
    }

    // The proxy passes the caller's token and purpose through.
    const headers = await demoHeaders('algorithm-reviewer');
    const ok = await postGraphQL<any>(
      new URL('/graphql', base).href,
      `{ algorithmFiling(id: "ALG-2025-017") { id } }`,
      undefined,
      headers,
    );
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data?.algorithmFiling?.id, 'ALG-2025-017');
    const anonymous = await postGraphQL(
      new URL('/graphql', base).href,
      `{ algorithmFiling(id: "${FILING}") { state } }`,
    );
    assert.equal(
      anonymous.errors?.[0]?.extensions?.['code'],
      'UNAUTHENTICATED',
    );
    const large = await fetch(new URL('/graphql', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1_048_577),
    });
    assert.equal(large.status, 413);
    await large.arrayBuffer();

    // Demo logins.
    const users = (await (
      await fetch(new URL('/api/demo-users', base))
    ).json()) as { id: string }[];
    assert.deepEqual(
      users.map((u) => u.id),
      CONSOLE_USERS,
    );
    const login = await fetch(new URL('/api/demo-login', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'algorithm-reviewer' }),
    });
    const session = (await login.json()) as { token: string; purpose: string };
    assert.equal(session.purpose, 'algorithm-review');
    assert.match(session.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const userId of ['environment-algorithm-owner', 'nobody', 42]) {
      const refused = await fetch(new URL('/api/demo-login', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      assert.equal(refused.status, 400, String(userId));
      await refused.arrayBuffer();
    }

    // In production mode, and with the gateway unreachable.
    const plain = await serveRegistryConsole({
      port: 0,
      gatewayUrl: 'http://127.0.0.1:1/graphql',
      mode: { kind: 'production' },
    });
    try {
      for (const [path, method] of [
        ['/api/demo-users', 'GET'],
        ['/api/demo-login', 'POST'],
      ] as const) {
        const res = await fetch(new URL(path, plain.url), { method });
        assert.equal(res.status, 404, path);
        await res.arrayBuffer();
      }
      const unreachable = await postGraphQL(
        new URL('/graphql', plain.url).href,
        '{ __typename }',
      );
      assert.equal(unreachable.status, 502);
      assert.equal(
        unreachable.errors?.[0]?.extensions?.['code'],
        'UPSTREAM_UNAVAILABLE',
      );
    } finally {
      await plain.close();
    }
  });
  it('pages through the registry 20 filings at a time', async () => {
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    try {
      // The session of the first test is gone with its page: log in again.
      await page.goto(registryConsole!.url);
      await page.getByTestId('demo-user-algorithm-reviewer').click();
      await page.getByTestId('queue-table').waitFor();
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-table').waitFor();
      const rows = page.locator('[data-testid^="registry-row-"]');
      const ids = async (): Promise<string[]> =>
        Promise.all(
          (await rows.all()).map(
            async (r) => (await r.getAttribute('data-testid')) ?? '',
          ),
        );
      const { rows: count } = await t!.tdb.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM catalog.filings',
      );
      const total = count[0]!.n;
      assert.ok(total > 40, `${String(total)} filings`);
      assert.equal(await rows.count(), 20);
      assert.equal(
        await page.getByTestId('page-info').innerText(),
        `共 ${String(total)} 条 · 第 1 页`,
      );
      assert.equal(await page.getByTestId('page-prev').isDisabled(), true);
      const first = await ids();

      await page.getByTestId('page-next').click();
      await page
        .getByTestId('page-info')
        .filter({ hasText: '第 2 页' })
        .waitFor();
      assert.equal(await rows.count(), 20);
      const second = await ids();
      assert.deepEqual(
        second.filter((id) => first.includes(id)),
        [],
      );

      await page.getByTestId('page-prev').click();
      await page
        .getByTestId('page-info')
        .filter({ hasText: '第 1 页' })
        .waitFor();
      assert.deepEqual(await ids(), first);

      // A filter starts again at page 1.
      await page.getByTestId('page-next').click();
      await page
        .getByTestId('page-info')
        .filter({ hasText: '第 2 页' })
        .waitFor();
      await page.getByTestId('state-filter').selectOption('FILED');
      await page
        .getByTestId('page-info')
        .filter({ hasText: '第 1 页' })
        .waitFor();
      for (const r of await rows.all()) {
        assert.match(await r.innerText(), /已备案/);
      }
      assert.equal(await page.getByTestId('alert').isVisible(), false);
    } finally {
      await page.close();
    }
  });
});

/** The status of a GET sent with `path` exactly as given (no URL normalising). */
function rawGetStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { host: hostname, port, path, method: 'GET' },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
