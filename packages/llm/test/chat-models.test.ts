// One contract suite for every chat provider (extractive, and openai/ollama against the stand-in model server that
// follows their published streaming APIs), then what only the HTTP providers can meet: stop reasons, errors
// mid-stream, slow first tokens, dropped connections, retries and refusals.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startModelServer, type StandInModelServer } from '../../../tests/standins/model-server.ts';
import {
  ChatModelError,
  createChatModel,
  type ChatChunk,
  type ChatConfig,
  type ChatModel,
  type ChatRequest,
} from '../src/chat/index.ts';

let server: StandInModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.stop());

const limits = { firstTokenTimeoutMs: 2000, totalTimeoutMs: 5000, retries: 2 };

function config(provider: ChatConfig['provider'], overrides: Partial<ChatConfig> = {}): ChatConfig {
  const baseUrl = provider === 'openai' ? `${server.url}/v1` : server.url;
  return {
    provider,
    model: 'stand-in-7b',
    baseUrl,
    apiKey: 'sk-test-key',
    maxTokens: 256,
    temperature: 0,
    ...limits,
    ...overrides,
  };
}

const passages = [
  {
    index: 1,
    title: 'Hive census',
    text: 'The north apiary holds twelve hives. Each hive was inspected in May.',
  },
  { index: 2, title: 'Queen log', text: 'The queen of hive seven was replaced on 3 June after swarming.' },
];
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'Answer only from the numbered passages.' },
    {
      role: 'user',
      content: `[1] Hive census\n${passages[0].text}\n\n[2] Queen log\n${passages[1].text}\n\nQuestion: How many hives does the north apiary hold?`,
    },
  ],
  question: 'How many hives does the north apiary hold?',
  passages,
  ...extra,
});

async function collect(model: ChatModel, req: ChatRequest = request()) {
  const chunks: ChatChunk[] = [];
  for await (const chunk of model.stream(req)) chunks.push(chunk);
  const text = chunks.map((c) => (c.type === 'delta' ? c.text : '')).join('');
  return { chunks, text, stop: chunks.at(-1) };
}

async function failure(model: ChatModel, req: ChatRequest = request()) {
  try {
    await collect(model, req);
  } catch (err) {
    return err as ChatModelError;
  }
  throw new Error('the stream did not fail');
}

describe.each(['extractive', 'openai', 'ollama'] as const)('chat model contract: %s', (provider) => {
  it('streams several deltas and ends with exactly one stop', async () => {
    const model = createChatModel(config(provider));
    const { chunks, text, stop } = await collect(model);
    const deltas = chunks.filter((c) => c.type === 'delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(chunks.filter((c) => c.type === 'stop')).toHaveLength(1);
    expect(stop).toMatchObject({ type: 'stop', reason: 'stop' });
    expect(text).toContain('twelve hives');
    expect(text).toContain('[1]');
  });

  it('stops when its signal aborts, with an AbortError', async () => {
    const controller = new AbortController();
    // The extractive answer is local; the HTTP ones get a long, slow script so the abort lands mid-stream.
    if (provider !== 'extractive') {
      server.queue({ delayBetweenMs: 20, tokens: Array.from({ length: 50 }, (_, i) => ` w${i}`) });
    }
    const seen: ChatChunk[] = [];
    const run = (async () => {
      for await (const chunk of createChatModel(config(provider)).stream(
        request({ signal: controller.signal }),
      )) {
        seen.push(chunk);
        if (seen.length === 1) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.filter((c) => c.type === 'stop')).toHaveLength(0);
  });

  it('refuses to start with a signal already aborted', async () => {
    const stream = createChatModel(config(provider)).stream(request({ signal: AbortSignal.abort() }));
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe.each(['openai', 'ollama'] as const)('%s over HTTP', (provider) => {
  const path = provider === 'openai' ? '/v1/chat/completions' : '/api/chat';
  const requestsSince = (start: number) => server.requests.slice(start).filter((r) => r.path === path);

  it('sends the model, the whole prompt and stream: true; openai sends the key as a bearer token', async () => {
    const start = server.requests.length;
    await collect(createChatModel(config(provider)));
    const [sent] = requestsSince(start);
    expect(sent.body).toMatchObject({ model: 'stand-in-7b', stream: true, messages: request().messages });
    expect(sent.headers.authorization).toBe(provider === 'openai' ? 'Bearer sk-test-key' : undefined);
  });

  it('reports the stop reason and the token counts the server gives', async () => {
    server.queue({ tokens: ['Twelve', ' hives', ' [1]'], stopReason: 'length' });
    const { text, stop } = await collect(createChatModel(config(provider)));
    expect(text).toBe('Twelve hives [1]');
    expect(stop).toMatchObject({ reason: 'length', tokensOut: 3 });
    expect((stop as { tokensIn: number }).tokensIn).toBeGreaterThan(0);
  });

  it('fails an error sent after the first token without retrying, and without the server text', async () => {
    const start = server.requests.length;
    server.queue({ tokens: ['a', ' b', ' c'], errorAfter: 2 });
    const err = await failure(createChatModel(config(provider)));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err.kind).toBe('unavailable');
    expect(err.message).not.toContain('sk-secret');
    expect(requestsSince(start)).toHaveLength(1);
  });

  it('retries an error sent before the first token, up to twice', async () => {
    const start = server.requests.length;
    server.queue({ errorAfter: 0 }, { status: 503 }, { tokens: ['fine'] });
    expect((await collect(createChatModel(config(provider)))).text).toBe('fine');
    expect(requestsSince(start)).toHaveLength(3);

    const again = server.requests.length;
    server.queue({ status: 500 }, { status: 502 }, { status: 503 });
    expect((await failure(createChatModel(config(provider)))).kind).toBe('unavailable');
    expect(requestsSince(again)).toHaveLength(3);
  });

  it('does not retry a refused key, and keeps the body (which may echo secrets) out of the error', async () => {
    const start = server.requests.length;
    server.queue({ status: 401 });
    const err = await failure(createChatModel(config(provider)));
    expect(err.kind).toBe('refused');
    expect(err.message).not.toMatch(/sk-/);
    expect(requestsSince(start)).toHaveLength(1);
  });

  it('gives up on a slow first token after the limit, retrying it', async () => {
    const start = server.requests.length;
    server.queue({ delayFirstMs: 400 }, { delayFirstMs: 400 });
    const model = createChatModel(config(provider, { firstTokenTimeoutMs: 100, retries: 1 }));
    const err = await failure(model);
    expect(err.kind).toBe('timeout');
    expect(requestsSince(start)).toHaveLength(2);
    // The abandoned attempts' connections are closed, not left streaming into nothing.
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(server.streaming()).toBe(0);
  });

  it('stops a slow answer at the total limit, even after tokens arrived', async () => {
    server.queue({ tokens: ['one', ' two', ' three', ' four'], delayBetweenMs: 150 });
    const err = await failure(createChatModel(config(provider, { totalTimeoutMs: 250 })));
    expect(err.kind).toBe('timeout');
  });

  it('fails a dropped connection mid-answer, without retrying once text was sent', async () => {
    const start = server.requests.length;
    server.queue({ tokens: ['a', ' b', ' c', ' d'], dropAfter: 2 });
    const seen: string[] = [];
    const run = async () => {
      for await (const chunk of createChatModel(config(provider)).stream(request())) {
        if (chunk.type === 'delta') seen.push(chunk.text);
      }
    };
    await expect(run()).rejects.toBeInstanceOf(ChatModelError);
    expect(seen).toEqual(['a', ' b']);
    expect(requestsSince(start)).toHaveLength(1);
  });

  it('closes the connection to the model server when cancelled', async () => {
    const hungUp = server.hungUp();
    const controller = new AbortController();
    server.queue({ tokens: Array.from({ length: 40 }, (_, i) => ` t${i}`), delayBetweenMs: 10 });
    const run = (async () => {
      for await (const chunk of createChatModel(config(provider)).stream(
        request({ signal: controller.signal }),
      )) {
        if (chunk.type === 'delta') controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.hungUp()).toBe(hungUp + 1);
  });

  it('treats an unreachable server as unavailable', async () => {
    const model = createChatModel(config(provider, { baseUrl: 'http://127.0.0.1:9', retries: 0 }));
    expect((await failure(model)).kind).toBe('unavailable');
  });
});
