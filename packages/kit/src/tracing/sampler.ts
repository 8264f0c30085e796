// Which spans are recorded: a span with a parent follows its parent's decision (the caller's, remote or local: a
// sampled parent's children are recorded, an unsampled one's are not), and a new trace is up to the root sampler
// (the configured ratio; recorder.ts asks it). The same decisions as the SDK's ParentBasedSampler with its default
// delegates, made with a flag test where that one checks the parent's ids against regular expressions on every
// span: a parent with ids of the wrong form never exists here (the W3C propagator refuses them when it reads a
// carrier), so only the all-zero ids of an invalid parent mean "no parent".
import { INVALID_SPANID, INVALID_TRACEID, TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * The decision a parent passes on to its children: true (sampled) or false, or undefined when there is no parent
 * (none, or the all-zero ids of an invalid one) and the root sampler decides. The one rule for "is this recorded",
 * also where nothing is made under an unsampled parent (recorder.ts, tracing.ts, library-spans.ts).
 */
export function parentDecision(parent: SpanContext | undefined): boolean | undefined {
  if (!parent || parent.traceId === INVALID_TRACEID || parent.spanId === INVALID_SPANID) return undefined;
  return (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
}
