import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  FILING_ACTIONS,
  filingActionNeedsComment,
  filingNumber,
  filingTransition,
  isReviewerAction,
} from '../../../catalog/src/model/filingLifecycle.js';
import { submissionProblems } from '../../../catalog/src/model/Filing.js';
import { ALGORITHM_STATES } from '../../../policies/src/index.js';

describe('filingTransition', () => {
  it('follows the registry lifecycle of docs/design.md, and nothing else', () => {
    const allowed = FILING_ACTIONS.flatMap((action) =>
      ALGORITHM_STATES.flatMap((from) => {
        const to = filingTransition(action, from);
        return to === null ? [] : [`${from} -${action}-> ${to}`];
      }),
    ).sort();
    assert.deepEqual(allowed, [
      'CHANGE_PENDING -approveChange-> IN_SERVICE',
      'CHANGE_PENDING -rejectChange-> IN_SERVICE',
      'CHANGE_PENDING -retire-> RETIRED',
      'CHANGE_PENDING -suspend-> SUSPENDED',
      'DRAFT -submit-> SUBMITTED',
      'FILED -pilot-> PILOT',
      'FILED -retire-> RETIRED',
      'FILED -serve-> IN_SERVICE',
      'IN_SERVICE -requestChange-> CHANGE_PENDING',
      'IN_SERVICE -retire-> RETIRED',
      'IN_SERVICE -suspend-> SUSPENDED',
      'PILOT -retire-> RETIRED',
      'PILOT -serve-> IN_SERVICE',
      'RETURNED -submit-> SUBMITTED',
      'SUBMITTED -startReview-> UNDER_REVIEW',
      'SUSPENDED -resume-> IN_SERVICE',
      'SUSPENDED -retire-> RETIRED',
      'UNDER_REVIEW -file-> FILED',
      'UNDER_REVIEW -return-> RETURNED',
    ]);
  });

  it('asks reviewers, with a comment, to return, reject, suspend and retire', () => {
    assert.deepEqual(FILING_ACTIONS.filter(filingActionNeedsComment), [
      'return',
      'rejectChange',
      'suspend',
      'retire',
    ]);
    for (const action of FILING_ACTIONS.filter(filingActionNeedsComment)) {
      assert.equal(isReviewerAction(action), true, action);
    }
    assert.equal(isReviewerAction('submit'), false);
    assert.equal(isReviewerAction('requestChange'), false);
  });

  it('numbers filings per year', () => {
    assert.equal(filingNumber(2025, 17), '渝算备2025第0017号');
  });
});

describe('submissionProblems', () => {
  const content = {
    purposeAndImpact: 'p',
    operatingLogic: 'o',
    inputs: ['Reading.value'],
    outputs: ['warning'],
    legalBasis: 'l',
    humanOversight: 'h',
    selfAssessment: 's',
    modelVersions: ['1.0'],
    deploymentEndpoint: 'https://x',
    evidence: [
      { kind: 'SELF_ASSESSMENT' as const, title: 't', uri: 'doc://1' },
    ],
  };

  it('accepts a complete low-risk filing and asks an impact assessment of a high-risk one', () => {
    assert.deepEqual(submissionProblems(content, 'LOW'), []);
    assert.deepEqual(
      submissionProblems(content, 'HIGH').map((p) => p.field),
      ['evidence'],
    );
    assert.deepEqual(
      submissionProblems(
        {
          ...content,
          evidence: [
            ...content.evidence,
            { kind: 'IMPACT_ASSESSMENT', title: 'i', uri: 'doc://2' },
          ],
        },
        'HIGH',
      ),
      [],
    );
  });

  it('names every missing part', () => {
    assert.deepEqual(
      submissionProblems(
        { ...content, legalBasis: ' ', inputs: [], evidence: [] },
        'MEDIUM',
      ).map((p) => p.field),
      ['legalBasis', 'inputs', 'evidence'],
    );
  });
});
