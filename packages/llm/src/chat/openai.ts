// Any OpenAI-compatible server (OpenAI, vLLM, LM Studio, llama.cpp's server, Ollama's /v1): POST
// {baseUrl}/chat/completions with `stream: true`, answered as server-sent events of `chat.completion.chunk`s.
import { ChatModelError } from './errors.ts';
import type { ChatAttempt } from './limits.ts';
import type { ChatChunk, ChatConfig, ChatRequest } from './types.ts';
import { lines, parseJson, postJson, trimSlash } from './wire.ts';

interface CompletionChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

export function openaiAttempt(config: ChatConfig, request: ChatRequest): ChatAttempt {
  const url = `${trimSlash(config.baseUrl)}/chat/completions`;
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const body = {
    model: config.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens ?? config.maxTokens,
    temperature: config.temperature,
  };
  return async function* (signal): AsyncGenerator<ChatChunk> {
    const stream = await postJson('openai', url, body, signal, headers);
    let reason: string | undefined;
    let usage: CompletionChunk['usage'];
    for await (const line of lines(stream)) {
      // SSE: only `data:` fields matter here; comments (`:`), `event:` and blank separators are skipped.
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') break;
      const chunk = parseJson('openai', data) as CompletionChunk;
      if (chunk.error !== undefined) {
        throw new ChatModelError('openai', 'unavailable', 'the model server reported an error mid-stream');
      }
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (typeof text === 'string' && text !== '') yield { type: 'delta', text };
      if (choice?.finish_reason) reason = choice.finish_reason;
    }
    if (!reason)
      throw new ChatModelError('openai', 'unavailable', 'the stream ended without a finish reason');
    yield {
      type: 'stop',
      reason,
      ...(usage?.prompt_tokens !== undefined ? { tokensIn: usage.prompt_tokens } : {}),
      ...(usage?.completion_tokens !== undefined ? { tokensOut: usage.completion_tokens } : {}),
    };
  };
}
