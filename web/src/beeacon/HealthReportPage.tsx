// Health reports for administrators: pick a period and a format, generate, read the figures here and download
// the PDF (with its charts) when one was made; and the platform's events per day as a chart.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { OperationFiguresFragment } from '../gql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Table } from '../ui/records';
import { Loading } from '../ui/states';
import { BeeaconEventSummaryDocument, BeeaconHealthReportDocument } from './documents';
import { eventSeries } from './event-series';
import { REPORT_PRESETS, reportInput, type ReportForm, type ReportPreset } from './report-period';
import { StackedBarChart } from './StackedBarChart';
import { UpBadge } from './StatusPanel';
import { duration } from './status-timeline';
import { counted } from '../ui/counted';

const EVENT_DAYS = 14;
const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)}%`;
const ms = (seconds: number | null | undefined) =>
  seconds == null ? '—' : `${(seconds * 1000).toFixed(0)} ms`;
const dayLabel = (iso: string) =>
  new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' });

function EventsChart() {
  const { data, loading, error } = useQuery(BeeaconEventSummaryDocument, { variables: { days: EVENT_DAYS } });
  return (
    <section aria-labelledby="events-title" className="card">
      <h2 id="events-title">Events per day</h2>
      {loading && !data && <Loading label="Loading the events" />}
      {error && <ErrorNotice error={error} />}
      {data && (
        <StackedBarChart
          title={`Platform events per type, last ${EVENT_DAYS} days`}
          table={eventSeries(data.eventSummary.counts, data.eventSummary.since, EVENT_DAYS)}
          timeLabel={dayLabel}
        />
      )}
    </section>
  );
}

/** Requests, failures and latency per operation (named by its first root field) or per operation type. */
function OperationsTable({
  caption,
  rows,
  named = false,
}: {
  caption: string;
  rows: readonly OperationFiguresFragment[];
  named?: boolean;
}) {
  if (rows.length === 0) return null;
  return (
    <Table
      caption={caption}
      columns={[...(named ? ['Operation'] : []), 'Type', 'Requests', 'Failed', 'Error rate', 'p50', 'p99']}
    >
      {rows.map((o) => (
        <tr key={`${o.operationType} ${o.operation}`}>
          {named && (
            <td>
              <code>{o.operation}</code>
            </td>
          )}
          <td>{o.operationType}</td>
          <td>{o.requests.toLocaleString()}</td>
          <td>{o.failed.toLocaleString()}</td>
          <td>{percent(o.errorRate)}</td>
          <td>{ms(o.p50Seconds)}</td>
          <td>{ms(o.p99Seconds)}</td>
        </tr>
      ))}
    </Table>
  );
}

export function HealthReportPage({ now = () => new Date() }: { now?: () => Date }) {
  const [form, setForm] = useState<ReportForm>({ preset: 'day', from: '', to: '', format: 'PDF' });
  const [problem, setProblem] = useState<string | null>(null);
  const [generate, { data, loading, error }] = useMutation(BeeaconHealthReportDocument);
  const report = data?.generateHealthReport;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = reportInput(form, now());
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    void generate({ variables: { input: checked.input } }).catch(() => undefined);
  }

  return (
    <div className="stack">
      <section aria-labelledby="report-title" className="card">
        <h2 id="report-title">Health report</h2>
        <form className="filters" onSubmit={submit} aria-label="Health report">
          <label>
            Period
            <select
              value={form.preset}
              onChange={(e) => setForm((f) => ({ ...f, preset: e.target.value as ReportPreset }))}
            >
              {Object.entries(REPORT_PRESETS).map(([key, p]) => (
                <option key={key} value={key}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          {form.preset === 'custom' && (
            <>
              <label>
                From
                <input
                  type="datetime-local"
                  required
                  value={form.from}
                  onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))}
                />
              </label>
              <label>
                To
                <input
                  type="datetime-local"
                  value={form.to}
                  onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))}
                />
              </label>
            </>
          )}
          <label>
            Format
            <select
              value={form.format}
              onChange={(e) => setForm((f) => ({ ...f, format: e.target.value as ReportForm['format'] }))}
            >
              <option value="PDF">PDF with charts, and the figures here</option>
              <option value="JSON">The figures here only</option>
            </select>
          </label>
          <button type="submit" className="primary" disabled={loading}>
            {loading ? 'Generating…' : 'Generate report'}
          </button>
        </form>
        {problem && <ErrorNotice error={new Error(problem)} />}
        {error && <ErrorNotice error={error} />}
        {report && (
          <div className="stack" role="status">
            <p>
              Report of {new Date(report.from).toLocaleString()} to {new Date(report.to).toLocaleString()},
              made {new Date(report.createdAt).toLocaleTimeString()}.
              {report.pdfUrl && (
                <>
                  {' '}
                  <a className="button" href={report.pdfUrl} download>
                    Download the PDF
                  </a>
                </>
              )}
            </p>
            <dl className="facts">
              <dt>Alerts raised</dt>
              <dd>
                {report.alerts.raised.toLocaleString()} ({report.alerts.open.toLocaleString()} still open)
                {report.alerts.bySeverity.map((s) => ` · ${s.count} ${s.severity.toLowerCase()}`).join('')}
              </dd>
              <dt>Documents</dt>
              <dd>
                {report.ingestion.documentsReady} ready, {report.ingestion.documentsFailed} failed
              </dd>
              <dt>Bee</dt>
              <dd>
                {counted(report.bee.answers, 'answer')} to {counted(report.bee.people, 'person', 'people')},{' '}
                {counted(report.bee.tokens, 'token')}
              </dd>
              <dt>Pollen Filter</dt>
              <dd>
                {counted(report.pollenFilter.totalRedactions, 'redaction')} in{' '}
                {counted(report.pollenFilter.records, 'log record')};{' '}
                {counted(report.pollenFilter.documentFindings, 'finding')} in documents
              </dd>
              <dt>Sign-ins</dt>
              <dd>
                {report.signIns.succeeded} succeeded, {report.signIns.failed} failed
                {report.signIns.topFailingAddresses.length > 0 &&
                  ` (most from ${report.signIns.topFailingAddresses
                    .slice(0, 3)
                    .map((a) => `${a.address}: ${a.failures}`)
                    .join(', ')})`}
              </dd>
            </dl>
            {report.components.length > 0 && (
              <Table
                caption="Uptime per component"
                columns={['Component', 'Now', 'Uptime', 'Outages', 'Not watched']}
              >
                {report.components.map((c) => (
                  <tr key={c.name}>
                    <td>{c.name}</td>
                    <td>
                      <UpBadge up={c.up} />
                    </td>
                    <td>{c.uptimePercent.toFixed(2)}%</td>
                    <td>{c.outages}</td>
                    <td>{c.unwatchedSeconds > 0 ? duration(c.unwatchedSeconds * 1000) : '—'}</td>
                  </tr>
                ))}
              </Table>
            )}
            <OperationsTable caption="Requests per operation type" rows={report.operationTypes} />
            <OperationsTable caption="Requests per operation" rows={report.operations} named />
          </div>
        )}
      </section>
      <EventsChart />
    </div>
  );
}
