// The platform's event envelope: every event on the bus, whoever sends it, carries the same fields, so a
// consumer can deduplicate by `id`, order by `timestamp`, and follow `correlation_id` back to the request.
import { randomUUID } from 'node:crypto';
import { isEventType, type EventType } from './topics.ts';
import { traceContextFields } from '../tracing/propagation.ts';

export type EventMetadata = Record<string, string | number | boolean | null>;

export interface EventEnvelope<T = unknown> {
  /** Unique per event; redeliveries (the outbox is at-least-once) repeat it. */
  id: string;
  type: EventType;
  /** ISO-8601 instant the event happened (for an outbox event: when its transaction wrote it). */
  timestamp: string;
  /** The service that emitted it: a subgraph name or `gateway`. */
  source: string;
  payload: T;
  /** Who acted and other context that is not the event's subject, e.g. `{ actorId }`. */
  metadata: EventMetadata;
  /** The request id of the request that caused the event; null for events no request caused. */
  correlation_id: string | null;
}

export interface NewEventOptions {
  source: string;
  correlationId?: string | null;
  metadata?: EventMetadata;
}

export function createEvent<T>(type: EventType, payload: T, options: NewEventOptions): EventEnvelope<T> {
  return {
    id: randomUUID(),
    type,
    timestamp: new Date().toISOString(),
    source: options.source,
    payload,
    // The causing request's trace continues in whoever handles the event (`traceparent`; nothing with tracing off).
    metadata: { ...options.metadata, ...traceContextFields() },
    correlation_id: options.correlationId ?? null,
  };
}

/** What a subgraph request context offers to stamp an event with: who emits it and for which request. */
export interface EventOrigin {
  requestId: string;
  runtime: { name: string };
  viewer?: { kind: 'user'; id: string } | { kind: 'system' } | null;
}

/** An envelope for an event a request caused: source, correlation id and actor come from the request. */
export function eventFrom<T>(origin: EventOrigin, type: EventType, payload: T): EventEnvelope<T> {
  const actorId = origin.viewer?.kind === 'user' ? origin.viewer.id : null;
  return createEvent(type, payload, {
    source: origin.runtime.name,
    correlationId: origin.requestId,
    metadata: { actorId },
  });
}

/** A structural check of anything received from outside the process (a Redis message, an outbox row). */
export function isEventEnvelope(value: unknown): value is EventEnvelope {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    e.id.length > 0 &&
    isEventType(e.type) &&
    typeof e.timestamp === 'string' &&
    typeof e.source === 'string' &&
    'payload' in e &&
    !!e.metadata &&
    typeof e.metadata === 'object' &&
    !Array.isArray(e.metadata) &&
    (e.correlation_id === null || typeof e.correlation_id === 'string')
  );
}

export function assertEventEnvelope(value: unknown): asserts value is EventEnvelope {
  if (!isEventEnvelope(value)) {
    throw new TypeError('the event bus carries only event envelopes (id, type, timestamp, source, ...)');
  }
}
