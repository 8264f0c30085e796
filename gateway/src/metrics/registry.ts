// A small Prometheus registry: labelled counters, gauges and histograms, written in the text exposition format
// (version 0.0.4). Enough for the gateway's handful of metrics without a client library.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

const numberText = (n: number) => (n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n));

abstract class Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';

  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /** Labels in declared order; an unknown or missing label is a programming error, caught in tests. */
  protected key(labels: Labels): string {
    const names = Object.keys(labels);
    if (names.length !== this.labelNames.length || names.some((n) => !this.labelNames.includes(n)))
      throw new Error(`${this.name} takes labels ${this.labelNames.join(', ') || '(none)'}`);
    return JSON.stringify(this.labelNames.map((n) => labels[n]));
  }

  protected labelsOf(key: string): Labels {
    const values = JSON.parse(key) as string[];
    return Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]]));
  }

  abstract samples(): string[];

  expose(): string {
    return [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.samples(),
    ]
      .map((line) => `${line}\n`)
      .join('');
  }
}

export class Counter extends Metric {
  readonly type = 'counter';
  readonly #values = new Map<string, number>();

  inc(labels: Labels = {}, by = 1) {
    const key = this.key(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.#values.get(this.key(labels)) ?? 0;
  }

  samples(): string[] {
    // An unlabelled counter reads 0 before its first increment, so a dashboard's rate() has a starting point.
    if (this.#values.size === 0 && this.labelNames.length === 0) return [`${this.name} 0`];
    return [...this.#values].map(
      ([key, v]) => `${this.name}${labelText(this.labelsOf(key))} ${numberText(v)}`,
    );
  }
}

export class Gauge extends Metric {
  readonly type = 'gauge';
  #value = 0;

  constructor(name: string, help: string) {
    super(name, help, []);
  }

  inc(by = 1) {
    this.#value += by;
  }

  dec(by = 1) {
    this.#value -= by;
  }

  get(): number {
    return this.#value;
  }

  samples(): string[] {
    return [`${this.name} ${numberText(this.#value)}`];
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Metric {
  readonly type = 'histogram';
  readonly #buckets: readonly number[];
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, labelNames: readonly string[], buckets = DEFAULT_BUCKETS) {
    super(name, help, labelNames);
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number) {
    const key = this.key(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { counts: this.#buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    // Counts are kept per bucket and made cumulative when written.
    const index = this.#buckets.findIndex((upper) => value <= upper);
    if (index >= 0) series.counts[index]++;
    series.sum += value;
    series.count++;
  }

  samples(): string[] {
    const lines: string[] = [];
    for (const [key, series] of this.#series) {
      const labels = this.labelsOf(key);
      let cumulative = 0;
      this.#buckets.forEach((upper, i) => {
        cumulative += series.counts[i];
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: numberText(upper) })} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${numberText(series.sum)}`);
      lines.push(`${this.name}_count${labelText(labels)} ${series.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name))
      throw new Error(`${metric.name} is registered twice`);
    this.#metrics.push(metric);
    return metric;
  }

  expose(): string {
    return this.#metrics.map((m) => m.expose()).join('');
  }
}
