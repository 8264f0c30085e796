// Bee in one chat runtime: its chat model, retriever and answer cache (from `bee` of config.yml), and the answers it
// is writing right now, so stopGenerating, regenerate and the last subscriber leaving can reach them. With several
// chat replicas, the one asked to stop an answer (or whose last watcher left) may not be the one writing it: such
// requests go to every replica on the bus topic `chat.answer.control`, and the one writing the answer acts.
import {
  createEvent,
  closeRedis,
  createRedis,
  EventTypes,
  Topics,
  type BusSubscription,
  type EventEnvelope,
  type SubgraphRuntime,
} from '@sting/kit';
import { createChatModel, type ChatConfig, type ChatModel } from '@sting/llm/chat/index.ts';
import { Message } from '../../entities/conversation.ts';
import { ANSWER_LEASE_MS, leaseFromNow } from './abandoned.ts';
import { RedisAnswerCache, type AnswerCache } from './answer-cache.ts';
import { KnowledgeRetriever } from './knowledge-retriever.ts';
import { tracedModel } from './traced-model.ts';
import type { PassageSelection, Retriever } from './retriever.ts';
import { LocalWatchers, RedisWatchers, type Watchers } from './watchers.ts';

/** What one replica asks of the one writing an answer. */
export type AnswerControl =
  | { kind: 'stop'; messageId: string }
  | { kind: 'unwatched'; conversationId: string }
  | { kind: 'snapshot'; conversationId: string };

export interface BeeSettings extends ChatConfig {
  cacheTtlSeconds: number;
  historyTokens: number;
  /** How long an answer goes on with nobody watching its conversation before it stops (0: at once). */
  unwatchedGraceMs: number;
  /** Answers written for one person at once; another question waits (RATE_LIMITED) until one ends. */
  answersAtOncePerPerson: number;
  retrieval: PassageSelection;
}

const DEFAULTS: BeeSettings = {
  provider: 'extractive',
  baseUrl: '',
  model: '',
  apiKey: null,
  firstTokenTimeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  retries: 2,
  maxTokens: 1024,
  temperature: 0.2,
  cacheTtlSeconds: 3600,
  historyTokens: 1500,
  unwatchedGraceMs: 10_000,
  answersAtOncePerPerson: 3,
  retrieval: { topK: 6, minScore: 0.01, minSimilarity: 0.15 },
};

interface Running {
  conversationId: string;
  /** The message's generation the run was started with (answer.ts). */
  generation: number;
  controller: AbortController;
  done: Promise<void>;
  /** Sends the answer's text and citations so far on its stream (set by the writer once it writes). */
  snapshot?: () => void;
}

/** What the writer of an answer gives Bee: how to send the text so far to a stream that opened after it began. */
export type OnSnapshot = (send: () => void) => void;

export interface BeeParts {
  settings?: Partial<BeeSettings>;
  model?: ChatModel;
  retriever?: Retriever;
  cache?: AnswerCache | null;
  /** Who watches each conversation (default: Redis when configured, else this process). */
  watchers?: Watchers;
  /** How often the leases of the answers being written are renewed (default: every third of a lease). */
  leaseRenewEveryMs?: number;
}

export class Bee {
  readonly settings: BeeSettings;
  readonly model: ChatModel;
  readonly retriever: Retriever;
  readonly cache: AnswerCache | null;
  readonly #running = new Map<string, Running>();
  readonly watchers: Watchers;
  readonly #runtime: SubgraphRuntime;
  #control: Promise<BusSubscription<EventEnvelope<AnswerControl>>> | null = null;
  #renewal: NodeJS.Timeout | null = null;
  readonly #graceTimers = new Set<NodeJS.Timeout>();
  readonly #renewEveryMs: number;
  #close: () => Promise<void>;

  constructor(runtime: SubgraphRuntime, parts: BeeParts = {}) {
    this.#runtime = runtime;
    this.#renewEveryMs = parts.leaseRenewEveryMs ?? ANSWER_LEASE_MS / 3;
    const config = runtime.config as { bee?: Partial<BeeSettings>; redis?: { url?: string } } | undefined;
    this.settings = { ...DEFAULTS, ...config?.bee, ...parts.settings } as BeeSettings;
    this.model = parts.model ?? tracedModel(createChatModel(this.settings));
    this.retriever = parts.retriever ?? new KnowledgeRetriever(runtime.peers);
    const redisUrl = config?.redis?.url;
    const wantsCache = parts.cache === undefined && this.settings.cacheTtlSeconds > 0;
    const redis =
      redisUrl && (wantsCache || !parts.watchers)
        ? createRedis(redisUrl, 'sting-bee', { logger: runtime.logger })
        : null;
    if (parts.cache !== undefined) this.cache = parts.cache;
    else this.cache = redis && wantsCache ? new RedisAnswerCache(redis, this.settings.cacheTtlSeconds) : null;
    this.watchers = parts.watchers ?? (redis ? new RedisWatchers(redis) : new LocalWatchers());
    this.#close = async () => void (redis && (await closeRedis(redis)));
  }

  /** Listens for stop and unwatched requests from other replicas, from the first answer this one writes. */
  #listen(): void {
    if (this.#control) return;
    const subscribing = this.#runtime.bus.subscribe<AnswerControl>(Topics.chat.answerControl);
    this.#control = subscribing;
    void (async () => {
      const subscription = await subscribing;
      for await (const envelope of subscription) await this.#onControl(envelope.payload);
    })().catch((err: unknown) => this.#runtime.logger.error({ err }, 'answer control feed failed'));
  }

  async #onControl(control: AnswerControl): Promise<void> {
    if (control.kind === 'stop') return void this.#running.get(control.messageId)?.controller.abort();
    if (control.kind === 'snapshot') {
      for (const running of this.#running.values())
        if (running.conversationId === control.conversationId) running.snapshot?.();
      return;
    }
    const mine = [...this.#running.values()].filter((r) => r.conversationId === control.conversationId);
    // Someone may have started watching again since: only a conversation still unwatched stops.
    if (mine.length === 0 || (await this.watchers.count(control.conversationId)) > 0) return;
    for (const running of mine) running.controller.abort();
  }

  #publishControl(control: AnswerControl): Promise<void> {
    return this.#runtime.bus.publish(
      Topics.chat.answerControl,
      createEvent(EventTypes.chatAnswerControl, control, { source: this.#runtime.name }),
    );
  }

  /**
   * Registers an answer being written; it is aborted by stop(), when its conversation's last subscriber leaves, or
   * when renewing its lease finds the answer is no longer this run's.
   */
  track(
    messageId: string,
    conversationId: string,
    generation: number,
    run: (signal: AbortSignal, onSnapshot: OnSnapshot) => Promise<void>,
  ): void {
    this.#listen();
    const controller = new AbortController();
    const running: Running = { conversationId, generation, controller, done: Promise.resolve() };
    this.#running.set(messageId, running);
    running.done = run(controller.signal, (send) => void (running.snapshot = send)).finally(() => {
      if (this.#running.get(messageId) === running) this.#running.delete(messageId);
    });
    this.#renewLeases();
  }

  /**
   * Asks whoever writes an answer in the conversation, on any replica, to send its text and citations so far on
   * the conversation's stream: a stream opened after the answer began (a page reloaded, a second tab) has missed
   * its first deltas.
   */
  requestSnapshots(conversationId: string): Promise<void> {
    return this.#publishControl({ kind: 'snapshot', conversationId });
  }

  /**
   * Renews the leases of the answers this replica writes every third of a lease while it writes any, so no sweep
   * takes them for abandoned (abandoned.ts). One statement for all of them; the timer keeps no process alive.
   */
  #renewLeases(): void {
    if (this.#renewal) return;
    this.#renewal = setInterval(() => {
      const running = [...this.#running.entries()];
      if (running.length === 0) {
        clearInterval(this.#renewal!);
        this.#renewal = null;
        return;
      }
      this.#renew(running).catch((err: unknown) =>
        this.#runtime.logger.warn({ err }, "renewing answers' leases failed"),
      );
    }, this.#renewEveryMs);
    this.#renewal.unref();
  }

  /**
   * A lease is renewed only for the run that owns its answer (still STREAMING, with the run's generation). A run
   * whose answer is not renewed lost it while it wrote (regenerated on another replica after its lease ran out,
   * or ended as INTERRUPTED): it is stopped, so it reads no more of the model's stream and stores nothing.
   */
  async #renew(running: [string, Running][]): Promise<void> {
    const renewed = await this.#runtime.orm.em
      .fork({ useContext: false })
      .createQueryBuilder(Message)
      .update({ leaseUntil: leaseFromNow() })
      .where({ status: 'STREAMING', $or: running.map(([id, run]) => ({ id, generation: run.generation })) })
      .returning('id')
      .execute<{ id: string }[]>('all', true);
    const owned = new Set(renewed.map((row) => row.id));
    // A run that stored its own end since is not renewed either; stopping it then changes nothing.
    for (const [id, run] of running) if (!owned.has(id)) run.controller.abort();
  }

  /**
   * Cancels an answer: here, resolving once it is stored as CANCELLED (true); or, when this replica is not writing
   * it, by asking the others on the bus (false: the caller waits for the stored status to change). `generation` is
   * the answer's current one as the caller read it (a run here of a later one, started since, writes it now). A run
   * here of an earlier generation is not the answer's writer but one that outlived its lease while a regenerate gave
   * the answer to a run elsewhere: stopping only that one would report the answer stopped while the current run
   * goes on, so it is ended (it can store and send nothing any more) and the stop goes to the other replicas too.
   */
  async stop(messageId: string, generation?: number): Promise<boolean> {
    const running = this.#running.get(messageId);
    if (running && (generation === undefined || running.generation >= generation)) {
      running.controller.abort();
      await running.done;
      return true;
    }
    running?.controller.abort();
    await this.#publishControl({ kind: 'stop', messageId });
    return false;
  }

  isRunning(messageId: string): boolean {
    return this.#running.has(messageId);
  }

  /** Waits for every answer in progress (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  async subscriberJoined(conversationId: string): Promise<void> {
    await this.watchers.joined(conversationId);
  }

  /**
   * When nobody is left watching a conversation, on any replica, for `unwatchedGraceMs` (a reload comes back within
   * it), its answers stop and keep what they had.
   */
  async subscriberLeft(conversationId: string): Promise<void> {
    if ((await this.watchers.left(conversationId)) > 0) return;
    const grace = this.settings.unwatchedGraceMs;
    if (grace <= 0) return this.#stopUnwatched(conversationId);
    const timer = setTimeout(() => {
      this.#graceTimers.delete(timer);
      void (async () => {
        if ((await this.watchers.count(conversationId)) === 0) await this.#stopUnwatched(conversationId);
      })().catch((err: unknown) =>
        this.#runtime.logger.warn({ err, conversationId }, 'stopping an unwatched answer failed'),
      );
    }, grace);
    timer.unref();
    this.#graceTimers.add(timer);
  }

  async #stopUnwatched(conversationId: string): Promise<void> {
    for (const running of this.#running.values()) {
      if (running.conversationId === conversationId) running.controller.abort();
    }
    await this.#publishControl({ kind: 'unwatched', conversationId });
  }

  /** Cancels the answers in progress and closes the cache connection; closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#renewal) clearInterval(this.#renewal);
    this.#renewal = null;
    for (const timer of this.#graceTimers) clearTimeout(timer);
    this.#graceTimers.clear();
    for (const running of this.#running.values()) running.controller.abort();
    await this.idle();
    const control = this.#control;
    this.#control = null;
    if (control) await (await control.catch(() => null))?.return?.();
    const close = this.#close;
    this.#close = async () => {};
    await close();
  }
}

const bees = new WeakMap<SubgraphRuntime, Bee>();
const closing = new WeakSet<SubgraphRuntime>();

/**
 * The runtime has no stop hook of its own and every host closes the ORM last, so Bee closes just before it:
 * answers in progress are cancelled (and stored as such) and the cache connection is closed.
 */
function closeWithRuntime(runtime: SubgraphRuntime): void {
  if (closing.has(runtime)) return;
  closing.add(runtime);
  const close = runtime.orm.close.bind(runtime.orm);
  runtime.orm.close = async (force?: boolean) => {
    await bees.get(runtime)?.close();
    return close(force);
  };
}

/** The runtime's Bee, created on first use from its configuration. */
export function beeFor(runtime: SubgraphRuntime): Bee {
  let bee = bees.get(runtime);
  if (!bee) {
    bee = new Bee(runtime);
    bees.set(runtime, bee);
    closeWithRuntime(runtime);
  }
  return bee;
}

/** Replaces the runtime's Bee (tests: a stand-in model server, a retriever over test passages). */
export function installBee(runtime: SubgraphRuntime, parts: BeeParts): Bee {
  const bee = new Bee(runtime, parts);
  bees.set(runtime, bee);
  closeWithRuntime(runtime);
  return bee;
}
