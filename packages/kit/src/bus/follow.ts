// Following one topic for as long as a service runs: events are handled one at a time, in arrival order; a
// handler's failure is logged and the next event still handled. The subscription is live when this resolves, and
// the returned function ends it (waiting for the event in hand).
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import type { EventBus } from './event-bus.ts';

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
        await handle(event);
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
