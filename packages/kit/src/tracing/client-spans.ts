// Spans for calls to the platform's outside services that have no instrumentation of their own: a client's
// methods (Chroma through the knowledge subgraph's vector store, an embedder) and a chat model's answer stream.
// Each is a CLIENT span, made only inside a trace, so background work off any request adds nothing.
import { SpanKind, context, trace, type Attributes } from '@opentelemetry/api';
import { inSpan, markFailed, startSpan, tracingEnabled } from './tracing.ts';

type Method = (...args: never[]) => Promise<unknown>;

/** Wraps the named async methods of `target` in place: each call is a span `${prefix} ${method}`. */
export function traceMethods<T extends object, K extends keyof T & string>(
  target: T,
  prefix: string,
  methods: readonly K[],
  attributes: Attributes = {},
): T {
  for (const name of methods) {
    const original = (target[name] as Method).bind(target);
    Object.defineProperty(target, name, {
      configurable: true,
      value: (...args: never[]) =>
        tracingEnabled()
          ? inSpan(`${prefix} ${name}`, () => original(...args), {
              kind: SpanKind.CLIENT,
              onlyInTrace: true,
              attributes,
            })
          : original(...args),
    });
  }
  return target;
}

/** A model's answer stream as one span from the call to the last chunk (or the failure). */
export function traceStream<R, C>(
  name: string,
  stream: (request: R) => AsyncIterable<C>,
  attributes: Attributes = {},
): (request: R) => AsyncIterable<C> {
  return (request) => {
    const span = startSpan(name, { kind: SpanKind.CLIENT, onlyInTrace: true, attributes });
    if (!span) return stream(request);
    const active = trace.setSpan(context.active(), span);
    const source = context.with(active, () => stream(request));
    return {
      async *[Symbol.asyncIterator]() {
        try {
          yield* source;
        } catch (err) {
          markFailed(span, err);
          throw err;
        } finally {
          span.end();
        }
      },
    };
  };
}
