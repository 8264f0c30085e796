// Traces leave the platform over OTLP/HTTP when observability.tracing names a collector: a stand-in collector
// following the published export API receives the gateway's and the subgraphs' spans of one request as one trace,
// under the configured service name, in binary protobuf (the default encoding).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { StingConfig } from '@sting/kit';
import {
  ADMIN,
  postGraphQL,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';
import { startStandInCollector, type StandInCollector } from '../standins/otlp-collector.ts';

describe('OTLP/HTTP export', () => {
  let collector: StandInCollector;
  let it_: IntegrationPlatform;
  beforeAll(async () => {
    collector = await startStandInCollector();
    it_ = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          observability: {
            ...config.observability,
            tracing: {
              enabled: true,
              otlpUrl: collector.url,
              serviceName: 'sting-export-test',
              sampleRatio: 1,
            },
          },
        }) as StingConfig,
    });
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
    await collector?.close();
  });

  it("sends one request's gateway and subgraph spans to the collector as one trace", async () => {
    const token = await signIn(it_.url, ADMIN.email, ADMIN.password);
    const traceId = randomBytes(16).toString('hex');
    const { body } = await postGraphQL(it_.url, '{ honeyJars { nodes { name owner { displayName } } } }', {
      authorization: `Bearer ${token}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(body.errors).toBeUndefined();
    const names = () => collector.spans.filter((s) => s.traceId === traceId).map((s) => s.name);
    await waitFor(() => names().includes('HTTP POST') && names().includes('subgraph identity'), 15_000);
    expect(names()).toEqual(expect.arrayContaining(['gateway.plan', 'subgraph honey-jars']));
    const spans = collector.spans.filter((s) => s.traceId === traceId);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['sting-export-test']));
    expect(collector.exports).toBeGreaterThan(0);
    expect(collector.encodings).toEqual({ 'application/x-protobuf': collector.exports });
    const fetch = spans.find((s) => s.name === 'subgraph identity')!;
    expect(spans.find((s) => s.spanId === fetch.parentSpanId)).toBeDefined();
    expect(fetch.attributes['sting.subgraph']).toBe('identity');
    const http = spans.find((s) => s.name === 'HTTP POST')!;
    expect(http.kind).toBe(2); // SPAN_KIND_SERVER
    expect(http.attributes['http.response.status_code']).toBe(200);
  });

  it('refuses what is not an OTLP export, in the encoding it came in, as the API says', async () => {
    const url = `${collector.url}/v1/traces`;
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
    // resource_spans (field 1) announcing 5 bytes of which one is there
    const truncated = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0x05, 0x01]),
    });
    expect(truncated.status).toBe(400);
    expect(truncated.headers.get('content-type')).toBe('application/x-protobuf');
    const status = Buffer.from(await truncated.arrayBuffer());
    expect([...status.subarray(0, 2)]).toEqual([0x08, 3]); // google.rpc.Status code 3 (INVALID_ARGUMENT)
    expect(status.subarray(4).toString('utf8')).toBe('truncated field');
    const malformed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": 3}',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: number }).code).toBe(3);
  });

  it("a benchmark's collector that defers parsing answers at once, and parses what it kept when settled", async () => {
    const deferred = await startStandInCollector({ deferParsing: true });
    try {
      const post = (body: string) =>
        fetch(`${deferred.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const span = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'HTTP POST', kind: 2 };
      const service = { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] };
      const valid = await post(
        JSON.stringify({ resourceSpans: [{ resource: service, scopeSpans: [{ spans: [span] }] }] }),
      );
      expect(valid.status).toBe(200);
      expect((await post('{"resourceSpans": 3}')).status).toBe(200);
      expect(deferred.spans).toEqual([]);
      expect(deferred.exports).toBe(2);
      expect(() => deferred.settle()).toThrow('resourceSpans: expected an array');
      expect(deferred.spans).toEqual([
        expect.objectContaining({
          service: 'bench',
          traceId: span.traceId,
          spanId: span.spanId,
          name: 'HTTP POST',
        }),
      ]);
    } finally {
      await deferred.close();
    }
  });
});
