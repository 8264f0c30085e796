// A deleted person's conversations on identity's user.deleted event, against a real database: theirs go with
// their messages, everyone else's stay; over Redis, also when the person was deleted while no chat service ran
// (chat consumes the topic as a consumer group, from the topic's stream).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEvent, createSubgraphRuntime, RedisEventBus, Topics } from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { Conversation, Message } from '../src/entities/index.ts';
import { deleteConversationsOf } from '../src/domain/deleted-people.ts';
import { buildConversation, buildMessage, buildViewer, startChat, type ChatHarness } from './harness.ts';

let t: ChatHarness;
beforeAll(async () => {
  t = await startChat();
  await subgraph.onStart!(t.runtime);
});
afterAll(async () => {
  await t.close();
});

describe('user.deleted in chat', () => {
  it('deletes the person’s conversations and their messages, and no one else’s', async () => {
    const leaver = buildViewer();
    const stayer = buildViewer();
    const mine = await buildConversation(t.runtime, leaver, 'Mine');
    await buildMessage(t.runtime, mine, 'a question');
    await buildConversation(t.runtime, leaver, 'Also mine');
    const theirs = await buildConversation(t.runtime, stayer, 'Theirs');
    await buildMessage(t.runtime, theirs, 'kept');

    await t.runtime.bus.publish(
      Topics.identity.userDeleted,
      createEvent(
        Topics.identity.userDeleted,
        { userId: leaver.id, honeyJars: 'DELETE' },
        { source: 'identity' },
      ),
    );
    await waitFor(async () => (await t.em().count(Conversation, { ownerId: leaver.id })) === 0);
    expect(await t.em().count(Message, { conversation: mine.id })).toBe(0);
    expect(await t.em().count(Conversation, { id: theirs.id })).toBe(1);
    expect(await t.em().count(Message, { conversation: theirs.id })).toBe(1);
  });

  it('changes nothing for a person without conversations, or the same event twice', async () => {
    const leaver = buildViewer();
    await buildConversation(t.runtime, leaver);
    expect(await deleteConversationsOf(t.em(), t.runtime, leaver.id)).toBe(1);
    expect(await deleteConversationsOf(t.em(), t.runtime, leaver.id)).toBe(0);
  });
});

describe('user.deleted while chat is down (Redis)', () => {
  it('removes the person’s conversations once chat starts again', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `test-chat-deleted-${randomUUID()}:`;
    const identity = new RedisEventBus(redisUrl, { prefix });
    const chat = await startChat(new RedisEventBus(redisUrl, { prefix }));
    /** A chat process on the harness's database, with its own bus connection, following user.deleted. */
    const startProcess = async () => {
      const bus = new RedisEventBus(redisUrl, { prefix });
      const runtime = createSubgraphRuntime(subgraph, {
        orm: chat.orm,
        bus,
        logger: chat.runtime.logger,
        config: {} as never,
      });
      await subgraph.onStart!(runtime);
      return async () => {
        for (const hook of runtime.stopHooks.splice(0).reverse()) await hook();
        await runtime.outbox.stop();
        await bus.close();
      };
    };
    let stop: (() => Promise<void>) | undefined;
    try {
      stop = await startProcess();
      const leaver = buildViewer();
      await buildConversation(chat.runtime, leaver, 'Mine');
      await stop();
      stop = undefined;

      await identity.publish(
        Topics.identity.userDeleted,
        createEvent(
          Topics.identity.userDeleted,
          { userId: leaver.id, honeyJars: 'DELETE' },
          { source: 'identity' },
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await chat.em().count(Conversation, { ownerId: leaver.id })).toBe(1);

      stop = await startProcess();
      await waitFor(async () => (await chat.em().count(Conversation, { ownerId: leaver.id })) === 0);
    } finally {
      await stop?.();
      await identity.close();
      await chat.close();
    }
  });
});
