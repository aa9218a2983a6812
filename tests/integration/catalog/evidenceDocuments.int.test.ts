// Evidence documents of algorithm filings against the real PostgreSQL:
// uploaded by the owner to a draft, checked before anything is stored
// (type, size, bytes, name), kept whole with SHA-256 and size, listed on
// the revision, opened only by the owner department and reviewers; plain
// doc:// evidence stays readable.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { RegistryApi } from '../../../catalog/src/RegistryApi.js';
import { migrateCatalog } from '../../../catalog/src/migrateCatalog.js';
import type { AdministrationActor } from '../../../policies/src/index.js';
import { migratePolicyStore } from '../../../policies/store/src/policy/index.js';
import { readSupergraphInfo } from '../../../policies/store/src/supergraphInfo.js';
import {
  DEFAULT_SUPERGRAPH_PATH,
  GraphQLErrorWithCode,
} from '../../../subgraphs/kit/src/index.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import type { CatalogShared } from '../../../catalog/src/CatalogShared.js';

const NOW = new Date('2026-12-04T10:00:00+08:00');
const MAX_BYTES = 64 * 1024;

const owner: AdministrationActor = {
  subject: 'environment-algorithm-owner',
  department: 'environment',
  roles: ['algorithm-owner'],
};
const reviewer: AdministrationActor = {
  subject: 'algorithm-reviewer',
  department: 'cac',
  roles: ['algorithm-reviewer'],
};
const otherOwner: AdministrationActor = {
  subject: 'water-algorithm-owner',
  department: 'water',
  roles: ['algorithm-owner'],
};
const analyst: AdministrationActor = {
  subject: 'env-analyst',
  department: 'environment',
  roles: ['analyst'],
};

/** A minimal PDF and PNG, as their signatures make them. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let tdb: TestDatabase;
let shared: CatalogShared;

function as(actor: AdministrationActor): RegistryApi {
  return new RegistryApi(tdb.db, actor, shared);
}

async function version(id: string): Promise<number> {
  return (await as(owner).filing(id))?.version ?? 0;
}

async function documentCount(): Promise<number> {
  const { rows } = await tdb.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM catalog.evidence_documents',
  );
  return rows[0]?.n ?? 0;
}

async function refused(
  fn: () => Promise<unknown>,
  code: string,
  reason?: string,
): Promise<GraphQLErrorWithCode> {
  const before = await documentCount();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof GraphQLErrorWithCode, String(caught));
  assert.equal(caught.extensions['code'], code, caught.message);
  if (reason !== undefined) {
    assert.equal(caught.extensions['reason'], reason, caught.message);
  }
  assert.equal(await documentCount(), before, 'nothing stored');
  return caught;
}

const CONTENT = {
  purposeAndImpact: '蒲河溶解氧预警',
  operatingLogic: '滑动窗口阈值规则',
  inputs: ['Query.monitoringSection', 'MonitoringSection.name'],
  outputs: ['溶解氧预警'],
  legalBasis: '《中华人民共和国水污染防治法》',
  humanOversight: '值班员复核',
  selfAssessment: '误报率低于5%',
  modelVersions: ['do-window-1.0'],
  deploymentEndpoint: 'https://algorithms.cq.gov.cn/do-warning',
  evidence: [
    {
      kind: 'SELF_ASSESSMENT' as const,
      title: '自评估报告',
      uri: 'doc://alg-t-evd/self',
    },
  ],
};

const upload = (
  bytes: Buffer,
  contentType: string,
  fileName = 'report.pdf',
): {
  kind: 'IMPACT_ASSESSMENT';
  title: string;
  fileName: string;
  contentType: string;
  contentBase64: string;
} => ({
  kind: 'IMPACT_ASSESSMENT',
  title: '算法影响评估报告',
  fileName,
  contentType,
  contentBase64: bytes.toString('base64'),
});

describe('evidence documents of algorithm filings', () => {
  before(async () => {
    tdb = await createTestDatabase();
    await migratePolicyStore(tdb.db);
    await migrateCatalog(tdb.db);
    shared = {
      supergraph: readSupergraphInfo(
        await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8'),
      ),
      descriptions: new Map(),
      now: () => NOW,
      evidenceMaxBytes: MAX_BYTES,
    };
    for (const id of ['ALG-T-EVD', 'ALG-T-OTHER', 'ALG-T-POLICY']) {
      await as(owner).create({
        id,
        name: '蒲河溶解氧预警',
        safetyOfficer: '张伟',
        serviceForm: '预警推送',
        domain: '生态环境',
        algorithmType: '预测预警',
        riskCategory: 'HIGH',
        content: CONTENT,
      });
    }
  });
  after(async () => {
    await tdb.drop();
  });

  it('stores an upload with its SHA-256 and size, lists it on the revision, and lets the filing be submitted', async () => {
    const attached = await as(owner).attachEvidence(
      'ALG-T-EVD',
      await version('ALG-T-EVD'),
      upload(PDF, 'application/pdf', '影响评估报告.pdf'),
    );
    assert.equal(attached.state, 'DRAFT');
    const [revision] = await as(owner).revisions('ALG-T-EVD');
    assert.ok(revision);
    // The doc:// evidence written before stays as it was, beside the upload.
    assert.equal(revision.evidence.length, 2);
    const [old, uploaded] = revision.evidence;
    assert.equal(old?.uri, 'doc://alg-t-evd/self');
    assert.equal(await as(reviewer).evidenceDocumentOf(old?.uri ?? ''), null);
    assert.match(uploaded?.uri ?? '', /^evidence:EVD-[0-9a-f-]{36}$/);
    const document = await as(reviewer).evidenceDocumentOf(uploaded?.uri ?? '');
    assert.ok(document);
    assert.deepEqual(
      {
        fileName: document.fileName,
        contentType: document.contentType,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
        uploadedBy: document.uploadedBy,
        filingId: document.filingId,
      },
      {
        fileName: '影响评估报告.pdf',
        contentType: 'application/pdf',
        sizeBytes: PDF.length,
        sha256: createHash('sha256').update(PDF).digest('hex'),
        uploadedBy: 'environment-algorithm-owner',
        filingId: 'ALG-T-EVD',
      },
    );
    // The owner department and reviewers open it, byte for byte.
    for (const actor of [owner, reviewer]) {
      const base64 = await as(actor).evidenceContent(document);
      assert.deepEqual(Buffer.from(base64, 'base64'), PDF);
    }
    // What each may do now, from the lifecycle and the registry's rules.
    const draft = await as(owner).filing('ALG-T-EVD');
    assert.ok(draft);
    assert.deepEqual(as(owner).allowedActions(draft), {
      transitions: ['submit'],
      mayEditDraft: true,
      mayRequestChange: false,
    });
    assert.deepEqual(as(reviewer).allowedActions(draft), {
      transitions: [],
      mayEditDraft: false,
      mayRequestChange: false,
    });
    // The impact assessment lets the HIGH risk filing be submitted.
    const submitted = await as(owner).transition(
      'ALG-T-EVD',
      'submit',
      await version('ALG-T-EVD'),
      null,
    );
    assert.equal(submitted.state, 'SUBMITTED');
    assert.deepEqual(as(reviewer).allowedActions(submitted).transitions, [
      'startReview',
    ]);
    assert.deepEqual(as(owner).allowedActions(submitted).transitions, []);
    // A reviewer of the owner department may not review it.
    assert.deepEqual(
      as({ ...reviewer, department: 'environment' }).allowedActions(submitted)
        .transitions,
      [],
    );
    // Once submitted, nothing more is attached.
    await refused(
      async () =>
        as(owner).attachEvidence(
          'ALG-T-EVD',
          await version('ALG-T-EVD'),
          upload(PNG, 'image/png', 'chart.png'),
        ),
      'CONFLICT',
    );
  });

  it('opens the content only for the owner department and reviewers, naming the rule', async () => {
    const [revision] = await as(owner).revisions('ALG-T-EVD');
    const document = await as(owner).evidenceDocumentOf(
      revision?.evidence[1]?.uri ?? '',
    );
    assert.ok(document);
    for (const actor of [otherOwner, analyst]) {
      const error = await refused(
        () => as(actor).evidenceContent(document),
        'FORBIDDEN',
      );
      assert.equal(error.extensions['rule'], 'registry:evidence-readers');
    }
  });

  it('refuses, before storing anything, uploads of another type, too large, malformed or misnamed, and foreign or stale writes', async () => {
    const id = 'ALG-T-OTHER';
    const v = await version(id);
    const attach = (
      actor: AdministrationActor,
      input: ReturnType<typeof upload>,
      expected = v,
    ) => as(actor).attachEvidence(id, expected, input);
    await refused(
      () => attach(owner, upload(PDF, 'application/zip', 'a.zip')),
      'BAD_USER_INPUT',
      'evidence-type-not-allowed',
    );
    await refused(
      () =>
        attach(
          owner,
          upload(Buffer.alloc(MAX_BYTES + 1, 0x61), 'text/plain', 'a.txt'),
        ),
      'BAD_USER_INPUT',
      'evidence-too-large',
    );
    await refused(
      () => attach(owner, upload(PNG, 'application/pdf')),
      'BAD_USER_INPUT',
      'evidence-content-mismatch',
    );
    await refused(
      () =>
        attach(owner, upload(Buffer.from([0x61, 0x00, 0x62]), 'text/plain')),
      'BAD_USER_INPUT',
      'evidence-content-mismatch',
    );
    await refused(
      () =>
        attach(owner, {
          ...upload(PDF, 'application/pdf'),
          contentBase64: 'not base64!',
        }),
      'BAD_USER_INPUT',
      'evidence-malformed',
    );
    await refused(
      () =>
        attach(owner, { ...upload(PDF, 'application/pdf'), contentBase64: '' }),
      'BAD_USER_INPUT',
      'evidence-malformed',
    );
    for (const fileName of ['', '../etc/passwd', 'a\u0000b.pdf']) {
      await refused(
        () => attach(owner, upload(PDF, 'application/pdf', fileName)),
        'BAD_USER_INPUT',
        'evidence-file-name',
      );
    }
    await refused(
      () => attach(otherOwner, upload(PDF, 'application/pdf')),
      'FORBIDDEN',
    );
    await refused(
      () => attach(owner, upload(PDF, 'application/pdf'), v - 1 || 99),
      'CONFLICT',
    );
    // A revision may not name another filing's document.
    const [evd] = await as(owner).revisions('ALG-T-EVD');
    const foreign = evd?.evidence[1];
    assert.ok(foreign);
    await refused(
      () =>
        as(owner).updateDraft(id, v, {
          ...CONTENT,
          evidence: [...CONTENT.evidence, foreign],
        }),
      'BAD_USER_INPUT',
    );
    // Plain text of exactly the limit, PNG and JPEG go in.
    const text = Buffer.alloc(MAX_BYTES, 0x61);
    await attach(owner, upload(text, 'text/plain', 'notes.txt'));
    await as(owner).attachEvidence(
      id,
      await version(id),
      upload(PNG, 'image/png', 'chart.png'),
    );
    const [revision] = await as(owner).revisions(id);
    const sizes = await Promise.all(
      (revision?.evidence ?? []).map(
        async (e) => (await as(owner).evidenceDocumentOf(e.uri))?.sizeBytes,
      ),
    );
    assert.deepEqual(sizes, [undefined, MAX_BYTES, PNG.length]);
  });

  it('tells a client the limit and types it checks uploads with, so a file can be refused before it is sent', async () => {
    for (const actor of [owner, reviewer, analyst]) {
      const policy = as(actor).evidencePolicy();
      assert.equal(policy.maxBytes, MAX_BYTES);
      assert.deepEqual([...policy.contentTypes].sort(), [
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'image/jpeg',
        'image/png',
        'text/plain',
      ]);
    }
    const { maxBytes, contentTypes } = as(owner).evidencePolicy();
    const id = 'ALG-T-POLICY';
    // One byte over the limit it states is refused; exactly the limit is stored.
    await refused(
      async () =>
        as(owner).attachEvidence(
          id,
          await version(id),
          upload(Buffer.alloc(maxBytes + 1, 0x61), 'text/plain', 'a.txt'),
        ),
      'BAD_USER_INPUT',
      'evidence-too-large',
    );
    const stored = await as(owner).attachEvidence(
      id,
      await version(id),
      upload(Buffer.alloc(maxBytes, 0x61), 'text/plain', 'a.txt'),
    );
    assert.equal(stored.id, id);
    const { rows } = await tdb.db.query<{ size_bytes: number }>(
      'SELECT size_bytes FROM catalog.evidence_documents WHERE filing_id = $1',
      [id],
    );
    assert.deepEqual(
      rows.map((r) => r.size_bytes),
      [maxBytes],
    );
    // A type it does not list is refused, naming the same list.
    const error = await refused(
      async () =>
        as(owner).attachEvidence(
          id,
          await version(id),
          upload(PDF, 'application/zip', 'a.zip'),
        ),
      'BAD_USER_INPUT',
      'evidence-type-not-allowed',
    );
    assert.deepEqual(error.extensions['allowedTypes'], contentTypes);
  });

  it('keeps documents immutable in the database', async () => {
    await assert.rejects(
      tdb.db.query("UPDATE catalog.evidence_documents SET file_name = 'x.pdf'"),
      /append-only/,
    );
    await assert.rejects(
      tdb.db.query('DELETE FROM catalog.evidence_documents'),
      /append-only/,
    );
  });
});
