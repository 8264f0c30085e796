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
      history {
        component
        kind
        up
        watched
        detail
        at
      }
    }
  }
`);

export const AlertFieldsFragment = graphql(`
  fragment AlertFields on Alert {
    id
    severity
    title
    message
    source
    createdAt
    state
    count
    lastSeenAt
    acknowledgedAt
    resolvedAt
  }
`);

export const AlertsDocument = graphql(`
  query Alerts($filter: AlertFilter, $first: Int, $after: String) {
    alerts(filter: $filter, first: $first, after: $after) {
      nodes {
        ...AlertFields
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
      ...AlertFields
    }
  }
`);

export const AcknowledgeAlertDocument = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      ...AlertFields
    }
  }
`);

export const ResolveAlertDocument = graphql(`
  mutation ResolveAlert($id: ID!) {
    resolveAlert(id: $id) {
      ...AlertFields
    }
  }
`);

export const PollenFilterStatsDocument = graphql(`
  query PollenFilterStats($since: DateTime) {
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
      timeSeries(since: $since) {
        minute
        records
        redactions {
          type
          count
        }
      }
    }
  }
`);

export const BeeaconLogsDocument = graphql(`
  query BeeaconLogs($filter: LogFilter, $first: Int, $after: String) {
    logs(filter: $filter, first: $first, after: $after) {
      nodes {
        id
        at
        service
        level
        message
        record
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const OperationFiguresFragment = graphql(`
  fragment OperationFigures on OperationHealth {
    operation
    operationType
    requests
    failed
    errorRate
    p50Seconds
    p99Seconds
  }
`);

export const BeeaconHealthReportDocument = graphql(`
  mutation BeeaconHealthReport($input: HealthReportInput) {
    generateHealthReport(input: $input) {
      id
      createdAt
      from
      to
      pdfUrl
      components {
        name
        kind
        up
        uptimePercent
        downtimeSeconds
        unwatchedSeconds
        outages
      }
      alerts {
        raised
        open
        bySeverity {
          severity
          count
        }
      }
      operationTypes {
        ...OperationFigures
      }
      operations {
        ...OperationFigures
      }
      ingestion {
        documentsReady
        documentsFailed
      }
      bee {
        answers
        tokens
        people
        messages
      }
      pollenFilter {
        records
        totalRedactions
        documentFindings
      }
      signIns {
        succeeded
        failed
        topFailingAddresses {
          address
          failures
        }
      }
    }
  }
`);

export const BeeaconEventSummaryDocument = graphql(`
  query BeeaconEventSummary($days: Int!) {
    eventSummary(days: $days) {
      since
      counts {
        day
        type
        events
      }
    }
  }
`);

export const IntegrationsDocument = graphql(`
  query BeeaconIntegrations {
    lokiStatus {
      configured
      url
      reachable
      detail
      backlog
      lastPushAt
      shipped
      dropped
      lastError
    }
    grafanaStatus {
      configured
      url
      reachable
      version
      database
      detail
      dashboards {
        uid
        title
        file
        present
      }
    }
    observabilityConfig {
      key
      value
      secret
    }
    alertRules {
      name
      enabled
      condition
      severity
      openAlerts
    }
  }
`);
