// The process's OpenTelemetry tracing. Off (the default) nothing of the SDK is even loaded: every helper below
// checks one module flag and calls straight through, and the @opentelemetry/api calls libraries make (Apollo's
// gateway spans) stay the API's no-ops. On, one span recorder per process (recorder.ts: the spans themselves, made
// without the SDK's tracer), AsyncLocalStorage context, W3C trace context propagation, a parent-based ratio
// sampler (sampler.ts), and an OTLP/HTTP export when a URL is configured: binary protobuf by default (the encoding
// every OTLP receiver accepts, with about a third of JSON's CPU and 40% of its bytes per span:
// otlp-encoding.bench.ts), each span encoded as it ends (otlp-spans.ts), or JSON when asked, through the SDK's
// batch processor and exporter.
// Of Apollo's gateway spans only planning and each subgraph fetch are recorded, and libraries' tracers follow the
// process's tracing as it stops and starts again (library-spans.ts).
import {
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { libraryTracer, type CurrentTracer } from './library-spans.ts';
import { parentDecision } from './sampler.ts';
import { instrumentPostgres } from './postgres-spans.ts';

export interface TracingSettings {
  enabled: boolean;
  /** OTLP/HTTP traces endpoint; a bare origin gets `/v1/traces`. Empty: spans are made but not exported. */
  otlpUrl: string;
  /** The OTLP/HTTP encoding: binary protobuf (the default), or JSON. */
  otlpProtocol?: OtlpProtocol;
  serviceName: string;
  sampleRatio: number;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingOptions {
  /** Spans go here instead of (or besides) OTLP: tests pass an in-memory exporter. */
  exporter?: SpanExporter;
  /** Overrides settings.serviceName (a subgraph as its own service). */
  serviceName?: string;
}

export interface Tracing {
  /** Sends what is buffered (tests, before reading an exporter). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

let running: {
  tracer: Tracer;
  tracing: Tracing;
  /** The recorder's tracer of a name (its spans carry that instrumentation scope). */
  rawTracer: (name: string, version?: string, options?: { schemaUrl?: string }) => Tracer;
  /** The tracers libraries record with, by name. */
  libraryTracers: Map<string, { version?: string; schemaUrl?: string; tracer: Tracer }>;
} | null = null;

/**
 * What a library's tracer records with: the running recorder's tracer of its name, none while stopped. Asked at
 * every span a library makes, so the answer is kept per name.
 */
const currentLibraryTracer: CurrentTracer = (name, version, options) => {
  if (!running) return undefined;
  const kept = running.libraryTracers.get(name);
  if (kept && kept.version === version && kept.schemaUrl === options?.schemaUrl) return kept.tracer;
  const tracer = running.rawTracer(name, version, options);
  running.libraryTracers.set(name, { version, schemaUrl: options?.schemaUrl, tracer });
  return tracer;
};

/** True while a tracer provider of this process is running. */
export function tracingEnabled(): boolean {
  return running !== null;
}

/** The traces endpoint an OTLP/HTTP exporter posts to. */
export function otlpTracesUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/v1/traces';
  return parsed.toString();
}

const noTracing: Tracing = { flush: async () => {}, stop: async () => {} };

/**
 * Starts tracing for this process when settings.enabled (else a no-op handle, nothing loaded). While a provider
 * runs, a second call joins it: its handle flushes but does not stop what it did not start (a test's provider with
 * an in-memory exporter outlives the platforms it starts).
 */
export async function startTracing(
  settings: TracingSettings,
  options: TracingOptions = {},
): Promise<Tracing> {
  if (!settings.enabled) return noTracing;
  if (running) return { flush: running.tracing.flush, stop: async () => {} };
  // Loaded only here, so a platform with tracing off never pays for the SDK's modules.
  const json = settings.otlpUrl && settings.otlpProtocol === 'http/json';
  const [{ SpanRecorder }, base, core, contextManager, resources, otlpSpans, otlpJson] = await Promise.all([
    import('./recorder.ts'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/resources'),
    settings.otlpUrl && !json ? import('./otlp-spans.ts') : null,
    json ? import('@opentelemetry/exporter-trace-otlp-http') : null,
  ]);
  const resource = resources.resourceFromAttributes({
    'service.name': options.serviceName ?? settings.serviceName,
  });
  const processors = [];
  if (options.exporter) processors.push(new base.SimpleSpanProcessor(options.exporter));
  // Protobuf: each span encoded as it ends (otlp-spans.ts); JSON through the SDK's batch processor and exporter.
  if (otlpSpans)
    processors.push(new otlpSpans.OtlpSpanExport({ url: otlpTracesUrl(settings.otlpUrl), resource }));
  if (otlpJson)
    processors.push(
      new base.BatchSpanProcessor(new otlpJson.OTLPTraceExporter({ url: otlpTracesUrl(settings.otlpUrl) }), {
        maxQueueSize: 4096,
        scheduledDelayMillis: 1000,
      }),
    );
  const recorder = new SpanRecorder({
    resource,
    rootSampler:
      settings.sampleRatio >= 1 ? undefined : new base.TraceIdRatioBasedSampler(settings.sampleRatio),
    processors,
  });
  // A library's tracer (Apollo's gateway) records only the spans library-spans.ts keeps, and follows the process's
  // tracing: Apollo's ProxyTracer asks the registered provider for its tracer once, at its first span, and keeps it.
  trace.setGlobalTracerProvider({
    getTracer: (name, version, tracerOptions) =>
      libraryTracer(currentLibraryTracer, name, version, tracerOptions),
  });
  context.setGlobalContextManager(new contextManager.AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  const uninstrument = await instrumentPostgres();
  const tracing: Tracing = {
    flush: () => recorder.forceFlush(),
    async stop() {
      if (running?.tracing !== tracing) return;
      running = null;
      uninstrument();
      await recorder.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = {
    tracer: recorder.tracer('sting'),
    tracing,
    rawTracer: (name, version, options) => recorder.tracer(name, version, options?.schemaUrl),
    libraryTracers: new Map(),
  };
  return tracing;
}

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** Start a span only inside a trace, the parent's when given (background work such as polling makes none). */
  onlyInTrace?: boolean;
  /** The parent's context (a caller's trace from a carrier) instead of the active one. */
  parent?: Context;
}

/**
 * Runs `work` inside a span named `name` (a child of the active one); with tracing off it just runs `work`. A failure
 * marks the span with the error's name only: messages may carry what people typed, and spans leave the process.
 */
export async function inSpan<T>(
  name: string,
  work: (span?: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  if (!running) return work();
  if (noSpanUnder(options)) {
    return options.parent ? context.with(options.parent, () => work()) : work();
  }
  return running.tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        markFailed(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Whether no span is made under the parent (the given parent context's span, else the active one): none when there
 * is no parent and the span is only made inside a trace, and none in a trace that is not recorded. Every span under
 * an unsampled parent would be unsampled too (sampler.ts), so the work runs in the parent's context instead, which
 * carries the trace on just the same: most requests of a deployment sampling a share of its traces pay for no
 * span, id or attribute beyond their first.
 */
function noSpanUnder(options: SpanOptions): boolean {
  const decided = parentDecision(trace.getSpanContext(options.parent ?? context.active()));
  return decided === undefined ? options.onlyInTrace === true : !decided;
}

/** True inside a recorded trace: what runs now would get a recorded span (a library's own check, e.g. pg's). */
export function inRecordedTrace(): boolean {
  return running !== null && parentDecision(trace.getActiveSpan()?.spanContext()) === true;
}

/**
 * Starts a span the caller ends (work that does not fit one async function: a response, a stream); undefined with
 * tracing off, or where inSpan would make none.
 */
export function startSpan(name: string, options: SpanOptions = {}): Span | undefined {
  if (!running) return undefined;
  if (noSpanUnder(options)) return undefined;
  return running.tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent,
  );
}

export function markFailed(span: Span, err: unknown): void {
  markFailedAs(span, err instanceof Error ? err.name : typeof err);
}

/** Marks `span` failed with `type` (an error's name or code, never its message) as error.type and status. */
export function markFailedAs(span: Span, type: string): void {
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** The active span (a request's, inside a front door); undefined with tracing off or outside a trace. */
export function activeSpan(): Span | undefined {
  return running ? trace.getActiveSpan() : undefined;
}

/** The active span's ids for a log record; empty outside a trace or with tracing off. */
export function traceFields(): { traceId?: string; spanId?: string } {
  if (!running) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

export { SpanKind };
