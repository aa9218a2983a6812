// Classification proposals against the real PostgreSQL and PGlite (issue
// 12, finding 4): a classification change other departments depend on is
// stored only once each of them approved it; every refused step changes
// nothing; who is affected is worked out again at approval; a field
// reclassified behind a proposal's back is not overwritten; the history is
// append-only.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { DEFAULT_SUPERGRAPH_PATH } from '../../../subgraphs/kit/src/index.js';
import {
  migratePolicyStore,
  policyVersion,
  readPolicyDocument,
  writePolicyDocument,
} from '../../../policies/store/src/policy/index.js';
import type { AdministrationActor } from '../../../policies/src/index.js';
import { demoPolicy } from '../../../seeds/src/index.js';
import {
  createGovernanceApi,
  type GovernanceApi,
} from '../../../subgraphs/governance/src/GovernanceApi.js';
import {
  readSupergraphInfo,
  type SupergraphInfo,
} from '../../../policies/store/src/supergraphInfo.js';
import {
  GraphQLErrorWithCode,
  type Database,
} from '../../../subgraphs/kit/src/index.js';
import { openAdapterDatabase } from '../../utils/pglite.js';

const NOW = new Date('2026-12-04T10:00:00+08:00');

const actors = {
  market: {
    subject: 'market-data-officer',
    department: 'market',
    roles: ['data-officer'],
  },
  ps: {
    subject: 'publicsecurity-data-officer',
    department: 'publicsecurity',
    roles: ['data-officer'],
  },
  emergency: {
    subject: 'emergency-data-officer',
    department: 'emergency',
    roles: ['data-officer'],
  },
  environment: {
    subject: 'environment-data-officer',
    department: 'environment',
    roles: ['data-officer'],
  },
  enforcement: {
    subject: 'enforcement-data-officer',
    department: 'enforcement',
    roles: ['data-officer'],
  },
  authority: {
    subject: 'city-data-authority',
    department: 'bigdata',
    roles: ['city-data-authority'],
  },
} satisfies Record<string, AdministrationActor>;

let db: Database;
let supergraph: SupergraphInfo;
let sdl: string;

function as(actor: AdministrationActor): GovernanceApi {
  return createGovernanceApi(db, actor, { supergraph, now: () => NOW });
}

async function storedTags(coordinate: string): Promise<string[] | undefined> {
  const doc = await readPolicyDocument(db);
  return doc.classifications
    ?.find((c) => c.coordinate === coordinate)
    ?.tags.slice();
}

/** Everything a refused step must leave as it was. */
async function state(): Promise<string> {
  const doc = await readPolicyDocument(db);
  const { rows } = await db.query<{ state: unknown }>(
    `SELECT jsonb_build_object(
       'proposals', (SELECT jsonb_agg(to_jsonb(p) ORDER BY id) FROM policy.classification_proposals p),
       'events', (SELECT count(*) FROM policy.classification_proposal_events),
       'publications', (SELECT count(*) FROM policy.publications)) AS state`,
  );
  return JSON.stringify([policyVersion(doc), rows[0]?.state]);
}

async function refused(
  fn: () => Promise<unknown>,
  code: string,
  rule?: string,
): Promise<GraphQLErrorWithCode> {
  const before = await state();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof GraphQLErrorWithCode,
    `expected ${code}, got ${String(caught)}`,
  );
  assert.equal(caught.extensions['code'], code, caught.message);
  if (rule !== undefined) assert.equal(caught.extensions['rule'], rule);
  assert.equal(await state(), before, 'nothing changes');
  return caught;
}

for (const kind of ['pg', 'pglite'] as const) {
  describe(`classification proposals on ${kind === 'pg' ? 'PostgreSQL' : 'embedded PostgreSQL (PGlite)'}`, () => {
    let drop: () => Promise<void>;
    before(async () => {
      ({ db, drop } = await openAdapterDatabase(kind));
      await migratePolicyStore(db);
      sdl = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8');
      supergraph = readSupergraphInfo(sdl);
      await writePolicyDocument(db, demoPolicy({ supergraphSdl: sdl }));
    });
    after(async () => {
      await drop();
    });

    it('stores at once what only the caller’s department depends on, and proposes the rest', async () => {
      const version = policyVersion(await readPolicyDocument(db));
      const reviews = await as(actors.market).classifications.classifyFields([
        { coordinate: 'Enterprise.creditGrade', tags: ['GENERAL'] },
        { coordinate: 'Person.id', tags: ['GENERAL', 'PERSONAL_SENSITIVE'] },
      ]);
      assert.deepEqual(
        reviews.map((r) => [r.coordinate, r.reviewedTags]),
        [
          ['Enterprise.creditGrade', ['GENERAL']],
          ['Person.id', ['GENERAL']],
        ],
      );
      assert.deepEqual(await storedTags('Person.id'), ['GENERAL']);
      assert.notEqual(policyVersion(await readPolicyDocument(db)), version);
      const proposal = await as(actors.ps).classifications.pendingProposalOf(
        'Person.id',
      );
      assert.ok(proposal);
      assert.deepEqual(proposal.coordinates, ['Person.id']);
      assert.deepEqual(proposal.awaiting, ['emergency', 'publicsecurity']);
      assert.equal(
        await as(actors.market).classifications.pendingProposalOf(
          'Enterprise.creditGrade',
        ),
        null,
      );
      // Readable by the proposing and affected departments only.
      assert.equal(
        await as(actors.enforcement).classifications.proposal(proposal.id),
        null,
      );
      const listed = await as(actors.environment).classifications.proposals(
        {},
        {},
      );
      assert.equal(listed.totalCount, 0);
      const queue = await as(actors.ps).classifications.proposals(
        { awaitingMyDecision: true },
        {},
      );
      assert.deepEqual(
        queue.nodes.map((p) => p.id),
        [proposal.id],
      );
      assert.equal(
        (
          await as(actors.market).classifications.proposals(
            { awaitingMyDecision: true },
            {},
          )
        ).totalCount,
        0,
      );
    });

    it('refuses every step it may not take, and changes nothing', async () => {
      const proposal = await as(actors.ps).classifications.pendingProposalOf(
        'Person.id',
      );
      assert.ok(proposal);
      const { id, revision } = proposal;
      await refused(
        () =>
          as(actors.market).classifications.approveProposal(id, revision, null),
        'FORBIDDEN',
        'governance:four-eyes',
      );
      await refused(
        () =>
          as(actors.environment).classifications.approveProposal(
            id,
            revision,
            null,
          ),
        'NOT_FOUND',
      );
      await refused(
        () =>
          as(actors.ps).classifications.approveProposal(id, revision + 1, null),
        'CONFLICT',
      );
      await refused(
        () => as(actors.ps).classifications.rejectProposal(id, revision, ' '),
        'BAD_USER_INPUT',
      );
      await refused(
        () => as(actors.ps).classifications.withdrawProposal(id, revision),
        'FORBIDDEN',
        'governance:author-only',
      );
      await refused(
        () =>
          as(actors.ps).classifications.approveProposal(
            'CP-2026-9999',
            1,
            null,
          ),
        'NOT_FOUND',
      );
      await refused(
        () => as(actors.ps).classifications.approveProposal("x'; --", 1, null),
        'BAD_USER_INPUT',
      );
      await refused(
        () =>
          as(actors.market).classifications.classifyFields([
            { coordinate: 'Person.id', tags: ['IMPORTANT'] },
          ]),
        'CONFLICT',
      );
      await refused(
        () =>
          as(actors.ps).classifications.classifyFields([
            { coordinate: 'Person.id', tags: ['IMPORTANT'] },
          ]),
        'CONFLICT',
      );
    });

    it('also awaits a department whose entry started selecting a changed tag after the proposal', async () => {
      const proposal = await as(actors.ps).classifications.pendingProposalOf(
        'Person.id',
      );
      assert.ok(proposal);
      // environment publishes an entry selecting PERSONAL_SENSITIVE.
      const draft = await as(actors.environment).entries.createEntry({
        id: 'NL-ENV-009',
        ownerDepartment: 'environment',
        content: {
          selector: { tags: ['PERSONAL_SENSITIVE'] },
          shareClass: 'NOT_SHARED',
          legalBasis: '《中华人民共和国个人信息保护法》第二十八条',
          reason: '敏感个人信息不予共享',
        },
      });
      const submitted = await as(actors.environment).entries.transition(
        'submit',
        draft.id,
        1,
        draft.revision,
        null,
      );
      await as(actors.authority).entries.transition(
        'approve',
        draft.id,
        1,
        submitted.revision,
        null,
      );
      const first = await as(actors.ps).classifications.approveProposal(
        proposal.id,
        proposal.revision,
        'ok',
      );
      assert.equal(first.status, 'PENDING');
      assert.deepEqual(first.awaiting, ['emergency', 'environment']);
      assert.deepEqual(first.departments, [
        'emergency',
        'environment',
        'publicsecurity',
      ]);
      assert.deepEqual(
        (await as(actors.ps).classifications.proposalHistory(first)).map(
          (e) => e.action,
        ),
        ['PROPOSED', 'APPROVED', 'AWAITS_MORE'],
      );
      assert.deepEqual(await storedTags('Person.id'), ['GENERAL']);
      // The city approves for both departments left: applied.
      const applied = await as(
        actors.authority,
      ).classifications.approveProposal(first.id, first.revision, null);
      assert.equal(applied.status, 'APPLIED');
      assert.deepEqual(
        applied.approvals.map((a) => [a.department, a.approver]),
        [
          ['publicsecurity', 'publicsecurity-data-officer'],
          ['emergency', 'city-data-authority'],
          ['environment', 'city-data-authority'],
        ],
      );
      assert.deepEqual(await storedTags('Person.id'), [
        'GENERAL',
        'PERSONAL_SENSITIVE',
      ]);
      assert.equal(
        applied.policyVersion,
        policyVersion(await readPolicyDocument(db)),
      );
      await refused(
        () =>
          as(actors.authority).classifications.approveProposal(
            applied.id,
            applied.revision,
            null,
          ),
        'CONFLICT',
      );
    });

    it('does not overwrite a field reclassified behind a proposal', async () => {
      const [review] = await as(actors.market).classifications.classifyFields([
        { coordinate: 'Person.id', tags: ['GENERAL'] },
      ]);
      assert.deepEqual(review?.reviewedTags, ['GENERAL', 'PERSONAL_SENSITIVE']);
      const proposal = await as(
        actors.market,
      ).classifications.pendingProposalOf('Person.id');
      assert.ok(proposal);
      // A whole-policy import (npm run policy -- import) reclassifies it.
      const doc = await readPolicyDocument(db);
      await writePolicyDocument(db, {
        ...doc,
        classifications: (doc.classifications ?? []).map((c) =>
          c.coordinate === 'Person.id' ? { ...c, tags: ['IMPORTANT'] } : c,
        ),
      });
      await refused(
        () =>
          as(actors.authority).classifications.approveProposal(
            proposal.id,
            proposal.revision,
            null,
          ),
        'CONFLICT',
      );
      const rejected = await as(
        actors.authority,
      ).classifications.rejectProposal(
        proposal.id,
        proposal.revision,
        'reclassified by the policy import',
      );
      assert.equal(rejected.status, 'REJECTED');
      assert.deepEqual(await storedTags('Person.id'), ['IMPORTANT']);
    });

    it('keeps the history append-only', async () => {
      await assert.rejects(
        db.query(
          "UPDATE policy.classification_proposal_events SET comment = 'x'",
        ),
        (error: unknown) =>
          (error as { code?: unknown }).code === '42501' ||
          /append-only/.test(String(error)),
      );
    });
  });
}
