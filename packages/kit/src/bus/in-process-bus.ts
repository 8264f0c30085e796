// The event bus of the single-process embedded topology: topics fan out to subscribers in this process only.
import type { BusSubscription, EventBus } from './event-bus.ts';
import { Subscription } from './subscription.ts';

export class InProcessEventBus implements EventBus {
  #topics = new Map<string, Set<Subscription<unknown>>>();
  #closed = false;

  async publish<T>(topic: string, payload: T): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    // A JSON round trip per publish gives subscribers their own copy, exactly as the Redis bus would.
    const json = JSON.stringify(payload);
    for (const subscription of this.#topics.get(topic) ?? []) subscription.push(JSON.parse(json));
  }

  async subscribe<T>(topic: string): Promise<BusSubscription<T>> {
    if (this.#closed) throw new Error('event bus is closed');
    const subscription = new Subscription<T>(topic, (s) => this.#remove(s as Subscription<unknown>));
    let listeners = this.#topics.get(topic);
    if (!listeners) this.#topics.set(topic, (listeners = new Set()));
    listeners.add(subscription as Subscription<unknown>);
    return subscription;
  }

  listenerCount(): number {
    let count = 0;
    for (const listeners of this.#topics.values()) count += listeners.size;
    return count;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const listeners of [...this.#topics.values()]) for (const s of [...listeners]) s.end();
    this.#topics.clear();
  }

  #remove(subscription: Subscription<unknown>): void {
    const listeners = this.#topics.get(subscription.topic);
    listeners?.delete(subscription);
    if (listeners?.size === 0) this.#topics.delete(subscription.topic);
  }
}
