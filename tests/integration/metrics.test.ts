// The platform's Prometheus metrics in both topologies: the gateway's /metrics (and each subgraph service's in
// the distributed one) carry the platform metric set with real figures, and no label takes a value a caller
// chose (operation names, aliases, paths, user agents) or an id.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import { driveTraffic, metricNames, metricsUrls, samples, scrape } from './metrics-scrape.ts';

const PLATFORM_SET = [
  // application
  'sting_graphql_operations_total',
  'sting_graphql_operation_duration_seconds_bucket',
  'sting_subgraph_requests_total',
  'sting_subgraph_request_duration_seconds_bucket',
  'sting_ingestion_queue_depth',
  // business
  'sting_honey_jars_active',
  'sting_events_published_total',
  'sting_bee_questions_total',
  'sting_bee_tokens_total',
  // infrastructure
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  // observability
  'sting_log_records_total',
  'sting_pii_detections_total',
  'sting_pollen_filter_redactions_total',
  'sting_alerts_raised_total',
  'sting_log_shipping_backlog_records',
];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe.each(['embedded', 'distributed'] as const)('metrics (%s)', (topology) => {
  let it_: IntegrationPlatform;
  const marker = `m${randomBytes(6).toString('hex')}`;
  let texts: string[];
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology);
    await driveTraffic(it_, marker);
    // Tests log at error level only: one record of that level, through the platform's own logger.
    it_.platform.logger.error('metrics test: one error record');
    texts = await Promise.all(metricsUrls(it_, topology).map(scrape));
  }, 90_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('serves the platform metric set, with figures from the traffic', async () => {
    const names = new Set(texts.flatMap((text) => [...metricNames(text)]));
    for (const name of PLATFORM_SET) expect([name, names.has(name)]).toEqual([name, true]);
    const all = texts.flatMap(samples);
    const value = (name: string, labels: Record<string, string>) =>
      texts
        .flatMap((text) => text.split('\n'))
        .filter(
          (line) =>
            line.startsWith(name) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
        )
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    expect(value('sting_graphql_operations_total', { operation: 'login', outcome: 'error' })).toBeGreaterThan(
      0,
    );
    expect(
      value('sting_graphql_operations_total', { operation: 'honeyJars', outcome: 'success' }),
    ).toBeGreaterThan(0);
    expect(value('sting_subgraph_requests_total', { subgraph: 'honey-jars' })).toBeGreaterThan(0);
    expect(value('sting_events_published_total', { type: 'honeyjar.created' })).toBeGreaterThan(0);
    expect(value('sting_honey_jars_active', {})).toBeGreaterThan(0);
    expect(value('sting_log_records_total', { level: 'error' })).toBeGreaterThan(0);
    expect(
      all.some((s) => s.name === 'sting_graphql_credentials_total' && s.labels.credential === 'session'),
    ).toBe(true);
  });

  if (topology === 'distributed')
    it('each subgraph service answers /metrics with its own process figures and requests', async () => {
      for (const url of Object.values(it_.subgraphs)) {
        const names = metricNames(await scrape(new URL('/metrics', url).toString()));
        for (const name of [
          'process_cpu_seconds_total',
          'sting_subgraph_requests_total',
          'sting_log_records_total',
        ])
          expect([url, name, names.has(name)]).toEqual([url, name, true]);
      }
      // The traffic reached these two through their own front doors.
      const honeyJars = await scrape(new URL('/metrics', it_.subgraphs['honey-jars']).toString());
      expect(honeyJars).toMatch(
        /sting_subgraph_requests_total\{subgraph="honey-jars",outcome="success"\} [1-9]/,
      );
      const post = await fetch(new URL('/metrics', it_.subgraphs.identity), { method: 'POST' });
      expect(post.status).toBe(405);
    });

  it('keeps label values bounded: no caller text, no ids, operations only from the schema', async () => {
    const schema = await graphql(
      it_.url,
      '{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }',
    );
    const rootFields = new Set<string>(['unknown', '__schema', '__type', '__typename']);
    for (const type of Object.values(schema.data.__schema) as { fields: { name: string }[] }[])
      for (const field of type?.fields ?? []) rootFields.add(field.name);
    const series = texts.flatMap(samples).filter((s) => s.name.startsWith('sting_'));
    expect(series.length).toBeGreaterThan(0);
    for (const { name, labels } of series) {
      for (const value of Object.values(labels)) {
        expect([name, value.includes(marker)]).toEqual([name, false]);
        expect([name, UUID.test(value)]).toEqual([name, false]);
      }
      if (labels.operation !== undefined)
        expect([name, rootFields.has(labels.operation)]).toEqual([name, true]);
    }
    // Per family, a handful of series at most: the label values come from closed sets.
    const perFamily = new Map<string, number>();
    for (const { name } of series) perFamily.set(name, (perFamily.get(name) ?? 0) + 1);
    for (const [name, count] of perFamily) expect([name, count < 500]).toEqual([name, true]);
  });
});
