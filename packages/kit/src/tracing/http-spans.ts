// A server span per HTTP request, ended when the response closes: the child of the caller's `traceparent` when
// it sent one, else a new trace. Only called with tracing on (callers check tracingEnabled() first).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { contextFromCarrier } from './propagation.ts';
import { markFailed, startSpan } from './tracing.ts';

export function traceHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  const parent = contextFromCarrier(req.headers);
  const method = req.method ?? 'GET';
  const span = startSpan(`HTTP ${method}`, {
    kind: SpanKind.SERVER,
    // The path alone: a query string may carry a token.
    attributes: { 'http.request.method': method, 'url.path': (req.url ?? '/').split('?')[0] },
    parent,
  });
  // None under a caller's unsampled trace: the request still runs in it, so the trace id travels on.
  if (!span) return context.with(parent, () => handle(req, res));
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) markFailed(span, new Error('server error'));
    span.end();
  });
  context.with(trace.setSpan(parent, span), () => handle(req, res));
}
