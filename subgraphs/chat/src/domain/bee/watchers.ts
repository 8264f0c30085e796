// Who is watching a conversation's answers, across every chat replica. A person's messageStream subscription may be
// served by one replica while another writes the answer, so the count of watchers is kept in Redis when chat runs
// with Redis, and in this process otherwise (the embedded default is one process). A replica that dies while
// counting leaves the count high: its conversations' answers then run to their end rather than stopping early,
// and the key expires a day after its last change.
import type { Redis } from 'ioredis';

export interface Watchers {
  joined(conversationId: string): Promise<void>;
  /** The watchers left everywhere after this one left. */
  left(conversationId: string): Promise<number>;
  /** The watchers of a conversation everywhere now. */
  count(conversationId: string): Promise<number>;
}

export class LocalWatchers implements Watchers {
  readonly #counts = new Map<string, number>();

  async joined(conversationId: string) {
    this.#counts.set(conversationId, (this.#counts.get(conversationId) ?? 0) + 1);
  }

  async left(conversationId: string) {
    const left = Math.max(0, (this.#counts.get(conversationId) ?? 1) - 1);
    if (left > 0) this.#counts.set(conversationId, left);
    else this.#counts.delete(conversationId);
    return left;
  }

  async count(conversationId: string) {
    return this.#counts.get(conversationId) ?? 0;
  }
}

const TTL_SECONDS = 24 * 3600;
const key = (conversationId: string) => `chat:watchers:${conversationId}`;

// Never below zero, and the key goes when nobody is left: a stray extra `left` cannot hide a later watcher.
const LEAVE = `local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) return 0 end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return n`;

export class RedisWatchers implements Watchers {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async joined(conversationId: string) {
    await this.#redis.multi().incr(key(conversationId)).expire(key(conversationId), TTL_SECONDS).exec();
  }

  async left(conversationId: string) {
    return Number(await this.#redis.eval(LEAVE, 1, key(conversationId), TTL_SECONDS));
  }

  async count(conversationId: string) {
    return Number((await this.#redis.get(key(conversationId))) ?? 0);
  }
}
