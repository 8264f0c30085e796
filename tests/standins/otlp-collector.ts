// A stand-in OpenTelemetry collector following the published OTLP/HTTP trace export API, JSON encoding:
// - POST /v1/traces with `content-type: application/json` (optionally `content-encoding: gzip`), the body an
//   ExportTraceServiceRequest `{ resourceSpans: [{ resource: { attributes }, scopeSpans: [{ scope, spans }] }] }`
//   (trace and span ids as hex strings), answered 200 with an ExportTraceServiceResponse (`{}`);
// - a body that is not such a request: 400 with a google.rpc.Status `{ code: 3, message }`;
// - another content type: 415; another path: 404; another method: 405.
// Tests read the spans received, flattened with their resource's service.name.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

export interface StandInCollector {
  /** The collector's base URL (the exporter posts to `${url}/v1/traces`). */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests accepted. */
  exports: number;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

const valueOf = (v: OtlpValue) => v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? null;
const attributesOf = (list: OtlpAttribute[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value ?? {})]));

/** Flattens an ExportTraceServiceRequest; throws when its shape is not one. */
export function spansOf(request: unknown): ReceivedSpan[] {
  const resourceSpans = (request as { resourceSpans?: unknown }).resourceSpans;
  if (!Array.isArray(resourceSpans)) throw new Error('resourceSpans: expected an array');
  const out: ReceivedSpan[] = [];
  for (const rs of resourceSpans) {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId))
          throw new Error('traceId/spanId: expected lower-case hex of 16/8 bytes');
        out.push({
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          name: span.name,
          kind: span.kind,
          attributes: attributesOf(span.attributes),
        });
      }
    }
  }
  return out;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startStandInCollector(): Promise<StandInCollector> {
  const collector = { spans: [] as ReceivedSpan[], exports: 0 };
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if ((req.url ?? '').split('?')[0] !== '/v1/traces') return answer(404, { code: 5, message: 'not found' });
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return answer(415, { code: 3, message: 'this collector accepts the JSON encoding only' });
    bodyOf(req).then(
      (body) => {
        try {
          const spans = spansOf(JSON.parse(body.toString('utf8')));
          collector.spans.push(...spans);
          collector.exports++;
          answer(200, {});
        } catch (err) {
          answer(400, { code: 3, message: (err as Error).message });
        }
      },
      () => answer(400, { code: 3, message: 'unreadable body' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(collector, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
