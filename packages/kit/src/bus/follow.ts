// Following one topic for as long as a service runs: events are handled one at a time, in arrival order, each in a
// span continuing the publisher's trace. Without a group, every follower in every process hears each event while
// it listens, and a handler's failure is logged and the next event still handled. With `{ group }` the topic is
// consumed durably (EventBus.consume): each event is handled by one follower of the group, even one that was down
// when it was published, and a failed one is tried again. Either way following is live when this resolves, and
// the returned function ends it (waiting for the event in hand).
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import type { EventBus, EventHandler } from './event-bus.ts';
import { SpanKind } from '../tracing/tracing.ts';
import { inRemoteSpan } from '../tracing/propagation.ts';

export interface FollowOptions {
  /** Consume the (durable) topic as this consumer group, named after the consuming service. */
  group?: string;
}

export async function followTopic<T>(
  bus: EventBus,
  topic: string,
  handle: EventHandler<T>,
  logger: Pick<Logger, 'error'>,
  options: FollowOptions = {},
): Promise<() => Promise<void>> {
  // A child of the trace that published the event, when its metadata names one.
  const traced = (event: EventEnvelope<T>) =>
    inRemoteSpan(event.metadata, `event ${event.type}`, () => handle(event), {
      kind: SpanKind.CONSUMER,
      onlyInTrace: true,
      attributes: { 'messaging.destination.name': topic, 'sting.event.source': event.source },
    });
  if (options.group) return bus.consume<T>(topic, options.group, traced, { logger });
  const subscription = await bus.subscribe<T>(topic);
  const running = handleInTurn(subscription, traced, (err, event) =>
    logger.error({ err, topic, eventId: event.id }, 'handling an event failed'),
  );
  return async () => {
    await subscription.return();
    await running;
  };
}

/** Handles a subscription's events one at a time until it ends; a failure is reported and the next one handled. */
export async function handleInTurn<T>(
  events: AsyncIterable<EventEnvelope<T>>,
  handle: EventHandler<T>,
  onError: (err: unknown, event: EventEnvelope<T>) => void,
): Promise<void> {
  for await (const event of events) {
    try {
      await handle(event);
    } catch (err) {
      onError(err, event);
    }
  }
}
