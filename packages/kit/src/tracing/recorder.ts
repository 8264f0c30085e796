// The process's spans, made without the OpenTelemetry SDK's tracer and span: what they cost was most of tracing's
// own CPU in a profile of the tracing-overhead bench (per span, the SDK reads three clocks and keeps its times as
// [seconds, nanoseconds] pairs, sanitises the attributes twice, counts the attributes again at each one set, and
// records its own metrics). A RecordedSpan keeps its two times as milliseconds from the performance clock, takes
// attributes as they come (checked, not copied again), and is the ReadableSpan the SDK's span processors and the
// OTLP exporters read: its [seconds, nanoseconds] times are worked out only when an exporter asks. Sampling is the
// same rule as sampler.ts (a parent's decision, else the root sampler's), and nothing else of the SDK runs per span.
import {
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context as contextApi,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import { isTracingSuppressed, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  SamplingDecision,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
  type TimedEvent,
} from '@opentelemetry/sdk-trace-base';
import { parentDecision } from './sampler.ts';
import { PooledIdGenerator } from './span-ids.ts';

/** Attributes a span keeps at most (the SDK's default limit); more are counted as dropped. */
const ATTRIBUTES_MAX = 128;
/** Events a span keeps at most (the SDK's default limit); the oldest go first. */
const EVENTS_MAX = 128;

const ORIGIN = performance.timeOrigin;
/** Now, in milliseconds since the epoch, from the monotonic clock (as precise as the SDK's). */
const now = (): number => ORIGIN + performance.now();

/** Milliseconds (since the epoch, or a duration) as OTLP's [seconds, nanoseconds]. */
function hrTimeOf(ms: number): HrTime {
  let seconds = Math.trunc(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  return [seconds, nanos];
}

/** A caller's time (rare: spans normally start and end now) in milliseconds since the epoch. */
function msOf(time: TimeInput): number {
  if (typeof time === 'number') return time < ORIGIN ? ORIGIN + time : time; // a performance.now() reading
  if (time instanceof Date) return time.getTime();
  return time[0] * 1000 + time[1] / 1e6;
}

/** What OpenTelemetry takes as an attribute value: a primitive, or an array of one primitive type (and nulls). */
function isAttributeValue(value: unknown): value is AttributeValue {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  if (!Array.isArray(value)) return false;
  let seen: string | undefined;
  for (const item of value as unknown[]) {
    if (item == null) continue;
    const itemType = typeof item;
    if (itemType !== 'string' && itemType !== 'number' && itemType !== 'boolean') return false;
    if (seen !== undefined && itemType !== seen) return false;
    seen = itemType;
  }
  return true;
}

/** The spans of one process: where ended spans go, and how new traces are sampled. */
export interface RecorderSettings {
  resource: Resource;
  /** Decides new traces (none: every new trace is sampled). */
  rootSampler?: Sampler;
  /** Given every ended span (a span not sampled is never made). */
  processors: SpanProcessor[];
}

export class SpanRecorder {
  readonly resource: Resource;
  readonly #rootSampler: Sampler | undefined;
  readonly #processors: SpanProcessor[];
  readonly #ids = new PooledIdGenerator();

  constructor(settings: RecorderSettings) {
    this.resource = settings.resource;
    this.#rootSampler = settings.rootSampler;
    this.#processors = settings.processors;
  }

  /** A tracer whose spans carry this scope. */
  tracer(name: string, version?: string, schemaUrl?: string): Tracer {
    return new RecordingTracer(this, { name, version, schemaUrl });
  }

  startSpan(scope: InstrumentationScope, name: string, options: SpanOptions, parentContext: Context): Span {
    if (isTracingSuppressed(parentContext)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = options.root ? undefined : trace.getSpanContext(parentContext);
    const decided = parentDecision(parent);
    const spanId = this.#ids.generateSpanId();
    const kind = options.kind ?? SpanKind.INTERNAL;
    let traceId: string;
    let sampled: boolean;
    if (decided === undefined) {
      traceId = this.#ids.generateTraceId();
      sampled =
        !this.#rootSampler ||
        this.#rootSampler.shouldSample(
          parentContext,
          traceId,
          name,
          kind,
          options.attributes ?? {},
          options.links ?? [],
        ).decision === SamplingDecision.RECORD_AND_SAMPLED;
    } else {
      traceId = parent!.traceId;
      sampled = decided;
    }
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      traceState: decided === undefined ? undefined : parent!.traceState,
    };
    if (!sampled) return trace.wrapSpanContext(spanContext);
    return new RecordedSpan(
      this,
      scope,
      name,
      kind,
      spanContext,
      decided === undefined ? undefined : parent,
      options,
    );
  }

  ended(span: RecordedSpan): void {
    for (const processor of this.#processors) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#processors.map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.#processors.map((processor) => processor.shutdown()));
  }
}

class RecordingTracer implements Tracer {
  readonly #recorder: SpanRecorder;
  readonly #scope: InstrumentationScope;

  constructor(recorder: SpanRecorder, scope: InstrumentationScope) {
    this.#recorder = recorder;
    this.#scope = scope;
  }

  startSpan(name: string, options: SpanOptions = {}, parentContext: Context = contextApi.active()): Span {
    return this.#recorder.startSpan(this.#scope, name, options, parentContext);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    parentContext: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : {};
    const parentContext = rest.length > 2 ? (rest[1] as Context) : contextApi.active();
    const span = this.#recorder.startSpan(this.#scope, name, options, parentContext);
    return contextApi.with(
      trace.setSpan(parentContext, span),
      fn as (span: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}

/** A sampled span: what callers record on it, and what span processors and exporters read of it once ended. */
export class RecordedSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly attributes: Attributes = {};
  readonly links: Link[];
  readonly events: TimedEvent[] = [];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  readonly #recorder: SpanRecorder;
  readonly #context: SpanContext;
  readonly #startMs: number;
  #endMs = 0;
  #attributeCount = 0;

  constructor(
    recorder: SpanRecorder,
    scope: InstrumentationScope,
    name: string,
    kind: SpanKind,
    spanContext: SpanContext,
    parent: SpanContext | undefined,
    options: SpanOptions,
  ) {
    this.#recorder = recorder;
    this.#context = spanContext;
    this.#startMs = options.startTime === undefined ? now() : msOf(options.startTime);
    this.name = name;
    this.kind = kind;
    this.parentSpanContext = parent;
    this.resource = recorder.resource;
    this.instrumentationScope = scope;
    this.links = options.links ? [...options.links] : [];
    // Copied: a caller may hand the same attributes object to every span it starts.
    if (options.attributes) this.setAttributes(options.attributes);
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  /** Its start in milliseconds since the epoch (what an encoder reads instead of startTime's pair). */
  get startMs(): number {
    return this.#startMs;
  }

  /** Its end in milliseconds since the epoch (0 until it ends). */
  get endMs(): number {
    return this.#endMs;
  }

  get startTime(): HrTime {
    return hrTimeOf(this.#startMs);
  }

  get endTime(): HrTime {
    return hrTimeOf(this.#endMs);
  }

  get duration(): HrTime {
    return hrTimeOf(this.#endMs - this.#startMs);
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value == null || this.ended || key.length === 0 || !isAttributeValue(value)) return this;
    if (!(key in this.attributes)) {
      if (this.#attributeCount >= ATTRIBUTES_MAX) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#attributeCount++;
    }
    // An array is copied: the caller may change it after.
    this.attributes[key] = Array.isArray(value) ? (value.slice() as AttributeValue) : value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    let attributes: Attributes | undefined;
    if (
      attributesOrTime instanceof Date ||
      Array.isArray(attributesOrTime) ||
      typeof attributesOrTime === 'number'
    ) {
      time ??= attributesOrTime;
    } else attributes = attributesOrTime;
    if (this.events.length >= EVENTS_MAX) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    const kept: Attributes = {};
    for (const key in attributes) if (isAttributeValue(attributes[key])) kept[key] = attributes[key];
    this.events.push({
      name,
      attributes: kept,
      time: hrTimeOf(time === undefined ? now() : msOf(time)),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    if (!this.ended) this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    if (!this.ended) this.links.push(...links);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended) return this;
    this.status = typeof status.message === 'string' ? { ...status } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    const ms = endTime === undefined ? now() : msOf(endTime);
    this.#endMs = ms < this.#startMs ? this.#startMs : ms;
    this.#recorder.ended(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /**
   * An exception as an event with its type only (its code or name): spans leave the process without passing the
   * Pollen Filter, and a message or stack may hold what a person typed.
   */
  recordException(exception: Exception, time?: TimeInput): void {
    let type: string | undefined;
    if (typeof exception === 'string') type = 'Error';
    else if (exception.code !== undefined) type = String(exception.code);
    else type = exception.name ?? 'Error';
    this.addEvent('exception', { 'exception.type': type }, time);
  }
}
