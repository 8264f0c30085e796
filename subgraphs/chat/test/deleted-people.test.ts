// A deleted person's conversations on identity's user.deleted event, against a real database: theirs go with
// their messages, everyone else's stay.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createEvent, Topics } from '@sting/kit';
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
