// The event bus for more than one process: Redis pub/sub with one subscriber connection per bus; each Redis
// channel is subscribed once and its messages fan out to this process's subscribers of the topic. An event on a
// durable topic (DurableTopics in topics.ts) is also appended to the topic's stream, `<prefix>stream:<topic>`,
// in the same round trip (MULTI: PUBLISH, XADD with MAXLEN ~ the topic's maxLength), where its consumer groups
// read it, each consumer on a connection of its own (stream-consumer.ts).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis, createRedis } from '../redis.ts';
import { assertEventEnvelope, isEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { BusSubscription, ConsumeOptions, EventBus, EventHandler } from './event-bus.ts';
import {
  STREAM_CONSUMER_DEFAULTS,
  STREAM_FIELD,
  StreamConsumer,
  type StreamConsumerSettings,
} from './stream-consumer.ts';
import { Subscription } from './subscription.ts';
import { countPublishedEvent } from '../metrics/platform-metrics.ts';
import { TopicListeners } from './topic-listeners.ts';
import { DurableTopics, durableTopic } from './topics.ts';

export interface RedisEventBusOptions {
  /** Prepended to every topic to form the Redis channel and stream key (default `sting:`); tests use a unique one. */
  prefix?: string;
  logger?: Logger;
  name?: string;
  /** Entries kept per durable topic's stream, instead of its maxLength in DurableTopics (`redis.streams.maxLength`). */
  streamMaxLength?: Readonly<Partial<Record<string, number>>>;
  /** How this bus's consumers retry and give up (STREAM_CONSUMER_DEFAULTS). */
  consumers?: Partial<StreamConsumerSettings>;
}

/** config.yml's `redis.streams`. */
export interface StreamsConfig {
  maxLength: Readonly<Partial<Record<string, number>>>;
  idleSeconds: number;
  maxDeliveries: number;
}

/** A bus's stream options from config.yml's `redis.streams`. */
export function streamOptions(
  streams: StreamsConfig,
): Pick<RedisEventBusOptions, 'streamMaxLength' | 'consumers'> {
  return {
    streamMaxLength: streams.maxLength,
    consumers: { idleMs: streams.idleSeconds * 1000, maxDeliveries: streams.maxDeliveries },
  };
}

export class RedisEventBus implements EventBus {
  #publisher: Redis;
  #subscriber: Redis;
  #prefix: string;
  #logger?: Logger;
  #listeners = new TopicListeners();
  #consumers = new Set<StreamConsumer>();
  #url: string;
  #name: string;
  #streamMaxLength: Readonly<Partial<Record<string, number>>>;
  #consumerSettings: StreamConsumerSettings;
  /** The SUBSCRIBE / UNSUBSCRIBE last sent per channel, so a new subscriber waits for the channel to be live. */
  #channelState = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(url: string, options: RedisEventBusOptions = {}) {
    const name = (this.#name = options.name ?? 'sting-bus');
    this.#url = url;
    this.#prefix = options.prefix ?? 'sting:';
    this.#logger = options.logger;
    this.#streamMaxLength = options.streamMaxLength ?? {};
    for (const topic of Object.keys(this.#streamMaxLength)) {
      if (!Object.hasOwn(DurableTopics, topic)) {
        throw new Error(
          `redis.streams.maxLength: ${topic} is not a durable topic (DurableTopics in kit/bus/topics.ts)`,
        );
      }
    }
    this.#consumerSettings = { ...STREAM_CONSUMER_DEFAULTS, ...options.consumers };
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
    const json = JSON.stringify(event);
    const maxLength = this.#maxLength(topic);
    if (maxLength === undefined) {
      await this.#publisher.publish(this.#prefix + topic, json);
      return;
    }
    const results = await this.#publisher
      .multi()
      .publish(this.#prefix + topic, json)
      .xadd(this.#streamKey(topic), 'MAXLEN', '~', maxLength, '*', STREAM_FIELD, json)
      .exec();
    const failure = results
      ? results.find(([err]) => err)?.[0]
      : new Error('the publishing transaction was aborted');
    if (failure) throw failure;
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

  async consume<T>(
    topic: string,
    group: string,
    handle: EventHandler<T>,
    options: ConsumeOptions = {},
  ): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('event bus is closed');
    const { groups } = durableTopic(topic);
    const consumer = new StreamConsumer({
      redis: createRedis(this.#url, `${this.#name}-${group}`, { logger: this.#logger }),
      key: this.#streamKey(topic),
      topic,
      group,
      groups,
      handle: handle as EventHandler<unknown>,
      settings: this.#consumerSettings,
      report: options.logger ?? this.#logger,
      logger: this.#logger,
    });
    this.#consumers.add(consumer);
    await consumer.start();
    return async () => {
      this.#consumers.delete(consumer);
      await consumer.stop();
    };
  }

  listenerCount(): number {
    return this.#listeners.size + this.#consumers.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.endAll();
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    this.#consumers.clear();
    await Promise.all([closeRedis(this.#subscriber), closeRedis(this.#publisher)]);
  }

  /** How many entries a durable topic's stream keeps; undefined for a topic that has none. */
  #maxLength(topic: string): number | undefined {
    if (!Object.hasOwn(DurableTopics, topic)) return undefined;
    return this.#streamMaxLength[topic] ?? DurableTopics[topic].maxLength;
  }

  #streamKey(topic: string): string {
    return `${this.#prefix}stream:${topic}`;
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
