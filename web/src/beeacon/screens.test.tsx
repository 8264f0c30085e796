// Beeacon's other screens: the Pollen chart and the status strips named for screen readers with their figures,
// the log search (filters, paging, records shown as text only), the health report's PDF link, and the Loki,
// Grafana, alert rules and configuration cards.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import {
  BeeaconEventSummaryDocument,
  BeeaconHealthReportDocument,
  BeeaconLogsDocument,
  IntegrationsDocument,
  PollenFilterStatsDocument,
  SystemStatusDocument,
} from './documents';
import { HealthReportPage } from './HealthReportPage';
import { IntegrationsPage } from './IntegrationsPage';
import { LOGS_PAGE, LogsPage } from './LogsPage';
import { PollenPanel } from './PollenPanel';
import { StatusPanel } from './StatusPanel';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const count = (type: string, n: number) => ({ __typename: 'PollenRedactionCount', type, count: n });

describe('PollenPanel', () => {
  it('draws redactions per type over the last hour, named with its totals, with the figures as a table', async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          {
            request: {
              query: PollenFilterStatsDocument,
              variables: { since: new Date(NOW.getTime() - 3600_000).toISOString() },
            },
            result: {
              data: {
                pollenFilterStats: {
                  __typename: 'PollenFilterStats',
                  since: '2026-11-30T08:00:00.000Z',
                  records: 120,
                  bytes: 9000,
                  totalRedactions: 9,
                  instances: 1,
                  redactions: [count('EMAIL', 7), count('CARD', 2)],
                  timeSeries: [
                    {
                      __typename: 'PollenMinute',
                      minute: '2026-11-30T11:30:00.000Z',
                      records: 10,
                      redactions: [count('EMAIL', 4), count('CARD', 2)],
                    },
                    {
                      __typename: 'PollenMinute',
                      minute: '2026-11-30T11:45:00.000Z',
                      records: 3,
                      redactions: [count('EMAIL', 1)],
                    },
                  ],
                },
              },
            },
          },
        ]}
      >
        <PollenPanel now={() => NOW} />
      </MockedProvider>,
    );
    const chart = await screen.findByRole('img', { name: 'Redactions per type, last hour: 5 EMAIL, 2 CARD' });
    expect(chart.querySelectorAll('rect')).toHaveLength(3);
    expect(screen.getByRole('img', { name: 'Redactions per type: 7 EMAIL, 2 CARD' })).toBeTruthy();
    const table = screen.getByRole('table', { name: /Redactions per type, last hour \(per minute\)/ });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toHaveLength(3);
    expect(rows[1]!.textContent).toMatch(/42$/);
    expect(screen.getByText(/9 redactions in 120 log records/)).toBeTruthy();
  });
});

describe('StatusPanel', () => {
  it('draws each component’s last 24 hours as a strip named with its downtime, and lists the transitions', async () => {
    const component = (name: string, up: boolean) => ({
      __typename: 'ComponentStatus',
      name,
      kind: 'SUBGRAPH',
      up,
      latencyMs: up ? 2.5 : null,
      detail: up ? null : 'connection refused',
    });
    const transition = (up: boolean, at: string) => ({
      __typename: 'ComponentTransition',
      component: 'knowledge',
      kind: 'SUBGRAPH',
      up,
      watched: true,
      detail: up ? null : 'connection refused',
      at,
    });
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          {
            request: { query: SystemStatusDocument },
            result: {
              data: {
                systemStatus: {
                  __typename: 'SystemStatus',
                  status: 'DEGRADED',
                  checkedAt: NOW.toISOString(),
                  components: [
                    component('identity', true),
                    component('knowledge', true),
                    component('honey-jars', true),
                    component('chat', true),
                  ],
                  history: [
                    { ...transition(true, '2026-11-30T02:00:00.000Z'), component: 'honey-jars' },
                    { ...transition(true, '2026-11-30T06:00:00.000Z'), component: 'chat', watched: false },
                    { ...transition(true, '2026-11-30T06:30:00.000Z'), component: 'chat' },
                    transition(false, '2026-11-30T10:00:00.000Z'),
                    transition(true, '2026-11-30T10:45:00.000Z'),
                  ],
                },
              },
            },
          },
        ]}
      >
        <StatusPanel now={() => NOW.getTime()} />
      </MockedProvider>,
    );
    await screen.findByRole('img', { name: 'identity: up for the last 24 hours' });
    const since = new Date('2026-11-30T02:00:00.000Z').toLocaleTimeString();
    expect(screen.getByRole('img', { name: `honey-jars: up since ${since}, no record before` })).toBeTruthy();
    // Up before the platform stopped and after it started again: up since it started, nothing known between.
    const resumed = new Date('2026-11-30T06:30:00.000Z').toLocaleTimeString();
    const chat = screen.getByRole('img', { name: `chat: up since ${resumed}, no record before` });
    expect(chat.querySelectorAll('rect.timeline-unknown')).toHaveLength(1);
    const knowledge = screen.getByRole('img', {
      name: 'knowledge: down 45 min in the last 24 hours, 1 outage',
    });
    expect(knowledge.querySelectorAll('rect.timeline-down')).toHaveLength(1);
    expect(screen.getByText('5 transitions')).toBeTruthy();
    const transitions = screen.getAllByRole('listitem').filter((li) => li.closest('ol.transitions'));
    expect(transitions.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/knowledge came back up$/),
      expect.stringMatching(/knowledge went down — connection refused$/),
      expect.stringMatching(/chat came back up$/),
      expect.stringMatching(/chat no longer checked \(Beeacon was not running\)$/),
      expect.stringMatching(/honey-jars came back up$/),
    ]);
  });
});

describe('LogsPage', () => {
  const record = (id: string, message: string) => ({
    __typename: 'LogRecord',
    id,
    at: '2026-11-30T11:59:00.000Z',
    service: 'gateway',
    level: 'ERROR',
    message,
    record: JSON.stringify({ msg: message, level: 50 }),
  });
  const logs = (filter: object, nodes: unknown[], next: string | null, after?: string) => ({
    request: {
      query: BeeaconLogsDocument,
      variables: { filter, first: LOGS_PAGE, ...(after ? { after } : {}) },
    },
    result: {
      data: {
        logs: {
          __typename: 'LogRecordConnection',
          nodes,
          pageInfo: { __typename: 'PageInfo', hasNextPage: next !== null, endCursor: next },
        },
      },
    },
  });

  it('searches by service, level and text, pages on, and shows markup in a record as text', async () => {
    const { container } = render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          logs({}, [record('1', 'started')], null),
          logs(
            { service: 'gateway', level: 'ERROR', text: 'refused' },
            [record('2', 'refused <img src=x onerror=alert(1)>')],
            'c2',
          ),
          logs(
            { service: 'gateway', level: 'ERROR', text: 'refused' },
            [record('3', 'refused again')],
            null,
            'c2',
          ),
        ]}
      >
        <LogsPage />
      </MockedProvider>,
    );
    await screen.findByText('started');
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'gateway' } });
    fireEvent.change(screen.getByLabelText('Level'), { target: { value: 'ERROR' } });
    fireEvent.change(screen.getByLabelText('Text'), { target: { value: 'refused' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('refused <img src=x onerror=alert(1)>');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.queryByText('started')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Load more records' }));
    await screen.findByText('refused again');
    const list = screen.getByRole('list', { name: 'Log records, newest first' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(list.querySelector('pre')!.textContent).toContain('"level": 50');
  });
});

describe('HealthReportPage', () => {
  const operation = (name: string, type: string, requests: number, failed: number) => ({
    __typename: 'OperationHealth',
    operation: name,
    operationType: type,
    requests,
    failed,
    errorRate: failed / requests,
    p50Seconds: 0.012,
    p99Seconds: 0.25,
  });
  it('generates a PDF report for the chosen period and offers its download', async () => {
    const from = new Date(NOW.getTime() - 7 * 24 * 3600_000).toISOString();
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          {
            request: { query: BeeaconEventSummaryDocument, variables: { days: 14 } },
            result: {
              data: {
                eventSummary: {
                  __typename: 'EventSummary',
                  since: '2026-11-17',
                  counts: [
                    { __typename: 'EventDailyCount', day: '2026-11-30', type: 'user.action', events: 12 },
                  ],
                },
              },
            },
          },
          {
            request: {
              query: BeeaconHealthReportDocument,
              variables: { input: { from, to: NOW.toISOString(), format: 'PDF' } },
            },
            result: {
              data: {
                generateHealthReport: {
                  __typename: 'HealthReport',
                  id: 'r-1',
                  createdAt: NOW.toISOString(),
                  from,
                  to: NOW.toISOString(),
                  pdfUrl: '/api/beeacon/health-report/r-1.pdf',
                  components: [
                    {
                      __typename: 'ComponentUptime',
                      name: 'identity',
                      kind: 'SUBGRAPH',
                      up: true,
                      uptimePercent: 99.5,
                      downtimeSeconds: 3024,
                      unwatchedSeconds: 0,
                      outages: 1,
                    },
                  ],
                  alerts: {
                    __typename: 'HealthReportAlerts',
                    raised: 3,
                    open: 1,
                    bySeverity: [{ __typename: 'AlertSeverityCount', severity: 'CRITICAL', count: 1 }],
                  },
                  operationTypes: [operation('query', 'query', 40, 2)],
                  operations: [operation('honeyJars', 'query', 30, 0), operation('search', 'query', 10, 2)],
                  ingestion: { __typename: 'IngestionFigures', documentsReady: 4, documentsFailed: 1 },
                  bee: { __typename: 'BeeUsage', answers: 6, tokens: 1200, people: 2, messages: 7 },
                  pollenFilter: {
                    __typename: 'PollenFilterFigures',
                    records: 300,
                    totalRedactions: 8,
                    documentFindings: 2,
                  },
                  signIns: { __typename: 'SignInFigures', succeeded: 5, failed: 2, topFailingAddresses: [] },
                },
              },
            },
          },
        ]}
      >
        <HealthReportPage now={() => NOW} />
      </MockedProvider>,
    );
    await screen.findByRole('img', { name: 'Platform events per type, last 14 days: 12 user.action' });
    fireEvent.change(screen.getByLabelText('Period'), { target: { value: 'week' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate report' }));
    const link = await screen.findByRole('link', { name: 'Download the PDF' });
    expect(link.getAttribute('href')).toBe('/api/beeacon/health-report/r-1.pdf');
    expect(screen.getByText('3 (1 still open) · 1 critical')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Uptime per component' }).textContent).toContain('99.50%');
    expect(screen.getByRole('table', { name: 'Requests per operation type' }).textContent).toContain('5.00%');
    const search = within(screen.getByRole('table', { name: 'Requests per operation' })).getByRole('row', {
      name: /^search /,
    });
    expect(search.textContent).toBe('searchquery10220.0%12 ms250 ms');
  });
});

describe('IntegrationsPage', () => {
  it('says when Loki and Grafana are not configured and shows secrets as references', async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          {
            request: { query: IntegrationsDocument },
            result: {
              data: {
                lokiStatus: {
                  __typename: 'LokiStatus',
                  configured: false,
                  url: null,
                  reachable: null,
                  detail: 'Loki is not configured',
                  backlog: 0,
                  lastPushAt: null,
                  shipped: 0,
                  dropped: 0,
                  lastError: null,
                },
                grafanaStatus: {
                  __typename: 'GrafanaStatus',
                  configured: true,
                  url: 'http://grafana.local:3000',
                  reachable: true,
                  version: '11.3.0',
                  database: 'ok',
                  detail: null,
                  dashboards: [
                    {
                      __typename: 'GrafanaDashboard',
                      uid: 'sting-health',
                      title: 'Platform health',
                      file: 'dashboards/health.json',
                      present: false,
                    },
                  ],
                },
                alertRules: [
                  {
                    __typename: 'AlertRule',
                    name: 'component-down',
                    enabled: true,
                    condition: 'a component down for 3 consecutive checks',
                    severity: 'CRITICAL',
                    openAlerts: 1,
                  },
                  {
                    __typename: 'AlertRule',
                    name: 'pii-spike',
                    enabled: false,
                    condition: 'more than 100 PII detections in 5 minutes',
                    severity: 'WARNING',
                    openAlerts: 0,
                  },
                ],
                observabilityConfig: [
                  {
                    __typename: 'ConfigSetting',
                    key: 'observability.grafana.apiToken',
                    value: 'env:GRAFANA_TOKEN',
                    secret: true,
                  },
                ],
              },
            },
          },
        ]}
      >
        <IntegrationsPage />
      </MockedProvider>,
    );
    const loki = (await screen.findByRole('heading', { name: /Loki/ })).closest('section')!;
    expect(within(loki).getByText('Not configured')).toBeTruthy();
    expect(within(loki).getByText('Logs are kept in PostgreSQL and searched there.')).toBeTruthy();
    const grafana = screen.getByRole('heading', { name: /Grafana/ }).closest('section')!;
    expect(within(grafana).getByText('Reachable')).toBeTruthy();
    expect(within(grafana).getByText('Missing')).toBeTruthy();
    const setting = screen.getByText('observability.grafana.apiToken').closest('tr')!;
    expect(setting.textContent).toContain('env:GRAFANA_TOKEN');
    expect(setting.textContent).toContain('Secret reference');
    const rules = screen.getByRole('heading', { name: 'Alert rules' }).closest('section')!;
    expect(within(rules).getByRole('row', { name: /^component-down / }).textContent).toContain('CRITICAL');
    expect(within(rules).getByRole('row', { name: /^pii-spike Off / })).toBeTruthy();
  });
});
