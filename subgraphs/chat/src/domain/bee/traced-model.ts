// Bee's model calls as spans (inside a trace): one CLIENT span per answer stream, named for the provider.
import type { ChatModel } from '@sting/llm/chat/index.ts';
import { traceStream } from '@sting/kit/tracing/index.ts';

export function tracedModel(model: ChatModel): ChatModel {
  return {
    provider: model.provider,
    model: model.model,
    stream: traceStream(`chat ${model.provider}`, (request) => model.stream(request), {
      'gen_ai.provider.name': model.provider,
      'gen_ai.request.model': model.model,
    }),
  };
}
