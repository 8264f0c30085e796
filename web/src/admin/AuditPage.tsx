// The audit log for administrators: who did what, filtered by actor, action, outcome and time, page by page; and
// a check of the hash chain that names the first record that was tampered with.
import { useState, type FormEvent } from 'react';
import { useLazyQuery, useQuery } from '@apollo/client/react';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { usePageTitle } from '../ui/page-title';
import { LoadMore, Table } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { auditFilter, type AuditFilterForm, type AuditFilterInput } from './audit-filter';
import { AuditEventsDocument, VerifyAuditLogDocument } from './documents';
import { counted } from '../ui/counted';

const PAGE = 50;
const OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;
const outcomeTone = (outcome: string) =>
  outcome === 'SUCCESS' ? 'good' : outcome === 'DENIED' ? 'warn' : 'bad';
const outcomeLabel = (outcome: string) => outcome.charAt(0) + outcome.slice(1).toLowerCase();

/** Who acted, as the record says it: a person (with the key they used), the system, or nobody signed in. */
export function describeActor(event: {
  actorType: string;
  actorId?: string | null;
  apiKeyId?: string | null;
}): string {
  if (event.actorType === 'SYSTEM') return 'System';
  if (event.actorType === 'ANONYMOUS' || !event.actorId) return 'Anonymous';
  return event.apiKeyId ? `${event.actorId} (API key ${event.apiKeyId})` : event.actorId;
}

/** A long id shortened to its first characters; the whole id stays in the tooltip and for screen readers. */
export function ShortId({ id }: { id: string }) {
  if (id.length <= 12) return <code>{id}</code>;
  return (
    <code title={id}>
      <span aria-hidden="true">{id.slice(0, 8)}…</span>
      <span className="visually-hidden">{id}</span>
    </code>
  );
}

/** Details are a JSON object; an empty one says nothing and is not shown. */
function detailsText(details: string): string {
  return details === '{}' || details === '' ? '' : details;
}

export function AuditPage() {
  usePageTitle('Audit log');
  const [form, setForm] = useState<AuditFilterForm>({ actor: '', action: '', outcome: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilterInput>({});
  const [problem, setProblem] = useState<string | null>(null);
  const variables = { filter, first: PAGE };
  const { data, loading, error, fetchMore } = useQuery(AuditEventsDocument, {
    variables,
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const [verify, verification] = useLazyQuery(VerifyAuditLogDocument, { fetchPolicy: 'network-only' });
  const events = data?.auditEvents.nodes ?? [];
  const pageInfo = data?.auditEvents.pageInfo;
  const result = verification.data?.verifyAuditLog;
  const field = (name: keyof AuditFilterForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const checked = auditFilter(form);
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    setFilter(checked.filter);
  }

  return (
    <section aria-labelledby="audit-title" className="stack">
      <header className="page-header">
        <h1 id="audit-title">Audit log</h1>
        <button
          type="button"
          disabled={verification.loading}
          onClick={() => void verify().catch(() => undefined)}
        >
          {verification.loading ? 'Verifying…' : 'Verify the chain'}
        </button>
      </header>
      {verification.error && <ErrorNotice error={verification.error} />}
      {result && (
        <p role="status" className={`notice ${result.ok ? '' : 'error'}`}>
          {result.ok
            ? `The chain is intact: ${counted(result.checked, 'record')} checked.`
            : `The chain is broken at record ${result.firstBrokenSeq ?? result.firstBrokenId ?? '(unknown)'}` +
              `${result.reason ? ` (${result.reason})` : ''}, after ${counted(result.checked, 'record')} checked.`}
        </p>
      )}
      <form className="filters" onSubmit={apply} aria-label="Audit log filters">
        <label>
          Actor
          <input {...field('actor')} placeholder="User or API key id" />
        </label>
        <label>
          Action
          <input {...field('action')} placeholder="e.g. auth.sign_in" />
        </label>
        <label>
          Outcome
          <select {...field('outcome')}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcomeLabel(o)}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" {...field('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" {...field('to')} />
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
      </form>
      {problem && <ErrorNotice error={new Error(problem)} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data && <Loading label="Loading the audit log" />}
      {data && events.length === 0 && <Empty title="No audit records match these filters." />}
      {events.length > 0 && (
        <Table
          columns={['Time', 'Actor', 'Action', 'Target', 'Outcome', 'Address', 'Request', 'Details']}
          className="audit"
        >
          {events.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.at).toLocaleString()}</td>
              <td>
                {event.actorId && event.actorType !== 'SYSTEM' ? (
                  <>
                    <button
                      type="button"
                      className="link"
                      aria-label={`Only records of ${event.actor?.displayName ?? event.actorId}`}
                      onClick={() => {
                        const next = { ...form, actor: event.actorId! };
                        setForm(next);
                        const checked = auditFilter(next);
                        if ('filter' in checked) setFilter(checked.filter);
                      }}
                    >
                      {event.actor ? (
                        <span title={`${event.actor.email ?? ''} (${event.actorId})`}>
                          {event.actor.displayName}
                        </span>
                      ) : (
                        <ShortId id={event.actorId} />
                      )}
                    </button>
                    {event.apiKeyId && (
                      <>
                        {' '}
                        with key <ShortId id={event.apiKeyId} />
                      </>
                    )}
                  </>
                ) : (
                  describeActor(event)
                )}
              </td>
              <td>
                <code>{event.action}</code>
              </td>
              <td>
                {event.targetType}
                {event.targetId && (
                  <>
                    {' '}
                    <ShortId id={event.targetId} />
                  </>
                )}
              </td>
              <td>
                <Badge tone={outcomeTone(event.outcome)}>{outcomeLabel(event.outcome)}</Badge>
              </td>
              <td>{event.clientAddress}</td>
              <td>{event.requestId && <ShortId id={event.requestId} />}</td>
              <td>
                {detailsText(event.details) && (
                  <details>
                    <summary>Details</summary>
                    <code className="details">{event.details}</code>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <LoadMore pageInfo={pageInfo} loading={loading} fetchMore={fetchMore} variables={variables} />
    </section>
  );
}

export default AuditPage;
