// The web console (政务数据共享控制台, console/) in a real browser against a
// seeded hub, one hub and one browser for every journey: an algorithm owner
// uploads the impact assessment of a draft (a file over the limit or of
// another type refused in the page, no request sent) and submits it; a
// reviewer logs in as a demo user, finds the HIGH-risk filing in the review
// queue, reads its inputs grouped by department and its history, opens the
// evidence (its content and SHA-256), starts the review, is told in Chinese why a return without a comment is refused,
// confirms filing it and finds it in the registry (the database agrees); a
// developer explains a withheld field; an auditor finds a query made in
// the test in the access log, verifies the chain and exports CSV; a duty
// officer acknowledges, disposes and closes an alert and searches risks; a
// data officer drafts a negative-list entry (the server's checks as it is
// typed, its impact) that a second officer approves, and the gateway
// withholds the field within 2 s; a data officer sees an overdue share
// request, approves another narrower than asked, revokes the grant it
// produced, downloads who read the department's data as CSV, and another
// officer classifies a field; the layout holds at 390 px. Also the
// console server's own HTTP behaviour. CONSOLE_SCREENSHOTS (a folder, e.g.
// docs/console) keeps a screenshot of each page; without it none is taken.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  chromium,
  type Browser,
  type BrowserContext,
  type Download,
  type Locator,
  type Page,
} from 'playwright-core';

import {
  DEFAULT_CONSOLE_MAX_BODY_BYTES,
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
    // The impact assessment a HIGH-risk filing needs is uploaded in the
    // browser (EVIDENCE); until then the filing cannot be submitted.
    {
      kind: 'SELF_ASSESSMENT',
      title: '自评估报告',
      uri: 'doc://alg-2026-301/self',
    },
  ],
};
/** The impact assessment the owner uploads and the reviewer opens. */
const EVIDENCE = {
  fileName: '綦江河氨氮预警影响评估报告.txt',
  content: Buffer.from(
    '算法影响评估报告\n评估对象：綦江河氨氮超标预警\n结论：预警经人工复核后推送，对公众权益影响可控。\n',
  ),
};
/** An enforcement officer's read of a complaint and its complainant (tests/e2e/governance.e2e.test.ts). */
const COMPLAINT = `query Complaint {
  complaint(id: "C-20250915-JCK") {
    summary
    complainant { id name mobile idNumber }
  }
}`;
const SHARE_CLASS_LABELS: Record<string, string> = {
  UNCONDITIONAL: '无条件共享',
  CONDITIONAL: '有条件共享',
  NOT_SHARED: '不予共享',
};
/**
 * Where the pages' screenshots go: CONSOLE_SCREENSHOTS (the README's
 * docs/console/*.png are made with it); without it none are taken (a
 * screenshot of each page cost about a fifth of the file's time).
 */
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];
const CONSOLE_USERS = [
  'algorithm-reviewer',
  'environment-algorithm-owner',
  'env-analyst',
  'city-auditor',
  'water-duty-qijiang',
  'emergency-duty',
  'publicsecurity-data-officer',
  'publicsecurity-chief-data-officer',
  'market-data-officer',
];
/** The share request the data officer approves, narrower than asked. */
const REQUEST = 'SR-2026-0002';
/** A field of the market regulator's nobody has classified in the demo city. */
const UNCLASSIFIED = 'Enterprise.creditGrade';
/** The entry the data officers' journey drafts and publishes. */
const ENTRY = 'NL-PS-010';
/** A duty officer's read of a responsible person (docs/administration.md's walkthrough). */
const RESPONSIBLE_PERSON = `{ riskItems(regionCode: "500110", first: 1) { nodes { name responsiblePerson { name birthDate } } } }`;

/** Keeps a picture of the page, whole, or only what is in view (a dialog). */
async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<void> {
  if (SCREENSHOTS === undefined) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // (Animations finished: a dialog is taken as it stands, not fading in.)
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage,
    animations: 'disabled',
  });
}

/** Picks the option labelled `text` of the Ant Design select `testid`. */
async function choose(page: Page, testid: string, text: string): Promise<void> {
  const select = page.getByTestId(testid);
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .locator('.ant-select-item-option', { hasText: text })
    .first();
  // Chosen once the select shows it. Under load the list may close again
  // while it opens, or a click land while it is still moving and choose
  // nothing: then the list is opened (if it is not) and the choice made
  // again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!(await option.isVisible())) await select.click();
      await option.click({ timeout: 3_000 });
      await select.filter({ hasText: text }).waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Answers the confirmation dialog open on the page and waits until it is
 * gone. A click that lands while the dialog is still opening may do
 * nothing (seen in full runs: the button stays, the action never runs);
 * the answer is given again then — a dialog's button ignores clicks once
 * one has registered, so a second click never acts twice.
 */
async function answerConfirm(
  page: Page,
  answer: 'ok' | 'cancel',
): Promise<void> {
  const button = page.getByTestId(`confirm-${answer}`);
  for (let attempt = 1; ; attempt += 1) {
    await button.click();
    try {
      await button.waitFor({ state: 'detached', timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Clicks what downloads a file and resolves with the download. A click
 * that lands while a dialog is still opening may do nothing (seen in a
 * full run): the click is made again, up to three times.
 */
async function downloadBy(page: Page, target: Locator): Promise<Download> {
  for (let attempt = 1; ; attempt += 1) {
    const event = page.waitForEvent('download', {
      timeout: attempt === 3 ? 10_000 : 5_000,
    });
    await target.click();
    try {
      return await event;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Opens the console and logs in as a demo user. */
async function logIn(page: Page, user: string): Promise<void> {
  await page.goto(registryConsole!.url);
  await page.getByTestId(`demo-user-${user}`).click();
  await page.getByTestId('who-name').waitFor();
}

/** Records page errors and console errors (a CSP violation is one). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

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
        roles: findDemoUser(id)!.claims.roles,
        purpose: findDemoUser(id)!.purpose,
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

/** Creates the HIGH-risk filing as a draft of its owner department. */
async function createFiling(): Promise<void> {
  data(
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
  );
}

/**
 * The owner's part in the browser: on the draft's page, a file over the
 * server's limit and one of a type it does not take are refused in the
 * page without a request; the impact assessment is uploaded (listed with
 * name, size, type and SHA-256) and the filing submitted.
 */
async function uploadAndSubmit(page: Page): Promise<void> {
  const attachRequests: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /AttachEvidence/.test(r.postData() ?? '')) {
      attachRequests.push(r.url());
    }
  });
  await logIn(page, 'environment-algorithm-owner');
  assert.deepEqual(
    await page
      .locator('[data-testid^="nav-"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('data-testid'))),
    ['nav-registry', 'nav-developer'],
  );
  await page.goto(`${registryConsole!.url}#/filing/${FILING}`);
  await waitForState(page, 'DRAFT');
  const policy = page.getByTestId('evidence-policy');
  await policy.filter({ hasText: '单个文件不超过' }).waitFor();
  const { maxBytes } = data(
    await as(
      'environment-algorithm-owner',
      '{ algorithmEvidencePolicy { maxBytes contentTypes } }',
    ),
  ).algorithmEvidencePolicy;
  assert.match(
    await policy.innerText(),
    new RegExp(`不超过 ${(maxBytes / 1024 / 1024).toFixed(1)} MiB`),
  );
  const input = page.getByTestId('evidence-upload').locator('input[type=file]');
  const refused = page.getByTestId('evidence-refused');
  await input.setInputFiles({
    name: '影响评估报告（扫描件）.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(maxBytes + 1, 0x25),
  });
  await refused.filter({ hasText: '超过证明材料的上限' }).waitFor();
  await input.setInputFiles({
    name: '影响评估报告.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('PK\x03\x04'),
  });
  await refused.filter({ hasText: '不在允许范围内' }).waitFor();
  assert.equal(await page.getByTestId('evidence-send').isDisabled(), true);
  assert.deepEqual(attachRequests, [], 'refused before sending');

  await input.setInputFiles({
    name: EVIDENCE.fileName,
    mimeType: 'text/plain',
    buffer: EVIDENCE.content,
  });
  await page.getByTestId('evidence-chosen').waitFor();
  assert.equal(await refused.count(), 0);
  await page.getByTestId('evidence-title').fill('算法影响评估报告');
  await page.getByTestId('evidence-send').click();
  await page
    .getByTestId('notice')
    .filter({ hasText: `已上传证明材料“${EVIDENCE.fileName}”` })
    .waitFor();
  assert.equal(attachRequests.length, 1);
  const listed = page.getByTestId('evidence-IMPACT_ASSESSMENT');
  await listed.waitFor();
  assert.equal(
    await listed.getByTestId('evidence-file-name').innerText(),
    EVIDENCE.fileName,
  );
  assert.equal(
    await listed.getByTestId('evidence-content-type').innerText(),
    'text/plain',
  );
  assert.equal(
    await listed.getByTestId('evidence-sha256').innerText(),
    createHash('sha256').update(EVIDENCE.content).digest('hex'),
  );
  await screenshot(page, 'filing-evidence-upload');
  await page.getByTestId('action-SUBMIT').click();
  await waitForState(page, 'SUBMITTED');
  // Submitted, it is no longer the owner's to add to.
  assert.equal(await page.getByTestId('evidence-upload').count(), 0);
}

/** Waits until the filing page shows `state`. */
async function waitForState(page: Page, state: string): Promise<void> {
  await page
    .locator(`[data-testid="filing-state"][data-state="${state}"]`)
    .waitFor();
}

describe('the web console', () => {
  it('lets an owner upload evidence (refused over the limit without a request) and submit, and a reviewer find, read, open the evidence, start, refuse to return without a comment, and file the filing in the browser', async () => {
    await createFiling();
    const owner = await context!.newPage();
    owner.setDefaultTimeout(10_000);
    const ownerErrors = watchErrors(owner);
    try {
      await uploadAndSubmit(owner);
      assert.deepEqual(ownerErrors, []);
    } catch (error) {
      const shown = await owner
        .locator('main')
        .innerText({ timeout: 1_000 })
        .catch(() => '(no page)');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- owner's page (${owner.url()}):\n${shown.slice(0, 2_000)}\n--- page errors:\n${ownerErrors.join('\n')}`,
        { cause: error },
      );
    } finally {
      await owner.close();
    }
    // What the gateway says the inputs' share classes are, for the table.
    const expectedInputs: {
      coordinate: string;
      owners: string[];
      shareClass: string;
      negativeListEntry: string | null;
    }[] = data(
      await as(
        'algorithm-reviewer',
        `{ algorithmFiling(id: "${FILING}") { currentRevision { inputs { coordinate owners shareClass negativeListEntry } } } }`,
      ),
    ).algorithmFiling.currentRevision.inputs;
    assert.equal(expectedInputs.length, INPUTS.length);
    assert.deepEqual(
      [...new Set(expectedInputs.map((i) => i.shareClass))].sort(),
      ['CONDITIONAL', 'UNCONDITIONAL'],
    );

    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = watchErrors(page);
    try {
      // 登录: the demo reviewer; the menu holds the reviewer's pages only.
      await page.goto(registryConsole!.url);
      await page.getByTestId('demo-user-algorithm-reviewer').waitFor();
      await screenshot(page, 'login');
      await page.getByTestId('demo-user-algorithm-reviewer').click();

      // 审核队列: the new filing, also under the HIGH filter.
      await page.getByTestId('queue-table').waitFor();
      assert.match(
        await page.getByTestId('who-name').innerText(),
        /algorithm-reviewer · 市委网信办/,
      );
      assert.deepEqual(
        await page
          .locator('[data-testid^="nav-"]')
          .evaluateAll((links) =>
            links.map((l) => l.getAttribute('data-testid')),
          ),
        ['nav-queue', 'nav-registry', 'nav-developer'],
      );
      // The token is kept for this tab only.
      assert.match(
        String(
          await page.evaluate(
            "sessionStorage.getItem('govgraph.console.token')",
          ),
        ),
        /^[\w-]+\.[\w-]+\.[\w-]+$/,
      );
      await choose(page, 'risk-filter', '高风险');
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
      await screenshot(page, 'review-queue');
      await row.click();

      // 备案详情: header, inputs grouped by department with their share
      // class, paging plumbing folded away, evidence, history.
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
        // (textContent: the folded plumbing is in the page, not shown.)
        assert.equal(
          await share.textContent(),
          SHARE_CLASS_LABELS[input.shareClass],
        );
        assert.equal(
          (
            await page
              .getByTestId(`input-${input.coordinate}`)
              .locator('td')
              .last()
              .textContent()
          )?.trim(),
          input.negativeListEntry ?? '—',
        );
      }
      // Each input under the department that provides it, by its Chinese
      // name; ReadingConnection.nodes is paging plumbing, folded away.
      const plumbing = ['ReadingConnection.nodes'];
      const byOwner = new Map<string, string[]>();
      for (const input of expectedInputs) {
        if (plumbing.includes(input.coordinate)) continue;
        const owner = [...input.owners].sort().join(',');
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), input.coordinate]);
      }
      assert.ok(byOwner.has('environment'));
      for (const [owner, coordinates] of byOwner) {
        const group = page.getByTestId(`inputs-of-${owner}`);
        assert.match(
          await group.locator('h5').innerText(),
          owner === 'environment'
            ? new RegExp(`^生态环境局（${String(coordinates.length)} 项）`)
            : new RegExp(`^\\S+（${String(coordinates.length)} 项）`),
        );
        for (const coordinate of coordinates) {
          assert.equal(
            await group.getByTestId(`input-${coordinate}`).count(),
            1,
            coordinate,
          );
        }
      }
      assert.equal(
        await page.getByTestId('input-ReadingConnection.nodes').isVisible(),
        false,
      );
      assert.match(
        await page.getByTestId('inputs-table').innerText(),
        /另含 1 项分页结构字段/,
      );
      // The evidence: the uploaded impact assessment opens through the
      // gateway with its content and the hash it was stored with; the
      // doc:// reference cannot open. The reviewer cannot upload.
      const impact = page.getByTestId('evidence-IMPACT_ASSESSMENT');
      assert.match(await impact.innerText(), /算法影响评估报告/);
      const sha256 = createHash('sha256')
        .update(EVIDENCE.content)
        .digest('hex');
      assert.equal(
        await impact.getByTestId('evidence-sha256').innerText(),
        sha256,
      );
      assert.equal(await page.getByTestId('evidence-upload').count(), 0);
      assert.equal(
        await page
          .getByTestId('evidence-SELF_ASSESSMENT')
          .getByTestId('evidence-unavailable')
          .isDisabled(),
        true,
      );
      await impact.locator('[data-testid^="evidence-open-"]').click();
      const viewer = page.getByTestId('evidence-viewer');
      await viewer.waitFor();
      assert.equal(
        await viewer.getByTestId('evidence-text').textContent(),
        EVIDENCE.content.toString('utf8'),
      );
      assert.equal(
        await viewer.getByTestId('evidence-viewer-sha').innerText(),
        sha256,
      );
      assert.equal(
        await viewer
          .getByTestId('evidence-integrity')
          .getAttribute('data-intact'),
        'true',
      );
      assert.equal(
        await viewer.getByTestId('evidence-viewer-type').innerText(),
        'text/plain',
      );
      await screenshot(page, 'evidence-open', { fullPage: false });
      // 下载: the document as a file of its name and bytes.
      assert.match(
        String(
          await page.getByTestId('evidence-download').getAttribute('href'),
        ),
        /^blob:/,
      );
      const download = await downloadBy(
        page,
        page.getByTestId('evidence-download'),
      );
      assert.equal(download.suggestedFilename(), EVIDENCE.fileName);
      assert.deepEqual(readFileSync(await download.path()), EVIDENCE.content);
      await page.getByTestId('evidence-close').click();
      await viewer.waitFor({ state: 'hidden' });
      // Read through the gateway as the reviewer: access-logged.
      const { rows: logged } = await t!.tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit.access_records
          WHERE subject = 'algorithm-reviewer' AND operation_name = 'EvidenceContent'`,
      );
      assert.equal(logged[0]?.n, 1);
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

      // 退回 without a comment: the server refuses and the console says
      // why, in Chinese, with what to do next.
      await page.getByTestId('action-RETURN').click();
      const alert = page.getByTestId('alert');
      await alert.waitFor({ state: 'visible' });
      const alertText = await alert.innerText();
      assert.match(alertText, /输入有误/);
      assert.match(alertText, /请按提示修改填写内容后重试/);
      assert.match(alertText, /BAD_USER_INPUT/);
      assert.match(alertText, /comment/);
      await waitForState(page, 'UNDER_REVIEW');

      // 通过备案 asks first: cancelled, nothing happens; confirmed, FILED
      // with a filing number.
      await page
        .getByTestId('comment')
        .fill('材料齐全，影响评估充分，同意备案。');
      await page.getByTestId('action-FILE').click();
      await answerConfirm(page, 'cancel');
      await waitForState(page, 'UNDER_REVIEW');
      await page.getByTestId('action-FILE').click();
      await answerConfirm(page, 'ok');
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
      // 注销 is offered and asks before it acts too.
      await page.getByTestId('action-RETIRE').click();
      await page
        .locator('.ant-modal-confirm-title', { hasText: '确认注销？' })
        .waitFor();
      await answerConfirm(page, 'cancel');
      await screenshot(page, 'filing');

      // 备案目录: search by id.
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-table').waitFor();
      const search = page.getByTestId('search').locator('input');
      await search.fill(FILING);
      await search.press('Enter');
      await page
        .locator('[data-testid^="registry-row-"]')
        .first()
        .getByText(FILING)
        .waitFor();
      const found = page.getByTestId(`registry-row-${FILING}`);
      await found.waitFor();
      assert.equal(
        await page.locator('[data-testid^="registry-row-"]').count(),
        1,
      );
      assert.match(await found.innerText(), /已备案/);
      assert.ok((await found.innerText()).includes(filingNumber));
      await screenshot(page, 'registry');

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
    const index = readFileSync(
      new URL('../../console/dist/index.html', import.meta.url),
      'utf8',
    );
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    assert.deepEqual(assets.map((a) => a.split('.').pop()).sort(), [
      'css',
      'js',
    ]);
    for (const [path, type, cache] of [
      ['/', 'text/html', 'no-cache'],
      ['/index.html', 'text/html', 'no-cache'],
      ...assets.map(
        (a) =>
          [
            a,
            a.endsWith('.js') ? 'text/javascript' : 'text/css',
            'public, max-age=31536000, immutable',
          ] as const,
      ),
    ] as const) {
      const res = await fetch(new URL(path, base));
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', new RegExp(type));
      assert.equal(res.headers.get('cache-control'), cache);
      assert.match(
        res.headers.get('content-security-policy') ?? '',
        path.startsWith('/assets/')
          ? /default-src 'self'; script-src 'self'; style-src 'self';.* connect-src 'self';/
          : /default-src 'self'; script-src 'self'; style-src 'self' 'nonce-[\w+/=]{24}';.* connect-src 'self';/,
      );
      await res.arrayBuffer();
    }
    const config = await fetch(new URL('/api/console-config', base));
    assert.deepEqual(await config.json(), { demo: true, oidc: null });
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/assets/../index.html/../../package.json',
      '/src/main.tsx',
      '/.build-hash',
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
    // Its body limit is the gateway's (8 MiB), so an evidence document of
    // 5 MiB in base64 passes it; a larger body is refused with 413.
    const large = await fetch(new URL('/graphql', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(DEFAULT_CONSOLE_MAX_BODY_BYTES + 1),
    });
    assert.equal(large.status, 413);
    await large.arrayBuffer();
    const evidenceSized = await postGraphQL<any>(
      new URL('/graphql', base).href,
      `query($id: ID!) { algorithmEvidenceDocument(id: $id) { id } }`,
      { id: 'x'.repeat(Math.ceil((5 * 1024 * 1024 * 4) / 3)) },
      headers,
    );
    // Passed to the gateway, which answers it (not the console's 413).
    assert.notEqual(evidenceSized.status, 413);
    assert.ok(
      evidenceSized.data !== undefined || evidenceSized.errors !== undefined,
      evidenceSized.text.slice(0, 500),
    );

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
    // A demo user the console does not offer, an unknown one, not an id.
    for (const userId of ['enforcement-jiefangbei', 'nobody', 42]) {
      const refused = await fetch(new URL('/api/demo-login', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      assert.equal(refused.status, 400, String(userId));
      await refused.arrayBuffer();
    }

    // In production mode, with OpenID Connect, and with the gateway
    // unreachable.
    const plain = await serveRegistryConsole({
      port: 0,
      gatewayUrl: 'http://127.0.0.1:1/graphql',
      mode: { kind: 'production' },
      oidc: {
        issuer: 'https://id.example.gov.cn/realms/city',
        clientId: 'govgraph-console',
      },
    });
    try {
      const production = await fetch(new URL('/api/console-config', plain.url));
      assert.deepEqual(await production.json(), {
        demo: false,
        oidc: {
          issuer: 'https://id.example.gov.cn/realms/city',
          clientId: 'govgraph-console',
          scope: 'openid profile',
        },
      });
      const page = await fetch(plain.url);
      assert.match(
        page.headers.get('content-security-policy') ?? '',
        / connect-src 'self' https:\/\/id\.example\.gov\.cn;/,
      );
      await page.arrayBuffer();
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
  it('explains to a developer why a field is withheld: its decision and rule, in Chinese', async () => {
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = watchErrors(page);
    try {
      await logIn(page, 'env-analyst');
      // Not a reviewer: the developer page only.
      assert.deepEqual(
        await page
          .locator('[data-testid^="nav-"]')
          .evaluateAll((links) =>
            links.map((l) => l.getAttribute('data-testid')),
          ),
        ['nav-developer'],
      );
      await page.getByTestId('explain-operation').waitFor();
      await page.getByTestId('explain-operation').fill(COMPLAINT);
      await page.getByTestId('explain-submit').click();
      const idNumber = page.getByTestId('explained-Person.idNumber');
      await idNumber.waitFor();
      assert.equal(await idNumber.getAttribute('data-effect'), 'DENY');
      const text = await idNumber.innerText();
      assert.match(text, /拒绝（返回 null）/);
      assert.match(text, /negative-list:NL-PS-001@1/);
      assert.match(text, /负面清单禁止共享/);
      assert.match(text, /公安局/);
      await screenshot(page, 'developer-explain');
      // Running it: the withheld field's error, in Chinese, beside the data.
      await page.getByTestId('run-submit').click();
      const errors = page.getByTestId('run-errors');
      await errors.waitFor();
      assert.match(await errors.innerText(), /idNumber[\s\S]*负面清单禁止共享/);
      // The schema this caller may use.
      await page.getByRole('tab', { name: '可用的接口' }).click();
      await page.getByTestId('schema-sdl').waitFor();
      assert.match(
        await page.getByTestId('schema-sdl').innerText(),
        /type Query \{/,
      );
      await page
        .getByTestId('schema-filter')
        .locator('input')
        .fill('Complaint');
      await page.getByTestId('schema-type-Complaint').click();
      assert.match(
        await page.getByTestId('schema-sdl').innerText(),
        /type Complaint \{[\s\S]*summary/,
      );
      await screenshot(page, 'developer-schema');
      assert.deepEqual(pageErrors, []);
    } finally {
      await page.close();
    }
  });

  it('logs in by OpenID Connect, authorization code with PKCE, and shows the role the token names', async () => {
    // A stand-in identity provider: discovery, the authorization endpoint
    // (which logs the reviewer in at once) and the token endpoint.
    const requests: { path: string; params: URLSearchParams }[] = [];
    const accessToken = await mintToken(
      findDemoUser('algorithm-reviewer')!.claims,
      new TextEncoder().encode(TEST_TOKEN_SECRET),
      { ttlSeconds: 600 },
    );
    const idp = createServer((req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({
          path: url.pathname,
          params:
            req.method === 'POST'
              ? new URLSearchParams(body)
              : url.searchParams,
        });
        const cors = { 'access-control-allow-origin': '*' };
        if (url.pathname === '/realms/city/.well-known/openid-configuration') {
          res.writeHead(200, { ...cors, 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              issuer,
              authorization_endpoint: `${issuer}/authorize`,
              token_endpoint: `${issuer}/token`,
              jwks_uri: `${issuer}/jwks`,
              response_types_supported: ['code'],
              code_challenge_methods_supported: ['S256'],
            }),
          );
        } else if (url.pathname === '/realms/city/authorize') {
          const back = new URL(url.searchParams.get('redirect_uri') ?? '');
          back.searchParams.set('code', 'one-time-code');
          back.searchParams.set('state', url.searchParams.get('state') ?? '');
          res.writeHead(302, { location: back.href });
          res.end();
        } else if (url.pathname === '/realms/city/token') {
          res.writeHead(200, { ...cors, 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              access_token: accessToken,
              id_token: accessToken,
              token_type: 'Bearer',
              expires_in: 600,
              scope: 'openid profile',
            }),
          );
        } else {
          res.writeHead(404, cors);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${String((idp.address() as AddressInfo).port)}/realms/city`;
    const oidcConsole = await serveRegistryConsole({
      port: 0,
      gatewayUrl: t!.hub.gatewayUrl,
      mode: { kind: 'production' },
      oidc: { issuer, clientId: 'govgraph-console' },
    });
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = watchErrors(page);
    try {
      await page.goto(oidcConsole.url);
      await page.getByTestId('oidc-login').click();
      await page.getByTestId('queue-table').waitFor();
      assert.match(
        await page.getByTestId('who-name').innerText(),
        /algorithm-reviewer · 市委网信办/,
      );
      // The code is gone from the address bar.
      assert.equal(new URL(page.url()).search, '');
      const authorize = requests.find((r) => r.path.endsWith('/authorize'))!;
      assert.equal(authorize.params.get('response_type'), 'code');
      assert.equal(authorize.params.get('client_id'), 'govgraph-console');
      assert.equal(authorize.params.get('redirect_uri'), oidcConsole.url);
      assert.equal(authorize.params.get('code_challenge_method'), 'S256');
      const token = requests.find((r) => r.path.endsWith('/token'))!;
      assert.equal(token.params.get('grant_type'), 'authorization_code');
      assert.equal(token.params.get('code'), 'one-time-code');
      assert.equal(token.params.get('client_secret'), null);
      // PKCE: the verifier sent with the code hashes to the challenge sent
      // before it.
      assert.equal(
        createHash('sha256')
          .update(token.params.get('code_verifier') ?? '')
          .digest('base64url'),
        authorize.params.get('code_challenge'),
      );
      // Production: no demo users offered, none asked for.
      assert.equal(await page.getByTestId('demo-users').count(), 0);
      assert.deepEqual(pageErrors, []);
    } finally {
      await page.close();
      await oidcConsole.close();
      idp.closeAllConnections();
      await new Promise((resolve) => idp.close(resolve));
    }
  });

  it('holds its layout at 390 px: no sideways scrolling, the menu folded away', async () => {
    const narrow = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      isMobile: true,
      hasTouch: true,
    });
    const page = await narrow.newPage();
    page.setDefaultTimeout(10_000);
    const overflow = async (): Promise<number> =>
      Number(
        await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        ),
      );
    try {
      await page.goto(registryConsole!.url);
      await page.getByTestId('demo-user-algorithm-reviewer').waitFor();
      assert.ok((await overflow()) <= 0, 'login page scrolls sideways');
      await page.getByTestId('demo-user-algorithm-reviewer').click();
      await page.getByTestId('queue-table').waitFor();
      // The header keeps the user and the logout in view.
      for (const id of ['who-name', 'logout']) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 390, id);
      }
      assert.ok((await overflow()) <= 0, 'queue scrolls sideways');
      // The menu is folded away and opens from its trigger.
      assert.equal(
        (await page.getByTestId('sider').boundingBox())?.width ?? 0,
        0,
      );
      await page.locator('.ant-layout-sider-zero-width-trigger').click();
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-table').waitFor();
      assert.ok((await overflow()) <= 0, 'registry scrolls sideways');
      await screenshot(page, 'registry-390px');
      await page.locator('[data-testid^="registry-row-"]').first().click();
      await page.getByTestId('filing-header').waitFor();
      assert.ok((await overflow()) <= 0, 'filing page scrolls sideways');
      // The duty officer's and the auditor's pages hold too.
      const relogin = async (user: string, testid: string) => {
        await page.evaluate('sessionStorage.clear()');
        await page.goto(registryConsole!.url);
        await page.getByTestId(`demo-user-${user}`).click();
        await page.getByTestId(testid).waitFor();
      };
      await relogin('water-duty-qijiang', 'webhooks');
      assert.ok((await overflow()) <= 0, 'inbox scrolls sideways');
      await page.goto(`${registryConsole!.url}#/risks`);
      await page.getByTestId('district-map').waitFor();
      assert.ok((await overflow()) <= 0, 'risk search scrolls sideways');
      await relogin('city-auditor', 'audit-table');
      assert.ok((await overflow()) <= 0, 'access log scrolls sideways');
      await page.locator('[data-testid^="audit-row-"]').first().click();
      await page.getByTestId('audit-record').waitFor();
      assert.ok((await overflow()) <= 0, 'access record scrolls sideways');
    } finally {
      await narrow.close();
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
      await choose(page, 'state-filter', '已备案');
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

  it('lets an auditor find a query made earlier, open it, verify the chain and export the records as CSV', async () => {
    // An enforcement officer reads a complaint and its complainant: the
    // gateway masks or withholds the complainant's details and logs it.
    const made = await as(
      'enforcement-jiefangbei',
      COMPLAINT.replace('query Complaint', 'query AuditorJourney'),
    );
    assert.ok(made.data, made.text);
    const { rows: logged } = await t!.tdb.db.query<{ seq: string }>(
      `SELECT seq::text AS seq FROM audit.access_records
        WHERE subject = 'enforcement-jiefangbei' ORDER BY seq DESC LIMIT 1`,
    );
    const seq = logged[0]!.seq;
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const errors = watchErrors(page);
    try {
      await logIn(page, 'city-auditor');
      await page.getByTestId('audit-table').waitFor();
      await page.getByTestId('audit-subject').fill('enforcement-jiefangbei');
      await page.getByTestId('audit-apply').click();
      const row = page.getByTestId(`audit-row-${seq}`);
      await row.waitFor();
      // Only the officer's records are listed, newest (the query) first.
      for (const r of await page.locator('[data-testid^="audit-row-"]').all()) {
        assert.equal(
          await r.getAttribute('data-subject'),
          'enforcement-jiefangbei',
        );
      }
      assert.equal(
        await page
          .locator('[data-testid^="audit-row-"]')
          .first()
          .getAttribute('data-testid'),
        `audit-row-${seq}`,
      );
      await row.click();
      await page.getByTestId('audit-record').waitFor();
      assert.match(
        await page.getByTestId('record-operation').innerText(),
        /query AuditorJourney/,
      );
      assert.equal(
        await page.getByTestId('record-subject').innerText(),
        'enforcement-jiefangbei',
      );
      const read = await page.getByTestId('record-read').innerText();
      assert.match(read, /Query\.complaint/);
      // What the log says was withheld and masked, with its rules.
      const record = data(
        await as(
          'city-auditor',
          `query($seq: ID!) { accessRecord(seq: $seq) { withheld { coordinate rule } masked { coordinate rule } traceId } }`,
          { seq },
        ),
      ).accessRecord;
      assert.ok(record.withheld.length + record.masked.length > 0);
      const withheldText = await page
        .getByTestId('record-withheld')
        .innerText();
      for (const w of record.withheld) {
        assert.ok(withheldText.includes(w.coordinate), w.coordinate);
        assert.ok(withheldText.includes(w.rule), w.rule);
      }
      const maskedText = await page.getByTestId('record-masked').innerText();
      for (const m of record.masked) {
        assert.ok(maskedText.includes(m.coordinate), m.coordinate);
        assert.ok(maskedText.includes(m.rule), m.rule);
      }
      // The trace id the record was logged with (this hub traces nothing:
      // none, and the drawer says so).
      assert.match(
        await page.getByTestId('record-trace-id').innerText(),
        record.traceId === null ? /^未追踪/ : new RegExp(`^${record.traceId}`),
      );
      await screenshot(page, 'auditor-record');
      await page.keyboard.press('Escape');
      await page.getByTestId('audit-record').waitFor({ state: 'detached' });

      // The chain verifies, up to a head at or after the record.
      await page.getByTestId('verify').click();
      const state = page.getByTestId('verification-state');
      await state.waitFor();
      assert.equal(await state.getAttribute('data-ok'), 'true');
      const head = await page.getByTestId('verified-head').innerText();
      const headSeq = Number(/#(\d+)/.exec(head)?.[1]);
      assert.ok(headSeq >= Number(seq), head);

      // The export is the API's CSV of the filtered records, every page.
      const file = await downloadBy(page, page.getByTestId('audit-export'));
      const csv = readFileSync((await file.path())!, 'utf8');
      const lines = csv.trim().split('\r\n');
      const { rows: count } = await t!.tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit.access_records
          WHERE subject = 'enforcement-jiefangbei'`,
      );
      assert.equal(lines.length, count[0]!.n + 1, csv);
      assert.ok(lines.some((l) => l.includes('AuditorJourney')));
      await screenshot(page, 'auditor-log');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('lets a duty officer search risks, acknowledge, dispose and close an alert', async () => {
    const { rows: raised } = await t!.tdb.db.query<{ id: string }>(
      `SELECT id FROM emergency.alerts
        WHERE risk_item_id = 'RI-PUHE-ZHAIXI' AND evaluation_key IS NOT NULL`,
    );
    const alertId = raised[0]!.id;
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const errors = watchErrors(page);
    try {
      await logIn(page, 'water-duty-qijiang');
      await page.getByTestId('inbox-table').waitFor();
      await page.getByTestId(`inbox-row-${alertId}`).click();
      const detail = page.getByTestId('alert-detail');
      await detail.waitFor();
      assert.equal(await detail.getAttribute('data-status'), 'NEW');
      // The readings that crossed the threshold and the suspected sources.
      assert.match(
        await page.getByTestId('alert-readings').innerText(),
        /mg\/L/,
      );
      assert.match(
        await page.getByTestId('alert-sources').innerText(),
        /污水处理厂/,
      );
      await page.getByTestId('alert-deliveries').waitFor();
      await screenshot(page, 'duty-alert');
      // Only the step the lifecycle allows from NEW is offered.
      assert.equal(await page.getByTestId('alert-dispose').count(), 0);
      await page.getByTestId('alert-acknowledge').click();
      await page
        .locator('[data-testid="alert-detail"][data-status="ACKNOWLEDGED"]')
        .waitFor();
      // Disposing needs a description: the server says so, in Chinese.
      await page.getByTestId('alert-dispose').click();
      await page
        .getByTestId('alert')
        .filter({ hasText: 'BAD_USER_INPUT' })
        .waitFor();
      await page
        .getByTestId('alert-comment')
        .fill('已通知污水处理厂排查，加密监测');
      await page.getByTestId('alert-dispose').click();
      await page
        .locator('[data-testid="alert-detail"][data-status="DISPOSED"]')
        .waitFor();
      await page.getByTestId('alert-close').click();
      await page
        .locator('[data-testid="alert-detail"][data-status="CLOSED"]')
        .waitFor();
      await page.getByTestId('alert-no-actions').waitFor();
      const { rows } = await t!.tdb.db.query<{ status: string }>(
        'SELECT status FROM emergency.alerts WHERE id = $1',
        [alertId],
      );
      assert.equal(rows[0]!.status, 'CLOSED');
      assert.match(
        await page.getByTestId('alert-events').innerText(),
        /已通知污水处理厂排查/,
      );
      await page.keyboard.press('Escape');
      await page.getByTestId('webhooks').waitFor();

      // Risk search as the city's duty officer: highlights, facets and
      // the district grid agree with the search API.
      const expected = data(
        await as(
          'emergency-duty',
          `{ searchRiskItems(text: "危化", facets: [DISTRICT]) { totalCount facets { buckets { value count } } } }`,
        ),
      ).searchRiskItems;
      assert.ok(expected.totalCount > 0);
      await page.evaluate('sessionStorage.clear()');
      await page.goto(registryConsole!.url);
      await page.getByTestId('demo-user-emergency-duty').click();
      await page.getByTestId('who-name').waitFor();
      await page.getByTestId('nav-risks').click();
      await page.getByTestId('district-map').waitFor();
      assert.equal(
        await page.locator('[data-testid^="district-5"]').count(),
        38,
      );
      await page.getByTestId('risk-search').locator('input').fill('危化');
      await page.getByTestId('risk-search-submit').click();
      await page
        .getByTestId('page-info')
        .filter({ hasText: `共 ${String(expected.totalCount)} 条` })
        .waitFor();
      const marks = page.locator('[data-testid="risk-highlight"] mark');
      await marks.first().waitFor();
      for (const mark of await marks.all()) {
        assert.equal(await mark.innerText(), '危化');
      }
      for (const bucket of expected.facets[0].buckets) {
        assert.equal(
          await page
            .getByTestId(`district-${String(bucket.value)}`)
            .getAttribute('data-count'),
          String(bucket.count),
          bucket.value,
        );
      }
      await page.getByTestId('risk-facets').waitFor();
      await screenshot(page, 'duty-risks');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('lets a data officer draft a negative-list entry that a second officer approves, and the gateway withholds the field within 2 s', async () => {
    // Before: the duty officer reads birth dates (masked to the year).
    const before = data(await as('emergency-duty', RESPONSIBLE_PERSON));
    assert.match(
      before.riskItems.nodes[0].responsiblePerson.birthDate,
      /^\d{4}$/,
    );
    const author = await context!.newPage();
    author.setDefaultTimeout(10_000);
    const pageErrors = watchErrors(author);
    const reviewer = await context!.newPage();
    reviewer.setDefaultTimeout(10_000);
    watchErrors(reviewer);
    try {
      // Officer A: the department's list, filtered by selector.
      await logIn(author, 'publicsecurity-data-officer');
      await author.getByTestId('nav-negative-list').click();
      await author.getByTestId('entry-row-NL-PS-002').click();
      // NL-PS-002's two versions side by side: v2 widened the conditions.
      await author.getByTestId('entry-diff').waitFor();
      const widened = author.getByTestId('diff-conditions');
      await widened.waitFor();
      assert.match(
        await widened.innerText(),
        /共享条件[\s\S]*enforcement[\s\S]*market/,
      );
      await screenshot(author, 'negative-list-diff');
      await author.goBack();
      await author.getByTestId('entry-row-NL-PS-002').waitFor();
      await author
        .getByTestId('selector-filter')
        .locator('input')
        .fill('idNumber');
      await author
        .getByTestId('selector-filter')
        .locator('input')
        .press('Enter');
      await author
        .getByTestId('entry-row-NL-PS-002')
        .waitFor({ state: 'detached' });
      await author.getByTestId('entry-row-NL-PS-001').waitFor();
      await screenshot(author, 'negative-list');

      // The editor: a typo is refused by the server with the nearest name.
      await author.getByTestId('entry-new').click();
      await author.getByTestId('entry-id').fill(ENTRY);
      const coordinates = author.getByTestId('entry-coordinates');
      await coordinates.click();
      await author.keyboard.type('Person.birthDat');
      await author.keyboard.press('Enter');
      await author.keyboard.press('Escape');
      const typo = author
        .locator(
          '[data-testid="entry-problem"][data-field="selector.coordinates"]',
        )
        .filter({ hasText: 'Person.birthDat' });
      await typo.waitFor();
      assert.match(await typo.innerText(), /未知名称 Person\.birthDat/);
      await author
        .locator('[data-testid="entry-problem"][data-field="legalBasis"]')
        .waitFor();
      await typo.getByTestId('entry-suggestion').click();
      await typo.waitFor({ state: 'detached' });
      assert.match(await coordinates.innerText(), /Person\.birthDate/);
      await author.getByTestId('entry-priority').fill('30');
      await author
        .getByTestId('entry-legal-basis')
        .fill('《中华人民共和国个人信息保护法》第二十八条');
      await author.getByTestId('entry-reason').fill('出生日期不予共享');
      await author.getByTestId('entry-valid').waitFor();
      assert.match(
        await author.getByTestId('entry-coverage').innerText(),
        /Person\.birthDate/,
      );
      // The grant G-2025-002 would lapse for the field: reported, not refused.
      await author.getByTestId('entry-contradiction').first().waitFor();
      await screenshot(author, 'negative-list-editor');
      await author.getByTestId('entry-save').click();
      await author
        .locator('[data-testid="entry-status"] [data-status="DRAFT"]')
        .waitFor();
      // Its impact on the traffic recorded so far: the duty officer's read.
      await author.getByTestId('impact-run').click();
      await author.getByTestId('impact-summary').waitFor();
      assert.match(
        await author.getByTestId('impact-fields').innerText(),
        /Person\.birthDate[\s\S]*MASK[\s\S]*DENY[\s\S]*应急管理局/,
      );
      await author.getByTestId('impact-chart').waitFor();
      await screenshot(author, 'negative-list-impact');
      await author.getByTestId('entry-submit').click();
      await author
        .locator('[data-testid="entry-status"] [data-status="IN_REVIEW"]')
        .waitFor();
      // Four eyes: the author is offered no approval, and the server agrees.
      await author.getByTestId('entry-review-blocked').waitFor();
      assert.match(
        await author.getByTestId('entry-review-blocked').innerText(),
        /四眼原则/,
      );
      assert.equal(await author.getByTestId('entry-approve').count(), 0);
      const own = await as(
        'publicsecurity-data-officer',
        `mutation { approveNegativeListEntry(id: "${ENTRY}", version: 1, expectedRevision: 2) { status } }`,
      );
      assert.equal(
        own.errors?.[0]?.extensions?.['rule'],
        'governance:four-eyes',
      );

      // Officer B finds it among the versions in review and approves it.
      await logIn(reviewer, 'publicsecurity-chief-data-officer');
      await reviewer.getByTestId('nav-negative-list').click();
      await reviewer.getByTestId('entry-row-NL-PS-002').waitFor();
      await choose(reviewer, 'entry-status-filter', '待审核');
      await reviewer
        .getByTestId('entry-row-NL-PS-002')
        .waitFor({ state: 'detached' });
      await reviewer.getByTestId(`entry-row-${ENTRY}`).click();
      await reviewer.getByTestId('entry-approve').waitFor();
      await reviewer.getByTestId('entry-comment').fill('同意');
      await screenshot(reviewer, 'negative-list-review');
      await reviewer.getByTestId('entry-approve').click();
      await reviewer
        .locator('[data-testid="entry-status"] [data-status="ACTIVE"]')
        .waitFor();
      const approvedAt = Date.now();
      const history = reviewer.locator(
        '[data-testid="entry-history-item"][data-action="APPROVED"]',
      );
      await history.waitFor();
      assert.match(
        await history.innerText(),
        /publicsecurity-chief-data-officer[\s\S]*同意/,
      );

      // Within 2 s the gateway withholds the field from the duty officer.
      let after: GraphQLResponse<any>;
      for (;;) {
        after = await as('emergency-duty', RESPONSIBLE_PERSON);
        const withheld = after.errors?.find(
          (e) => e.extensions?.['rule'] === `negative-list:${ENTRY}@1`,
        );
        if (withheld !== undefined) break;
        assert.ok(
          Date.now() - approvedAt < 2_000,
          `not withheld 2 s after the approval: ${after.text}`,
        );
      }
      assert.equal(
        after.errors?.find(
          (e) => e.extensions?.['rule'] === `negative-list:${ENTRY}@1`,
        )?.extensions?.['code'],
        'FORBIDDEN_BY_NEGATIVE_LIST',
      );
      assert.ok(
        !after.text.includes(
          before.riskItems.nodes[0].responsiblePerson.birthDate + '"',
        ),
      );
      assert.equal(
        after.data.riskItems.nodes[0].responsiblePerson.birthDate ?? null,
        null,
      );

      // The officer's pages hold at 390 px, like the others (see the 390 px test).
      const narrow = await browser!.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        isMobile: true,
        hasTouch: true,
      });
      try {
        const small = await narrow.newPage();
        small.setDefaultTimeout(10_000);
        const fits = async (what: string): Promise<void> => {
          const holds = await small
            .waitForFunction(
              'document.documentElement.scrollWidth <= window.innerWidth',
              undefined,
              { timeout: 5_000 },
            )
            .then(() => true)
            .catch(() => false);
          const wide = holds
            ? []
            : await small.evaluate<string[]>(
                `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth && !e.closest('.ant-table-content, .ant-table-body')).slice(0, 8).map((e) => e.tagName + '.' + e.className)`,
              );
          assert.ok(holds, `${what} scrolls sideways: ${wide.join(', ')}`);
        };
        await logIn(small, 'publicsecurity-chief-data-officer');
        await small.goto(`${registryConsole!.url}#/negative-list`);
        await small.getByTestId('entries-table').waitFor();
        await fits('the negative list');
        await small.goto(`${registryConsole!.url}#/entry/${ENTRY}`);
        await small.getByTestId('entry-status').waitFor();
        await fits('the entry page');
        await small.goto(`${registryConsole!.url}#/share-requests?status=ALL`);
        await small.getByTestId('requests-table').waitFor();
        await fits('the share requests');
        await small.goto(`${registryConsole!.url}#/grants`);
        await small.getByTestId('grants-table').waitFor();
        await fits('the grants');
        await small.goto(`${registryConsole!.url}#/access-report`);
        await small.getByTestId('report-total').waitFor();
        await fits('the access report');
      } finally {
        await narrow.close();
      }
      assert.deepEqual(pageErrors, []);
    } catch (error) {
      const shown = await author
        .locator('main')
        .innerText({ timeout: 1_000 })
        .catch(() => '(no page)');
      const shownB = await reviewer
        .locator('main')
        .innerText({ timeout: 1_000 })
        .catch(() => '(no page)');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- author (${author.url()}):\n${shown.slice(0, 2_000)}\n--- reviewer (${reviewer.url()}):\n${shownB.slice(0, 2_000)}\n--- page errors:\n${pageErrors.join('\n')}`,
        { cause: error },
      );
    } finally {
      await author.close();
      await reviewer.close();
    }
  });

  it('lets a data officer approve a share request narrower than asked, revoke the grant, download who read their data and classify a field', async () => {
    // What the gateway says: SR-2026-0001 is past its due date, SR-2026-0002 is not.
    const pending = data(
      await as(
        'publicsecurity-data-officer',
        `{ shareRequests(side: AS_OWNER, status: PENDING) { nodes { id dueAt overdue revision } } }`,
      ),
    ).shareRequests.nodes as { id: string; dueAt: string; overdue: boolean }[];
    const overdue = pending.find((r) => r.id === 'SR-2026-0001');
    assert.ok(
      overdue?.overdue === true && Date.parse(overdue.dueAt) < Date.now(),
    );
    assert.equal(pending.find((r) => r.id === REQUEST)?.overdue, false);
    // Another department reads the department's data: the report counts it.
    assert.ok(
      (
        await as(
          'enforcement-jiefangbei',
          COMPLAINT.replace('query Complaint', 'query ReportJourney'),
        )
      ).data,
    );
    const page = await context!.newPage();
    page.setDefaultTimeout(10_000);
    const errors = watchErrors(page);
    try {
      await logIn(page, 'publicsecurity-data-officer');
      // 共享申请: the pending requests, the overdue one marked.
      await page.getByTestId('nav-share-requests').click();
      const late = page.getByTestId('requests-row-SR-2026-0001');
      await late.waitFor();
      assert.equal(await late.getAttribute('data-overdue'), 'true');
      await late.getByTestId('overdue').waitFor();
      const onTime = page.getByTestId(`requests-row-${REQUEST}`);
      assert.equal(await onTime.getAttribute('data-overdue'), 'false');
      await screenshot(page, 'officer-share-requests');

      // Reject the overdue one: without a reason the server refuses, in Chinese.
      await late.click();
      const drawer = page.getByTestId('share-request');
      await drawer.getByTestId('action-REJECT').click();
      await answerConfirm(page, 'ok');
      await page.getByTestId('alert').filter({ hasText: '输入有误' }).waitFor();
      await drawer
        .getByTestId('decision-comment')
        .fill('营业执照年审不需要法定代表人以外的个人信息');
      await drawer.getByTestId('action-REJECT').click();
      await answerConfirm(page, 'ok');
      await drawer.locator('[data-status="REJECTED"]').waitFor();
      assert.equal(await drawer.getByTestId('action-REJECT').count(), 0);
      await page.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'detached' });
      await late.waitFor({ state: 'detached' });

      // Approve SR-2026-0002 narrower: no household address, mobile masked.
      await onTime.click();
      await drawer.getByTestId('action-APPROVE').waitFor();
      await drawer.getByTestId('approve-field-Person.householdAddress').click();
      await choose(page, 'approve-mask-Person.mobile', '手机号脱敏');
      await drawer
        .getByTestId('decision-comment')
        .fill('住址不予提供，手机号脱敏');
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .waitFor({ state: 'detached' });
      await screenshot(page, 'officer-share-request');
      await drawer.getByTestId('action-APPROVE').click();
      await answerConfirm(page, 'ok');
      await page
        .getByTestId('notice')
        .filter({ hasText: '签发授权' })
        .waitFor();
      const decided = data(
        await as(
          'publicsecurity-data-officer',
          `{ shareRequest(id: "${REQUEST}") { status grant { id coordinates masks { coordinate mask } } } }`,
        ),
      ).shareRequest;
      assert.equal(decided.status, 'APPROVED');
      assert.deepEqual([...decided.grant.coordinates].sort(), [
        'Person.mobile',
        'Person.name',
      ]);
      assert.deepEqual(decided.grant.masks, [
        { coordinate: 'Person.mobile', mask: 'MOBILE' },
      ]);
      const grant: string = decided.grant.id;

      // 共享授权: the new grant, in force, then revoked after a confirmation.
      await drawer.getByTestId('request-grant').click();
      const row = page.getByTestId(`grants-row-${grant}`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-state'), 'IN_FORCE');
      assert.match(await row.innerText(), /Person\.mobile（手机号脱敏）/);
      assert.doesNotMatch(await row.innerText(), /householdAddress/);
      // The revoked seed grant is marked as such.
      assert.equal(
        await page
          .getByTestId('grants-row-G-2025-004')
          .getAttribute('data-state'),
        'REVOKED',
      );
      await screenshot(page, 'officer-grants');
      await row.getByTestId(`grant-revoke-${grant}`).click();
      await page.getByTestId('revoke-reason').fill('核实完毕，收回授权');
      await answerConfirm(page, 'ok');
      await page
        .locator(`[data-testid="grants-row-${grant}"][data-state="REVOKED"]`)
        .waitFor();
      const revoked = data(
        await as(
          'publicsecurity-data-officer',
          `{ grant(id: "${grant}") { revoked inForce revocationReason } }`,
        ),
      ).grant;
      assert.deepEqual(revoked, {
        revoked: true,
        inForce: false,
        revocationReason: '核实完毕，收回授权',
      });

      // 数据被访问情况: the enforcement officer's read among the consumers,
      // and the CSV is the API's report.
      await page.getByTestId('nav-access-report').click();
      await page
        .locator('[data-testid="report-consumers-bar"][data-key="enforcement"]')
        .waitFor();
      await page.getByTestId('report-days').waitFor();
      await page.getByTestId('report-fields').waitFor();
      await page.getByTestId('report-purposes').waitFor();
      const file = await downloadBy(page, page.getByTestId('report-export'));
      assert.match(
        file.suggestedFilename(),
        /^access-report-publicsecurity-.*\.csv$/,
      );
      const csv = readFileSync((await file.path())!, 'utf8');
      const lines = csv.trim().split('\r\n');
      assert.match(lines[0]!, /consumer/);
      assert.ok(
        lines.some((l) => l.includes('enforcement') && l.includes('Person.')),
        csv,
      );
      await page.getByTestId('notice').waitFor();
      await screenshot(page, 'officer-access-report');

      // 待分级字段: the department's queue, as the API lists it (empty
      // here); the market regulator's officer classifies one of theirs.
      const queue = data(
        await as(
          'publicsecurity-data-officer',
          `{ unclassifiedFields(ownerDepartment: "publicsecurity") { totalCount nodes { coordinate } } }`,
        ),
      ).unclassifiedFields;
      await page.getByTestId('nav-unclassified').click();
      if (queue.totalCount === 0) {
        await page.getByTestId('unclassified-empty').waitFor();
      } else {
        await page
          .getByTestId(`unclassified-row-${queue.nodes[0].coordinate}`)
          .waitFor();
      }
      await page.evaluate('sessionStorage.clear()');
      await logIn(page, 'market-data-officer');
      await page.getByTestId('nav-unclassified').click();
      const field = page.getByTestId(`unclassified-row-${UNCLASSIFIED}`);
      await field.getByTestId(`classify-${UNCLASSIFIED}`).click();
      await choose(page, 'classify-tags', '重要数据');
      // A multiple select stays open: close it by clicking beside it.
      await page.locator('.ant-modal-title').click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .waitFor({ state: 'detached' });
      await screenshot(page, 'officer-unclassified');
      await page.getByTestId('classify-save').click();
      await page
        .getByTestId('notice')
        .filter({ hasText: UNCLASSIFIED })
        .waitFor();
      await field.waitFor({ state: 'detached' });
      assert.deepEqual(
        data(
          await as(
            'market-data-officer',
            `{ fieldClassification(coordinate: "${UNCLASSIFIED}") { reviewedTags unclassified } }`,
          ),
        ).fieldClassification,
        { reviewedTags: ['IMPORTANT'], unclassified: false },
      );
      assert.deepEqual(errors, []);
    } catch (error) {
      const shown = await page
        .locator('main')
        .innerText({ timeout: 1_000 })
        .catch(() => '(no page)');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- page (${page.url()}):\n${shown.slice(0, 2_000)}\n--- page errors:\n${errors.join('\n')}`,
        { cause: error },
      );
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
