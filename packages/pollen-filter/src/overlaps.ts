// Turns the detectors' raw spans into disjoint spans. Containment: the outer span wins (nothing
// inside it leaks), or on identical extents the more specific type. Partial overlap: the spans are
// joined, so the union is always covered.
import type { Span } from './types.ts';

export function resolveOverlaps(spans: Span[], priorityOf: (type: string) => number): Span[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [spans[0]];
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i];
    const last = out[out.length - 1];
    if (s.start >= last.end) {
      out.push(s);
    } else if (s.end <= last.end) {
      if (s.start === last.start && s.end === last.end && priorityOf(s.type) > priorityOf(last.type)) {
        out[out.length - 1] = s;
      }
    } else {
      out[out.length - 1] = {
        start: last.start,
        end: s.end,
        type: priorityOf(s.type) > priorityOf(last.type) ? s.type : last.type,
        merged: true,
      };
    }
  }
  return out;
}
