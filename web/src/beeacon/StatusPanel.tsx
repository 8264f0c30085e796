// The platform's health now, per component for administrators, and each component's last 24 hours as a strip
// of up (green), down (red) and unknown (nothing recorded, or not checked) stretches with its transitions listed.
import { useQuery } from '@apollo/client/react';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Table } from '../ui/records';
import { Loading } from '../ui/states';
import { SystemStatusDocument } from './documents';
import { componentTimelines, DAY_MS, duration, type ComponentTimeline } from './status-timeline';
import { counted } from '../ui/counted';

const statusTone = { OK: 'good', DEGRADED: 'warn', DOWN: 'bad' } as const;

/** Whether a component answers, as the status and the health report show it. */
export function UpBadge({ up }: { up: boolean }) {
  return <Badge tone={up ? 'good' : 'bad'}>{up ? 'Up' : 'Down'}</Badge>;
}

/** When the component's stretch of being known up to now began, after the last one with no record; null if none. */
function upSince(t: ComponentTimeline): number | null {
  const last = t.stretches.findLastIndex((s) => s.up === null);
  return last >= 0 && last < t.stretches.length - 1 ? t.stretches[last + 1]!.from : null;
}

export function timelineSummary(t: ComponentTimeline): string {
  const recorded = t.stretches.some((s) => s.up !== null);
  const since = upSince(t);
  if (t.downMs === 0 && recorded)
    return since !== null
      ? `${t.name}: up since ${new Date(since).toLocaleTimeString()}, no record before`
      : `${t.name}: up for the last 24 hours`;
  return `${t.name}: down ${duration(t.downMs)} in the last 24 hours, ${counted(t.outages, 'outage')}`;
}

/** The few words beside a component's strip: its downtime, or since when it is known up. */
function timelineLabel(t: ComponentTimeline): string {
  if (t.downMs > 0) return `Down ${duration(t.downMs)}`;
  const since = upSince(t);
  return since === null
    ? 'Up throughout'
    : `Up since ${new Date(since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

function TimelineStrip({ timeline, start }: { timeline: ComponentTimeline; start: number }) {
  const x = (at: number) => ((at - start) / DAY_MS) * 1000;
  return (
    <svg
      role="img"
      aria-label={timelineSummary(timeline)}
      viewBox="0 0 1000 16"
      preserveAspectRatio="none"
      className="timeline"
    >
      {timeline.stretches.map((s) => (
        <rect
          key={s.from}
          x={x(s.from)}
          width={Math.max(1, x(s.to) - x(s.from))}
          y={0}
          height={16}
          className={s.up === null ? 'timeline-unknown' : s.up ? 'timeline-up' : 'timeline-down'}
        >
          <title>{`${s.up === null ? 'No record' : s.up ? 'Up' : 'Down'} from ${new Date(s.from).toLocaleTimeString()} to ${new Date(s.to).toLocaleTimeString()}`}</title>
        </rect>
      ))}
    </svg>
  );
}

export function StatusPanel({ now = () => Date.now() }: { now?: () => number }) {
  const { data, loading, error, refetch } = useQuery(SystemStatusDocument, { pollInterval: 15000 });
  if (loading && !data) return <Loading label="Checking the platform" />;
  if (error && !data) return <ErrorNotice error={error} />;
  const status = data!.systemStatus;
  const end = now();
  const timelines = componentTimelines(status.components, status.history, end);
  return (
    <>
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
          <Table columns={['Component', 'Kind', 'State', 'Latency', 'Detail']}>
            {status.components.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.kind.toLowerCase().replace('_', ' ')}</td>
                <td>
                  <UpBadge up={c.up} />
                </td>
                <td>{c.latencyMs == null ? '—' : `${c.latencyMs.toFixed(1)} ms`}</td>
                <td>{c.detail ?? ''}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      {status.components.length > 0 && (
        <section aria-labelledby="history-title" className="card">
          <h2 id="history-title">The last 24 hours</h2>
          <ul className="timelines">
            {timelines.map((t) => (
              <li key={t.name}>
                <span className="timeline-name">{t.name}</span>
                <TimelineStrip timeline={t} start={end - DAY_MS} />
                <span className="muted">{timelineLabel(t)}</span>
              </li>
            ))}
          </ul>
          <p className="muted timeline-axis" aria-hidden="true">
            <span>24 h ago</span>
            <span>now</span>
          </p>
          {status.history.length === 0 ? (
            <p className="muted">No component went up or down in the last 24 hours.</p>
          ) : (
            <details>
              <summary>{counted(status.history.length, 'transition')}</summary>
              <ol className="transitions">
                {[...status.history].reverse().map((t) => (
                  <li key={`${t.component}-${t.at}`}>
                    {new Date(t.at).toLocaleString()} · <strong>{t.component}</strong>{' '}
                    {t.watched === false
                      ? 'no longer checked (Beeacon was not running)'
                      : t.up
                        ? 'came back up'
                        : 'went down'}
                    {t.detail && <span className="muted"> — {t.detail}</span>}
                  </li>
                ))}
              </ol>
            </details>
          )}
        </section>
      )}
    </>
  );
}
