// The demo algorithm registry against the lifecycle and the real graph:
// 137 filings in every state, histories that replay through
// `filingTransition`, reviewers who are independent of the owner, the
// evidence each risk requires, inputs that exist in the committed
// supergraph, and the two filings the demo policy binds.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import {
  submissionProblems,
  type FilingRevisionContent,
} from '../../../catalog/src/model/Filing.js';
import {
  FILED_STATES,
  FILING_ACTIONS,
  filingActionNeedsComment,
  filingTransition,
  isReviewerAction,
  type FilingAction,
} from '../../../catalog/src/model/filingLifecycle.js';
import {
  ALGORITHM_STATES,
  readFieldCatalog,
  type AlgorithmState,
} from '../../../policies/src/index.js';
import {
  DEMO_FILING_REVIEWERS,
  DEMO_FILINGS_UNTIL,
  demoAlgorithmBindings,
  demoFilings,
  type DemoFiling,
} from '../../../seeds/src/catalog/demoFilings.js';
import { demoPolicy } from '../../../seeds/src/policy/demoPolicy.js';

const supergraphSdl = await readFile(
  new URL('../../../gateway/supergraph.graphql', import.meta.url),
  'utf8',
);
const catalog = readFieldCatalog(supergraphSdl);
const filings = demoFilings(supergraphSdl);

const DEPARTMENTS = [
  'environment',
  'water',
  'market',
  'enforcement',
  'emergency',
  'publicsecurity',
];
const PRE_FILED: readonly AlgorithmState[] = [
  'DRAFT',
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
];
/** The day the annual re-review job runs. */
const RE_REVIEW_DAY_END = '2026-12-04T23:59:59+08:00';

function isFilingAction(action: string): action is FilingAction {
  return (FILING_ACTIONS as readonly string[]).includes(action);
}

/** The revisions a filing submitted: the first unless a draft, and every change. */
function submittedRevisions(filing: DemoFiling): FilingRevisionContent[] {
  const submitted = new Set(
    filing.events
      .filter((e) => e.action === 'submit' || e.action === 'requestChange')
      .map((e) => e.revision),
  );
  return filing.revisions.filter((_, i) => submitted.has(i + 1));
}

/** The same wall-clock time a year later, as the store writes it. */
function plusOneYear(iso: string): string {
  return `${String(Number(iso.slice(0, 4)) + 1)}${iso.slice(4)}`;
}

describe('demo filings: the registry', () => {
  it('holds the 137 filings of the reference report, sorted by unique id', () => {
    assert.equal(filings.length, 137);
    const ids = filings.map((f) => f.header.id);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^ALG-(2024|2025|2026)-\d{3}$/);
    assert.equal(
      new Set(filings.map((f) => f.header.name)).size,
      filings.length,
      'names are unique',
    );
  });

  it('is deterministic', () => {
    assert.deepEqual(demoFilings(supergraphSdl), filings);
  });

  it('has every state, most filings in service', () => {
    const states = new Set(filings.map((f) => f.header.state));
    assert.deepEqual([...states].sort(), [...ALGORITHM_STATES].sort());
    const inService = filings.filter(
      (f) => f.header.state === 'IN_SERVICE',
    ).length;
    assert.ok(
      inService > filings.length / 2,
      `${String(inService)} in service`,
    );
  });

  it('is owned by the six departments, with every risk category', () => {
    for (const f of filings) {
      assert.ok(DEPARTMENTS.includes(f.header.ownerDepartment), f.header.id);
      assert.equal(f.createdBy, `${f.header.ownerDepartment}-algorithm-owner`);
      for (const text of [
        f.header.name,
        f.header.safetyOfficer,
        f.header.serviceForm,
        f.header.domain,
        f.header.algorithmType,
      ]) {
        assert.ok(text.trim() !== '', `${f.header.id}: empty header text`);
      }
    }
    assert.deepEqual(
      new Set(filings.map((f) => f.header.ownerDepartment)),
      new Set(DEPARTMENTS),
    );
    assert.deepEqual(
      new Set(filings.map((f) => f.header.riskCategory)),
      new Set(['LOW', 'MEDIUM', 'HIGH']),
    );
  });
});

describe('demo filings: histories', () => {
  it('replay through filingTransition from CREATED to the final state', () => {
    for (const f of filings) {
      const [created, ...rest] = f.events;
      assert.ok(created, f.header.id);
      assert.equal(created.action, 'CREATED', f.header.id);
      assert.equal(created.from, undefined);
      assert.equal(created.to, 'DRAFT');
      assert.equal(created.revision, 1);
      assert.equal(
        created.at.slice(0, 4),
        f.header.id.slice(4, 8),
        `${f.header.id} is numbered by the year it was created`,
      );
      let state: AlgorithmState = 'DRAFT';
      let current = 1;
      let approved: number | null = null;
      let last = created.at;
      for (const e of rest) {
        const where = `${f.header.id} ${e.action} at ${e.at}`;
        assert.ok(Date.parse(e.at) > Date.parse(last), `${where}: in order`);
        last = e.at;
        assert.equal(e.from, state, where);
        if (e.action === 'REVISED') {
          assert.ok(state === 'DRAFT' || state === 'RETURNED', where);
          assert.equal(e.to, state, where);
          assert.equal(e.revision, current, where);
          continue;
        }
        assert.ok(isFilingAction(e.action), `${where}: unknown action`);
        assert.equal(e.to, filingTransition(e.action, state), where);
        if (filingActionNeedsComment(e.action)) {
          assert.ok(e.comment?.trim(), `${where}: a comment is required`);
        }
        switch (e.action) {
          case 'requestChange':
            current += 1;
            assert.equal(e.revision, current, where);
            break;
          case 'file':
          case 'approveChange':
            assert.equal(e.revision, current, where);
            approved = current;
            break;
          case 'rejectChange':
            assert.equal(e.revision, current, where);
            assert.ok(approved !== null, where);
            current = approved;
            break;
          default:
            assert.equal(e.revision, current, where);
        }
        state = e.to;
      }
      assert.ok(last < DEMO_FILINGS_UNTIL, `${f.header.id} ends in the past`);
      assert.equal(state, f.header.state, f.header.id);
      assert.equal(f.currentRevision, current, f.header.id);
      assert.equal(f.approvedRevision, approved, f.header.id);
      assert.equal(
        f.revisions.length,
        Math.max(...f.events.map((e) => e.revision)),
      );
      assert.ok(f.revisions.length <= 2, f.header.id);
    }
  });

  it('returns with a comment, and a change pending is revision 2 over approved revision 1', () => {
    for (const f of filings) {
      if (f.header.state === 'RETURNED') {
        const last = f.events.at(-1);
        assert.equal(last?.action, 'return', f.header.id);
      }
      if (f.header.state === 'CHANGE_PENDING') {
        assert.equal(f.currentRevision, 2, f.header.id);
        assert.equal(f.approvedRevision, 1, f.header.id);
        assert.equal(f.events.at(-1)?.action, 'requestChange', f.header.id);
      }
      if (PRE_FILED.includes(f.header.state)) {
        assert.equal(f.approvedRevision, null, f.header.id);
        assert.equal(f.revisions.length, 1, f.header.id);
      } else {
        assert.notEqual(f.approvedRevision, null, f.header.id);
      }
    }
  });

  it('is reviewed by the registry’s reviewers, never the submitter or the owner department', () => {
    for (const f of filings) {
      const owner = f.header.ownerDepartment;
      for (const e of f.events) {
        const where = `${f.header.id} ${e.action}`;
        if (isFilingAction(e.action) && isReviewerAction(e.action)) {
          assert.ok(
            (DEMO_FILING_REVIEWERS as readonly string[]).includes(e.actor),
            where,
          );
          assert.equal(e.actorDepartment, 'cac', where);
          assert.notEqual(e.actorDepartment, owner, where);
          assert.notEqual(e.actor, f.submittedBy, where);
        } else {
          assert.equal(e.actor, `${owner}-algorithm-owner`, where);
          assert.equal(e.actorDepartment, owner, where);
        }
      }
      const reviewers = f.events.filter(
        (e) => isFilingAction(e.action) && isReviewerAction(e.action),
      );
      assert.equal(f.reviewer, reviewers.at(-1)?.actor ?? null, f.header.id);
      const submitted = f.events.some((e) => e.action === 'submit');
      assert.equal(
        f.submittedBy,
        submitted ? `${owner}-algorithm-owner` : null,
        f.header.id,
      );
    }
  });

  it('issues unique filing numbers in filing order per year', () => {
    const filed = filings
      .flatMap((f) =>
        f.events
          .filter((e) => e.action === 'file')
          .map((e) => ({ id: f.header.id, at: e.at, number: f.filingNumber })),
      )
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const perYear = new Map<string, number>();
    for (const { id, at, number } of filed) {
      const year = at.slice(0, 4);
      const sequence = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, sequence);
      assert.equal(
        number,
        `渝算备${year}第${String(sequence).padStart(4, '0')}号`,
        id,
      );
    }
    for (const f of filings) {
      const wasFiled = f.events.some((e) => e.action === 'file');
      assert.equal(f.filingNumber !== null, wasFiled, f.header.id);
      assert.equal(f.filingNumber === null, PRE_FILED.includes(f.header.state));
      assert.equal(
        f.filedAt,
        f.events.find((e) => e.action === 'file')?.at ?? null,
        f.header.id,
      );
    }
    const numbers = filings.flatMap((f) => f.filingNumber ?? []);
    assert.equal(new Set(numbers).size, numbers.length);
  });

  it('schedules the annual re-review a year after the last review', () => {
    for (const f of filings) {
      const reviews = f.events.filter((e) =>
        ['file', 'approveChange', 'rejectChange'].includes(e.action),
      );
      assert.equal(f.lastReviewedAt, reviews.at(-1)?.at ?? null, f.header.id);
      const expected =
        f.lastReviewedAt !== null && FILED_STATES.includes(f.header.state)
          ? plusOneYear(f.lastReviewedAt)
          : null;
      assert.equal(f.nextReviewAt, expected, f.header.id);
      if (f.nextReviewAt !== null) {
        assert.ok(
          f.nextReviewAt >= '2026-11-01' && f.nextReviewAt < '2028',
          `${f.header.id} is due ${f.nextReviewAt}`,
        );
      }
    }
    const due = filings.filter(
      (f) => f.nextReviewAt !== null && f.nextReviewAt <= RE_REVIEW_DAY_END,
    );
    assert.ok(due.length >= 10, `${String(due.length)} due on 2026-12-04`);
    assert.ok(
      filings.filter((f) => f.nextReviewAt?.startsWith('2027')).length >
        due.length,
      'most reviews fall due in 2027',
    );
  });
});

describe('demo filings: content', () => {
  it('passes submissionProblems once submitted, with an impact assessment for every HIGH risk', () => {
    for (const f of filings) {
      if (f.header.state === 'DRAFT') continue;
      const revisions = submittedRevisions(f);
      assert.ok(revisions.length >= 1, f.header.id);
      for (const content of revisions) {
        assert.deepEqual(
          submissionProblems(content, f.header.riskCategory),
          [],
          f.header.id,
        );
        if (f.header.riskCategory === 'HIGH') {
          assert.ok(
            content.evidence.some((e) => e.kind === 'IMPACT_ASSESSMENT'),
            f.header.id,
          );
        }
      }
    }
  });

  it('keeps drafts that are still incomplete', () => {
    const drafts = filings.filter((f) => f.header.state === 'DRAFT');
    assert.ok(drafts.length > 0);
    for (const f of drafts) {
      const [content] = f.revisions;
      assert.ok(content);
      assert.notDeepEqual(
        submissionProblems(content, f.header.riskCategory),
        [],
        f.header.id,
      );
    }
  });

  it('reads only coordinates of the committed supergraph, each once', () => {
    for (const f of filings) {
      f.revisions.forEach((content, i) => {
        const where = `${f.header.id} r${String(i + 1)}`;
        assert.ok(content.inputs.length > 0, where);
        assert.equal(
          new Set(content.inputs).size,
          content.inputs.length,
          where,
        );
        for (const c of content.inputs) {
          assert.ok(catalog.has(c), `${where}: ${c} is not in the supergraph`);
        }
      });
    }
  });

  it('reads the pages of every connection it reads', () => {
    for (const f of filings) {
      for (const content of f.revisions) {
        const inputs = new Set(content.inputs);
        if ([...inputs].some((c) => c.endsWith('Connection.pageInfo'))) {
          assert.ok(inputs.has('PageInfo.hasNextPage'), f.header.id);
          assert.ok(inputs.has('PageInfo.endCursor'), f.header.id);
        }
      }
    }
  });

  it('refuses a supergraph without the coordinates the filings read', () => {
    const withoutCrowds = supergraphSdl.replace(
      /\n {2}congestionPoints: \[CongestionPoint!\]![^\n]*/,
      '',
    );
    assert.notEqual(withoutCrowds, supergraphSdl, 'the fixture edit applies');
    assert.throws(
      () => demoFilings(withoutCrowds),
      /CrowdObservation\.congestionPoints/,
    );
  });
});

describe('demo filings: the demo policy’s bindings', () => {
  const bindings = demoAlgorithmBindings(filings);

  it('binds exactly what demoPolicy binds for its filings', () => {
    const policy = demoPolicy();
    assert.ok(policy.algorithms.length > 0);
    for (const algorithm of policy.algorithms) {
      const binding = bindings.find((b) => b.filingId === algorithm.filingId);
      assert.ok(binding, algorithm.filingId);
      assert.deepEqual(binding, algorithm);
      const filing = filings.find((f) => f.header.id === algorithm.filingId);
      assert.ok(filing);
      assert.equal(filing.header.state, algorithm.state);
      assert.ok(filing.approvedRevision !== null);
      assert.deepEqual(
        filing.revisions[filing.approvedRevision - 1]?.inputs,
        algorithm.inputs,
      );
    }
  });

  it('names the 汝溪河 oil-slick tracing and the 解放碑 crowd forecast', () => {
    const oil = filings.find((f) => f.header.id === 'ALG-2025-017');
    assert.equal(oil?.header.name, '汝溪河油污溯源');
    assert.equal(oil.header.ownerDepartment, 'environment');
    assert.equal(oil.header.state, 'IN_SERVICE');
    assert.equal(oil.header.riskCategory, 'HIGH');
    const crowd = filings.find((f) => f.header.id === 'ALG-2024-031');
    assert.equal(crowd?.header.name, '解放碑商圈客流拥堵预测');
    assert.equal(crowd.header.ownerDepartment, 'publicsecurity');
    assert.equal(crowd.header.state, 'SUSPENDED');
  });

  it('binds only filed filings, with their approved revision', () => {
    assert.equal(
      bindings.length,
      filings.filter((f) => !PRE_FILED.includes(f.header.state)).length,
    );
  });
});
