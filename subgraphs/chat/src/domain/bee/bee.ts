// Bee in one chat runtime: its chat model, retriever and answer cache (from `bee` of config.yml), and the answers it
// is writing right now, so stopGenerating, regenerate and the last subscriber leaving can reach them.
import { createRedis, type SubgraphRuntime } from '@sting/kit';
import { createChatModel, type ChatConfig, type ChatModel } from '@sting/llm/chat/index.ts';
import { RedisAnswerCache, type AnswerCache } from './answer-cache.ts';
import { KnowledgeRetriever } from './knowledge-retriever.ts';
import type { PassageSelection, Retriever } from './retriever.ts';

export interface BeeSettings extends ChatConfig {
  cacheTtlSeconds: number;
  historyTokens: number;
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
  retrieval: { topK: 6, minScore: 0.01 },
};

interface Running {
  conversationId: string;
  controller: AbortController;
  done: Promise<void>;
}

export interface BeeParts {
  settings?: Partial<BeeSettings>;
  model?: ChatModel;
  retriever?: Retriever;
  cache?: AnswerCache | null;
}

export class Bee {
  readonly settings: BeeSettings;
  readonly model: ChatModel;
  readonly retriever: Retriever;
  readonly cache: AnswerCache | null;
  readonly #running = new Map<string, Running>();
  readonly #subscribers = new Map<string, number>();
  #close: () => Promise<void>;

  constructor(runtime: SubgraphRuntime, parts: BeeParts = {}) {
    const config = runtime.config as { bee?: Partial<BeeSettings>; redis?: { url?: string } } | undefined;
    this.settings = { ...DEFAULTS, ...config?.bee, ...parts.settings } as BeeSettings;
    this.model = parts.model ?? createChatModel(this.settings);
    this.retriever = parts.retriever ?? new KnowledgeRetriever(runtime.peers);
    const redisUrl = config?.redis?.url;
    let close = async () => {};
    if (parts.cache !== undefined) this.cache = parts.cache;
    else if (redisUrl && this.settings.cacheTtlSeconds > 0) {
      const redis = createRedis(redisUrl, 'sting-bee-cache', { logger: runtime.logger });
      this.cache = new RedisAnswerCache(redis, this.settings.cacheTtlSeconds);
      close = async () => void (await redis.quit().catch(() => redis.disconnect()));
    } else this.cache = null;
    this.#close = close;
  }

  /** Registers an answer being written; it is aborted by stop(), or when its conversation's last subscriber leaves. */
  track(messageId: string, conversationId: string, run: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const done = run(controller.signal).finally(() => {
      if (this.#running.get(messageId)?.controller === controller) this.#running.delete(messageId);
    });
    this.#running.set(messageId, { conversationId, controller, done });
  }

  /** Cancels an answer being written here; resolves once it is stored as CANCELLED. False when none is running. */
  async stop(messageId: string): Promise<boolean> {
    const running = this.#running.get(messageId);
    if (!running) return false;
    running.controller.abort();
    await running.done;
    return true;
  }

  isRunning(messageId: string): boolean {
    return this.#running.has(messageId);
  }

  /** Waits for every answer in progress (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  subscriberJoined(conversationId: string): void {
    this.#subscribers.set(conversationId, (this.#subscribers.get(conversationId) ?? 0) + 1);
  }

  /** When nobody is left watching a conversation, its answers stop and keep what they had. */
  subscriberLeft(conversationId: string): void {
    const left = (this.#subscribers.get(conversationId) ?? 1) - 1;
    if (left > 0) return void this.#subscribers.set(conversationId, left);
    this.#subscribers.delete(conversationId);
    for (const running of this.#running.values()) {
      if (running.conversationId === conversationId) running.controller.abort();
    }
  }

  /** Cancels the answers in progress and closes the cache connection; closing twice is harmless. */
  async close(): Promise<void> {
    for (const running of this.#running.values()) running.controller.abort();
    await this.idle();
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
