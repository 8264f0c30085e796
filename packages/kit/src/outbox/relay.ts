// The outbox relay: publishes a subgraph's committed outbox events to the bus, in the order they were written,
// and marks them sent. Delivery is at least once (a crash between the publish and the mark repeats the event,
// which consumers recognise by its id); nothing committed is lost, because the row stays until it is sent.
import type { EventSubscriber, FlushEventArgs, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.ts';
import { isEventEnvelope } from '../bus/envelope.ts';
import { OutboxEvent } from './outbox-event.ts';

export interface OutboxRelayOptions {
  logger?: Logger;
  /** How often pending events are looked for besides the nudge after each commit (default 1 s). */
  pollIntervalMs?: number;
  /** Events published per transaction (default 100). */
  batchSize?: number;
  /** Sent events older than this are deleted (default one day). */
  retainSentMs?: number;
}

/** Marks the relay's own statements, so a test counting a resolver's queries can leave them out. */
export const RELAY_SQL_TAG = '/* outbox-relay */';

interface PendingRow {
  seq: string | number;
  topic: string;
  envelope: unknown;
}

export class OutboxRelay {
  #orm: MikroORM;
  #bus: EventBus;
  #logger?: Logger;
  #pollIntervalMs: number;
  #batchSize: number;
  #retainSentMs: number;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #again = false;
  #started = false;
  #failures = 0;
  #lastPrune = 0;
  #watching = false;

  constructor(orm: MikroORM, bus: EventBus, options: OutboxRelayOptions = {}) {
    this.#orm = orm;
    this.#bus = bus;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#batchSize = options.batchSize ?? 100;
    this.#retainSentMs = options.retainSentMs ?? 24 * 3600 * 1000;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts relaying: publishes what is already pending, then after each commit and on every poll. */
  start(): this {
    if (this.#started) return this;
    this.#started = true;
    if (!this.#watching) {
      this.#orm.em.getEventManager().registerSubscriber(this.#commitWatcher());
      this.#watching = true;
    }
    this.#timer = setInterval(() => this.#poll(), this.#pollIntervalMs);
    this.#timer.unref();
    this.kick();
    return this;
  }

  /** Stops relaying after the batch in flight; pending events stay in the outbox for the next start. */
  async stop(): Promise<void> {
    this.#started = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    await this.#running;
  }

  /** Asks for a relay pass soon; passes never overlap, and a nudge during one causes one more. */
  kick(): void {
    if (!this.#started) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  /**
   * The periodic look for events a nudge did not cover (another replica's, or ones left by a failure): one
   * statement when there are none, where a relay pass would open and commit a transaction to find nothing.
   */
  #poll(): void {
    if (!this.#started || this.#running) return;
    this.#running = this.#orm.em
      .getConnection()
      .execute<{ pending: boolean }[]>(
        `${RELAY_SQL_TAG} select exists (select 1 from ${this.#table()} where sent_at is null) as pending`,
      )
      .then(
        ([row]) => (row?.pending ? this.#loop() : undefined),
        () => this.#loop(), // the pass that follows reports what is wrong
      )
      .finally(() => {
        this.#running = undefined;
        if (this.#again) this.kick();
      });
  }

  /** Publishes every pending event now (also when stopped); resolves to how many were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.#relayBatch();
      total += sent;
      if (sent < this.#batchSize) return total;
    }
  }

  /** Events committed but not yet published. */
  async pending(): Promise<number> {
    const rows = await this.#orm.em
      .getConnection()
      .execute<{ n: string }[]>(
        `${RELAY_SQL_TAG} select count(*) as n from ${this.#table()} where sent_at is null`,
      );
    return Number(rows[0]?.n ?? 0);
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.drain();
        this.#failures = 0;
        await this.#prune();
      } catch (err) {
        // The bus or the database is away: the events wait in the outbox; the poll tries again.
        this.#failures++;
        if (this.#failures === 1 || this.#failures % 60 === 0) {
          this.#logger?.warn({ err, failures: this.#failures }, 'outbox relay could not publish; will retry');
        }
        return;
      }
    } while (this.#again && this.#started);
  }

  #table(): string {
    return `"${this.#orm.config.get('schema')}"."outbox_event"`;
  }

  /** One transaction: take the outbox's lock, publish a batch of pending rows in order, mark them sent. */
  async #relayBatch(): Promise<number> {
    const connection = this.#orm.em.getConnection();
    const table = this.#table();
    let failure: unknown;
    const sent = await connection.transactional(async (trx) => {
      // One relay of this outbox at a time (replicas, and a subgraph's worker process beside it): each waits here
      // for the one before to commit, then reads on from where it stopped. Two relays taking a batch each at once
      // (SKIP LOCKED) would publish the second batch alongside the first, and a reader could see a document
      // turn READY and then go back to PROCESSING.
      await connection.execute(
        `${RELAY_SQL_TAG} select pg_advisory_xact_lock(hashtext('sting.outbox'), hashtext(?))`,
        [table],
        'all',
        trx,
      );
      const rows = await connection.execute<PendingRow[]>(
        `${RELAY_SQL_TAG} select seq, topic, envelope from ${table} where sent_at is null order by seq limit ?`,
        [this.#batchSize],
        'all',
        trx,
      );
      const published: (string | number)[] = [];
      for (const row of rows) {
        const envelope = typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope;
        if (!isEventEnvelope(envelope)) {
          // Not publishable, ever: mark it so it cannot block the events behind it, and say so.
          this.#logger?.error(
            { seq: row.seq, topic: row.topic },
            'outbox row is not an event envelope; skipped',
          );
          published.push(row.seq);
          continue;
        }
        try {
          await this.#bus.publish(row.topic, envelope);
          published.push(row.seq);
        } catch (err) {
          // Stop at the first failure so later events are never published ahead of this one.
          failure = err;
          await connection.execute(
            `${RELAY_SQL_TAG} update ${table} set attempts = attempts + 1, last_error = ? where seq = ?`,
            [String((err as Error)?.message ?? err).slice(0, 1000), row.seq],
            'run',
            trx,
          );
          break;
        }
      }
      if (published.length > 0) {
        await connection.execute(
          `${RELAY_SQL_TAG} update ${table} set sent_at = now() where seq in (?)`,
          [published],
          'run',
          trx,
        );
      }
      return published.length;
    });
    if (failure) throw failure;
    return sent;
  }

  async #prune(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    await this.#orm.em
      .getConnection()
      .execute(
        `${RELAY_SQL_TAG} delete from ${this.#table()} where sent_at < ?`,
        [new Date(now - this.#retainSentMs)],
        'run',
      );
  }

  /**
   * Nudges the relay when an outbox row is committed, so events go out at once rather than at the next poll.
   * A flush outside a transaction has committed when `afterFlush` runs; one inside a transaction waits for
   * `afterTransactionCommit`.
   */
  #commitWatcher(): EventSubscriber {
    let awaitingCommit = false;
    const wroteOutbox = (args: FlushEventArgs) =>
      args.uow.getChangeSets().some((cs) => cs.meta.className === OutboxEvent.meta.className);
    return {
      afterFlush: (args) => {
        if (!wroteOutbox(args)) return;
        if (args.em.isInTransaction()) awaitingCommit = true;
        else this.kick();
      },
      afterTransactionCommit: () => {
        if (!awaitingCommit) return;
        awaitingCommit = false;
        this.kick();
      },
    };
  }
}
