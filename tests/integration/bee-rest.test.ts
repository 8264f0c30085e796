// POST /api/bee/chat through the gateway's pipeline: the finished answer as JSON, the same packets as server-sent
// events, the conversation kept across calls, a question of several lines, bad input and other people's
// conversations refused in the REST error shape (a conversation the request started is deleted again, also when
// the caller's rate limit runs out before the message is sent), and a model server's failure reported by Bee's code
// with the request id, never the server's words or key.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startModelServer, type StandInModelServer } from '../standins/model-server.ts';
import { graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import { createJar, createPeople, uploadDocuments } from './bee-journey.ts';

let it_: IntegrationPlatform;
let failing: IntegrationPlatform;
let server: StandInModelServer;
let tokens: Record<string, string>;
let jar: string;
const QUESTION = 'How many frames does the winter hive keep?';

const post = (
  platform: IntegrationPlatform,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
) =>
  fetch(new URL('/api/bee/chat', platform.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function conversationCount(): Promise<number> {
  const r = await graphql(it_.url, '{ conversations(first: 200) { nodes { id } } }', {}, tokens.owner);
  return r.data.conversations.nodes.length;
}

beforeAll(async () => {
  server = await startModelServer();
  it_ = await startIntegrationPlatform('embedded', { chromaUrl: process.env.CHROMA_URL });
  ({ tokens } = await createPeople(it_.url, [
    ['owner', 'MEMBER'],
    ['other', 'MEMBER'],
  ]));
  jar = await createJar(it_.url, tokens.owner, 'Winter notes', 'PRIVATE');
  await uploadDocuments(it_.url, tokens.owner, jar, [
    {
      name: 'winter.md',
      title: 'Winter hive',
      text: '# Winter\n\nThe winter hive keeps nine frames of honey.\n',
    },
  ]);
  // A second platform whose Bee asks the stand-in model server (OpenAI API), which refuses its key.
  failing = await startIntegrationPlatform('embedded', {
    chromaUrl: process.env.CHROMA_URL,
    configure: (config) => ({
      ...config,
      bee: {
        ...config.bee,
        provider: 'openai',
        baseUrl: `${server.url}/v1`,
        model: 'stand-in',
        apiKey: 'sk-live-secret',
        retries: 0,
      },
    }),
  });
}, 120_000);

afterAll(async () => {
  await it_?.stop();
  await failing?.stop();
  await server?.stop();
});

describe('POST /api/bee/chat', () => {
  it('answers the finished message as JSON, with citations, and continues the conversation named', async () => {
    const response = await post(it_, { message: QUESTION }, tokens.owner);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.api_version).toBe('1.0');
    expect(body.data.message).toMatchObject({ status: 'COMPLETE' });
    expect(body.data.message.text).toContain('nine frames');
    expect(body.data.message.citations[0]).toMatchObject({
      index: 1,
      document: { title: 'Winter hive' },
      honey_jar: { id: jar, name: 'Winter notes' },
    });
    expect(Object.keys(body.data.message.citations[0]).sort()).toEqual([
      'chunk_id',
      'document',
      'honey_jar',
      'index',
      'page',
      'quote',
    ]);

    const again = await post(
      it_,
      { message: 'And in spring?', conversation_id: body.data.conversation_id },
      tokens.owner,
    );
    const next = (await again.json()) as any;
    expect(next.data.conversation_id).toBe(body.data.conversation_id);
    expect(next.data.message.id).not.toBe(body.data.message.id);
  });

  it('streams the same packets as server-sent events', async () => {
    const response = await post(it_, { message: QUESTION, honey_jar_ids: [jar] }, tokens.owner, {
      accept: 'text/event-stream',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)![1]),
      }));
    expect(events[0].event).toBe('conversation');
    const kinds = events.map((e) => e.event);
    expect(kinds.filter((k) => k === 'MessageDelta').length).toBeGreaterThan(3);
    expect(kinds).toContain('MessageCitation');
    expect(kinds.at(-1)).toBe('MessageCompleted');
    const text = events
      .filter((e) => e.event === 'MessageDelta')
      .map((e) => e.data.text)
      .join('');
    expect(events.at(-1)!.data.message).toMatchObject({ status: 'COMPLETE', text });
  });

  it.each([
    ['no message', {}, 400, 'BAD_USER_INPUT'],
    ['an empty message', { message: '  ' }, 400, 'BAD_USER_INPUT'],
    ['a message that is not text', { message: 42 }, 400, 'BAD_USER_INPUT'],
    ['jars that are not a list of ids', { message: 'hi', honey_jar_ids: 'all' }, 400, 'BAD_USER_INPUT'],
    ['a malformed jar id', { message: 'hi', honey_jar_ids: ['../etc'] }, 400, 'BAD_USER_INPUT'],
    ['a body that is not JSON', '{"message": ', 400, 'BAD_USER_INPUT'],
    ['a message of nothing visible', { message: '\u200b \u200b' }, 400, 'BAD_USER_INPUT'],
    ['a lone surrogate in the message', { message: 'abc\ud800def' }, 400, 'BAD_USER_INPUT'],
    // Refused by chat once the conversation was started: it is deleted again.
    ['a message longer than 8000 characters', { message: 'a'.repeat(8001) }, 400, 'BAD_USER_INPUT'],
    ['an empty jar list', { message: 'hi', honey_jar_ids: [] }, 400, 'BAD_USER_INPUT'],
    [
      'more than 100 jars',
      { message: 'hi', honey_jar_ids: Array.from({ length: 101 }, () => randomUUID()) },
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a conversation that does not exist',
      { message: 'hi', conversation_id: '00000000-0000-4000-8000-000000000000' },
      404,
      'NOT_FOUND',
    ],
  ])('%s: refused in the REST error shape, nothing written', async (_what, body, status, code) => {
    const before = await conversationCount();
    const response = await post(it_, body, tokens.owner);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as any;
    expect(answer.error).toMatchObject({ code, request_id: expect.any(String) });
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+/);
    expect(await conversationCount()).toBe(before);
  });

  it('answers a question of several lines, naming its conversation on one line, cut by characters', async () => {
    const title = async (id: string) =>
      (await graphql(it_.url, 'query ($id: ID!) { conversation(id: $id) { title } }', { id }, tokens.owner))
        .data.conversation.title as string;
    const lines = await post(
      it_,
      { message: 'How many frames\n\tdoes the winter hive keep?\n' },
      tokens.owner,
    );
    expect(lines.status).toBe(200);
    const answered = (await lines.json()) as any;
    expect(answered.data.message.status).toBe('COMPLETE');
    expect(await title(answered.data.conversation_id)).toBe('How many frames does the winter hive keep?');
    // 140 UTF-16 units after the x: a cut by units splits a bee's surrogate pair.
    const bees = await post(it_, { message: `x${'🐝'.repeat(70)}` }, tokens.owner);
    expect(bees.status).toBe(200);
    const named = await title(((await bees.json()) as any).data.conversation_id);
    expect(named).toBe(`x${'🐝'.repeat(58)}…`);
  });

  it('names the message when it holds a lone surrogate, and keeps a named conversation a message is refused in', async () => {
    const lone = await post(it_, { message: 'abc\ud800def' }, tokens.owner);
    expect(((await lone.json()) as any).error.message).toBe(
      'message contains a lone UTF-16 surrogate, which is not valid Unicode',
    );
    const mine = (await (await post(it_, { message: QUESTION }, tokens.owner)).json()) as any;
    const before = await conversationCount();
    const long = await post(
      it_,
      { message: 'a'.repeat(8001), conversation_id: mine.data.conversation_id },
      tokens.owner,
    );
    expect(long.status).toBe(400);
    expect(await conversationCount()).toBe(before);
    const kept = await graphql(
      it_.url,
      'query ($id: ID!) { conversation(id: $id) { messageCount } }',
      { id: mine.data.conversation_id },
      tokens.owner,
    );
    expect(kept.data.conversation.messageCount).toBe(2);
  });

  it("refuses anonymous callers and another person's conversation", async () => {
    expect((await post(it_, { message: 'hi' })).status).toBe(401);
    const mine = (await (await post(it_, { message: QUESTION }, tokens.owner)).json()) as any;
    const theirs = await post(
      it_,
      { message: 'hi', conversation_id: mine.data.conversation_id },
      tokens.other,
    );
    expect(theirs.status).toBe(404);
  });

  it("reports a model server's failure by Bee's code and the request id, never its words or the key", async () => {
    const { tokens: people } = await createPeople(failing.url, [['asker', 'MEMBER']]);
    const own = await createJar(failing.url, people.asker, 'Failing jar', 'PRIVATE');
    await uploadDocuments(failing.url, people.asker, own, [
      { name: 'w.md', title: 'W', text: '# W\n\nThe winter hive keeps nine frames.\n' },
    ]);
    server.queue({ status: 401 });
    const response = await post(failing, { message: QUESTION }, people.asker, {
      'x-request-id': 'bee-rest-failure-1',
    });
    expect(response.status).toBe(502);
    const body = (await response.json()) as any;
    expect(body.error).toMatchObject({ code: 'MODEL_REFUSED', request_id: 'bee-rest-failure-1' });
    expect(body.error.message).toContain('bee-rest-failure-1');
    expect(JSON.stringify(body)).not.toMatch(/sk-|scripted/);
    const sent = server.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-live-secret');
  });
});

describe('POST /api/bee/chat at the edge of the rate limit', () => {
  let limited: IntegrationPlatform;
  const LIMIT = 8;
  afterAll(() => limited?.stop());

  it('refuses a message whose send finds the budget spent with 429, and leaves no new conversation', async () => {
    limited = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          gateway: {
            ...config.gateway,
            rateLimit: { ...config.gateway.rateLimit, requestsPerMinute: LIMIT },
          },
        }) as typeof config,
    });
    // An API key spends from a bucket of its own, so its owner's session can still look at the list afterwards.
    const { tokens: people } = await createPeople(limited.url, [['asker', 'MEMBER']]);
    const created = await graphql(
      limited.url,
      'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
      { i: { name: 'Bee at the limit', scopes: ['bee:chat'] } },
      people.asker,
    );
    const key = created.data.createApiKey.key as string;
    const list = async () =>
      (await graphql(limited.url, '{ conversations(first: 200) { nodes { id } } }', {}, people.asker)).data
        .conversations.nodes as unknown[];
    const before = (await list()).length;
    // All but one request of the key's budget: the conversation is started with the last, the message then refused.
    for (let i = 0; i < LIMIT - 1; i++) {
      const spent = await graphql(limited.url, '{ conversations(first: 1) { nodes { id } } }', {}, key);
      expect(spent.errors).toBeUndefined();
    }
    const response = await post(limited, { message: QUESTION }, key);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as any).error).toMatchObject({
      code: 'RATE_LIMITED',
      request_id: expect.any(String),
    });
    expect((await list()).length).toBe(before);
    // Deleting it spent nothing and gave nothing back: the key is still refused.
    const after = await graphql(limited.url, '{ conversations(first: 1) { nodes { id } } }', {}, key);
    expect(after.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  }, 120_000);
});
