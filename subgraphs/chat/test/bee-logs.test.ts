// Everything Bee logs passes through the Pollen Filter: a failure whose error text carries a person's email
// address, a model provider's key and a STING API key reaches the log with all three redacted.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createLogger } from '@sting/kit';
import { createChatModel } from '@sting/llm/chat/index.ts';
import { installBee } from '../src/domain/bee/bee.ts';
import { RetrievalError } from '../src/domain/bee/knowledge-retriever.ts';
import type { Retriever } from '../src/domain/bee/retriever.ts';
import { ask, openStream } from './bee-harness.ts';
import { buildConversation, buildViewer, startChat, type ChatHarness } from './harness.ts';

const EMAIL = 'marguerite.keeper@example.org';
const MODEL_KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0h';
const STING_KEY = 'sting_q8Vd2LkPz0Xw7RtYb4NcMe1JsHa6GfUo9iEl3ZpQW5k';

const lines: string[] = [];
let chat: ChatHarness;

/** A search that fails with an error text carrying personal data and secrets (as a careless upstream might). */
const leakyRetriever: Retriever = {
  async search() {
    throw new RetrievalError(
      `search failed for ${EMAIL} (upstream key ${MODEL_KEY}, caller key ${STING_KEY})`,
    );
  },
  async readableDocuments() {
    return new Set<string>();
  },
};

beforeAll(async () => {
  const logger = createLogger({
    name: 'chat',
    level: 'info',
    destination: { write: (l: string) => lines.push(l) },
  });
  chat = await startChat(undefined, logger);
  installBee(chat.runtime, {
    model: createChatModel({
      provider: 'extractive',
      model: '',
      baseUrl: '',
      apiKey: null,
      maxTokens: 100,
      temperature: 0,
      firstTokenTimeoutMs: 2000,
      totalTimeoutMs: 5000,
      retries: 0,
    }),
    retriever: leakyRetriever,
    cache: null,
    settings: { retrieval: { topK: 4, minScore: 0.1 }, historyTokens: 500 },
  });
});
afterAll(async () => {
  await chat?.close();
});

describe("Bee's logs", () => {
  it('carry the failure with its code, and none of the email address or keys in it', async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const stream = await openStream(chat, owner, conversation.id);
    await ask(chat, owner, conversation.id, `Why did my search as ${EMAIL} fail?`);
    const packets = await stream.untilEnd();
    await stream.close();
    expect(packets.at(-1)).toMatchObject({ __typename: 'MessageFailed', code: 'SEARCH_FAILED' });

    const failure = lines.find((l) => l.includes('Bee could not answer'));
    expect(failure).toBeDefined();
    expect(JSON.parse(failure!)).toMatchObject({ level: 'warn', code: 'SEARCH_FAILED' });
    expect(failure).toContain('[EMAIL]');
    expect(failure).toContain('[MODEL_API_KEY]');
    expect(failure).toContain('[STING_API_KEY]');
    const everything = lines.join('\n');
    for (const value of [EMAIL, MODEL_KEY, STING_KEY]) expect(everything).not.toContain(value);
  });
});
