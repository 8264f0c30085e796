// The event bus for more than one process: Redis pub/sub with one subscriber connection per bus; each Redis
// channel is subscribed once and its messages fan out to this process's subscribers of the topic.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis, createRedis } from '../redis.ts';
import { assertEventEnvelope, isEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { BusSubscription, EventBus } from './event-bus.ts';
import { Subscription } from './subscription.ts';
import { countPublishedEvent } from '../metrics/platform-metrics.ts';
import { TopicListeners } from './topic-listeners.ts';

export interface RedisEventBusOptions {
  /** Prepended to every topic to form the Redis channel (default `sting:`); tests use a unique one. */
  prefix?: string;
  logger?: Logger;
  name?: string;
}

export class RedisEventBus implements EventBus {
  #publisher: Redis;
  #subscriber: Redis;
  #prefix: string;
  #logger?: Logger;
  #listeners = new TopicListeners();
  /** The SUBSCRIBE / UNSUBSCRIBE last sent per channel, so a new subscriber waits for the channel to be live. */
  #channelState = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(url: string, options: RedisEventBusOptions = {}) {
    const name = options.name ?? 'sting-bus';
    this.#prefix = options.prefix ?? 'sting:';
    this.#logger = options.logger;
    this.#publisher = createRedis(url, `${name}-pub`, { logger: options.logger });
    this.#subscriber = createRedis(url, `${name}-sub`, {
      logger: options.logger,
      maxRetriesPerRequest: null,
    });
    this.#subscriber.on('message', (channel: string, message: string) => this.#deliver(channel, message));
  }

  async publish<T>(topic: string, event: EventEnvelope<T>): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    assertEventEnvelope(event);
    countPublishedEvent(topic, event);
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(event));
  }

  async subscribe<T>(topic: string): Promise<BusSubscription<EventEnvelope<T>>> {
    if (this.#closed) throw new Error('event bus is closed');
    const subscription = new Subscription<EventEnvelope<T>>(topic, (s) =>
      this.#remove(s as Subscription<unknown>),
    );
    if (this.#listeners.add(subscription as Subscription<unknown>)) {
      const channel = this.#prefix + topic;
      this.#channelState.set(channel, this.#subscriber.subscribe(channel));
    }
    try {
      await this.#channelState.get(this.#prefix + topic);
    } catch (err) {
      subscription.end();
      throw err;
    }
    return subscription;
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.endAll();
    await Promise.all([closeRedis(this.#subscriber), closeRedis(this.#publisher)]);
  }

  #deliver(channel: string, message: string): void {
    if (!channel.startsWith(this.#prefix)) return;
    const listeners = this.#listeners.of(channel.slice(this.#prefix.length));
    if (!listeners) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      this.#logger?.warn({ channel }, 'dropped a bus message that is not JSON');
      return;
    }
    // Whoever else can reach Redis could publish anything; only well-formed envelopes reach subscribers.
    if (!isEventEnvelope(payload)) {
      this.#logger?.warn({ channel }, 'dropped a bus message that is not an event envelope');
      return;
    }
    // Each subscriber gets its own copy, as on the in-process bus.
    let first = true;
    for (const subscription of listeners) {
      subscription.push(first ? payload : JSON.parse(message));
      first = false;
    }
  }

  #remove(subscription: Subscription<unknown>): void {
    if (!this.#listeners.delete(subscription) || this.#closed) return;
    const channel = this.#prefix + subscription.topic;
    const unsubscribed = this.#subscriber.unsubscribe(channel).catch((err: Error) => {
      this.#logger?.warn({ err, channel }, 'bus unsubscribe failed');
    });
    this.#channelState.set(channel, unsubscribed);
  }
}
