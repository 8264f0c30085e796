// Measures detection against the labelled corpus (labels written by the generator and by hand,
// never by the filter): precision and recall per type, printed, with 0.98 / 0.95 floors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { createPollenFilter } from '../src/index.ts';
import type { Span } from '../src/index.ts';

interface Labelled {
  text: string;
  spans: { start: number; end: number; type: string }[];
  negatives: { start: number; end: number; kind: string }[];
}

const corpus: Labelled[] = readFileSync(new URL('../corpus/labelled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

function covered(label: { start: number; end: number }, predicted: Span[]): boolean {
  let at = label.start;
  for (const p of predicted) if (p.start <= at && p.end > at) at = p.end;
  return at >= label.end;
}

interface Tally {
  labelled: number;
  found: number;
  predicted: number;
  correct: number;
}

function measure(): {
  perType: Map<string, Tally>;
  negatives: Map<string, [number, number]>;
  leaks: string[];
} {
  const filter = createPollenFilter();
  const perType = new Map<string, Tally>();
  const tally = (type: string): Tally => {
    if (!perType.has(type)) perType.set(type, { labelled: 0, found: 0, predicted: 0, correct: 0 });
    return perType.get(type)!;
  };
  const negatives = new Map<string, [number, number]>();
  const leaks: string[] = [];
  for (const line of corpus) {
    const predicted = filter.detect(line.text);
    for (const label of line.spans) {
      const t = tally(label.type);
      t.labelled++;
      if (covered(label, predicted) && predicted.some((p) => p.type === label.type && overlaps(p, label)))
        t.found++;
    }
    for (const p of predicted) {
      const t = tally(p.type);
      t.predicted++;
      if (line.spans.some((l) => l.type === p.type && overlaps(l, p))) t.correct++;
    }
    for (const n of line.negatives) {
      const [seen, hit] = negatives.get(n.kind) ?? [0, 0];
      negatives.set(n.kind, [seen + 1, hit + (predicted.some((p) => overlaps(p, n)) ? 1 : 0)]);
    }
    // End to end: no labelled value survives redaction in label mode.
    const out = filter.redactString(line.text);
    for (const label of line.spans) {
      const value = line.text.slice(label.start, label.end);
      if (out.includes(value)) leaks.push(`${label.type}: ${value}`);
    }
  }
  return { perType, negatives, leaks };
}

describe('labelled corpus', () => {
  const { perType, negatives, leaks } = measure();

  it('has at least 300 positives across every type and 300 hard negatives', () => {
    const positives = corpus.reduce((n, l) => n + l.spans.length, 0);
    const hard = corpus.reduce((n, l) => n + l.negatives.length, 0);
    expect(positives).toBeGreaterThanOrEqual(300);
    expect(hard).toBeGreaterThanOrEqual(300);
    for (const [type, t] of perType)
      if (type !== 'known_secret') expect([type, t.labelled > 0]).toEqual([type, true]);
  });

  it('reaches precision >= 0.98 and recall >= 0.95 for every type', () => {
    const rows = [...perType]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, t]) => ({
        type,
        labelled: t.labelled,
        found: t.found,
        recall: t.labelled === 0 ? 1 : t.found / t.labelled,
        predicted: t.predicted,
        correct: t.correct,
        precision: t.predicted === 0 ? 1 : t.correct / t.predicted,
      }));
    const table = [
      'type               labelled  found  recall  predicted  correct  precision',
      ...rows.map(
        (r) =>
          `${r.type.padEnd(18)} ${String(r.labelled).padStart(8)} ${String(r.found).padStart(6)} ${r.recall.toFixed(3).padStart(7)} ${String(r.predicted).padStart(10)} ${String(r.correct).padStart(8)} ${r.precision.toFixed(3).padStart(10)}`,
      ),
      '',
      'hard negatives     seen  flagged',
      ...[...negatives]
        .sort()
        .map(
          ([kind, [seen, hit]]) =>
            `${kind.padEnd(18)} ${String(seen).padStart(4)} ${String(hit).padStart(8)}`,
        ),
    ].join('\n');
    console.log(table);
    for (const r of rows) {
      expect({ type: r.type, recallOk: r.recall >= 0.95 }).toEqual({ type: r.type, recallOk: true });
      expect({ type: r.type, precisionOk: r.precision >= 0.98 }).toEqual({ type: r.type, precisionOk: true });
    }
  });

  it('leaves no labelled value in the redacted output', () => {
    expect(leaks).toEqual([]);
  });
});
