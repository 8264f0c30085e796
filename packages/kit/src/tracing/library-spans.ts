// Libraries' own OpenTelemetry spans (Apollo's gateway): which are recorded, and by which provider.
//
// Which: Apollo's gateway makes six spans per request. gateway.request, gateway.validate, gateway.execute and
// gateway.postprocessing each cover what the request's own span (the HTTP request or graphql-ws operation, which
// also names the operation and carries its errors: the gateway's tracing plugin) already covers, give or take the
// parse, so only gateway.plan (a plan not yet cached) and gateway.fetch (one per subgraph fetch, the parent of the
// subgraph's span) are kept. A span not kept costs nothing: its work runs with the active context unchanged, so
// what it would have parented hangs under the enclosing span, and it receives a non-recording span whose calls are
// no-ops. Nor is a kept span recorded under a parent whose trace is not: none of that trace is.
//
// By which provider: a library's ProxyTracer asks the registered provider for its tracer once, at its first span,
// and keeps what it got for the life of the process. So what it gets is a tracer that follows this process's
// tracing: the running provider's tracer while tracing runs, a no-op while it is stopped, the new provider's once
// it starts again. Without that, a library would go on making spans into a provider that was shut down.
import {
  INVALID_SPAN_CONTEXT,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { parentDecision } from './sampler.ts';

/** Tracer name → the span names of it that are recorded; a tracer not named here records all its spans. */
export const KEPT_LIBRARY_SPANS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['apollo/gateway-js', new Set(['gateway.plan', 'gateway.fetch'])],
]);

const notRecorded = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The running provider's own tracer of that name, or undefined while tracing is stopped. */
export type CurrentTracer = (
  name: string,
  version?: string,
  options?: { schemaUrl?: string },
) => Tracer | undefined;

/**
 * The tracer a library gets: the current provider's tracer (`current`) for the spans it records, a no-op for the
 * others and whenever tracing is stopped.
 */
export function libraryTracer(
  current: CurrentTracer,
  name: string,
  version?: string,
  options?: { schemaUrl?: string },
): Tracer {
  const kept = KEPT_LIBRARY_SPANS.get(name);
  // Under a parent whose trace is not recorded nothing is made either: its children would not be recorded.
  const recorder = (spanName: string, context: Context) =>
    (kept && !kept.has(spanName)) || parentDecision(trace.getSpanContext(context)) === false
      ? undefined
      : current(name, version, options);
  return {
    startSpan(spanName: string, spanOptions?: SpanOptions, context?: Context): Span {
      const enclosing = context ?? contextApi.active();
      const tracer = recorder(spanName, enclosing);
      if (tracer) return tracer.startSpan(spanName, spanOptions, context);
      // Whoever makes it the active span keeps the enclosing span's context for its children.
      const parent = trace.getSpanContext(enclosing);
      return parent ? trace.wrapSpanContext(parent) : notRecorded;
    },
    startActiveSpan(spanName: string, ...rest: unknown[]) {
      // (name, work), (name, options, work) or (name, options, context, work)
      const context = rest.length >= 3 ? (rest[1] as Context) : contextApi.active();
      const tracer = recorder(spanName, context);
      if (tracer) return (tracer.startActiveSpan as (...args: unknown[]) => unknown)(spanName, ...rest);
      const work = rest[rest.length - 1] as (span: Span) => unknown;
      return work(notRecorded);
    },
  } as Tracer;
}
