// Ollama's native API: POST {baseUrl}/api/chat with `stream: true`, answered as one JSON object per line, the
// last with `done: true`, its `done_reason` and the token counts.
import { ChatModelError } from './errors.ts';
import type { ChatAttempt } from './limits.ts';
import type { ChatChunk, ChatConfig, ChatRequest } from './types.ts';
import { lines, parseJson, postJson, trimSlash } from './wire.ts';

interface OllamaLine {
  message?: { content?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

export function ollamaAttempt(config: ChatConfig, request: ChatRequest): ChatAttempt {
  const url = `${trimSlash(config.baseUrl)}/api/chat`;
  const body = {
    model: config.model,
    messages: request.messages,
    stream: true,
    options: { num_predict: request.maxTokens ?? config.maxTokens, temperature: config.temperature },
  };
  return async function* (signal): AsyncGenerator<ChatChunk> {
    const stream = await postJson('ollama', url, body, signal);
    for await (const line of lines(stream)) {
      if (line.trim() === '') continue;
      const item = parseJson('ollama', line) as OllamaLine;
      if (item.error !== undefined) {
        throw new ChatModelError('ollama', 'unavailable', 'the model server reported an error mid-stream');
      }
      const text = item.message?.content;
      if (typeof text === 'string' && text !== '') yield { type: 'delta', text };
      if (item.done) {
        yield {
          type: 'stop',
          reason: item.done_reason ?? 'stop',
          ...(typeof item.prompt_eval_count === 'number' ? { tokensIn: item.prompt_eval_count } : {}),
          ...(typeof item.eval_count === 'number' ? { tokensOut: item.eval_count } : {}),
        };
        return;
      }
    }
    throw new ChatModelError('ollama', 'unavailable', 'the stream ended before done');
  };
}
