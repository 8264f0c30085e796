// Follows the platform's event topics and writes each event to the events table; on its own clock refreshes the
// daily summary and drops expired months. Every replica listens (the bus fans out) and inserts idempotently, so
// an event is stored once; the periodic work is done by whichever replica takes the lock first.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { followTopic, Topics, type EventBus, type SubgraphRuntime } from '@sting/kit';
import { EventStore, schemaOf } from './event-store.ts';
import { projectEvent, type EventRow } from './projection.ts';
import { Periodic } from '../periodic.ts';

/**
 * The topics whose events are platform history. Snapshot pages (bulk access facts for read models), Pollen
 * statistics (each process's running totals every few seconds) and the answer stream packets are not events of
 * the platform's history and stay out.
 */
export const RECORDED_TOPICS: readonly string[] = [
  Topics.honeyJar.created,
  Topics.honeyJar.updated,
  Topics.honeyJar.deleted,
  Topics.honeyJar.memberAdded,
  Topics.honeyJar.memberRemoved,
  Topics.knowledge.documentStatusChanged,
  Topics.chat.messageCreated,
  Topics.ai.analysisComplete,
  Topics.user.action,
  Topics.observability.alertTriggered,
  Topics.observability.piiDetected,
  Topics.observability.healthFailed,
  Topics.launcher.restart,
];

/** Events inserted by one statement at most. */
const MAX_BATCH = 500;

interface PendingRow {
  row: EventRow;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

export interface EventRecorderSettings {
  enabled: boolean;
  retentionDays: number;
  summaryRefreshSeconds: number;
}

export interface EventRecorderOptions {
  orm: MikroORM;
  bus: EventBus;
  settings: EventRecorderSettings;
  logger: SubgraphRuntime['logger'];
}

export class EventRecorder {
  readonly store = new EventStore();
  readonly #stops: (() => Promise<void>)[] = [];
  readonly #clock: Periodic;

  readonly options: EventRecorderOptions;

  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.#clock = new Periodic(() => this.maintain(), 'events maintenance', options.logger);
  }

  async start(): Promise<void> {
    if (!this.options.settings.enabled) return;
    for (const topic of RECORDED_TOPICS) {
      this.#stops.push(
        await followTopic(
          this.options.bus,
          topic,
          async (event) => void (await this.record(event)),
          this.options.logger,
        ),
      );
    }
    this.#clock.start(this.options.settings.summaryRefreshSeconds);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#stops.splice(0).map((stop) => stop()));
    while (this.#writing) await this.#writing;
    await this.#clock.stop();
  }

  /**
   * Stores an event; answers whether it is new. Events heard while an insert is running wait for it and then go
   * in together, in one statement (group commit): under load the events table costs a statement per batch, not
   * per event, and alone an event is inserted at once. A failed batch is retried row by row, so one bad event
   * fails alone.
   */
  record(event: Parameters<typeof projectEvent>[0]): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#waiting.push({ row: projectEvent(event), resolve, reject });
      this.#startWriting();
    });
  }

  #startWriting(): void {
    if (this.#writing) return;
    this.#writing = this.#write().finally(() => {
      this.#writing = undefined;
      // Rows pushed after the writer's last look, before this ran, would otherwise wait for the next event.
      if (this.#waiting.length > 0) this.#startWriting();
    });
  }

  readonly #waiting: PendingRow[] = [];
  #writing: Promise<void> | undefined;

  async #write(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, MAX_BATCH);
      try {
        const stored = await this.store.insertMany(
          this.#em(),
          batch.map((p) => p.row),
        );
        for (const p of batch) p.resolve(stored.has(p.row.id));
      } catch {
        for (const p of batch) {
          await this.store.insert(this.#em(), p.row).then(p.resolve, p.reject);
        }
      }
    }
  }

  /**
   * Retention and the summary refresh, by one replica at a time (the others skip this round). Stored health reports
   * and finished webhook deliveries are kept as long as the events.
   */
  async maintain(now = new Date()): Promise<{ refreshed: boolean; dropped: string[] }> {
    return this.#em().transactional(async (em) => {
      const [lock] = await em.execute<{ taken: boolean }[]>(
        `select pg_try_advisory_xact_lock(hashtext('sting.events.maintenance')) as taken`,
      );
      if (!lock?.taken) return { refreshed: false, dropped: [] };
      const { retentionDays } = this.options.settings;
      const dropped = await this.store.dropExpired(em, retentionDays, now);
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
      const schema = schemaOf(em);
      await em.execute(`delete from ${schema}."health_report" where "created_at" < ?`, [cutoff]);
      await em.execute(
        `delete from ${schema}."webhook_delivery" where "created_at" < ? and ("delivered_at" is not null or "failed_at" is not null)`,
        [cutoff],
      );
      await this.store.refreshSummary(em);
      return { refreshed: true, dropped };
    });
  }

  #em(): EntityManager {
    return this.options.orm.em.fork() as EntityManager;
  }
}
