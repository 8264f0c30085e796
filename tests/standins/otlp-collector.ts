// A stand-in OpenTelemetry collector following the published OTLP/HTTP trace export API, in both of its encodings:
// - POST /v1/traces with an ExportTraceServiceRequest `{ resourceSpans: [{ resource: { attributes }, scopeSpans:
//   [{ scope, spans }] }] }`, optionally `content-encoding: gzip`, as
//   - `application/x-protobuf`: the binary protobuf of opentelemetry-proto's trace service messages, answered 200
//     with an empty ExportTraceServiceResponse in protobuf;
//   - `application/json`: the same message in OTLP's JSON mapping (trace and span ids as hex strings), answered 200
//     with `{}`;
// - a body that is not such a request: 400 with a google.rpc.Status (code 3 and a message) in the request's encoding;
// - another content type: 415; another path: 404; another method: 405.
// Tests read the spans received, flattened with their resource's service.name, and how many came in each encoding.
// A benchmark may have the bodies kept as they came and parsed only when it asks (`deferParsing`, then `settle()`):
// on a machine of two cores, parsing spans while the platform serves would take CPU from the platform itself, as a
// collector on its own machine does not. Such a collector answers 200 to any body of the right type, and `settle()`
// throws at the first body that is not an export request.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { bytesField, fieldsOf, messages, stringField, varintField, type Field } from './protobuf-wire.ts';

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
  /** Export requests accepted, by content type (`application/x-protobuf`, `application/json`). */
  encodings: Record<string, number>;
  /** Parses the bodies kept by a collector that defers parsing (none otherwise); throws at one that is not valid. */
  settle(): void;
  close(): Promise<void>;
}

export interface StandInCollectorOptions {
  /** Keep each body as it came and answer 200 at once; parse only at `settle()`. */
  deferParsing?: boolean;
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

/** An attribute's value; an int64 (a string in protobuf's reading and in JSON's, when so sent) as a number. */
const valueOf = (v: OtlpValue) =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? null));
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

/** AnyValue: 1 string, 2 bool, 3 int64, 4 double (arrays, maps and bytes are not read). */
function anyValueOf(fields: Map<number, Field[]>): OtlpValue {
  if (fields.has(1)) return { stringValue: stringField(fields, 1) };
  if (fields.has(2)) return { boolValue: varintField(fields, 2) !== 0n };
  if (fields.has(3)) return { intValue: BigInt.asIntN(64, varintField(fields, 3)).toString() };
  const double = fields.get(4)?.at(-1);
  if (double?.wire === 1) return { doubleValue: double.value.readDoubleLE(0) };
  return {};
}
/** KeyValue: 1 key, 2 value. */
const keyValuesOf = (list: Map<number, Field[]>[]): OtlpAttribute[] =>
  list.map((kv) => ({ key: stringField(kv, 1), value: anyValueOf(messages(kv, 2)[0] ?? new Map()) }));
const hex = (bytes: Buffer | undefined) => bytes?.toString('hex') ?? '';

/**
 * A protobuf ExportTraceServiceRequest in the JSON mapping's shape: ResourceSpans (1: resource, 2: scope_spans),
 * Resource (1: attributes), ScopeSpans (1: scope, 2: spans), Span (1: trace_id, 2: span_id, 4: parent_span_id,
 * 5: name, 6: kind, 9: attributes).
 */
export function decodeTraceRequest(body: Buffer): unknown {
  return {
    resourceSpans: messages(fieldsOf(body), 1).map((rs) => ({
      resource: { attributes: keyValuesOf(messages(messages(rs, 1)[0] ?? new Map(), 1)) },
      scopeSpans: messages(rs, 2).map((ss) => ({
        spans: messages(ss, 2).map((span) => ({
          traceId: hex(bytesField(span, 1)),
          spanId: hex(bytesField(span, 2)),
          parentSpanId: hex(bytesField(span, 4)),
          name: stringField(span, 5),
          kind: Number(varintField(span, 6)),
          attributes: keyValuesOf(messages(span, 9)),
        })),
      })),
    })),
  };
}

/** google.rpc.Status in protobuf: 1 code (int32), 2 message (string). */
function statusProtobuf(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const length: number[] = [];
  for (let n = text.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x08, code, 0x12, ...length]), text]);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/** The spans of one export request's body, in the encoding of its content type; throws when it is not one. */
function parseExport(protobuf: boolean, body: Buffer): ReceivedSpan[] {
  return spansOf(protobuf ? decodeTraceRequest(body) : JSON.parse(body.toString('utf8')));
}

export async function startStandInCollector(
  options: StandInCollectorOptions = {},
): Promise<StandInCollector> {
  const collector = { spans: [] as ReceivedSpan[], exports: 0, encodings: {} as Record<string, number> };
  const kept: { protobuf: boolean; body: Buffer }[] = [];
  const count = (type: string) => {
    collector.exports++;
    collector.encodings[type] = (collector.encodings[type] ?? 0) + 1;
  };
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if ((req.url ?? '').split('?')[0] !== '/v1/traces') return answer(404, { code: 5, message: 'not found' });
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const protobuf = type === 'application/x-protobuf';
    if (!protobuf && type !== 'application/json')
      return answer(415, { code: 3, message: 'send application/x-protobuf or application/json' });
    const reply = (status: number, error?: string) => {
      if (!protobuf) return answer(status, error === undefined ? {} : { code: 3, message: error });
      res
        .writeHead(status, { 'content-type': 'application/x-protobuf' })
        .end(error === undefined ? Buffer.alloc(0) : statusProtobuf(3, error));
    };
    bodyOf(req).then(
      (body) => {
        if (options.deferParsing) {
          kept.push({ protobuf, body });
          count(type);
          return reply(200);
        }
        try {
          collector.spans.push(...parseExport(protobuf, body));
          count(type);
          reply(200);
        } catch (err) {
          reply(400, (err as Error).message);
        }
      },
      () => reply(400, 'unreadable body'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(collector, {
    url: `http://127.0.0.1:${port}`,
    settle() {
      while (kept.length > 0) {
        const { protobuf, body } = kept.shift()!;
        collector.spans.push(...parseExport(protobuf, body));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
