import { graphql } from '../../graphql/graphql.js';

/** Rows a page of the inbox or of the search shows. */
export const DUTY_PAGE_SIZE = 20;

export const AlertInboxQuery = graphql(`
  query AlertInbox($status: AlertStatus, $first: Int, $after: String) {
    alertInbox(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        channel
        recipient
        status
        createdAt
        alert {
          id
          title
          level
          status
          raisedAt
          riskItem {
            id
            name
          }
        }
      }
    }
  }
`);

export const AlertQuery = graphql(`
  query DutyAlert($id: ID!) {
    alert(id: $id) {
      id
      title
      message
      level
      status
      raisedAt
      acknowledgedAt
      disposedAt
      closedAt
      notifiedParties
      riskItem {
        id
        name
        address
        disposalMeasures
      }
      monitoringSection {
        id
        name
      }
      rule {
        metric
        comparator
        value
        unit
        windowDays
      }
      triggeringReadings {
        metric
        value
        unit
        measuredAt
      }
      suspectedSources {
        distanceKm
        source {
          id
          name
          kind
        }
      }
      events {
        from
        to
        actor
        comment
        at
      }
      deliveries {
        id
        channel
        recipient
        status
        attempts
        failure
        lastError
        createdAt
        deliveredAt
      }
    }
  }
`);

export const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!, $comment: String) {
    acknowledgeAlert(id: $id, comment: $comment) {
      id
      status
    }
  }
`);

export const DisposeAlertMutation = graphql(`
  mutation DisposeAlert($id: ID!, $comment: String!) {
    disposeAlert(id: $id, comment: $comment) {
      id
      status
    }
  }
`);

export const CloseAlertMutation = graphql(`
  mutation CloseAlert($id: ID!, $comment: String) {
    closeAlert(id: $id, comment: $comment) {
      id
      status
    }
  }
`);

export const WebhooksQuery = graphql(`
  query DutyWebhooks {
    alertWebhooks {
      id
      url
      createdAt
    }
    deadAlertDeliveries(first: 20) {
      totalCount
      nodes {
        id
        recipient
        attempts
        failure
        lastError
        createdAt
        alert {
          id
          title
        }
      }
    }
  }
`);

export const RedeliverMutation = graphql(`
  mutation Redeliver($id: ID!) {
    redeliverAlert(deliveryId: $id) {
      id
      status
    }
  }
`);

export const RiskSearchQuery = graphql(`
  query RiskSearch(
    $text: String
    $filter: RiskItemSearchFilter
    $first: Int
    $after: String
  ) {
    searchRiskItems(
      text: $text
      filter: $filter
      facets: [DISTRICT, CATEGORY, LEVEL, STATUS]
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      facets {
        field
        buckets {
          value
          count
          category {
            name
          }
          region {
            name
          }
        }
      }
      hits {
        score
        highlights {
          field
          fragments
        }
        item {
          id
          name
          level
          status
          address
          responsibleDepartment
          category {
            code
            name
          }
          region {
            code
            name
          }
        }
      }
    }
  }
`);

export const DistrictsQuery = graphql(`
  query Districts {
    regions(level: DISTRICT, first: 100) {
      nodes {
        code
        name
      }
    }
  }
`);
