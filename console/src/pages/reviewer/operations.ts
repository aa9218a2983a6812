import { graphql } from '../../graphql/graphql.js';

/** The page size of the registry's lists. */
export const PAGE_SIZE = 20;

export const FilingRowFragment = graphql(`
  fragment FilingRow on AlgorithmFiling {
    id
    name
    ownerDepartment
    state
    riskCategory
    filingNumber
    updatedAt
  }
`);

export const ReviewQueueQuery = graphql(
  `
    query ReviewQueue(
      $risk: AlgorithmRiskCategory
      $first: Int
      $after: String
    ) {
      algorithmReviewQueue(riskCategory: $risk, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...FilingRow
        }
      }
    }
  `,
  [FilingRowFragment],
);

export const FilingsQuery = graphql(
  `
    query Filings(
      $state: AlgorithmState
      $risk: AlgorithmRiskCategory
      $department: String
      $search: String
      $first: Int
      $after: String
    ) {
      algorithmFilings(
        state: $state
        riskCategory: $risk
        ownerDepartment: $department
        search: $search
        first: $first
        after: $after
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...FilingRow
        }
      }
    }
  `,
  [FilingRowFragment],
);

export const FilingQuery = graphql(`
  query Filing($id: ID!) {
    algorithmFiling(id: $id) {
      id
      name
      ownerDepartment
      safetyOfficer
      serviceForm
      domain
      algorithmType
      riskCategory
      state
      filingNumber
      version
      submittedBy
      reviewer
      filedAt
      lastReviewedAt
      nextReviewAt
      reviewFlaggedAt
      createdBy
      createdAt
      updatedAt
      mayRead
      currentRevision {
        revision
        purposeAndImpact
        operatingLogic
        inputs {
          coordinate
          owners
          shareClass
          negativeListEntry
        }
        outputs
        legalBasis
        humanOversight
        selfAssessment
        modelVersions
        deploymentEndpoint
        evidence {
          kind
          title
          uri
        }
        createdBy
        createdAt
      }
      approvedRevision {
        revision
        inputs {
          coordinate
        }
      }
      history {
        action
        fromState
        toState
        actor
        actorDepartment
        comment
        revision
        at
      }
    }
  }
`);

export const TransitionMutation = graphql(`
  mutation Transition(
    $id: ID!
    $action: FilingAction!
    $version: Int!
    $comment: String
  ) {
    transitionAlgorithmFiling(
      id: $id
      action: $action
      expectedVersion: $version
      comment: $comment
    ) {
      id
      state
      version
      filingNumber
    }
  }
`);
