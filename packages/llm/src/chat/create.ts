// createChatModel: the provider named by `bee.provider`, held to the configured limits (see limits.ts).
import { extractiveAttempt, EXTRACTIVE_MODEL } from './extractive.ts';
import { streamWithLimits, type ChatAttempt } from './limits.ts';
import { ollamaAttempt } from './ollama.ts';
import { openaiAttempt } from './openai.ts';
import type { ChatConfig, ChatModel, ChatRequest } from './types.ts';

const attempts: Record<ChatConfig['provider'], (config: ChatConfig, request: ChatRequest) => ChatAttempt> = {
  extractive: (_config, request) => extractiveAttempt(request),
  openai: openaiAttempt,
  ollama: ollamaAttempt,
};

export function createChatModel(config: ChatConfig): ChatModel {
  const attemptFor = attempts[config.provider];
  if (!attemptFor) throw new Error(`unknown chat provider ${String(config.provider)}`);
  const limits = {
    firstTokenTimeoutMs: config.firstTokenTimeoutMs,
    totalTimeoutMs: config.totalTimeoutMs,
    retries: Math.min(2, Math.max(0, config.retries)),
  };
  return {
    provider: config.provider,
    model: config.provider === 'extractive' ? EXTRACTIVE_MODEL : config.model,
    stream: (request) =>
      streamWithLimits(config.provider, attemptFor(config, request), limits, request.signal),
  };
}
