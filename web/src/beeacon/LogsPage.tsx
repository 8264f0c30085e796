// The platform's log records for administrators: searched by service, level, time and text, newest first, page
// after page. Records are shown as text in a monospace list (whatever they contain is never rendered as markup).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import type { LogFilter } from '../gql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { AnyOf } from './AnyOf';
import { BeeaconLogsDocument } from './documents';
import { emptyLogForm, LEVELS, logFilter, readableRecord, type LogFilterForm } from './log-filter';

export const LOGS_PAGE = 50;

const levelClass = (level: string) => `log-level level-${level.toLowerCase()}`;

export function LogsPage() {
  const [form, setForm] = useState<LogFilterForm>(emptyLogForm);
  const [filter, setFilter] = useState<LogFilter>({});
  const [problem, setProblem] = useState<string | null>(null);
  const variables = { filter, first: LOGS_PAGE };
  const { data, loading, error, fetchMore, refetch } = useQuery(BeeaconLogsDocument, {
    variables,
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: true,
  });
  const records = data?.logs.nodes ?? [];
  const pageInfo = data?.logs.pageInfo;
  const field = (name: keyof LogFilterForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  function search(event: FormEvent) {
    event.preventDefault();
    const checked = logFilter(form);
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    // The same search again asks again: new records may have arrived.
    if (JSON.stringify(checked.filter) === JSON.stringify(filter)) void refetch();
    else setFilter(checked.filter);
  }

  return (
    <section aria-labelledby="logs-title" className="card">
      <h2 id="logs-title">Logs</h2>
      <form className="filters" onSubmit={search} aria-label="Log search">
        <label>
          Text
          <input type="search" {...field('text')} placeholder="Words in the message" />
        </label>
        <label>
          Service
          <input {...field('service')} placeholder="e.g. gateway, knowledge" />
        </label>
        <label>
          Level
          <AnyOf values={LEVELS} {...field('level')} />
        </label>
        <label>
          Since
          <input type="datetime-local" {...field('since')} />
        </label>
        <label>
          Until
          <input type="datetime-local" {...field('until')} />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {problem && <ErrorNotice error={new Error(problem)} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data && <Loading label="Searching the logs" />}
      {data && records.length === 0 && <Empty title="No log records match this search." />}
      {records.length > 0 && (
        <ol className="log-list" aria-label="Log records, newest first">
          {records.map((r) => (
            <li key={r.id}>
              <details>
                <summary>
                  <time dateTime={r.at}>{new Date(r.at).toLocaleString()}</time>{' '}
                  <span className={levelClass(r.level)}>{r.level}</span>{' '}
                  <span className="log-service">{r.service}</span>{' '}
                  <span className="log-message">{r.message}</span>
                </summary>
                <pre>{readableRecord(r.record)}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      <LoadMore
        pageInfo={pageInfo}
        loading={loading}
        fetchMore={fetchMore}
        variables={variables}
        label="Load more records"
        loadingLabel="Loading…"
      />
    </section>
  );
}
