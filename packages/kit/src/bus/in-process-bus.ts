// The event bus of the single-process embedded topology: topics fan out to subscribers in this process only.
import { assertEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { BusSubscription, EventBus } from './event-bus.ts';
import { Subscription } from './subscription.ts';
import { countPublishedEvent } from '../metrics/platform-metrics.ts';
import { TopicListeners } from './topic-listeners.ts';

export class InProcessEventBus implements EventBus {
  #listeners = new TopicListeners();
  #closed = false;

  async publish<T>(topic: string, event: EventEnvelope<T>): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    assertEventEnvelope(event);
    countPublishedEvent(topic, event);
    // A JSON round trip per publish gives subscribers their own copy, exactly as the Redis bus would.
    const json = JSON.stringify(event);
    for (const subscription of this.#listeners.of(topic) ?? []) subscription.push(JSON.parse(json));
  }

  async subscribe<T>(topic: string): Promise<BusSubscription<EventEnvelope<T>>> {
    if (this.#closed) throw new Error('event bus is closed');
    const subscription = new Subscription<EventEnvelope<T>>(topic, (s) =>
      this.#listeners.delete(s as Subscription<unknown>),
    );
    this.#listeners.add(subscription as Subscription<unknown>);
    return subscription;
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.endAll();
  }
}
