// Finished answers in Redis under `ai:response:{hash}`. The hash covers everything the answer depends on: provider
// and model, the question, the history used and the id and version of every retrieved chunk. Retrieval runs as the
// person first, so a hit needs the very chunks they may read now: a change of content or of permission changes the key.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChatTurn } from '@sting/llm/chat/index.ts';
import type { Passage } from './retriever.ts';

export interface CachedAnswer {
  text: string;
  tokensIn: number;
  tokensOut: number;
}

export interface AnswerKeyParts {
  provider: string;
  model: string;
  question: string;
  history: readonly ChatTurn[];
  passages: readonly Passage[];
}

export function answerKey(parts: AnswerKeyParts): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        'bee-answer-v1',
        parts.provider,
        parts.model,
        parts.question,
        parts.history.map((t) => [t.role, t.content]),
        parts.passages.map((p) => [p.index, p.chunkId, p.chunkVersion]),
      ]),
    )
    .digest('hex');
  return `ai:response:${hash}`;
}

export interface AnswerCache {
  get(key: string): Promise<CachedAnswer | null>;
  set(key: string, answer: CachedAnswer): Promise<void>;
}

export class RedisAnswerCache implements AnswerCache {
  readonly #redis: Redis;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, ttlSeconds: number) {
    this.#redis = redis;
    this.#ttlSeconds = ttlSeconds;
  }

  async get(key: string): Promise<CachedAnswer | null> {
    const raw = await this.#redis.get(key);
    if (!raw) return null;
    try {
      const value = JSON.parse(raw) as CachedAnswer;
      return typeof value.text === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    await this.#redis.set(key, JSON.stringify(answer), 'EX', this.#ttlSeconds);
  }
}
