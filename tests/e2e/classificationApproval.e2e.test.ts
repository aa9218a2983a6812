// Issue 12, finding 4, through the gateway: a data officer may not change
// the classification of a field other departments resolve too, or a tag
// another department's active entry selects, on their own. Market's officer
// tagging Person.id PERSONAL_SENSITIVE used to switch public security's
// NL-PS-001 (NOT_SHARED by tag) on for every other department at once; now
// it is a classification proposal that changes nothing until the data
// officers of the affected departments (never its author) approved it, and
// its impact can be simulated first. Removing the tag works the same way.
import assert from 'node:assert/strict';
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
import { assertNoLeak, findError, scalar } from '../utils/security.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const PURIFIER = '91500110MAGTNENH14';
/** environment reads a market enterprise's legal representative's opaque id. */
const REPRESENTATIVE_ID = `{ enterprise(creditCode: "${PURIFIER}") { name legalRepresentative { id } } }`;

/** 应急管理局's data officer: not among the demo users. */
const EMERGENCY_OFFICER: TokenClaims = {
  sub: 'emergency-data-officer',
  dept: 'emergency',
  roles: ['data-officer'],
  level: 'CITY',
  region: '500000',
  purposes: ['data-governance'],
};

const CLASSIFY = `mutation($tags: [String!]!) {
  classifyFields(input: [{ coordinate: "Person.id", tags: $tags }]) { coordinate reviewedTags } }`;
const PROPOSAL_FIELDS = `id revision status author authorDepartment awaiting policyVersion
  affectedDepartments { department reasons approvedBy }
  changes { coordinate tagsBefore tagsAfter added removed entriesChanged }
  history { action department actor revision }`;
const PENDING = `{ fieldClassification(coordinate: "Person.id") { reviewedTags pendingProposal { ${PROPOSAL_FIELDS} } } }`;
const APPROVE = `mutation($id: ID!, $rev: Int!) {
  approveClassificationProposal(id: $id, expectedRevision: $rev, comment: "同意") { ${PROPOSAL_FIELDS} } }`;
const REJECT = `mutation($id: ID!, $rev: Int!, $reason: String!) {
  rejectClassificationProposal(id: $id, expectedRevision: $rev, reason: $reason) { id status revision decidedBy decisionReason } }`;
const WITHDRAW = `mutation($id: ID!, $rev: Int!) {
  withdrawClassificationProposal(id: $id, expectedRevision: $rev) { id status revision } }`;

let t: TestHub;
let representativeId: string;

before(async () => {
  t = await startTestHub({ replayScenarios: false });
  representativeId = await scalar<string>(
    t.tdb.db,
    `SELECT legal_rep_person_id FROM market.enterprises WHERE credit_code = $1`,
    [PURIFIER],
  );
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

async function as(
  user: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<any>> {
  return postGraphQL(
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
  assert.equal(res.status, 200, res.text);
  assert.equal(res.errors, undefined, res.text);
  return res.data;
}

/** The gateway loads the policy as it is in the database now. */
async function inForce(): Promise<string> {
  await t.hub.policy.refresh();
  return t.hub.policy.current().policy.version;
}

/** environment's read of Person.id: the value when shared, else the error. */
async function readPersonId(): Promise<GraphQLResponse<any>> {
  return postGraphQL(
    t.hub.gatewayUrl,
    REPRESENTATIVE_ID,
    undefined,
    await demoHeaders('env-analyst', { purpose: 'environmental-supervision' }),
  );
}

async function assertShared(): Promise<void> {
  const res = await readPersonId();
  assert.equal(
    data(res).enterprise.legalRepresentative.id,
    representativeId,
    res.text,
  );
}

async function assertWithheld(): Promise<void> {
  const res = await readPersonId();
  findError(res, 'FORBIDDEN_BY_NEGATIVE_LIST', {
    rule: 'negative-list:NL-PS-001@1',
    path: ['enterprise', 'legalRepresentative', 'id'],
  });
  assertNoLeak(res, [representativeId]);
}

describe('classification of a co-resolved field needs the affected owners’ approval (issue 12, finding 4)', () => {
  it('holds market’s PERSONAL_SENSITIVE tag on Person.id for public security and emergency; nothing changes until both approved', async () => {
    await assertShared();
    const before = await inForce();

    const classified = data(
      await as('market-data-officer', CLASSIFY, {
        tags: ['GENERAL', 'PERSONAL_SENSITIVE'],
      }),
    ).classifyFields;
    // Not stored: the response shows the tags in force.
    assert.deepEqual(classified, [
      { coordinate: 'Person.id', reviewedTags: ['GENERAL'] },
    ]);
    assert.equal(await inForce(), before, 'the policy version is unchanged');
    await assertShared();

    // The change waits for the departments it affects, saying why.
    const pending = data(
      await as('publicsecurity-data-officer', PENDING),
    ).fieldClassification;
    assert.deepEqual(pending.reviewedTags, ['GENERAL']);
    const proposal = pending.pendingProposal;
    assert.ok(proposal, 'a pending proposal');
    assert.match(proposal.id, /^CP-\d{4}-\d{4}$/);
    assert.deepEqual(
      [
        proposal.status,
        proposal.author,
        proposal.authorDepartment,
        proposal.awaiting,
      ],
      [
        'PENDING',
        'market-data-officer',
        'market',
        ['emergency', 'publicsecurity'],
      ],
    );
    assert.deepEqual(proposal.changes, [
      {
        coordinate: 'Person.id',
        tagsBefore: ['GENERAL'],
        tagsAfter: ['GENERAL', 'PERSONAL_SENSITIVE'],
        added: ['PERSONAL_SENSITIVE'],
        removed: [],
        entriesChanged: ['NL-PS-001@1'],
      },
    ]);
    const ps = proposal.affectedDepartments.find(
      (a: any) => a.department === 'publicsecurity',
    );
    assert.ok(
      ps.reasons.some((r: string) =>
        /NL-PS-001@1 .*adds PERSONAL_SENSITIVE: it would start deciding Person\.id/.test(
          r,
        ),
      ),
      JSON.stringify(ps),
    );

    // The impact on recorded traffic: environment's read becomes a denial.
    const impact = data(
      await as(
        'publicsecurity-data-officer',
        `query($id: ID!) { classificationProposal(id: $id) { impact { changed fields { coordinate before after departments } } } }`,
        { id: proposal.id },
      ),
    ).classificationProposal.impact;
    assert.ok(impact.changed > 0, JSON.stringify(impact));
    const field = impact.fields.find((f: any) => f.coordinate === 'Person.id');
    assert.deepEqual(
      [field?.before, field?.after],
      ['ALLOW', 'DENY:FORBIDDEN_BY_NEGATIVE_LIST'],
      JSON.stringify(impact),
    );
    assert.ok(field.departments.includes('environment'));

    // One open proposal per field; its author cannot approve it; a
    // department it does not await cannot either.
    findError(
      await as('market-data-officer', CLASSIFY, { tags: ['IMPORTANT'] }),
      'CONFLICT',
    );
    findError(
      await as('market-data-officer', APPROVE, {
        id: proposal.id,
        rev: proposal.revision,
      }),
      'FORBIDDEN',
      { rule: 'governance:four-eyes' },
    );
    findError(
      await as('enforcement-data-officer', APPROVE, {
        id: proposal.id,
        rev: proposal.revision,
      }),
      'NOT_FOUND',
    );

    // emergency approves: still pending, still nothing in force.
    const first = data(
      await asClaims(EMERGENCY_OFFICER, APPROVE, {
        id: proposal.id,
        rev: proposal.revision,
      }),
    ).approveClassificationProposal;
    assert.deepEqual(
      [first.status, first.awaiting, first.policyVersion],
      ['PENDING', ['publicsecurity'], null],
    );
    assert.equal(await inForce(), before);
    await assertShared();
    findError(
      await asClaims(EMERGENCY_OFFICER, APPROVE, {
        id: proposal.id,
        rev: first.revision,
      }),
      'FORBIDDEN',
      { rule: 'governance:not-awaited' },
    );

    // A stale approval changes nothing; public security's approval applies it.
    findError(
      await as('publicsecurity-data-officer', APPROVE, {
        id: proposal.id,
        rev: proposal.revision,
      }),
      'CONFLICT',
    );
    const applied = data(
      await as('publicsecurity-data-officer', APPROVE, {
        id: proposal.id,
        rev: first.revision,
      }),
    ).approveClassificationProposal;
    assert.equal(applied.status, 'APPLIED');
    assert.deepEqual(applied.awaiting, []);
    assert.deepEqual(
      applied.affectedDepartments.map((a: any) => [a.department, a.approvedBy]),
      [
        ['emergency', 'emergency-data-officer'],
        ['publicsecurity', 'publicsecurity-data-officer'],
      ],
    );
    assert.deepEqual(
      applied.history.map((h: any) => [h.action, h.department]),
      [
        ['PROPOSED', null],
        ['APPROVED', 'emergency'],
        ['APPROVED', 'publicsecurity'],
        ['APPLIED', null],
      ],
    );
    assert.notEqual(applied.policyVersion, before);
    assert.equal(await inForce(), applied.policyVersion);
    await assertWithheld();
    const log = data(
      await as(
        'publicsecurity-data-officer',
        '{ policyVersions(first: 1) { nodes { version actor change } } }',
      ),
    ).policyVersions.nodes[0];
    assert.deepEqual(
      [log.version, log.actor],
      [applied.policyVersion, 'publicsecurity-data-officer'],
    );
    assert.match(log.change, new RegExp(`apply ${proposal.id}`));
  });

  it('holds the removal of a tag another department’s active entry selects the same way', async () => {
    await assertWithheld();
    const before = await inForce();
    const classified = data(
      await as('market-data-officer', CLASSIFY, { tags: ['GENERAL'] }),
    ).classifyFields;
    assert.deepEqual(classified[0].reviewedTags, [
      'GENERAL',
      'PERSONAL_SENSITIVE',
    ]);
    assert.equal(await inForce(), before);
    await assertWithheld();

    const proposal = data(await as('publicsecurity-data-officer', PENDING))
      .fieldClassification.pendingProposal;
    assert.deepEqual(
      [proposal.awaiting, proposal.changes[0].removed],
      [['emergency', 'publicsecurity'], ['PERSONAL_SENSITIVE']],
    );
    assert.deepEqual(proposal.changes[0].entriesChanged, ['NL-PS-001@1']);
    // In public security's queue.
    const queue = data(
      await as(
        'publicsecurity-chief-data-officer',
        '{ classificationProposals(awaitingMyDecision: true) { totalCount nodes { id } } }',
      ),
    ).classificationProposals;
    assert.deepEqual(
      queue.nodes.map((n: any) => n.id),
      [proposal.id],
    );

    const first = data(
      await as('publicsecurity-chief-data-officer', APPROVE, {
        id: proposal.id,
        rev: proposal.revision,
      }),
    ).approveClassificationProposal;
    assert.deepEqual(first.awaiting, ['emergency']);
    assert.equal(await inForce(), before);
    await assertWithheld();
    // The city data authority approves as the city for the department left.
    const applied = data(
      await as('city-data-authority', APPROVE, {
        id: proposal.id,
        rev: first.revision,
      }),
    ).approveClassificationProposal;
    assert.equal(applied.status, 'APPLIED');
    assert.deepEqual(
      applied.affectedDepartments.map((a: any) => a.approvedBy),
      ['city-data-authority', 'publicsecurity-chief-data-officer'],
    );
    assert.equal(await inForce(), applied.policyVersion);
    await assertShared();
  });

  it('changes nothing when a proposal is rejected or withdrawn', async () => {
    const before = await inForce();
    data(
      await as('market-data-officer', CLASSIFY, {
        tags: ['GENERAL', 'PERSONAL_SENSITIVE'],
      }),
    );
    let proposal = data(await as('market-data-officer', PENDING))
      .fieldClassification.pendingProposal;
    findError(
      await as('publicsecurity-data-officer', REJECT, {
        id: proposal.id,
        rev: proposal.revision,
        reason: '  ',
      }),
      'BAD_USER_INPUT',
    );
    const rejected = data(
      await as('publicsecurity-data-officer', REJECT, {
        id: proposal.id,
        rev: proposal.revision,
        reason: '人员标识不是敏感个人信息 (an opaque id is not sensitive)',
      }),
    ).rejectClassificationProposal;
    assert.deepEqual(
      [rejected.status, rejected.decidedBy],
      ['REJECTED', 'publicsecurity-data-officer'],
    );
    findError(
      await as('publicsecurity-data-officer', APPROVE, {
        id: proposal.id,
        rev: rejected.revision,
      }),
      'CONFLICT',
    );

    data(
      await as('market-data-officer', CLASSIFY, {
        tags: ['GENERAL', 'PERSONAL_SENSITIVE'],
      }),
    );
    proposal = data(await as('market-data-officer', PENDING))
      .fieldClassification.pendingProposal;
    findError(
      await as('publicsecurity-data-officer', WITHDRAW, {
        id: proposal.id,
        rev: proposal.revision,
      }),
      'FORBIDDEN',
      { rule: 'governance:author-only' },
    );
    const withdrawn = data(
      await as('market-data-officer', WITHDRAW, {
        id: proposal.id,
        rev: proposal.revision,
      }),
    ).withdrawClassificationProposal;
    assert.equal(withdrawn.status, 'WITHDRAWN');
    assert.equal(
      data(await as('market-data-officer', PENDING)).fieldClassification
        .pendingProposal,
      null,
    );
    assert.equal(await inForce(), before);
    await assertShared();
  });
});
