// What the Pollen Filter has redacted: totals per type since the processes started, and redactions per type over
// the last hour, day or week (the platform keeps a week of minutes).
import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Empty, Loading } from '../ui/states';
import { BarChart } from './BarChart';
import { PollenFilterStatsDocument } from './documents';
import { pollenSeries } from './pollen-series';
import { StackedBarChart } from './StackedBarChart';
import { counted } from '../ui/counted';

const MINUTE = 60_000;
/** The week stops a few minutes short of 7 days, the most the server answers at a time. */
export const POLLEN_WINDOWS = {
  hour: { label: 'Last hour', minutes: 60 },
  day: { label: 'Last 24 hours', minutes: 24 * 60 },
  week: { label: 'Last 7 days', minutes: 7 * 24 * 60 - 5 },
} as const;
type Period = keyof typeof POLLEN_WINDOWS;

const timeOfDay = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const dayAndTime = (iso: string) =>
  new Date(iso).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });

export function PollenPanel({ now = () => new Date() }: { now?: () => Date }) {
  const [period, setPeriod] = useState<Period>('hour');
  const [since, setSince] = useState(() => new Date(now().getTime() - POLLEN_WINDOWS.hour.minutes * MINUTE));
  const { data, loading, error } = useQuery(PollenFilterStatsDocument, {
    variables: { since: since.toISOString() },
    pollInterval: 15000,
  });
  const choose = (next: Period) => {
    setPeriod(next);
    setSince(new Date(now().getTime() - POLLEN_WINDOWS[next].minutes * MINUTE));
  };
  const stats = data?.pollenFilterStats;
  return (
    <section aria-labelledby="pollen-title" className="card">
      <header className="page-header">
        <h2 id="pollen-title">Pollen Filter</h2>
        <label className="inline">
          Period
          <select value={period} onChange={(e) => choose(e.target.value as Period)}>
            {Object.entries(POLLEN_WINDOWS).map(([key, w]) => (
              <option key={key} value={key}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      {loading && !data && <Loading label="Loading Pollen Filter statistics" />}
      {error && <ErrorNotice error={error} />}
      {stats && (
        <>
          <p>
            {counted(stats.totalRedactions, 'redaction')} in {counted(stats.records, 'log record')} since{' '}
            {new Date(stats.since).toLocaleString()} ({counted(stats.instances, 'process', 'processes')}).
          </p>
          <h3>Redactions over time</h3>
          <StackedBarChart
            title={`Redactions per type, ${POLLEN_WINDOWS[period].label.toLowerCase()}`}
            table={pollenSeries(stats.timeSeries, since, now())}
            timeLabel={period === 'week' ? dayAndTime : timeOfDay}
          />
          <h3>Redactions per type in total</h3>
          {stats.redactions.length === 0 ? (
            <Empty title="Nothing redacted yet." />
          ) : (
            <BarChart
              title="Redactions per type"
              bars={stats.redactions.map((r) => ({ label: r.type, value: r.count }))}
            />
          )}
        </>
      )}
    </section>
  );
}
