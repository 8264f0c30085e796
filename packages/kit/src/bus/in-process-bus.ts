// The event bus of the single-process embedded topology: topics fan out to subscribers in this process only. A
// durable topic's consumer groups share its events the same way as on Redis (each event to one consumer of each
// group, in turn), but nothing outlives the process: there is no other process to wait for, and a failed handler
// is logged, not tried again.
import { assertEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { BusSubscription, ConsumeOptions, EventBus, EventHandler } from './event-bus.ts';
import { handleInTurn } from './follow.ts';
import { Subscription } from './subscription.ts';
import { countPublishedEvent } from '../metrics/platform-metrics.ts';
import { TopicListeners } from './topic-listeners.ts';
import { durableTopic } from './topics.ts';

/** One consumer group's consumers of a topic, and whose turn is next. */
interface ConsumerGroup {
  consumers: Subscription<unknown>[];
  turn: number;
}

export class InProcessEventBus implements EventBus {
  #listeners = new TopicListeners();
  /** Per durable topic, its consumer groups by name. */
  #groups = new Map<string, Map<string, ConsumerGroup>>();
  #closed = false;

  async publish<T>(topic: string, event: EventEnvelope<T>): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    assertEventEnvelope(event);
    countPublishedEvent(topic, event);
    // A JSON round trip per publish gives subscribers their own copy, exactly as the Redis bus would.
    const json = JSON.stringify(event);
    for (const subscription of this.#listeners.of(topic) ?? []) subscription.push(JSON.parse(json));
    for (const group of this.#groups.get(topic)?.values() ?? []) {
      group.turn = (group.turn + 1) % group.consumers.length;
      group.consumers[group.turn].push(JSON.parse(json));
    }
  }

  async subscribe<T>(topic: string): Promise<BusSubscription<EventEnvelope<T>>> {
    if (this.#closed) throw new Error('event bus is closed');
    const subscription = new Subscription<EventEnvelope<T>>(topic, (s) =>
      this.#listeners.delete(s as Subscription<unknown>),
    );
    this.#listeners.add(subscription as Subscription<unknown>);
    return subscription;
  }

  async consume<T>(
    topic: string,
    group: string,
    handle: EventHandler<T>,
    options: ConsumeOptions = {},
  ): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('event bus is closed');
    durableTopic(topic);
    const groups = this.#groups.get(topic) ?? new Map<string, ConsumerGroup>();
    this.#groups.set(topic, groups);
    const members = groups.get(group) ?? { consumers: [], turn: 0 };
    groups.set(group, members);
    const consumer = new Subscription<EventEnvelope<T>>(topic, (c) => {
      members.consumers = members.consumers.filter((other) => other !== c);
      if (members.consumers.length > 0) return;
      groups.delete(group);
      if (groups.size === 0) this.#groups.delete(topic);
    });
    members.consumers.push(consumer as Subscription<unknown>);
    const running = handleInTurn(consumer, handle, (err, event) =>
      options.logger?.error({ err, topic, group, eventId: event.id }, 'handling an event failed'),
    );
    return async () => {
      consumer.end();
      await running;
    };
  }

  listenerCount(): number {
    let consumers = 0;
    for (const groups of this.#groups.values())
      for (const g of groups.values()) consumers += g.consumers.length;
    return this.#listeners.size + consumers;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.endAll();
    for (const groups of [...this.#groups.values()]) {
      for (const group of [...groups.values()]) for (const consumer of [...group.consumers]) consumer.end();
    }
  }
}
