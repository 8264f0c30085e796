// Beeacon: the platform's health per component, alerts arriving live, and what the Pollen Filter has redacted.
// Components, alerts and Pollen statistics are for administrators; everyone sees the overall status.
import { useQuery, useSubscription } from '@apollo/client/react';
import { useViewer } from '../auth/session';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Empty, Loading } from '../ui/states';
import { BarChart } from './BarChart';
import {
  AlertRaisedDocument,
  AlertsDocument,
  PollenFilterStatsDocument,
  SystemStatusDocument,
} from './documents';

const severityTone = { CRITICAL: 'bad', WARNING: 'warn', INFO: 'info' } as const;
const statusTone = { OK: 'good', DEGRADED: 'warn', DOWN: 'bad' } as const;

function SystemStatusPanel() {
  const { data, loading, error, refetch } = useQuery(SystemStatusDocument, { pollInterval: 15000 });
  if (loading && !data) return <Loading label="Checking the platform" />;
  if (error && !data) return <ErrorNotice error={error} />;
  const status = data!.systemStatus;
  return (
    <section aria-labelledby="status-title" className="card">
      <header className="page-header">
        <h2 id="status-title">
          System status <Badge tone={statusTone[status.status]}>{status.status}</Badge>
        </h2>
        <button type="button" onClick={() => void refetch()}>
          Check now
        </button>
      </header>
      <p className="muted">Checked {new Date(status.checkedAt).toLocaleTimeString()}</p>
      {status.components.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Latency</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {status.components.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.kind.toLowerCase().replace('_', ' ')}</td>
                <td>
                  <Badge tone={c.up ? 'good' : 'bad'}>{c.up ? 'Up' : 'Down'}</Badge>
                </td>
                <td>{c.latencyMs == null ? '—' : `${c.latencyMs.toFixed(1)} ms`}</td>
                <td>{c.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AlertsPanel() {
  const { data, loading, error, updateQuery } = useQuery(AlertsDocument, { variables: { first: 50 } });
  // Each alert raised anywhere on the platform is put at the top of the list as it arrives.
  useSubscription(AlertRaisedDocument, {
    onData: ({ data: event }) => {
      const alert = event.data?.alertRaised;
      if (!alert) return;
      updateQuery((_previous, { complete, previousData }) => {
        const before =
          complete && previousData
            ? previousData.alerts
            : { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
        return { alerts: { ...before, nodes: [alert, ...before.nodes.filter((a) => a.id !== alert.id)] } };
      });
    },
  });
  return (
    <section aria-labelledby="alerts-title" className="card">
      <h2 id="alerts-title">Alerts</h2>
      {error && <ErrorNotice error={error} />}
      {loading && !data && <Loading label="Loading alerts" />}
      {data && data.alerts.nodes.length === 0 && <Empty title="No alerts. All quiet in the hive." />}
      <ul className="alerts" aria-live="polite" aria-label="Alerts, newest first">
        {data?.alerts.nodes.map((alert) => (
          <li key={alert.id}>
            <Badge tone={severityTone[alert.severity]}>{alert.severity}</Badge> <strong>{alert.title}</strong>
            {alert.message && <span> — {alert.message}</span>}
            <span className="muted">
              {' '}
              · {alert.source} · {new Date(alert.createdAt).toLocaleString()}
              {alert.count > 1 && ` · ${alert.count} times`}
              {alert.state !== 'OPEN' && ` · ${alert.state.toLowerCase()}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PollenPanel() {
  const { data, loading, error } = useQuery(PollenFilterStatsDocument, { pollInterval: 15000 });
  if (loading && !data) return <Loading label="Loading Pollen Filter statistics" />;
  if (error && !data) return <ErrorNotice error={error} />;
  const stats = data!.pollenFilterStats;
  return (
    <section aria-labelledby="pollen-title" className="card">
      <h2 id="pollen-title">Pollen Filter</h2>
      <p>
        {stats.totalRedactions.toLocaleString()} redactions in {stats.records.toLocaleString()} log records
        since {new Date(stats.since).toLocaleString()} ({stats.instances} process
        {stats.instances === 1 ? '' : 'es'}).
      </p>
      {stats.redactions.length === 0 ? (
        <Empty title="Nothing redacted yet." />
      ) : (
        <BarChart
          title="Redactions per type"
          bars={stats.redactions.map((r) => ({ label: r.type, value: r.count }))}
        />
      )}
    </section>
  );
}

export function BeeaconPage() {
  const viewer = useViewer();
  return (
    <section aria-labelledby="beeacon-title" className="stack">
      <h1 id="beeacon-title">Beeacon</h1>
      <SystemStatusPanel />
      {viewer.role === 'ADMIN' ? (
        <>
          <AlertsPanel />
          <PollenPanel />
        </>
      ) : (
        <p className="muted">Alerts and Pollen Filter statistics are shown to administrators.</p>
      )}
    </section>
  );
}
