// Counts per type over time as stacked bars in plain SVG (no chart library in the bundle). The picture is one
// image with a summary as its accessible name; screen readers get the figures as a table, which lists only the
// buckets where something was counted.
import { Table } from '../ui/records';
import type { SeriesTable } from './pollen-series';

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 44;
const BOTTOM = 22;
const TOP = 8;
/** Series colours cycle through this many classes (beeacon.css gives each a light and a dark shade). */
const PALETTE = 6;

export function seriesSummary(title: string, table: SeriesTable): string {
  const totals = table.types.map((type, i) => ({
    type,
    total: table.buckets.reduce((sum, b) => sum + b.counts[i]!, 0),
  }));
  if (totals.length === 0) return `${title}: nothing counted`;
  return `${title}: ${totals.map((t) => `${t.total.toLocaleString()} ${t.type}`).join(', ')}`;
}

export function StackedBarChart({
  title,
  table,
  timeLabel,
}: {
  title: string;
  table: SeriesTable;
  /** How a bucket's start reads on the axis and in the table. */
  timeLabel: (iso: string) => string;
}) {
  const max = Math.max(1, ...table.buckets.map((b) => b.total));
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = plotWidth / Math.max(1, table.buckets.length);
  const barWidth = Math.max(1, step * 0.8);
  const y = (value: number) => (plotHeight * value) / max;
  const ticks =
    table.buckets.length > 0 ? [0, Math.floor(table.buckets.length / 2), table.buckets.length - 1] : [];
  const counted = table.buckets.filter((b) => b.total > 0);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={seriesSummary(title, table)}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
      >
        <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH} y2={TOP + plotHeight} className="chart-axis" />
        <text x={LEFT - 6} y={TOP + 10} textAnchor="end" className="chart-value">
          {max.toLocaleString()}
        </text>
        <text x={LEFT - 6} y={TOP + plotHeight} textAnchor="end" className="chart-value">
          0
        </text>
        {table.buckets.map((bucket, i) => {
          let base = TOP + plotHeight;
          return (
            <g key={bucket.start}>
              {bucket.counts.map((count, t) => {
                if (count === 0) return null;
                const h = Math.max(1, y(count));
                base -= h;
                return (
                  <rect
                    key={table.types[t]}
                    x={LEFT + i * step + (step - barWidth) / 2}
                    y={base}
                    width={barWidth}
                    height={h}
                    className={`series-${t % PALETTE}`}
                  >
                    <title>{`${timeLabel(bucket.start)}: ${count} ${table.types[t]}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        {ticks.map((i, n) => (
          <text
            key={i}
            x={LEFT + i * step + step / 2}
            y={HEIGHT - 6}
            textAnchor={n === 0 ? 'start' : n === ticks.length - 1 ? 'end' : 'middle'}
            className="chart-label"
          >
            {timeLabel(table.buckets[i]!.start)}
          </text>
        ))}
      </svg>
      {counted.length === 0 && <p className="muted">Nothing counted in this period.</p>}
      {table.types.length > 0 && (
        <ul className="legend" aria-hidden="true">
          {table.types.map((type, t) => (
            <li key={type}>
              <svg width="12" height="12" viewBox="0 0 12 12">
                <rect width="12" height="12" rx="2" className={`series-${t % PALETTE}`} />
              </svg>{' '}
              {type}
            </li>
          ))}
        </ul>
      )}
      {/* Hidden as a div: a table cannot shrink below its content, so hidden itself it would widen the page. */}
      <div className="visually-hidden">
        <Table
          caption={`${title} (${table.bucketMinutes === 1 ? 'per minute' : `per ${table.bucketMinutes} minutes`})`}
          columns={['From', ...table.types]}
        >
          {counted.map((bucket) => (
            <tr key={bucket.start}>
              <th scope="row">{timeLabel(bucket.start)}</th>
              {bucket.counts.map((count, t) => (
                <td key={table.types[t]}>{count}</td>
              ))}
            </tr>
          ))}
        </Table>
      </div>
    </figure>
  );
}
