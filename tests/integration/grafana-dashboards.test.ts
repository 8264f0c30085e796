// The Grafana dashboards under ops/grafana query only what the platform produces: every metric a Prometheus panel
// names is in the /metrics output of the running platform (gateway and each subgraph service, after traffic), every
// LogQL label a Loki panel uses is one the log shipping sends (read from a stand-in Loki receiving the platform's
// records), and every panel's datasource is one the provisioning file defines.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { StingConfig } from '@sting/kit';
import { startIntegrationPlatform, waitFor, type IntegrationPlatform } from './platform.ts';
import { driveTraffic, metricNames, metricsUrls, scrape } from './metrics-scrape.ts';
import { startStandInLoki, type StandInLoki } from '../standins/loki.ts';

const GRAFANA = fileURLToPath(new URL('../../ops/grafana/', import.meta.url));

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  title: string;
  datasource: { type: string; uid: string };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

async function dashboards(): Promise<Record<string, Dashboard>> {
  const dir = join(GRAFANA, 'dashboards');
  const out: Record<string, Dashboard> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')))
    out[file] = JSON.parse(await readFile(join(dir, file), 'utf8')) as Dashboard;
  return out;
}

const PROMQL_WORDS = new Set([
  ...[
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'bool',
    'and',
    'or',
    'unless',
    'offset',
  ],
  ...['inf', 'nan'],
]);

/** The metric names a PromQL expression reads: identifiers left once labels, ranges and groupings are gone. */
function promqlMetrics(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...stripped.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*(\()?/g)]
    .filter(([, name, call]) => !call && !PROMQL_WORDS.has(name.toLowerCase()))
    .map(([, name]) => name);
}

/** The stream labels a LogQL expression uses: in its selectors and its `by (…)` groupings. */
function logqlLabels(expr: string): string[] {
  const labels: string[] = [];
  for (const [, body] of expr.matchAll(/\{([^}]*)\}/g))
    for (const [, label] of body.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)) labels.push(label);
  for (const [, list] of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g))
    labels.push(
      ...list
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  return labels;
}

describe('Grafana dashboards', () => {
  let loki: StandInLoki;
  let it_: IntegrationPlatform;
  let exposed: Set<string>;
  beforeAll(async () => {
    loki = await startStandInLoki();
    it_ = await startIntegrationPlatform('distributed', {
      configure: (config) =>
        ({
          ...config,
          observability: {
            ...config.observability,
            loki: { ...config.observability.loki, url: loki.url, flushIntervalMs: 50 },
          },
        }) as StingConfig,
    });
    await driveTraffic(it_, `g${randomBytes(4).toString('hex')}`);
    it_.platform.logger.error('grafana dashboards test: one shipped record');
    const texts = await Promise.all(metricsUrls(it_, 'distributed').map(scrape));
    exposed = new Set(texts.flatMap((text) => [...metricNames(text)]));
    await waitFor(() => loki.entries.length > 0, 10_000);
  }, 90_000);
  afterAll(async () => {
    await it_?.stop();
    await loki?.close();
  });

  it('provisions the seven dashboards with unique uids', async () => {
    const all = await dashboards();
    expect(Object.keys(all).sort()).toEqual(
      [
        'bee',
        'graphql-traffic',
        'ingestion',
        'platform-health',
        'pollen-filter',
        'security',
        'subscriptions',
      ].map((n) => `${n}.json`),
    );
    const uids = Object.values(all).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const provider = parse(await readFile(join(GRAFANA, 'provisioning/dashboards/sting.yml'), 'utf8'));
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: expect.any(String) } });
  });

  it('queries only datasources the provisioning file defines', async () => {
    const file = parse(await readFile(join(GRAFANA, 'provisioning/datasources/sting.yml'), 'utf8'));
    const defined = new Map<string, string>(
      file.datasources.map((d: { uid: string; type: string }) => [d.uid, d.type]),
    );
    expect([...defined.values()].sort()).toEqual(['loki', 'prometheus']);
    for (const [file, dashboard] of Object.entries(await dashboards()))
      for (const panel of dashboard.panels)
        for (const ds of [panel.datasource, ...panel.targets.map((t) => t.datasource)])
          expect([file, panel.title, defined.get(ds.uid)]).toEqual([file, panel.title, ds.type]);
  });

  it("names only metrics the platform's /metrics exposes", async () => {
    let checked = 0;
    for (const [file, dashboard] of Object.entries(await dashboards()))
      for (const panel of dashboard.panels)
        for (const target of panel.targets.filter((t) => t.datasource.type === 'prometheus')) {
          const names = promqlMetrics(target.expr);
          expect(names.length).toBeGreaterThan(0);
          for (const name of names) {
            checked++;
            expect([file, panel.title, name, exposed.has(name)]).toEqual([file, panel.title, name, true]);
          }
        }
    expect(checked).toBeGreaterThan(30);
  });

  it('uses only the Loki labels the log shipping sends', async () => {
    const shipped = new Set(loki.entries.flatMap((entry) => Object.keys(entry.labels)));
    expect([...shipped].sort()).toEqual(['level', 'service', 'topology']);
    let checked = 0;
    for (const [file, dashboard] of Object.entries(await dashboards()))
      for (const panel of dashboard.panels)
        for (const target of panel.targets.filter((t) => t.datasource.type === 'loki')) {
          for (const label of logqlLabels(target.expr)) {
            checked++;
            expect([file, panel.title, label, shipped.has(label)]).toEqual([file, panel.title, label, true]);
          }
        }
    expect(checked).toBeGreaterThan(5);
  });

  it('reads metric names and labels out of queries the way the checks above rely on', () => {
    expect(
      promqlMetrics(
        'histogram_quantile(0.95, sum by (le, operation) (rate(sting_x_bucket{operation="login"}[5m]))) / on (a) b_total',
      ),
    ).toEqual(['sting_x_bucket', 'b_total']);
    expect(
      logqlLabels('sum by (service) (count_over_time({topology=~".+", level!="x"} |= "y" [1m]))'),
    ).toEqual(['topology', 'level', 'service']);
  });
});
