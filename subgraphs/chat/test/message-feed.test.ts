// The live message feed on both real bus implementations: a subscriber receives a sent message, a stranger is
// refused at subscribe time, and ending the subscription frees the bus listener.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { createSubgraphContext, type Viewer } from '@sting/kit';
import { executeAs } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { buildConversation, buildViewer, createBus, startChat, type ChatHarness } from './harness.ts';

const FEED = parse(`subscription ($id: ID!) {
  messageAdded(conversationId: $id) { id conversationId role text author { id } createdAt }
}`);

describe.each(['in-process', 'redis'] as const)('messageAdded on the %s bus', (busKind) => {
  let chat: ChatHarness;
  beforeAll(async () => {
    chat = await startChat(createBus(busKind));
  });
  afterAll(async () => {
    await chat?.close();
  });

  const open = (viewer: Viewer | null, conversationId: string) =>
    subscribe({
      schema: chat.schema,
      document: FEED,
      variableValues: { id: conversationId },
      contextValue: createSubgraphContext(subgraph, chat.runtime, { viewer, requestId: randomUUID() }),
    });

  it('delivers a sent message to a subscriber, then frees the listener on return', async () => {
    const owner = buildViewer();
    const conversation = await buildConversation(chat.runtime, owner);
    const before = chat.runtime.bus.listenerCount();

    const feed = await open(owner, conversation.id);
    if (!(Symbol.asyncIterator in feed)) throw new Error(`expected a feed, got ${JSON.stringify(feed)}`);
    expect(chat.runtime.bus.listenerCount()).toBe(before + 1);

    const next = feed.next();
    const sent = await executeAs<any>(
      chat.schema,
      subgraph,
      chat.runtime,
      owner,
      `mutation ($id: ID!) { sendMessage(conversationId: $id, text: "Is the apiary open today?") { id createdAt } }`,
      { id: conversation.id },
    );
    expect(sent.errors).toBeUndefined();

    const event = (await next) as IteratorResult<ExecutionResult<any>>;
    expect(event.done).toBe(false);
    expect(event.value.errors).toBeUndefined();
    expect(event.value.data.messageAdded).toEqual({
      id: sent.data.sendMessage.id,
      conversationId: conversation.id,
      role: 'USER',
      text: 'Is the apiary open today?',
      author: { id: (owner as any).id },
      createdAt: sent.data.sendMessage.createdAt,
    });
    // Bee's answer follows as the conversation's next message (here FAILED: this runtime has no link to knowledge).
    const answer = (await feed.next()) as IteratorResult<ExecutionResult<any>>;
    expect(answer.value.data.messageAdded).toMatchObject({ role: 'ASSISTANT', author: null });

    const pending = feed.next();
    await feed.return?.();
    // Only Bee's answer-control feed stays: a runtime listens on it from the first answer it writes.
    expect(chat.runtime.bus.listenerCount()).toBe(before + 1);
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('does not deliver messages of other conversations', async () => {
    const owner = buildViewer();
    const watched = await buildConversation(chat.runtime, owner, 'Watched');
    const other = await buildConversation(chat.runtime, owner, 'Other');
    const feed = await open(owner, watched.id);
    if (!(Symbol.asyncIterator in feed)) throw new Error('expected a feed');
    const send = (id: string, text: string) =>
      executeAs(
        chat.schema,
        subgraph,
        chat.runtime,
        owner,
        `mutation ($id: ID!, $t: String!) { sendMessage(conversationId: $id, text: $t) { id } }`,
        { id, t: text },
      );
    const next = feed.next();
    await send(other.id, 'elsewhere');
    await send(watched.id, 'here');
    const event = (await next) as IteratorResult<ExecutionResult<any>>;
    expect(event.value.data.messageAdded.text).toBe('here');
    await feed.return?.();
  });

  it('refuses a viewer who may not read the conversation, without subscribing', async () => {
    const conversation = await buildConversation(chat.runtime, buildViewer());
    const before = chat.runtime.bus.listenerCount();
    const stranger = await open(buildViewer('ADMIN'), conversation.id);
    expect(Symbol.asyncIterator in stranger).toBe(false);
    expect((stranger as ExecutionResult).errors?.[0].originalError?.name).toBe('NotFoundError');
    const anonymous = (await open(null, conversation.id)) as ExecutionResult;
    expect(anonymous.errors?.[0].originalError?.name).toBe('UnauthenticatedError');
    const missing = (await open(buildViewer(), randomUUID())) as ExecutionResult;
    expect(missing.errors?.[0].originalError?.name).toBe('NotFoundError');
    expect(chat.runtime.bus.listenerCount()).toBe(before);
  });
});
