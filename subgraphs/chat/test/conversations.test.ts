// Conversations and messages through the chat schema, against a real PostgreSQL: starting, sending, reading,
// input validation and who may see what.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Viewer } from '@sting/kit';
import { executeAs } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { Conversation } from '../src/entities/index.ts';
import { buildConversation, buildMessage, buildViewer, startChat, type ChatHarness } from './harness.ts';

let chat: ChatHarness;
const run = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  executeAs<any>(chat.schema, subgraph, chat.runtime, viewer, query, variables);

const START = `mutation ($title: String) { startConversation(title: $title) { id title owner { id } createdAt messages { id } } }`;
const SEND = `mutation ($id: ID!, $text: String!) {
  sendMessage(conversationId: $id, text: $text) { id conversationId role text author { id } createdAt }
}`;
const READ = `query ($id: ID!, $first: Int) {
  conversation(id: $id) { id title updatedAt messages(first: $first) { text role author { id } } }
}`;

beforeAll(async () => {
  chat = await startChat();
});
afterAll(async () => {
  await chat?.close();
});

describe('startConversation', () => {
  it('starts a conversation owned by the viewer, titled by default', async () => {
    const viewer = buildViewer('VIEWER');
    const { data, errors } = await run(viewer, START);
    expect(errors).toBeUndefined();
    expect(data.startConversation).toMatchObject({
      title: 'New conversation',
      owner: { id: (viewer as any).id },
    });
    expect(data.startConversation.messages).toEqual([]);
    expect(new Date(data.startConversation.createdAt).toISOString()).toBe(data.startConversation.createdAt);
  });

  it('keeps a given title, trimmed', async () => {
    const { data } = await run(buildViewer(), START, { title: '  Pollination schedule ' });
    expect(data.startConversation.title).toBe('Pollination schedule');
  });

  it.each([
    ['empty', '   '],
    ['invisible (zero-width spaces)', '\u200b \u200b'],
    ['too long', 'x'.repeat(201)],
    ['with a control character', 'Hive\u0008 notes'],
    ['with a text-direction override', 'Hive \u202enotes'],
  ])('rejects a title that is %s', async (_case, title) => {
    const { data, errors } = await run(buildViewer(), START, { title });
    expect(data).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
  });

  it('accepts a 200-character title counted in characters', async () => {
    const title = '🐝'.repeat(200);
    const { data, errors } = await run(buildViewer(), START, { title });
    expect(errors).toBeUndefined();
    expect(data.startConversation.title).toBe(title);
  });

  it('requires a signed-in person', async () => {
    const { errors } = await run(null, START);
    expect(errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const system = await run({ kind: 'system' }, START);
    expect(system.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('sendMessage', () => {
  it("stores the user turn, authored by the viewer, and lists it in the conversation before Bee's answer", async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const sent = await run(owner, SEND, { id: conversation.id, text: 'How many hives survived winter?' });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMessage).toMatchObject({
      conversationId: conversation.id,
      role: 'USER',
      text: 'How many hives survived winter?',
      author: { id: (owner as any).id },
    });

    const read = await run(owner, READ, { id: conversation.id });
    expect(read.data.conversation.messages[0]).toEqual({
      text: 'How many hives survived winter?',
      role: 'USER',
      author: { id: (owner as any).id },
    });
    expect(read.data.conversation.messages[1]).toMatchObject({ role: 'ASSISTANT', author: null });
    // Sending bumps the conversation's activity so it rises to the top of the list.
    expect(read.data.conversation.updatedAt).toBe(sent.data.sendMessage.createdAt);
  });

  it('names an untitled conversation after its first question, and only then', async () => {
    const owner = buildViewer();
    const untitled = (await run(owner, START)).data.startConversation.id;
    const question = `What did   the\nspring inspection find in the north apiary's hives, and who signed it?`;
    await run(owner, SEND, { id: untitled, text: question });
    const named = (await run(owner, READ, { id: untitled })).data.conversation.title;
    expect(named).toBe("What did the spring inspection find in the north apiary's…");
    // Later questions, and a conversation given its own title, keep their title.
    await run(owner, SEND, { id: untitled, text: 'And in the south apiary?' });
    expect((await run(owner, READ, { id: untitled })).data.conversation.title).toBe(named);
    const titled = await buildConversation(chat.runtime, owner, 'Spring inspection');
    await run(owner, SEND, { id: titled.id, text: question });
    expect((await run(owner, READ, { id: titled.id })).data.conversation.title).toBe('Spring inspection');
    // What may not be in a title is left out of one made from a question.
    const odd = (await run(owner, START)).data.startConversation.id;
    await run(owner, SEND, { id: odd, text: 'Who \u202eleads\u202c the\u0007 team?' });
    expect((await run(owner, READ, { id: odd })).data.conversation.title).toBe('Who leads the team?');
    // A short question is the title as asked.
    const short = (await run(owner, START)).data.startConversation.id;
    await run(owner, SEND, { id: short, text: '  Who leads the hive team? ' });
    expect((await run(owner, READ, { id: short })).data.conversation.title).toBe('Who leads the hive team?');
  });

  it('answers someone who does not own the conversation as if it did not exist, and writes nothing', async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const unknownId = randomUUID();
    const missing = await run(owner, SEND, { id: unknownId, text: 'anyone there?' });
    expect(missing.errors?.[0].message).toBe(`Conversation ${unknownId} was not found`);
    for (const intruder of [buildViewer('MEMBER'), buildViewer('ADMIN')]) {
      const { data, errors } = await run(intruder, SEND, { id: conversation.id, text: 'let me in' });
      expect(data).toBeNull();
      expect(errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // The same answer as for a conversation that does not exist, so the id confirms nothing.
      expect(errors?.[0].message).toBe(`Conversation ${conversation.id} was not found`);
    }
    const read = await run(owner, READ, { id: conversation.id });
    expect(read.data.conversation.messages).toEqual([]);
  });

  it.each([
    ['empty', ' \n '],
    ['invisible (a zero-width space and a byte-order mark)', '\u200b\ufeff'],
    ['longer than 8000 characters', 'a'.repeat(8001)],
  ])('rejects text that is %s', async (_case, text) => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const { errors } = await run(owner, SEND, { id: conversation.id, text });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const read = await run(owner, READ, { id: conversation.id });
    expect(read.data.conversation.messages).toEqual([]);
  });

  it('accepts exactly 8000 characters', async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const { data, errors } = await run(owner, SEND, { id: conversation.id, text: 'b'.repeat(8000) });
    expect(errors).toBeUndefined();
    expect(data.sendMessage.text).toHaveLength(8000);
  });

  it('answers NOT_FOUND for a conversation that does not exist', async () => {
    for (const id of ['7d1f0a4e-7c35-4b8e-9f61-2a8c1e0b9d55', 'not-a-uuid']) {
      const { errors } = await run(buildViewer(), SEND, { id, text: 'hello?' });
      expect(errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });
});

describe('reading conversations', () => {
  it('lists only the viewer’s own conversations, most recently active first', async () => {
    const owner = buildViewer();
    const older = await buildConversation(chat.runtime, owner, 'Older');
    const newer = await buildConversation(chat.runtime, owner, 'Newer');
    await buildConversation(chat.runtime, buildViewer(), 'Someone else’s');
    await run(owner, SEND, { id: older.id, text: 'bring this one back up' });

    const { data } = await run(owner, `{ conversations { nodes { id title } } }`);
    expect(data.conversations.nodes).toEqual([
      { id: older.id, title: 'Older' },
      { id: newer.id, title: 'Newer' },
    ]);
  });

  it('pages through many conversations, those active at the same instant included, each once', async () => {
    const owner = buildViewer();
    const made: { id: string; at: number }[] = [];
    const t0 = Date.now() - 3_600_000;
    for (let i = 0; i < 7; i++) {
      const c = await buildConversation(chat.runtime, owner, `C${i}`);
      const at = new Date(t0 + Math.floor(i / 2) * 1000);
      const em = chat.runtime.orm.em.fork();
      await em.nativeUpdate(Conversation, { id: c.id }, { updatedAt: at });
      made.push({ id: c.id, at: at.getTime() });
    }
    const expected = made.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1)).map((c) => c.id);
    const PAGE = `query ($after: String) { conversations(first: 3, after: $after) {
      nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const { data, errors } = await run(owner, PAGE, { after });
      expect(errors).toBeUndefined();
      seen.push(...data.conversations.nodes.map((n: { id: string }) => n.id));
      if (!data.conversations.pageInfo.hasNextPage) break;
      after = data.conversations.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    for (const [first, cursor] of [
      [0, null],
      [201, null],
      [3, 'nope'],
    ] as const) {
      const bad = await run(
        owner,
        `query ($f: Int, $a: String) { conversations(first: $f, after: $a) { nodes { id } } }`,
        {
          f: first,
          a: cursor,
        },
      );
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('hides a conversation from anyone but its owner', async () => {
    const conversation = await buildConversation(chat.runtime, buildViewer());
    const other = await run(buildViewer('ADMIN'), READ, { id: conversation.id });
    expect(other).toEqual({ data: { conversation: null }, errors: undefined });
    const anonymous = await run(null, READ, { id: conversation.id });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const list = await run(null, `{ conversations { nodes { id } } }`);
    expect(list.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers null for an unknown id', async () => {
    const { data, errors } = await run(buildViewer(), READ, { id: 'b3c2a1f0-0000-4000-8000-000000000000' });
    expect(errors).toBeUndefined();
    expect(data.conversation).toBeNull();
  });

  it('returns the first messages oldest first, per conversation, in one response', async () => {
    const owner = buildViewer();
    const a = await buildConversation(chat.runtime, owner, 'A');
    const b = await buildConversation(chat.runtime, owner, 'B');
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 4; i++) await buildMessage(chat.runtime, a, `a${i}`, new Date(t0 + i * 1000));
    for (let i = 0; i < 2; i++) await buildMessage(chat.runtime, b, `b${i}`, new Date(t0 + i * 1000));

    const { data, errors } = await run(
      owner,
      `{ conversations { nodes { title messages(first: 3) { text } } } }`,
    );
    expect(errors).toBeUndefined();
    const byTitle = Object.fromEntries(
      data.conversations.nodes.map((c: any) => [c.title, c.messages.map((m: any) => m.text)]),
    );
    expect(byTitle).toEqual({ A: ['a0', 'a1', 'a2'], B: ['b0', 'b1'] });

    const bad = await run(owner, READ, { id: a.id, first: 0 });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('opens a long conversation at its newest messages and pages back before the oldest one shown', async () => {
    const owner = buildViewer();
    const long = await buildConversation(chat.runtime, owner, 'Long');
    const other = await buildConversation(chat.runtime, owner, 'Other');
    const t0 = Date.now() - 600_000;
    // Two of them at the same instant: the id orders them, and paging neither skips nor repeats one.
    const times = [0, 1, 2, 3, 3, 4, 5].map((s) => new Date(t0 + s * 1000));
    const ids: string[] = [];
    for (const [i, at] of times.entries()) ids.push((await buildMessage(chat.runtime, long, `m${i}`, at)).id);
    const otherMessage = await buildMessage(chat.runtime, other, 'elsewhere', new Date(t0));
    const order = ids
      .map((id, i) => ({ id, at: times[i].getTime() }))
      .sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1))
      .map((m) => m.id);

    const PAGE = `query ($id: ID!, $last: Int, $before: ID) {
      conversation(id: $id) { messageCount messages(last: $last, before: $before) { id } } }`;
    const pages: string[][] = [];
    let before: string | null = null;
    for (;;) {
      const { data, errors } = await run(owner, PAGE, { id: long.id, last: 3, before });
      expect(errors).toBeUndefined();
      expect(data.conversation.messageCount).toBe(7);
      const page = data.conversation.messages.map((m: { id: string }) => m.id);
      if (page.length === 0) break;
      pages.unshift(page);
      before = page[0];
    }
    expect(pages.map((p) => p.length)).toEqual([1, 3, 3]);
    expect(pages.flat()).toEqual(order);

    const both = await run(
      owner,
      `query ($id: ID!) { conversation(id: $id) { messages(first: 2, last: 2) { id } } }`,
      {
        id: long.id,
      },
    );
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    for (const mark of [otherMessage.id, randomUUID(), 'not-an-id']) {
      const wrong = await run(owner, PAGE, { id: long.id, last: 3, before: mark });
      expect(wrong.errors?.[0]).toMatchObject({
        message: 'before is not a message of this conversation',
        extensions: { code: 'BAD_USER_INPUT', field: 'before' },
      });
    }
  });

  it('resolves Conversation and Message references for the owner only', async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner, 'Referenced');
    const message = await buildMessage(chat.runtime, conversation, 'by reference');
    const query = `query ($reps: [_Any!]!) {
      _entities(representations: $reps) { ... on Conversation { title } ... on Message { text conversationId } }
    }`;
    const reps = [
      { __typename: 'Conversation', id: conversation.id },
      { __typename: 'Message', id: message.id },
    ];
    const mine = await run(owner, query, { reps });
    expect(mine.errors).toBeUndefined();
    expect(mine.data._entities).toEqual([
      { title: 'Referenced' },
      { text: 'by reference', conversationId: conversation.id },
    ]);
    const theirs = await run(buildViewer(), query, { reps });
    expect(theirs).toEqual({ data: { _entities: [null, null] }, errors: undefined });
  });
});
