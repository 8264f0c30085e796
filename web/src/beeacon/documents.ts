// GraphQL documents of the Beeacon screens.
import { graphql } from '../gql';

export const SystemStatusDocument = graphql(`
  query SystemStatus {
    systemStatus {
      status
      checkedAt
      components {
        name
        kind
        up
        latencyMs
        detail
      }
    }
  }
`);

export const AlertsDocument = graphql(`
  query Alerts($first: Int) {
    alerts(first: $first) {
      nodes {
        id
        severity
        title
        message
        source
        createdAt
        state
        count
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AlertRaisedDocument = graphql(`
  subscription AlertRaised {
    alertRaised {
      id
      severity
      title
      message
      source
      createdAt
      state
      count
    }
  }
`);

export const PollenFilterStatsDocument = graphql(`
  query PollenFilterStats {
    pollenFilterStats {
      since
      records
      bytes
      totalRedactions
      instances
      redactions {
        type
        count
      }
    }
  }
`);
