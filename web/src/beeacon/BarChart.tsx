// A horizontal bar chart in plain SVG (no chart library in the bundle); its accessible name carries the figures.
export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 26;
  const labelWidth = 150;
  const width = 520;
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.value.toLocaleString()} ${b.label}`).join(', ')}`}
        viewBox={`0 0 ${width} ${Math.max(row, bars.length * row)}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((bar, i) => {
          const length = ((width - labelWidth - 60) * bar.value) / max;
          return (
            <g key={bar.label} transform={`translate(0 ${i * row})`}>
              <text x={0} y={17} className="chart-label">
                {bar.label}
              </text>
              <rect
                x={labelWidth}
                y={4}
                height={18}
                width={Math.max(2, length)}
                rx={3}
                className="chart-bar"
              />
              <text x={labelWidth + length + 6} y={17} className="chart-value">
                {bar.value.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
