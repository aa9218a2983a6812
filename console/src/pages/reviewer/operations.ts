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
      mayEditDraft
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
          document {
            id
            fileName
            contentType
            sizeBytes
            sha256
            uploadedBy
            uploadedAt
          }
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

/** What an evidence upload may be: the server's size limit and content types. */
export const EvidencePolicyQuery = graphql(`
  query EvidencePolicy {
    algorithmEvidencePolicy {
      maxBytes
      contentTypes
    }
  }
`);

/** One evidence document with its content (governed and access-logged like any read). */
export const EvidenceContentQuery = graphql(`
  query EvidenceContent($id: ID!) {
    algorithmEvidenceDocument(id: $id) {
      id
      fileName
      contentType
      sizeBytes
      sha256
      contentBase64
    }
  }
`);

export const AttachEvidenceMutation = graphql(`
  mutation AttachEvidence(
    $id: ID!
    $version: Int!
    $evidence: EvidenceUploadInput!
  ) {
    attachAlgorithmEvidence(
      id: $id
      expectedVersion: $version
      evidence: $evidence
    ) {
      id
      version
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
