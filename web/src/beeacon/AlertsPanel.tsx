// Alerts for administrators: filtered by severity, state, source and time, page after page ("Load more"), new
// alerts arriving live at the top (when they match the filter), and each one acknowledged or resolved in place —
// the row shows the state the server answered as soon as it answers.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import type { AlertFieldsFragment, AlertFilter } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { AnyOf } from './AnyOf';
import {
  alertFilter,
  emptyAlertForm,
  matchesAlertFilter,
  SEVERITIES,
  STATES,
  type AlertFilterForm,
} from './alert-filter';
import {
  AcknowledgeAlertDocument,
  AlertRaisedDocument,
  AlertsDocument,
  ResolveAlertDocument,
} from './documents';

export const ALERTS_PAGE = 20;

export const severityTone = { CRITICAL: 'bad', WARNING: 'warn', INFO: 'info' } as const;
const stateTone = { OPEN: 'bad', ACKNOWLEDGED: 'warn', RESOLVED: 'good' } as const;
const word = (value: string) => value.charAt(0) + value.slice(1).toLowerCase();

function AlertItem({ alert }: { alert: AlertFieldsFragment }) {
  const titleId = useId();
  const [acknowledge, acknowledging] = useMutation(AcknowledgeAlertDocument);
  const [resolve, resolving] = useMutation(ResolveAlertDocument);
  const busy = acknowledging.loading || resolving.loading;
  const failure = acknowledging.error ?? resolving.error;
  return (
    <li data-state={alert.state}>
      <div className="alert-line">
        <Badge tone={severityTone[alert.severity]}>{alert.severity}</Badge>{' '}
        <strong id={titleId}>{alert.title}</strong>
        {alert.message && <span> — {alert.message}</span>}{' '}
        <Badge tone={stateTone[alert.state]}>{word(alert.state)}</Badge>
      </div>
      <div className="muted">
        {alert.source} · raised {new Date(alert.createdAt).toLocaleString()}
        {alert.count > 1 && ` · ${alert.count} times, last ${new Date(alert.lastSeenAt).toLocaleString()}`}
        {alert.acknowledgedAt && ` · acknowledged ${new Date(alert.acknowledgedAt).toLocaleString()}`}
        {alert.resolvedAt && ` · resolved ${new Date(alert.resolvedAt).toLocaleString()}`}
      </div>
      {alert.state !== 'RESOLVED' && (
        <div className="actions">
          {alert.state === 'OPEN' && (
            <button
              type="button"
              aria-describedby={titleId}
              disabled={busy}
              onClick={() => void acknowledge({ variables: { id: alert.id } }).catch(() => undefined)}
            >
              {acknowledging.loading ? 'Acknowledging…' : 'Acknowledge'}
            </button>
          )}
          <button
            type="button"
            aria-describedby={titleId}
            disabled={busy}
            onClick={() => void resolve({ variables: { id: alert.id } }).catch(() => undefined)}
          >
            {resolving.loading ? 'Resolving…' : 'Resolve'}
          </button>
        </div>
      )}
      {failure && <ErrorNotice error={failure} />}
    </li>
  );
}

export function AlertsPanel() {
  const [form, setForm] = useState<AlertFilterForm>(emptyAlertForm);
  const [filter, setFilter] = useState<AlertFilter>({});
  const [problem, setProblem] = useState<string | null>(null);
  const variables = { filter, first: ALERTS_PAGE };
  const { data, loading, error, fetchMore, updateQuery } = useQuery(AlertsDocument, {
    variables,
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  // Each alert raised anywhere on the platform is put at the top of the list as it arrives, if it fits the filter.
  const live = useSubscription(AlertRaisedDocument, {
    onData: ({ data: event }) => {
      const alert = event.data?.alertRaised;
      if (!alert || !matchesAlertFilter(alert, filter)) return;
      updateQuery((_previous, { complete, previousData }) => {
        const before =
          complete && previousData
            ? previousData.alerts
            : {
                __typename: 'AlertConnection' as const,
                nodes: [],
                pageInfo: { __typename: 'PageInfo' as const, hasNextPage: false, endCursor: null },
              };
        return { alerts: { ...before, nodes: [alert, ...before.nodes.filter((a) => a.id !== alert.id)] } };
      });
    },
  });
  const alerts = data?.alerts.nodes ?? [];
  const pageInfo = data?.alerts.pageInfo;
  const field = (name: keyof AlertFilterForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const checked = alertFilter(form);
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    setFilter(checked.filter);
  }

  function clear() {
    setForm(emptyAlertForm);
    setProblem(null);
    setFilter({});
  }

  return (
    <section aria-labelledby="alerts-title" className="card">
      <h2 id="alerts-title">Alerts</h2>
      <form className="filters" onSubmit={apply} aria-label="Alert filters">
        <label>
          Severity
          <AnyOf values={SEVERITIES} label={word} {...field('severity')} />
        </label>
        <label>
          State
          <AnyOf values={STATES} label={word} {...field('state')} />
        </label>
        <label>
          Source
          <input {...field('source')} placeholder="e.g. manual, gateway" />
        </label>
        <label>
          Raised since
          <input type="datetime-local" {...field('since')} />
        </label>
        <label>
          Raised before
          <input type="datetime-local" {...field('until')} />
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </form>
      {problem && <ErrorNotice error={new Error(problem)} />}
      {error && <ErrorNotice error={error} />}
      {live.error && (
        <p className="muted" role="status">
          Live alerts are paused: {live.error.message}
        </p>
      )}
      {loading && !data && <Loading label="Loading alerts" />}
      {data && alerts.length === 0 && (
        <Empty
          title={
            Object.keys(filter).length
              ? 'No alerts match these filters.'
              : 'No alerts. All quiet in the hive.'
          }
        />
      )}
      <ul className="alerts" aria-live="polite" aria-label="Alerts, newest first">
        {alerts.map((alert) => (
          <AlertItem key={alert.id} alert={alert} />
        ))}
      </ul>
      <LoadMore
        pageInfo={pageInfo}
        loading={loading}
        fetchMore={fetchMore}
        variables={variables}
        label="Load more alerts"
        loadingLabel="Loading…"
      />
    </section>
  );
}
