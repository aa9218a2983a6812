// The algorithm registry through the gateway: a filing's whole review, its
// guards, and the binding of the algorithm's access to the filing — it
// reads only the inputs of its approved revision, only while in pilot or
// service; suspension cuts it off on the running gateway within 2 s; a
// change filing widens the inputs only once approved.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  mintToken,
  PURPOSE_HEADER,
  type TokenClaims,
} from '../../gateway/src/identity/index.js';
import {
  demoHeaders,
  postGraphQL,
  TEST_TOKEN_SECRET,
  type GraphQLResponse,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import { flagDueReviews } from '../../catalog/src/jobs/flagDueReviews.js';
import { findError, scalar } from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

let t: TestHub;
before(async () => {
  t = await startTestHub();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

const FILING = 'ALG-2026-201';
const INPUTS = [
  'Query.monitoringSection',
  'MonitoringSection.id',
  'MonitoringSection.name',
  'MonitoringSection.readings',
  'ReadingConnection.nodes',
  'Reading.parameter',
  'Reading.value',
  'Reading.measuredAt',
];
const CONTENT = {
  purposeAndImpact:
    '蒲河寨溪大桥断面溶解氧连续低于标准时预警 (warns when dissolved oxygen stays below standard)',
  operatingLogic: '滑动窗口阈值规则 (a windowed threshold rule)',
  inputs: INPUTS,
  outputs: ['溶解氧预警 (dissolved-oxygen warning)'],
  legalBasis: '《中华人民共和国水污染防治法》',
  humanOversight:
    '预警经值班员人工复核后推送 (a duty officer confirms every warning)',
  selfAssessment: '误报率低于5% (false alarms under 5%)',
  modelVersions: ['do-window-1.0'],
  deploymentEndpoint: 'https://algorithms.cq.gov.cn/do-warning',
  evidence: [
    {
      kind: 'SELF_ASSESSMENT',
      title: '自评估报告',
      uri: 'doc://alg-2026-201/self',
    },
  ],
};
/** The algorithm identity of the filing. */
const ALGORITHM: TokenClaims = {
  sub: 'algo-puhe-do',
  dept: 'environment',
  roles: ['algorithm'],
  level: 'CITY',
  region: '500000',
  purposes: ['water-pollution-tracing'],
  filing: FILING,
};
const READ = `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { id name readings(first: 3) { nodes { parameter value measuredAt } } } }`;
const READ_TARGET = `{ monitoringSection(id: "MS-PUHE-ZHAIXI") { id targetClass } }`;

async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  return postGraphQL<any>(
    t.hub.gatewayUrl,
    query,
    variables,
    await demoHeaders(user),
  );
}

async function asClaims(
  claims: TokenClaims,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<any>> {
  const token = await mintToken(
    claims,
    new TextEncoder().encode(TEST_TOKEN_SECRET),
  );
  return postGraphQL(t.hub.gatewayUrl, query, variables, {
    authorization: `Bearer ${token}`,
    [PURPOSE_HEADER]: claims.purposes[0] ?? '',
  });
}

function data(res: GraphQLResponse<any>): any {
  assert.equal(res.errors, undefined, res.text);
  return res.data;
}

const TRANSITION = `mutation($id: ID!, $action: FilingAction!, $v: Int!, $comment: String) {
  transitionAlgorithmFiling(id: $id, action: $action, expectedVersion: $v, comment: $comment) {
    state version filingNumber reviewer mayRead } }`;

/** Takes a reviewer's (or owner's) action on the filing at its current version. */
async function act(
  user: string,
  action: string,
  comment?: string,
): Promise<any> {
  const version = await scalar<number>(
    t.tdb.db,
    'SELECT version FROM catalog.filings WHERE id = $1',
    [FILING],
  );
  return as(user, TRANSITION, {
    id: FILING,
    action,
    v: version,
    ...(comment === undefined ? {} : { comment }),
  });
}

async function within(ms: number, what: string, probe: () => Promise<boolean>) {
  const started = performance.now();
  for (;;) {
    if (await probe()) return;
    assert.ok(
      performance.now() - started < ms,
      `${what}: not within ${String(ms)} ms`,
    );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const reads = async (query: string): Promise<boolean> =>
  (await asClaims(ALGORITHM, query)).errors === undefined;

describe('the algorithm registry through the gateway', () => {
  it('takes a filing through its review, with its guards, and binds the algorithm to what it filed', async () => {
    const created = data(
      await as(
        'environment-algorithm-owner',
        `mutation($input: AlgorithmFilingInput!) { createAlgorithmFiling(input: $input) { id state version } }`,
        {
          input: {
            id: FILING,
            name: '蒲河寨溪大桥溶解氧预警',
            safetyOfficer: '生态环境局 张伟',
            serviceForm: '预警推送',
            domain: '生态环境',
            algorithmType: '预测预警',
            riskCategory: 'HIGH',
            content: CONTENT,
          },
        },
      ),
    ).createAlgorithmFiling;
    assert.deepEqual([created.state, created.version], ['DRAFT', 1]);

    // Inputs that do not exist are refused with the nearest name.
    const unknown = await as(
      'environment-algorithm-owner',
      `mutation($c: AlgorithmRevisionInput!) { updateAlgorithmFilingDraft(id: "${FILING}", expectedVersion: 1, content: $c) { version } }`,
      { c: { ...CONTENT, inputs: [...INPUTS, 'Reading.valu'] } },
    );
    assert.match(
      findError(unknown, 'BAD_USER_INPUT').message,
      /did you mean Reading\.value\?/,
    );

    // A HIGH risk filing needs an impact assessment before it is submitted.
    findError(
      await act('environment-algorithm-owner', 'SUBMIT'),
      'BAD_USER_INPUT',
    );
    data(
      await as(
        'environment-algorithm-owner',
        `mutation($c: AlgorithmRevisionInput!) { updateAlgorithmFilingDraft(id: "${FILING}", expectedVersion: 1, content: $c) { version } }`,
        {
          c: {
            ...CONTENT,
            evidence: [
              ...CONTENT.evidence,
              {
                kind: 'IMPACT_ASSESSMENT',
                title: '算法影响评估报告',
                uri: 'doc://alg-2026-201/impact',
              },
            ],
          },
        },
      ),
    );
    assert.equal(
      data(await act('environment-algorithm-owner', 'SUBMIT'))
        .transitionAlgorithmFiling.state,
      'SUBMITTED',
    );

    // A reviewer from the owner department may not review it; filing
    // before the review started is an illegal transition.
    const envReviewer: TokenClaims = {
      ...ALGORITHM,
      sub: 'environment-reviewer',
      roles: ['algorithm-reviewer'],
      purposes: ['algorithm-review'],
    };
    delete (envReviewer as { filing?: string }).filing;
    const version = await scalar<number>(
      t.tdb.db,
      'SELECT version FROM catalog.filings WHERE id = $1',
      [FILING],
    );
    findError(
      await asClaims(envReviewer, TRANSITION, {
        id: FILING,
        action: 'START_REVIEW',
        v: version,
      }),
      'FORBIDDEN',
      { rule: 'registry:reviewer-independence' },
    );
    const illegal = await act('algorithm-reviewer', 'FILE');
    assert.match(
      findError(illegal, 'CONFLICT').message,
      /SUBMITTED; file applies only to a filing that is UNDER_REVIEW/,
    );
    // A stale version is refused.
    findError(
      await as('algorithm-reviewer', TRANSITION, {
        id: FILING,
        action: 'START_REVIEW',
        v: 1,
      }),
      'CONFLICT',
    );
    data(await act('algorithm-reviewer', 'START_REVIEW'));
    findError(await act('algorithm-reviewer', 'RETURN'), 'BAD_USER_INPUT'); // no comment
    const filed = data(
      await act('algorithm-reviewer', 'FILE'),
    ).transitionAlgorithmFiling;
    assert.equal(filed.state, 'FILED');
    assert.match(filed.filingNumber, /^渝算备20\d\d第\d{4}号$/);
    assert.equal(filed.mayRead, false);

    // A year on, the annual re-review job tells the reviewers and the owner
    // department, once; both see it through the graph.
    const nextReview = await scalar<Date>(
      t.tdb.db,
      'SELECT next_review_at FROM catalog.filings WHERE id = $1',
      [FILING],
    );
    const aYearOn = new Date(new Date(nextReview).getTime() - 86_400_000);
    const flagged = await flagDueReviews(t.tdb.db, {
      now: aYearOn,
      reviewers: ['algorithm-reviewer'],
    });
    assert.ok(flagged.flagged.includes(FILING));
    const notifications = `{ algorithmNotifications(filingId: "${FILING}") { totalCount nodes { kind recipient dueAt filing { id } } } }`;
    for (const [user, recipient] of [
      ['algorithm-reviewer', 'algorithm-reviewer'],
      ['environment-algorithm-owner', 'department:environment'],
    ] as const) {
      const seen = data(await as(user, notifications)).algorithmNotifications;
      assert.deepEqual(
        seen.nodes.map((n: any) => [n.kind, n.recipient, n.filing.id]),
        [['ANNUAL_REVIEW_DUE', recipient, FILING]],
      );
    }
    assert.deepEqual(
      (
        await flagDueReviews(t.tdb.db, {
          now: aYearOn,
          reviewers: ['algorithm-reviewer'],
        })
      ).notifications,
      0,
    );

    // FILED is not yet in use: the algorithm reads nothing.
    findError(await asClaims(ALGORITHM, READ), 'ALGORITHM_INPUT_NOT_FILED');
    data(await act('environment-algorithm-owner', 'PILOT'));
    await within(2_000, 'reads in pilot', () => reads(READ));
    // A field it did not file is refused.
    const refused = await asClaims(ALGORITHM, READ_TARGET);
    findError(refused, 'ALGORITHM_INPUT_NOT_FILED', {
      path: ['monitoringSection', 'targetClass'],
      rule: `algorithm-filing:${FILING}`,
    });
    data(await act('environment-algorithm-owner', 'SERVE'));

    // A change filing widens the inputs only once approved.
    const pending = data(
      await as(
        'environment-algorithm-owner',
        `mutation($c: AlgorithmRevisionInput!, $v: Int!) { requestAlgorithmChange(id: "${FILING}", expectedVersion: $v, content: $c, comment: "加入水质目标类别") { state currentRevision { revision } approvedRevision { revision } } }`,
        {
          v: await scalar<number>(
            t.tdb.db,
            'SELECT version FROM catalog.filings WHERE id = $1',
            [FILING],
          ),
          c: {
            ...CONTENT,
            inputs: [...INPUTS, 'MonitoringSection.targetClass'],
            evidence: [
              ...CONTENT.evidence,
              {
                kind: 'IMPACT_ASSESSMENT',
                title: '算法影响评估报告（变更）',
                uri: 'doc://alg-2026-201/impact-2',
              },
            ],
          },
        },
      ),
    ).requestAlgorithmChange;
    assert.deepEqual(
      [
        pending.state,
        pending.currentRevision.revision,
        pending.approvedRevision.revision,
      ],
      ['CHANGE_PENDING', 2, 1],
    );
    assert.equal(await reads(READ), true);
    assert.equal(await reads(READ_TARGET), false);
    data(await act('algorithm-reviewer', 'APPROVE_CHANGE'));
    await within(2_000, 'widened after approval', () => reads(READ_TARGET));

    // Suspension cuts the algorithm off on the running gateway.
    findError(await act('algorithm-reviewer', 'SUSPEND'), 'BAD_USER_INPUT');
    data(
      await act(
        'algorithm-reviewer',
        'SUSPEND',
        '年度复审发现误报率超标 (false alarms above the filed rate)',
      ),
    );
    await within(
      2_000,
      'cut off by suspension',
      async () => !(await reads(READ)),
    );
    findError(await asClaims(ALGORITHM, READ), 'ALGORITHM_INPUT_NOT_FILED');
    data(await act('algorithm-reviewer', 'RESUME'));
    await within(2_000, 'reads again', () => reads(READ));
    data(
      await act('algorithm-reviewer', 'RETIRE', '由新版算法替代 (replaced)'),
    );
    await within(2_000, 'retired', async () => !(await reads(READ)));

    // Every transition is in its history.
    const history = data(
      await as(
        'algorithm-reviewer',
        `{ algorithmFiling(id: "${FILING}") { history { action fromState toState actor comment revision } } }`,
      ),
    ).algorithmFiling.history;
    assert.deepEqual(
      history.map((h: any) => h.action),
      [
        'CREATED',
        'submit',
        'startReview',
        'file',
        'pilot',
        'serve',
        'requestChange',
        'approveChange',
        'suspend',
        'resume',
        'retire',
      ],
    );
    await assert.rejects(
      t.tdb.db.query("UPDATE catalog.filing_events SET comment = 'x'"),
      /append-only/,
    );
  });
});

describe('evidence documents through the gateway', () => {
  it('uploads a document of the largest size allowed, lists it with its hash, opens it for a reviewer and refuses an analyst', async () => {
    const id = 'ALG-2026-202';
    data(
      await as(
        'environment-algorithm-owner',
        `mutation($input: AlgorithmFilingInput!) { createAlgorithmFiling(input: $input) { id } }`,
        {
          input: {
            id,
            name: '汝溪河油污扩散预测',
            safetyOfficer: '生态环境局 张伟',
            serviceForm: '决策辅助',
            domain: '生态环境',
            algorithmType: '预测预警',
            riskCategory: 'HIGH',
            content: CONTENT,
          },
        },
      ),
    );
    // Plain text of exactly the default limit (5 MiB), base64 in the body.
    const bytes = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const ATTACH = `mutation($id: ID!, $v: Int!, $e: EvidenceUploadInput!) {
      attachAlgorithmEvidence(id: $id, expectedVersion: $v, evidence: $e) {
        version currentRevision { evidence { kind title uri document { id fileName contentType sizeBytes sha256 } } } } }`;
    const evidence = {
      kind: 'IMPACT_ASSESSMENT',
      title: '算法影响评估报告',
      fileName: '影响评估报告.txt',
      contentType: 'text/plain',
      contentBase64: bytes.toString('base64'),
    };
    const attached = data(
      await as('environment-algorithm-owner', ATTACH, {
        id,
        v: 1,
        e: evidence,
      }),
    ).attachAlgorithmEvidence;
    const listed = attached.currentRevision.evidence;
    assert.equal(listed[0].document, null, 'doc:// evidence stays text');
    const document = listed[1].document;
    assert.deepEqual(
      {
        fileName: document.fileName,
        contentType: document.contentType,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
      },
      {
        fileName: '影响评估报告.txt',
        contentType: 'text/plain',
        sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    );
    // (Larger uploads are refused before anything is stored: tests/integration/catalog/evidenceDocuments.int.test.ts.)

    const OPEN = `query($d: ID!) { algorithmEvidenceDocument(id: $d) { fileName sha256 contentBase64 } }`;
    const opened = data(
      await as('algorithm-reviewer', OPEN, { d: document.id }),
    ).algorithmEvidenceDocument;
    assert.ok(Buffer.from(opened.contentBase64, 'base64').equals(bytes));
    findError(await as('env-analyst', OPEN, { d: document.id }), 'FORBIDDEN', {
      rule: 'registry:evidence-readers',
    });
  });
});
