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
