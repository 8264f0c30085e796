// The protective plugins assembled in a running gateway: GET /metrics in Prometheus text (parsed here) moving
// with traffic, rate limits on /graphql but never on health or metrics, and operation limits over graphql-ws.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createSubgraphHost, loadOrCreateSigningKeys, type SubgraphName } from '@sting/kit';
import { startGateway, type RunningGateway } from '../src/gateway.ts';
import { AssertionSigner } from '../src/identity/assertion-signer.ts';
import { GatewayMetrics } from '../src/metrics/gateway-metrics.ts';
import { PROTECTION_DEFAULTS } from '../src/protection.ts';
import { embeddedEndpoint } from '../src/topology/embedded.ts';
import { postGraphQL, waitFor } from './toy-platform.ts';
import {
  chatModule,
  composeSupergraph,
  honeyJarsModule,
  identityModule,
  newBus,
  toyRuntime,
} from './toy-subgraphs.ts';
import { configSchema } from '../../packages/kit/src/config/schema.ts';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** A strict reader of the text exposition format: every line is a comment or a well-formed sample. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    // The format ignores empty lines (prom-client separates metric families with one).
    if (line === '' || /^# HELP [a-zA-Z_:][\w:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{((?:[a-zA-Z_]\w*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    const value = sample[3] === '+Inf' ? Infinity : sample[3] === '-Inf' ? -Infinity : Number(sample[3]);
    // NaN is a valid sample value (an event-loop percentile before its first measurement); nothing else may fail to parse.
    if (!/^nan$/i.test(sample[3]) && Number.isNaN(value)) throw new Error(`not a sample value: ${line}`);
    samples.push({ name: sample[1], labels, value });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('gateway protection', () => {
  let gateway: RunningGateway;
  let base: string;
  const stopBus = newBus();
  const scrape = async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await response.text());
  };

  const socketOf = (token: string) =>
    createClient({
      url: gateway.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sting-protection-'));
    const { privateKey, publicKey } = await loadOrCreateSigningKeys(join(dir, 'keys'));
    const signer = new AssertionSigner(privateKey, 60);
    const metrics = new GatewayMetrics();
    const modules = [identityModule(), honeyJarsModule, chatModule];
    const endpoints = modules.map((m) =>
      embeddedEndpoint(
        createSubgraphHost(m, toyRuntime(m.name, stopBus), publicKey),
        signer,
        metrics.observingFetches(),
      ),
    );
    const supergraph = join(dir, 'supergraph.graphql');
    await writeFile(supergraph, composeSupergraph(modules));
    gateway = await startGateway({
      settings: {
        profile: 'development',
        gateway: {
          host: '127.0.0.1',
          port: 0,
          playground: false,
          supergraph,
          subgraphs: {} as Record<SubgraphName, string>,
          rateLimit: { enabled: true, requestsPerMinute: 8, loginPerMinute: 2 },
        },
      },
      endpoints,
      metrics,
      logger: pino({ level: 'silent' }),
    });
    base = gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await gateway?.stop();
    await stopBus.close();
  });

  it('uses the config schema defaults for keys a caller leaves out', () => {
    const parsed = configSchema.parse({}) as { gateway: Record<string, unknown> };
    for (const [key, defaults] of Object.entries(PROTECTION_DEFAULTS))
      expect(parsed.gateway[key]).toEqual(defaults);
  });

  it('exposes well-formed metrics whose counters move after a request', async () => {
    const before = await scrape();
    expect(before.types.get('sting_graphql_requests_total')).toBe('counter');
    expect(before.types.get('sting_graphql_request_duration_seconds')).toBe('histogram');
    expect(before.types.get('sting_active_subscriptions')).toBe('gauge');
    const fetchesBefore = value(before.samples, 'sting_subgraph_fetches_total', { subgraph: 'honey-jars' });

    const ok = await postGraphQL(gateway.url, '{ honeyJars { nodes { name owner { displayName } } } }');
    expect(ok.body.errors).toBeUndefined();
    const bad = await postGraphQL(
      gateway.url,
      '{ ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping ping }',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0].message).toContain('maxRootFields');

    const after = await scrape();
    const success = { operation_type: 'query', outcome: 'success' };
    expect(value(after.samples, 'sting_graphql_requests_total', success)).toBe(
      value(before.samples, 'sting_graphql_requests_total', success) + 1,
    );
    expect(value(after.samples, 'sting_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(
      value(before.samples, 'sting_graphql_errors_total', { code: 'BAD_USER_INPUT' }) + 1,
    );
    expect(value(after.samples, 'sting_subgraph_fetches_total', { subgraph: 'honey-jars' })).toBe(
      fetchesBefore + 1,
    );
    expect(value(after.samples, 'sting_subgraph_fetches_total', { subgraph: 'identity' })).toBeGreaterThan(0);
    const count = value(after.samples, 'sting_graphql_request_duration_seconds_count', {
      operation_type: 'query',
    });
    const infBucket = value(after.samples, 'sting_graphql_request_duration_seconds_bucket', {
      operation_type: 'query',
      le: '+Inf',
    });
    expect(count).toBeGreaterThanOrEqual(2);
    expect(infBucket).toBe(count);
  });

  it('refuses a subscription beyond the limits over graphql-ws, and gauges open subscriptions', async () => {
    const client = socketOf('bob-token');
    try {
      const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: `subscription { messageAdded(conversationId: "c-limits") { ${aliases} } }` },
          { next: () => undefined, error: resolve, complete: () => resolve('completed') },
        );
      });
      const errors = refused as { message: string; extensions?: { code?: string } }[];
      expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors[0].message).toContain('maxAliases');

      const dispose = client.subscribe(
        { query: 'subscription { messageAdded(conversationId: "c-gauge") { text } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      const gauge = async () => value((await scrape()).samples, 'sting_active_subscriptions');
      await waitFor(async () => (await gauge()) === 1);
      dispose();
      await waitFor(async () => (await gauge()) === 0);
    } finally {
      await client.dispose();
    }
  });

  it('spends one request of the budget per query over graphql-ws, as over HTTP', async () => {
    const client = socketOf('alice-token');
    const ask = () =>
      new Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>((resolve, reject) => {
        let result: { errors?: readonly { extensions?: Record<string, unknown> }[] } = {};
        client.subscribe(
          { query: '{ ping }' },
          { next: (value) => void (result = value), error: reject, complete: () => resolve(result) },
        );
      });
    try {
      // Alice's budget is 8 a minute: all 8 are answered (each was counted twice, so the fifth was refused).
      for (let i = 0; i < 8; i++) expect((await ask()).errors).toBeUndefined();
      expect((await ask()).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await client.dispose();
    }
  });

  it('answers 429 with Retry-After past the budget, but never limits health or metrics', async () => {
    let refused: Awaited<ReturnType<typeof postGraphQL>> | undefined;
    // Earlier tests spent part of this address's budget of 8; spend the rest.
    for (let i = 0; i < 10 && !refused; i++) {
      const response = await postGraphQL(gateway.url, '{ ping }', undefined, {
        'x-forwarded-for': `198.51.100.${i}`,
      });
      if (response.status === 429) refused = response;
    }
    expect(refused).toBeDefined();
    expect(refused!.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(refused!.headers.get('retry-after')).toBe(
      String(refused!.body.errors?.[0].extensions?.retryAfterSeconds),
    );
    // x-forwarded-for is not believed without gateway.trustProxy: a made-up address gets no fresh budget.
    expect(
      (await postGraphQL(gateway.url, '{ ping }', undefined, { 'x-forwarded-for': '192.0.2.1' })).status,
    ).toBe(429);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await scrape();
    expect(value(metrics.samples, 'sting_rate_limited_total')).toBeGreaterThanOrEqual(2);
  });
});
