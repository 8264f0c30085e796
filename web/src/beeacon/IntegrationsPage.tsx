// Where Beeacon's signals go, for administrators: Loki (or the embedded log store), Grafana and its dashboards,
// the alert rules evaluated with their conditions, and the observability configuration with secrets shown as
// references only.
import { useQuery } from '@apollo/client/react';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Table } from '../ui/records';
import { Loading } from '../ui/states';
import { severityTone } from './AlertsPanel';
import { IntegrationsDocument } from './documents';
import { counted } from '../ui/counted';

function Reachability({ configured, reachable }: { configured: boolean; reachable?: boolean | null }) {
  if (!configured) return <Badge tone="neutral">Not configured</Badge>;
  if (reachable) return <Badge tone="good">Reachable</Badge>;
  return <Badge tone="bad">Unreachable</Badge>;
}

export function IntegrationsPage() {
  const { data, loading, error, refetch } = useQuery(IntegrationsDocument, { fetchPolicy: 'network-only' });
  if (loading && !data) return <Loading label="Asking Loki and Grafana" />;
  if (error && !data) return <ErrorNotice error={error} />;
  const { lokiStatus: loki, grafanaStatus: grafana, observabilityConfig: config, alertRules: rules } = data!;
  return (
    <div className="stack">
      <div className="actions">
        <button type="button" onClick={() => void refetch()} disabled={loading}>
          Ask again
        </button>
      </div>
      <div className="cards">
        <section aria-labelledby="loki-title" className="card">
          <h2 id="loki-title">
            Loki <Reachability configured={loki.configured} reachable={loki.reachable} />
          </h2>
          {!loki.configured && <p>Logs are kept in PostgreSQL and searched there.</p>}
          <dl className="facts">
            {loki.url && (
              <>
                <dt>Address</dt>
                <dd>
                  <code>{loki.url}</code>
                </dd>
              </>
            )}
            {loki.detail && (
              <>
                <dt>Answer</dt>
                <dd>{loki.detail}</dd>
              </>
            )}
            <dt>Waiting to ship</dt>
            <dd>{counted(loki.backlog, 'record')}</dd>
            <dt>Shipped</dt>
            <dd>{counted(loki.shipped, 'record')}</dd>
            <dt>Dropped</dt>
            <dd>{counted(loki.dropped, 'record')}</dd>
            <dt>Last push</dt>
            <dd>{loki.lastPushAt ? new Date(loki.lastPushAt).toLocaleString() : 'Never'}</dd>
            {loki.lastError && (
              <>
                <dt>Last error</dt>
                <dd>{loki.lastError}</dd>
              </>
            )}
          </dl>
        </section>
        <section aria-labelledby="grafana-title" className="card">
          <h2 id="grafana-title">
            Grafana <Reachability configured={grafana.configured} reachable={grafana.reachable} />
          </h2>
          <dl className="facts">
            {grafana.url && (
              <>
                <dt>Address</dt>
                <dd>
                  <code>{grafana.url}</code>
                </dd>
              </>
            )}
            {grafana.version && (
              <>
                <dt>Version</dt>
                <dd>{grafana.version}</dd>
              </>
            )}
            {grafana.database && (
              <>
                <dt>Database</dt>
                <dd>{grafana.database}</dd>
              </>
            )}
            {grafana.detail && (
              <>
                <dt>Answer</dt>
                <dd>{grafana.detail}</dd>
              </>
            )}
          </dl>
          <h3>Dashboards</h3>
          <ul>
            {grafana.dashboards.map((d) => (
              <li key={d.file}>
                {d.title} <code className="muted">{d.file}</code>
                {d.present != null && (
                  <>
                    {' '}
                    <Badge tone={d.present ? 'good' : 'warn'}>{d.present ? 'In Grafana' : 'Missing'}</Badge>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="rules-title" className="card">
        <h2 id="rules-title">Alert rules</h2>
        <Table columns={['Rule', 'Fires when', 'Severity', 'Open alerts']}>
          {rules.map((r) => (
            <tr key={r.name}>
              <td>
                <code className="nowrap">{r.name}</code> {!r.enabled && <Badge tone="neutral">Off</Badge>}
              </td>
              <td>{r.condition}</td>
              <td>
                <Badge tone={severityTone[r.severity]}>{r.severity}</Badge>
              </td>
              <td>{r.openAlerts}</td>
            </tr>
          ))}
        </Table>
      </section>
      <section aria-labelledby="config-title" className="card">
        <h2 id="config-title">Observability configuration</h2>
        <Table columns={['Setting', 'Value']}>
          {config.map((s) => (
            <tr key={s.key}>
              <td>
                <code>{s.key}</code>
              </td>
              <td>
                {s.value == null || s.value === '' ? (
                  <span className="muted">(empty)</span>
                ) : (
                  <code>{s.value}</code>
                )}
                {s.secret && (
                  <>
                    {' '}
                    <Badge tone="info">Secret reference</Badge>
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}
