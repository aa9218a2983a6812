import { graphql } from '../../graphql/graphql.js';

/** How many entries and directory fields a list asks for. */
export const LIST_SIZE = 100;

export const EntryVersionFragment = graphql(`
  fragment EntryVersionRow on NegativeListEntryVersion {
    id
    version
    revision
    status
    ownerDepartment
    selector {
      coordinates
      types
      tags
    }
    shareClass
    legalBasis
    reason
    priority
    author
    approver
    updatedAt
  }
`);

/** The negative list of a department: every entry with its versions. */
export const NegativeListQuery = graphql(
  `
    query NegativeList($department: String, $status: EntryStatus, $first: Int) {
      negativeListEntries(
        ownerDepartment: $department
        status: $status
        first: $first
      ) {
        totalCount
        nodes {
          id
          ownerDepartment
          active {
            version
          }
          latest {
            ...EntryVersionRow
          }
        }
      }
    }
  `,
  [EntryVersionFragment],
);

/** One entry: its versions, the latest one's coverage, contradictions and history. */
export const EntryQuery = graphql(
  `
    query Entry($id: ID!) {
      negativeListEntry(id: $id) {
        id
        ownerDepartment
        active {
          version
        }
        versions {
          ...EntryVersionRow
          validFrom
          validUntil
          submittedAt
          approvedAt
          coverage
          contradictions {
            kind
            message
          }
          history {
            action
            fromStatus
            toStatus
            actor
            actorDepartment
            comment
            revision
            at
          }
        }
      }
      reviewQueue(first: 100) {
        nodes {
          id
          version
          revision
        }
      }
    }
  `,
  [EntryVersionFragment],
);

/** The data directory: the fields of a department, searched. */
export const DirectoryQuery = graphql(`
  query Directory($department: String, $search: String, $first: Int) {
    dataResources(
      ownerDepartment: $department
      search: $search
      first: $first
    ) {
      nodes {
        coordinate
        description
        classification
        shareClass
      }
    }
  }
`);

/** The server's checks of an entry, without saving it. */
export const ValidateEntryQuery = graphql(`
  query ValidateEntry($input: NegativeListEntryInput!) {
    validateNegativeListEntry(input: $input) {
      valid
      problems {
        field
        message
        name
        suggestion
      }
      coverage
      contradictions {
        kind
        message
      }
    }
  }
`);

export const CreateEntryMutation = graphql(`
  mutation CreateEntry($input: NegativeListEntryInput!) {
    createNegativeListEntry(input: $input) {
      id
      version
      status
    }
  }
`);

export const ReviseEntryMutation = graphql(`
  mutation ReviseEntry(
    $id: ID!
    $expectedRevision: Int!
    $content: NegativeListEntryContentInput!
  ) {
    reviseNegativeListEntry(
      id: $id
      expectedRevision: $expectedRevision
      content: $content
    ) {
      id
      version
      status
    }
  }
`);

export const EditDraftMutation = graphql(`
  mutation EditEntryDraft(
    $id: ID!
    $version: Int!
    $expectedRevision: Int!
    $content: NegativeListEntryContentInput!
  ) {
    editNegativeListEntryDraft(
      id: $id
      version: $version
      expectedRevision: $expectedRevision
      content: $content
    ) {
      id
      version
      status
    }
  }
`);

export const SubmitEntryMutation = graphql(`
  mutation SubmitEntry(
    $id: ID!
    $version: Int!
    $expectedRevision: Int!
    $comment: String
  ) {
    submitNegativeListEntry(
      id: $id
      version: $version
      expectedRevision: $expectedRevision
      comment: $comment
    ) {
      status
      revision
    }
  }
`);

export const ApproveEntryMutation = graphql(`
  mutation ApproveEntry(
    $id: ID!
    $version: Int!
    $expectedRevision: Int!
    $comment: String
  ) {
    approveNegativeListEntry(
      id: $id
      version: $version
      expectedRevision: $expectedRevision
      comment: $comment
    ) {
      status
      revision
    }
  }
`);

export const ReturnEntryMutation = graphql(`
  mutation ReturnEntry(
    $id: ID!
    $version: Int!
    $expectedRevision: Int!
    $comment: String!
  ) {
    returnNegativeListEntry(
      id: $id
      version: $version
      expectedRevision: $expectedRevision
      comment: $comment
    ) {
      status
      revision
    }
  }
`);

export const RevokeEntryMutation = graphql(`
  mutation RevokeEntry(
    $id: ID!
    $version: Int!
    $expectedRevision: Int!
    $comment: String!
  ) {
    revokeNegativeListEntry(
      id: $id
      version: $version
      expectedRevision: $expectedRevision
      comment: $comment
    ) {
      status
      revision
    }
  }
`);

/** What a version would change for the recorded traffic (a replay of the access log). */
export const EntryImpactQuery = graphql(`
  query EntryImpact($id: ID!, $version: Int!) {
    negativeListEntry(id: $id) {
      id
      version(version: $version) {
        version
        impact {
          records
          simulated
          skipped
          changed
          departments {
            department
            records
            fieldChanges
          }
          fields {
            coordinate
            transition
            before
            after
            records
            departments
          }
          assumptions
        }
      }
    }
  }
`);

/** What changed between two versions of an entry. */
export const EntryDiffQuery = graphql(`
  query EntryDiff($id: ID!, $from: Int!, $to: Int!) {
    negativeListEntry(id: $id) {
      id
      diff(from: $from, to: $to) {
        field
        before
        after
      }
    }
  }
`);

// Share requests, grants, classification and the access report.

/** How many share requests, grants and unclassified fields a page lists. */
export const SHARING_PAGE_SIZE = 20;

export const GrantFragment = graphql(`
  fragment GrantRow on Grant {
    id
    entryId
    ownerDepartment
    consumerDepartment
    purpose
    coordinates
    masks {
      coordinate
      mask
    }
    rowFilter
    validFrom
    expiresAt
    revoked
    inForce
    allowedActions
    issuedBy
    revokedBy
    revokedAt
    revocationReason
    requestId
  }
`);

/** The share requests addressed to the officer's department, oldest due date first. */
export const ShareRequestsQuery = graphql(`
  query ShareRequests(
    $status: ShareRequestStatus
    $first: Int
    $after: String
  ) {
    shareRequests(
      side: AS_OWNER
      status: $status
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        consumerDepartment
        purpose
        coordinates
        requestedBy
        requestedAt
        dueAt
        status
      }
    }
  }
`);

/** One share request, with the grant it produced. */
export const ShareRequestQuery = graphql(
  `
    query ShareRequest($id: ID!) {
      shareRequest(id: $id) {
        id
        revision
        entryId
        ownerDepartment
        consumerDepartment
        purpose
        scenario
        coordinates
        justification
        requestedExpiry
        requestedBy
        requestedAt
        dueAt
        allowedActions
        status
        decidedBy
        decidedAt
        decisionReason
        grant {
          ...GrantRow
        }
      }
    }
  `,
  [GrantFragment],
);

export const ApproveShareRequestMutation = graphql(`
  mutation ApproveShareRequest(
    $id: ID!
    $expectedRevision: Int!
    $decision: ShareApprovalInput
  ) {
    approveShareRequest(
      id: $id
      expectedRevision: $expectedRevision
      decision: $decision
    ) {
      id
      status
      grant {
        id
      }
    }
  }
`);

export const RejectShareRequestMutation = graphql(`
  mutation RejectShareRequest(
    $id: ID!
    $expectedRevision: Int!
    $reason: String!
  ) {
    rejectShareRequest(
      id: $id
      expectedRevision: $expectedRevision
      reason: $reason
    ) {
      id
      status
    }
  }
`);

export const WithdrawShareRequestMutation = graphql(`
  mutation WithdrawShareRequest($id: ID!, $expectedRevision: Int!) {
    withdrawShareRequest(id: $id, expectedRevision: $expectedRevision) {
      id
      status
    }
  }
`);

/** The grants of the officer's department's data. */
export const GrantsQuery = graphql(
  `
    query Grants(
      $ownerDepartment: String
      $inForce: Boolean
      $first: Int
      $after: String
    ) {
      grants(
        ownerDepartment: $ownerDepartment
        inForce: $inForce
        first: $first
        after: $after
      ) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...GrantRow
        }
      }
    }
  `,
  [GrantFragment],
);

export const RevokeGrantMutation = graphql(`
  mutation RevokeGrant($id: ID!, $reason: String!) {
    revokeGrant(id: $id, reason: $reason) {
      id
      revoked
    }
  }
`);

/** The department's fields nobody has classified yet. */
export const UnclassifiedFieldsQuery = graphql(`
  query UnclassifiedFields(
    $ownerDepartment: String
    $first: Int
    $after: String
  ) {
    unclassifiedFields(
      ownerDepartment: $ownerDepartment
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        coordinate
        owners
        firstSeenAt
        pendingProposal {
          id
          status
          awaiting
        }
      }
    }
  }
`);

export const ClassifyFieldsMutation = graphql(`
  mutation ClassifyFields($input: [FieldClassificationInput!]!) {
    classifyFields(input: $input) {
      coordinate
      reviewedTags
      unclassified
      pendingProposal {
        id
        awaiting
      }
    }
  }
`);

/** One total of the access report. */
export const AccessReportTotalFragment = graphql(`
  fragment AccessReportTotalRow on AccessReportTotal {
    key
    reads
    withheld
    subjects
  }
`);

/** Who read the department's data in a range: totals per consumer, field, purpose and day. */
export const AccessReportQuery = graphql(
  `
    query AccessReport(
      $ownerDepartment: String!
      $since: String
      $until: String
    ) {
      accessReport(
        ownerDepartment: $ownerDepartment
        since: $since
        until: $until
      ) {
        since
        until
        total {
          ...AccessReportTotalRow
        }
        byConsumer {
          ...AccessReportTotalRow
        }
        byCoordinate {
          ...AccessReportTotalRow
        }
        byPurpose {
          ...AccessReportTotalRow
        }
        byDay {
          ...AccessReportTotalRow
        }
      }
    }
  `,
  [AccessReportTotalFragment],
);

/** The same report's rows as CSV (RFC 4180), for the export. */
export const AccessReportCsvQuery = graphql(`
  query AccessReportCsv(
    $ownerDepartment: String!
    $since: String
    $until: String
  ) {
    accessReport(
      ownerDepartment: $ownerDepartment
      since: $since
      until: $until
    ) {
      csv
    }
  }
`);
