// The chat-model contract every provider meets: a prompt (and the passages behind it) in, a stream of text deltas
// ending in one stop chunk out. Bee's answer flow never knows which provider it talks to.

export const CHAT_PROVIDERS = ['extractive', 'openai', 'ollama'] as const;
export type ChatProvider = (typeof CHAT_PROVIDERS)[number];

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A retrieved passage as the prompt numbers it: `[index]` in the answer cites it. */
export interface ChatPassage {
  index: number;
  text: string;
  title: string;
}

export interface ChatRequest {
  /** The whole prompt: system instruction, numbered passages, trimmed history, the question. */
  messages: readonly ChatTurn[];
  /** The question alone and the passages alone, for providers that work on them directly (extractive). */
  question: string;
  passages: readonly ChatPassage[];
  maxTokens?: number;
  signal?: AbortSignal;
}

/** A stream is zero or more deltas followed by exactly one `stop`. */
export type ChatChunk =
  { type: 'delta'; text: string } | { type: 'stop'; reason: string; tokensIn?: number; tokensOut?: number };

export interface ChatModel {
  /** 'extractive' | 'openai' | 'ollama' */
  readonly provider: ChatProvider;
  readonly model: string;
  /** Rejects (mid-iteration) with ChatModelError, or with the signal's AbortError when cancelled. */
  stream(request: ChatRequest): AsyncIterable<ChatChunk>;
}

/** The time limits and retries every provider call is held to. */
export interface ChatLimits {
  /** From the call until the first delta (retries included). */
  firstTokenTimeoutMs: number;
  /** From the call until the stop chunk. */
  totalTimeoutMs: number;
  /** Attempts repeated after a retryable failure before any delta arrived (0 to 2). */
  retries: number;
}

/** `bee` of config.yml as kit's config schema delivers it (apiKey already resolved from its secret reference). */
export interface ChatConfig extends ChatLimits {
  readonly provider: ChatProvider;
  /** openai/ollama: the served model's name; extractive: ignored. */
  readonly model: string;
  /** openai: e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1; ollama: http://127.0.0.1:11434. */
  readonly baseUrl: string;
  readonly apiKey: string | null;
  readonly maxTokens: number;
  readonly temperature: number;
}
