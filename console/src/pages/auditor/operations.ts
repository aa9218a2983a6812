import { graphql } from '../../graphql/graphql.js';

/** Records a page of the access log shows. */
export const RECORDS_PAGE_SIZE = 20;
/** Records fetched a page at a time for a CSV export (the API's most). */
export const EXPORT_PAGE_SIZE = 100;

export const AccessRecordsQuery = graphql(`
  query AccessRecords(
    $filter: AccessRecordFilter
    $first: Int
    $after: String
  ) {
    accessRecords(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        seq
        recordedAt
        subject
        department
        purpose
        operationName
        outcome
        latencyMs
      }
    }
  }
`);

export const AccessRecordsCsvQuery = graphql(`
  query AccessRecordsCsv(
    $filter: AccessRecordFilter
    $first: Int
    $after: String
  ) {
    accessRecords(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      csv
    }
  }
`);

export const AccessRecordQuery = graphql(`
  query AccessRecord($seq: ID!) {
    accessRecord(seq: $seq) {
      seq
      chain
      recordedAt
      subject
      department
      roles
      purpose
      operationHash
      operationName
      operationText
      read {
        ownerDepartment
        coordinates
      }
      withheld {
        coordinate
        path
        code
        rule
      }
      masked {
        coordinate
        mask
        rule
      }
      outcome
      latencyMs
      attemptId
      traceId
      prevHash
      hash
    }
  }
`);

export const AccessLogVerificationQuery = graphql(`
  query AccessLogVerification {
    accessLogVerification {
      ok
      verifiedAt
      records
      problems {
        kind
        seq
        chain
        detail
      }
      problemsOmitted
      head {
        seq
        hash
      }
      chains {
        chain
        writer
        records
        head {
          seq
          hash
        }
      }
      checkpointCount
      lastCheckpoint {
        id
        hash
      }
    }
  }
`);
