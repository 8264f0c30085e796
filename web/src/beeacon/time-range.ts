// A since/until pair from datetime-local inputs (in the person's time zone) as instants; empty ends are left out,
// and a range that ends before it starts is refused.

export function timeRange(
  since: string,
  until: string,
): { range: { since?: string; until?: string } } | { problem: string } {
  const range: { since?: string; until?: string } = {};
  for (const [edge, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (!value) continue;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) return { problem: `The “${edge}” time is not a date.` };
    range[edge] = at.toISOString();
  }
  if (range.since && range.until && range.since >= range.until)
    return { problem: 'The time range ends before it starts.' };
  return { range };
}
