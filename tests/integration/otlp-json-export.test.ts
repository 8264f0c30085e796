// observability.tracing.otlpProtocol http/json: spans go out in OTLP's JSON mapping, for a receiver that takes
// only JSON; what arrives is what the protobuf default sends.
import { describe, it, expect, afterAll } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, startTracing, type Tracing } from '@sting/kit/tracing/index.ts';
import { startStandInCollector, type StandInCollector } from '../standins/otlp-collector.ts';

describe('OTLP/HTTP export in JSON', () => {
  let collector: StandInCollector | undefined;
  let tracing: Tracing | undefined;
  afterAll(async () => {
    await tracing?.stop();
    await collector?.close();
  });

  it('sends spans as application/json when asked to', async () => {
    collector = await startStandInCollector();
    tracing = await startTracing({
      enabled: true,
      otlpUrl: collector.url,
      otlpProtocol: 'http/json',
      serviceName: 'sting-json',
      sampleRatio: 1,
    });
    await inSpan('outer', () => inSpan('inner', async () => {}, { attributes: { 'sting.n': 7 } }), {
      kind: SpanKind.SERVER,
    });
    await tracing.flush();
    expect(collector.encodings).toEqual({ 'application/json': collector.exports });
    const outer = collector.spans.find((s) => s.name === 'outer')!;
    const inner = collector.spans.find((s) => s.name === 'inner')!;
    expect(outer).toMatchObject({ service: 'sting-json', kind: 2, parentSpanId: '' });
    expect(inner).toMatchObject({ traceId: outer.traceId, parentSpanId: outer.spanId });
    expect(inner.attributes['sting.n']).toBe(7);
  });
});
