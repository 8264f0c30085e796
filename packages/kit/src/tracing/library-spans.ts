// Which spans of libraries' own OpenTelemetry instrumentation are recorded. Apollo's gateway makes six spans per
// request: gateway.request, gateway.validate, gateway.execute and gateway.postprocessing each cover what the
// request's own span (the HTTP request or graphql-ws operation, which also names the operation and carries its
// errors: the gateway's tracing plugin) already covers, give or take the parse, so only gateway.plan (a plan not yet
// cached) and gateway.fetch (one per subgraph fetch, the parent of the subgraph's span) are kept. A span not kept
// costs nothing: its work runs with the active context unchanged, so what it would have parented hangs under the
// enclosing span, and it receives a non-recording span whose calls are no-ops.
import {
  INVALID_SPAN_CONTEXT,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

/** Tracer name → the span names of it that are recorded; a tracer not named here records all its spans. */
export const KEPT_LIBRARY_SPANS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['apollo/gateway-js', new Set(['gateway.plan', 'gateway.fetch'])],
]);

const notRecorded = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** `tracer` itself, or, for a library named in KEPT_LIBRARY_SPANS, a tracer recording only its kept spans. */
export function keptLibrarySpans(name: string, tracer: Tracer): Tracer {
  const kept = KEPT_LIBRARY_SPANS.get(name);
  if (!kept) return tracer;
  return {
    startSpan(spanName: string, options?: SpanOptions, context?: Context): Span {
      if (kept.has(spanName)) return tracer.startSpan(spanName, options, context);
      // Whoever makes it the active span keeps the enclosing span's context for its children.
      const parent = trace.getSpanContext(context ?? contextApi.active());
      return parent ? trace.wrapSpanContext(parent) : notRecorded;
    },
    startActiveSpan(spanName: string, ...rest: unknown[]) {
      if (kept.has(spanName))
        return (tracer.startActiveSpan as (...args: unknown[]) => unknown)(spanName, ...rest);
      const work = rest[rest.length - 1] as (span: Span) => unknown;
      return work(notRecorded);
    },
  } as Tracer;
}
