// One consumer, within a consumer group, of a durable topic's Redis stream (DurableTopics in topics.ts): each entry
// goes to one consumer of the group, which acknowledges it (XACK) once its handler succeeded. On a connection of
// its own it waits in XREADGROUP for new entries, one at a time, so a consumer that stops strands nothing it had
// not begun and the consumers of a group share the work evenly. Every half `idleMs` it also:
// - takes over entries delivered to a consumer of the group and not acknowledged for `idleMs` (that consumer died,
//   or its handler failed), waiting twice as long after each further delivery (at most 128 × idleMs), so a handler
//   failing while, say, its database is away is tried again for hours rather than hammered; an entry delivered
//   `maxDeliveries` times, or whose handler fails on that delivery, is logged and acknowledged: given up, so one
//   poisoned event cannot keep coming back (XPENDING lists them with their delivery counts, XCLAIM takes them);
// - trims from the stream what every group of the topic has acknowledged (XTRIM MINID), once every group the
//   topic declares exists; MAXLEN on publishing bounds the stream whatever the consumers do;
// - forgets consumers of the group that hold nothing and have not been seen for `forgetConsumersAfterMs` (each
//   process start adds one: consumers are named after host, pid and a random suffix).
// A handler running longer than a third of idleMs has its entry claimed again by its own consumer (XCLAIM JUSTID:
// the delivery count stays) every third of idleMs, so a slow handler is not mistaken for a dead one.
//
// A new group starts at the stream's beginning ("0"), not its end ("$"): the stream exists from the first event
// published on the topic, whether or not any consumer ever ran, and the group only from its first consumer's
// start. From "$" a group would miss exactly what this is for, e.g. a person deleted between identity's first
// start and chat's. From "0" it handles whatever the stream still holds (bounded by maxLength; once every
// declared group exists, only what some group has not acknowledged), which idempotent handlers take in their
// stride. A group created by a name not declared in DurableTopics may find older entries trimmed already.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { EventHandler } from './event-bus.ts';
import { closeRedis } from '../redis.ts';

export interface StreamConsumerSettings {
  /** An entry unacknowledged this long after its delivery is delivered again, to whichever consumer claims it. */
  idleMs: number;
  /** Deliveries of one entry before it is given up (logged and acknowledged). */
  maxDeliveries: number;
  /** A consumer holding no entries and unseen this long is removed from its group. */
  forgetConsumersAfterMs: number;
}

/** With these, a failing handler is tried ten times over about three hours. */
export const STREAM_CONSUMER_DEFAULTS: StreamConsumerSettings = {
  idleMs: 30_000,
  maxDeliveries: 10,
  forgetConsumersAfterMs: 24 * 3_600_000,
};

/** The wait before another delivery doubles this many times at most (64 minutes with the default idleMs). */
const MAX_DOUBLINGS = 7;
/** Pending entries looked at per page, and pages per pass. */
/** How long a stop waits for the entry in hand before it lets go of it. */
const STOP_WAIT_MS = 3_000;
const PENDING_PAGE = 100;
const PENDING_PAGES = 10;
/** The one field of a stream entry: the event envelope as JSON. */
export const STREAM_FIELD = 'event';

type StreamEntry = [id: string, fields: string[] | null];

export interface StreamConsumerOptions {
  /**
   * A connection for this consumer alone (it blocks in XREADGROUP), closed when the consumer stops. Commands
   * should fail while Redis is away (the default maxRetriesPerRequest), so that the consumer backs off and a stop
   * never waits for Redis to come back: an acknowledgement lost that way means one more delivery.
   */
  redis: Redis;
  key: string;
  topic: string;
  group: string;
  /** Every group the topic declares (trimming waits for all of them to exist). */
  groups: readonly string[];
  handle: EventHandler<unknown>;
  settings: StreamConsumerSettings;
  /** Handler failures and events given up. */
  report?: Pick<Logger, 'error'>;
  /** Everything else worth a warning (Redis failing, foreign entries). */
  logger?: Pick<Logger, 'warn'>;
}

export class StreamConsumer {
  readonly name = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  #o: StreamConsumerOptions;
  #stopping = false;
  /** Waiting in XREADGROUP: a stop closes the connection rather than wait out the block. */
  #blocked = false;
  #loop: Promise<void> = Promise.resolve();
  #stopped?: Promise<void>;

  constructor(options: StreamConsumerOptions) {
    this.#o = options;
  }

  /** Creates the group when it does not exist yet (waiting for Redis); resolves once consuming has begun. */
  async start(): Promise<void> {
    for (let failures = 0; !this.#stopping; failures++) {
      try {
        await this.#createGroup();
        this.#loop = this.#run();
        return;
      } catch (err) {
        if (failures === 0) this.#warn(err, 'creating a consumer group failed; trying again');
        await pause(failures);
      }
    }
  }

  /** Ends consuming after the entry in hand (handled and acknowledged) and closes the connection. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#stopping = true;
      const { redis } = this.#o;
      // Waiting for new entries, or Redis away: nothing to finish, the connection goes at once (a second close of
      // the same socket would leave ioredis's close timer behind).
      const closeNow = this.#blocked || redis.status !== 'ready';
      if (closeNow) redis.disconnect();
      // A command queued while ioredis was reconnecting never settles once the connection is closed, so the loop
      // gets a bounded wait: an entry abandoned here is not acknowledged and goes to another consumer later.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#loop,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (closeNow) return;
      if (redis.status === 'ready') await closeRedis(redis);
      else redis.disconnect();
    })();
    return this.#stopped;
  }

  async #run(): Promise<void> {
    const { idleMs } = this.#o.settings;
    let nextPass = 0;
    let failures = 0;
    while (!this.#stopping) {
      try {
        if (Date.now() >= nextPass) {
          await this.#maintain();
          nextPass = Date.now() + idleMs / 2;
        }
        const entry = await this.#read(nextPass - Date.now());
        if (entry && !this.#stopping) await this.#deliver(entry, 1);
        failures = 0;
      } catch (err) {
        if (this.#stopping) break;
        // Redis lost the stream (a restart without its data, a flush): the group is made again.
        if (/NOGROUP|no such key|no longer exists/i.test(String(err)))
          await this.#createGroup().catch(() => undefined);
        else if (failures === 0) this.#warn(err, 'consuming a stream failed; trying again');
        await pause(failures++);
      }
    }
  }

  async #createGroup(): Promise<void> {
    try {
      await this.#call('XGROUP', 'CREATE', this.#o.key, this.#o.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
  }

  /** The next new entry for this consumer, waiting at most `blockMs`. */
  async #read(blockMs: number): Promise<StreamEntry | undefined> {
    this.#blocked = true;
    try {
      // Checked with #blocked set, in the same turn as the command goes out: a stop either came first or closes it.
      if (this.#stopping) return undefined;
      const reply = (await this.#call(
        'XREADGROUP',
        'GROUP',
        this.#o.group,
        this.name,
        'COUNT',
        1,
        'BLOCK',
        Math.max(1, Math.ceil(blockMs)),
        'STREAMS',
        this.#o.key,
        '>',
      )) as [string, StreamEntry[]][] | null;
      return reply?.[0]?.[1]?.[0];
    } finally {
      this.#blocked = false;
    }
  }

  /** Hands an entry to the handler (its `deliveries`th delivery) and acknowledges it, or leaves it for a retry. */
  async #deliver([id, fields]: StreamEntry, deliveries: number): Promise<void> {
    const event = parseEntry(fields);
    if (!event) {
      this.#o.logger?.warn(
        { topic: this.#o.topic, group: this.#o.group, entry: id },
        fields
          ? 'dropped a stream entry that is not an event envelope'
          : 'a stream entry was trimmed unhandled',
      );
      await this.#ack(id);
      return;
    }
    const { idleMs, maxDeliveries } = this.#o.settings;
    const keepClaim = setInterval(() => {
      // Unless another consumer has just taken it over (then both handle it: handlers are idempotent).
      this.#call('XCLAIM', this.#o.key, this.#o.group, this.name, Math.floor(idleMs / 6), id, 'JUSTID').catch(
        () => undefined,
      );
    }, idleMs / 3);
    keepClaim.unref();
    try {
      await this.#o.handle(event);
    } catch (err) {
      if (deliveries < maxDeliveries) {
        this.#o.report?.error(
          { err, topic: this.#o.topic, group: this.#o.group, eventId: event.id, deliveries },
          'handling an event failed; it will be tried again',
        );
        return;
      }
      this.#giveUp(id, event, deliveries, err);
    } finally {
      clearInterval(keepClaim);
    }
    await this.#ack(id);
  }

  #giveUp(id: string, event: EventEnvelope | undefined, deliveries: number, err?: unknown): void {
    this.#o.report?.error(
      { err, topic: this.#o.topic, group: this.#o.group, entry: id, eventId: event?.id, deliveries },
      `event given up after ${deliveries} deliveries`,
    );
  }

  async #ack(id: string): Promise<void> {
    await this.#call('XACK', this.#o.key, this.#o.group, id);
  }

  async #maintain(): Promise<void> {
    await this.#retryPending();
    if (this.#stopping) return;
    await this.#trimAcknowledged();
    await this.#forgetConsumers();
  }

  /** Claims and handles the group's entries left unacknowledged long enough for another delivery. */
  async #retryPending(): Promise<void> {
    const { idleMs, maxDeliveries } = this.#o.settings;
    let start = '-';
    for (let page = 0; page < PENDING_PAGES; page++) {
      const pending = (await this.#call(
        'XPENDING',
        this.#o.key,
        this.#o.group,
        'IDLE',
        idleMs,
        start,
        '+',
        PENDING_PAGE,
      )) as [id: string, consumer: string, idle: number, deliveries: number][];
      for (const [id, , idle, deliveries] of pending) {
        if (this.#stopping) return;
        if (idle < idleMs * 2 ** Math.min(deliveries - 1, MAX_DOUBLINGS)) continue;
        // Only if still idle: of two consumers claiming at once, one gets it. An entry trimmed from the stream
        // meanwhile comes back empty (Redis 7 drops it from the group instead).
        const [entry] = (await this.#call(
          'XCLAIM',
          this.#o.key,
          this.#o.group,
          this.name,
          idleMs,
          id,
        )) as (StreamEntry | null)[];
        if (!entry) continue;
        if (deliveries < maxDeliveries) await this.#deliver(entry, deliveries + 1);
        else {
          this.#giveUp(id, parseEntry(entry[1]), deliveries);
          await this.#ack(id);
        }
      }
      if (pending.length < PENDING_PAGE) return;
      start = `(${pending[pending.length - 1][0]}`;
    }
  }

  /** Removes from the stream the entries every group has acknowledged. */
  async #trimAcknowledged(): Promise<void> {
    const groups = ((await this.#call('XINFO', 'GROUPS', this.#o.key)) as unknown[][]).map(fieldsOf);
    const names = new Set(groups.map((g) => String(g.name)));
    if (!this.#o.groups.every((declared) => names.has(declared))) return;
    let floor: string | undefined;
    for (const group of groups) {
      let oldestNeeded = String(group['last-delivered-id']);
      if (Number(group.pending) > 0) {
        const [, oldestPending] = (await this.#call('XPENDING', this.#o.key, String(group.name))) as [
          number,
          string | null,
        ];
        if (oldestPending) oldestNeeded = oldestPending;
      }
      if (floor === undefined || compareIds(oldestNeeded, floor) < 0) floor = oldestNeeded;
    }
    // MINID keeps the floor entry itself: a handled one at most stays behind.
    if (floor && floor !== '0-0') await this.#call('XTRIM', this.#o.key, 'MINID', floor);
  }

  async #forgetConsumers(): Promise<void> {
    const consumers = (
      (await this.#call('XINFO', 'CONSUMERS', this.#o.key, this.#o.group)) as unknown[][]
    ).map(fieldsOf);
    for (const consumer of consumers) {
      const forgotten =
        consumer.name !== this.name &&
        Number(consumer.pending) === 0 &&
        Number(consumer.idle) > this.#o.settings.forgetConsumersAfterMs;
      if (forgotten)
        await this.#call('XGROUP', 'DELCONSUMER', this.#o.key, this.#o.group, String(consumer.name));
    }
  }

  #warn(err: unknown, message: string): void {
    this.#o.logger?.warn({ err, topic: this.#o.topic, group: this.#o.group }, message);
  }

  #call(command: string, ...args: (string | number)[]): Promise<unknown> {
    return this.#o.redis.call(command, ...args);
  }
}

/** Waits before another try after `failures` failed ones: 100 ms, doubling, at most 5 s. */
function pause(failures: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** failures, 5_000)));
}

/** The envelope in a stream entry's `event` field, or undefined for anything else (or a trimmed entry). */
function parseEntry(fields: string[] | null): EventEnvelope | undefined {
  if (!fields) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== STREAM_FIELD) continue;
    try {
      const value: unknown = JSON.parse(fields[i + 1]);
      return isEventEnvelope(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** XINFO's flat [name, value, name, value, ...] as an object. */
function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}

/** Orders stream ids (`<ms>-<seq>`). */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
