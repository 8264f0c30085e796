// Outgoing webhooks: each configured receiver gets the events it asked for (alerts when it named none), the
// payload Pollen-filtered, signed (signature.ts) and delivered from an outbox table: an event heard is written
// first, then posted; a failed post is retried with exponential backoff until it succeeds or the attempts run out.
// Alerting never waits on a receiver, and a restart loses no pending delivery.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  EventTypes,
  followTopic,
  processPollenFilter,
  type EventBus,
  type EventEnvelope,
  type SubgraphRuntime,
} from '@sting/kit';
import { schemaOf } from '../events/event-store.ts';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.ts';

export interface WebhookTarget {
  url: string;
  /** The HMAC key, resolved from its secret reference; null when the reference names nothing (not sent). */
  secret: string | null;
  events: readonly string[];
}

export interface WebhookPolicy {
  maxAttempts: number;
  /** The wait before the second attempt, doubled after each failure up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  /** How often due deliveries are looked for (a new event is posted at once regardless). */
  pollMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  maxAttempts: 8,
  backoffMs: 1000,
  maxBackoffMs: 5 * 60_000,
  timeoutMs: 10_000,
  pollMs: 5000,
};

export const eventsOf = (target: WebhookTarget) =>
  target.events.length > 0 ? target.events : [EventTypes.alertTriggered];

interface DueRow {
  id: string;
  url: string;
  event_type: string;
  body: string;
  attempts: number;
}

export class WebhookSender {
  readonly #orm: MikroORM;
  readonly #bus: EventBus;
  readonly #targets: WebhookTarget[];
  readonly #policy: WebhookPolicy;
  readonly #logger: SubgraphRuntime['logger'];
  readonly #stops: (() => Promise<void>)[] = [];
  #timer: NodeJS.Timeout | null = null;
  #sending: Promise<unknown> | null = null;
  #again = false;

  constructor(options: {
    orm: MikroORM;
    bus: EventBus;
    targets: readonly WebhookTarget[];
    policy?: Partial<WebhookPolicy>;
    logger: SubgraphRuntime['logger'];
  }) {
    this.#orm = options.orm;
    this.#bus = options.bus;
    this.#targets = options.targets.filter((target) => {
      if (target.secret) return true;
      options.logger.warn({ url: target.url }, 'webhook without a secret value is not sent');
      return false;
    });
    this.#policy = { ...DEFAULT_WEBHOOK_POLICY, ...options.policy };
    this.#logger = options.logger;
  }

  async start(): Promise<void> {
    if (this.#targets.length === 0) return;
    const topics = new Set(this.#targets.flatMap(eventsOf));
    for (const topic of topics) {
      this.#stops.push(await followTopic(this.#bus, topic, (event) => this.enqueue(event), this.#logger));
    }
    this.#timer = setInterval(() => this.kick(), this.#policy.pollMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.all(this.#stops.splice(0).map((stop) => stop()));
    await this.#sending;
  }

  /** Writes one delivery per receiver that wants this event (once, however often it is heard), then sends. */
  async enqueue(event: EventEnvelope<unknown>): Promise<void> {
    const wanting = this.#targets.filter((target) => eventsOf(target).includes(event.type));
    if (wanting.length === 0) return;
    const body = JSON.stringify(
      processPollenFilter().redactRecord(event as unknown as Record<string, unknown>),
    );
    const em = this.#em();
    for (const target of wanting) {
      await em.execute(
        `insert into ${schemaOf(em)}."webhook_delivery" ("id", "url", "event_id", "event_type", "body", "created_at", "next_attempt_at")
         values (?, ?, ?, ?, ?, now(), now()) on conflict do nothing`,
        [randomUUID(), target.url, event.id, event.type, body],
      );
    }
    this.kick();
  }

  /** Sends what is due now; a call while a round runs makes that round go once more. */
  kick(): void {
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = this.deliverDue()
      .catch((err: unknown) => this.#logger.warn({ err }, 'webhook delivery round failed'))
      .finally(() => {
        this.#sending = null;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** One round: each due delivery claimed (skipping those another replica holds), posted and its outcome kept. */
  async deliverDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const em = this.#em();
      const done = await em.transactional(async (tx) => {
        const [row] = await tx.execute<DueRow[]>(
          `select "id", "url", "event_type", "body", "attempts" from ${schemaOf(tx)}."webhook_delivery"
           where "delivered_at" is null and "failed_at" is null and "next_attempt_at" <= now() and "url" in (?)
           order by "next_attempt_at" limit 1 for update skip locked`,
          [this.#targets.map((target) => target.url)],
        );
        if (!row) return false;
        await this.#attempt(tx, row);
        return true;
      });
      if (!done) return sent;
      sent += 1;
    }
  }

  async #attempt(tx: EntityManager, row: DueRow): Promise<void> {
    // Only this sender's receivers are claimed (a replica configured otherwise leaves the others' rows alone).
    const secret = this.#targets.find((candidate) => candidate.url === row.url)?.secret ?? '';
    const table = `${schemaOf(tx)}."webhook_delivery"`;
    const error = await this.#post(row.url, secret, row);
    const attempts = row.attempts + 1;
    if (error === null) {
      await tx.execute(
        `update ${table} set "delivered_at" = now(), "attempts" = ?, "last_error" = null where "id" = ?`,
        [attempts, row.id],
      );
      return;
    }
    const { maxAttempts, backoffMs, maxBackoffMs } = this.#policy;
    const waitMs = Math.min(maxBackoffMs, backoffMs * 2 ** (attempts - 1));
    if (attempts >= maxAttempts) {
      this.#logger.warn({ url: row.url, attempts, error }, 'webhook delivery given up');
    }
    await tx.execute(
      `update ${table} set "attempts" = ?, "last_error" = ?,
         "next_attempt_at" = now() + (? * interval '1 millisecond'),
         "failed_at" = case when ? then now() else null end
       where "id" = ?`,
      [attempts, error.slice(0, 1000), waitMs, attempts >= maxAttempts, row.id],
    );
  }

  /** null when the receiver answered 2xx, else what went wrong. */
  async #post(url: string, secret: string, row: DueRow): Promise<string | null> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'STING-Beeacon-Webhook/1',
          'x-sting-event': row.event_type,
          'x-sting-delivery': row.id,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signBody(secret, timestamp, row.body),
        },
        body: row.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#policy.timeoutMs),
      });
      await response.body?.cancel();
      return response.ok ? null : `receiver answered ${response.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  #em(): EntityManager {
    return this.#orm.em.fork() as EntityManager;
  }
}
