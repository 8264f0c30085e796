// W3C trace context across process and component lines: HTTP headers of subgraph fetches, graphql-ws
// connection_init payloads and bus event metadata carry `traceparent` (and `tracestate`), and the receiving side
// continues the trace from it. All of it is a no-op with tracing off.
import { ROOT_CONTEXT, SpanKind, context, propagation, type Context } from '@opentelemetry/api';
import { inSpan, tracingEnabled, type SpanOptions } from './tracing.ts';

export type TraceCarrier = Record<string, unknown>;

/** Writes the active trace context into `carrier` (headers, connection params, event metadata). */
export function injectTraceContext<C extends TraceCarrier>(carrier: C): C {
  if (tracingEnabled()) propagation.inject(context.active(), carrier);
  return carrier;
}

/** The active trace context's fields alone (`{ traceparent }`), or {} outside a trace. */
export function traceContextFields(): Record<string, string> {
  return tracingEnabled() ? injectTraceContext({} as Record<string, string>) : {};
}

/** The context a carrier names as remote parent (headers may hold arrays: the propagator reads the first). */
export function contextFromCarrier(carrier: TraceCarrier | undefined | null): Context {
  if (!carrier || !tracingEnabled()) return context.active();
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `work` in a span whose parent is the carrier's trace (a request that came from another service). */
export function inRemoteSpan<T>(
  carrier: TraceCarrier | undefined | null,
  name: string,
  work: () => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  if (!tracingEnabled()) return work();
  return inSpan(name, work, { kind: SpanKind.SERVER, ...options, parent: contextFromCarrier(carrier) });
}
