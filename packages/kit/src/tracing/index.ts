// Traces: the process's tracer provider, spans, and trace context across services.
export * from './tracing.ts';
export * from './propagation.ts';
export * from './http-spans.ts';
export * from './client-spans.ts';
