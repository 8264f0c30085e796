// Following one topic for as long as a service runs: events are handled one at a time, in arrival order; a
// handler's failure is logged and the next event still handled. The subscription is live when this resolves, and
// the returned function ends it (waiting for the event in hand).
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import type { EventBus } from './event-bus.ts';
import { SpanKind, inSpan } from '../tracing/tracing.ts';
import { withTraceContext } from '../tracing/propagation.ts';

export async function followTopic<T>(
  bus: EventBus,
  topic: string,
  handle: (event: EventEnvelope<T>) => Promise<void>,
  logger: Pick<Logger, 'error'>,
): Promise<() => Promise<void>> {
  const subscription = await bus.subscribe<T>(topic);
  const running = (async () => {
    for await (const event of subscription) {
      try {
        // A child of the trace that published the event, when its metadata names one.
        await withTraceContext(event.metadata, () =>
          inSpan(`event ${event.type}`, () => handle(event), {
            kind: SpanKind.CONSUMER,
            onlyInTrace: true,
            attributes: { 'messaging.destination.name': topic, 'sting.event.source': event.source },
          }),
        );
      } catch (err) {
        logger.error({ err, topic, eventId: event.id }, 'handling an event failed');
      }
    }
  })();
  return async () => {
    await subscription.return();
    await running;
  };
}
