// Which spans are recorded: a span with a parent follows its parent's decision (the caller's, remote or local: a
// sampled parent's children are recorded, an unsampled one's are not), and a new trace is up to the root sampler
// (the configured ratio). The same decisions as the SDK's ParentBasedSampler with its default delegates, made with
// a flag test where that one checks the parent's ids against regular expressions on every span: the tracer has
// already checked them, and a parent with ids of the wrong form never exists here (the W3C propagator refuses them
// when it reads a carrier), so only the all-zero ids of an invalid parent mean "no parent".
import {
  INVALID_SPANID,
  INVALID_TRACEID,
  SamplingDecision,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Sampler,
  type SamplingResult,
  type SpanContext,
  type SpanKind,
} from '@opentelemetry/api';

/**
 * The decision a parent passes on to its children: true (sampled) or false, or undefined when there is no parent
 * (none, or the all-zero ids of an invalid one) and the root sampler decides. The one rule for "is this recorded",
 * also where nothing is made under an unsampled parent (tracing.ts, library-spans.ts).
 */
export function parentDecision(parent: SpanContext | undefined): boolean | undefined {
  if (!parent || parent.traceId === INVALID_TRACEID || parent.spanId === INVALID_SPANID) return undefined;
  return (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
}

const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const NOT_SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

export class ParentOrRootSampler implements Sampler {
  readonly #root: Sampler;

  constructor(root: Sampler) {
    this.#root = root;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const decided = parentDecision(trace.getSpanContext(context));
    if (decided !== undefined) return decided ? SAMPLED : NOT_SAMPLED;
    return this.#root.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `ParentOrRootSampler{root=${this.#root.toString()}}`;
  }
}
