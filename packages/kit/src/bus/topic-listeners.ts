// The subscriptions of one bus, by topic: both bus implementations keep the same table and differ only in what
// they do when a topic gains its first listener or loses its last (Redis subscribes and unsubscribes a channel).
import { Subscription } from './subscription.ts';

export class TopicListeners {
  #topics = new Map<string, Set<Subscription<unknown>>>();

  /** Adds a subscription; true when it is its topic's first. */
  add(subscription: Subscription<unknown>): boolean {
    const listeners = this.#topics.get(subscription.topic);
    if (listeners) {
      listeners.add(subscription);
      return false;
    }
    this.#topics.set(subscription.topic, new Set([subscription]));
    return true;
  }

  /** Removes a subscription; true when its topic has no listener left. */
  delete(subscription: Subscription<unknown>): boolean {
    const listeners = this.#topics.get(subscription.topic);
    if (!listeners?.delete(subscription) || listeners.size > 0) return false;
    this.#topics.delete(subscription.topic);
    return true;
  }

  /** The topic's subscriptions, or undefined when it has none. */
  of(topic: string): ReadonlySet<Subscription<unknown>> | undefined {
    return this.#topics.get(topic);
  }

  get size(): number {
    let count = 0;
    for (const listeners of this.#topics.values()) count += listeners.size;
    return count;
  }

  /** Ends every subscription (their readers see the end) and forgets them all. */
  endAll(): void {
    for (const listeners of [...this.#topics.values()]) for (const s of [...listeners]) s.end();
    this.#topics.clear();
  }
}
