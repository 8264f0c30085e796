// Bee in the distributed topology: chat runs as its own service and reaches knowledge's search and honey-jars over
// HTTP with the person's delegated assertion, so the owner of a private jar gets its fact and another person none;
// its subscriptions hold that assertion too, so messageAdded checks an answer's citations as the subscriber.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import {
  askBee,
  createBeeKey,
  createJar,
  createPeople,
  sendMessage,
  startConversation,
  uploadDocuments,
  watchNextAnswer,
} from './bee-journey.ts';

let it_: IntegrationPlatform;
let tokens: Record<string, string>;
let jar: string;

beforeAll(async () => {
  it_ = await startIntegrationPlatform('distributed', { chromaUrl: process.env.CHROMA_URL });
  ({ tokens } = await createPeople(it_.url, [
    ['owner', 'MEMBER'],
    ['other', 'MEMBER'],
  ]));
  jar = await createJar(it_.url, tokens.owner, 'Queen records', 'PRIVATE');
  await uploadDocuments(it_.url, tokens.owner, jar, [
    {
      name: 'queens.md',
      title: 'Queen log',
      text: '# Queens\n\nThe marsh apiary queen was replaced on 14 March 2026.\n',
    },
  ]);
}, 120_000);

afterAll(async () => {
  await it_?.stop();
});

describe('Bee across services', () => {
  it('answers the owner from the private jar and tells another person nothing of it', async () => {
    const q = 'When was the marsh apiary queen replaced?';
    const mine = (await askBee(it_.url, tokens.owner, q)).answer;
    expect(mine).toMatchObject({ status: 'COMPLETE' });
    expect(mine.text).toContain('14 March 2026');
    expect(mine.citations[0]).toMatchObject({
      index: 1,
      document: { title: 'Queen log' },
      honeyJar: { id: jar, name: 'Queen records' },
    });

    const theirs = (await askBee(it_.url, tokens.other, q, [jar])).answer;
    expect(theirs.status).toBe('COMPLETE');
    expect(JSON.stringify(theirs)).not.toContain('14 March');
    expect(theirs.citations).toEqual([]);
  });

  it("delivers the owner's answer on messageAdded with its citations, and withholds it from a key restricted to another jar", async () => {
    const conversationId = await startConversation(it_.url, tokens.owner);
    const elsewhere = await createJar(it_.url, tokens.owner, 'Swarm records', 'PRIVATE');
    const ownerSees = watchNextAnswer(it_.url, tokens.owner, conversationId);
    const keySees = watchNextAnswer(
      it_.url,
      await createBeeKey(it_.url, tokens.owner, [elsewhere]),
      conversationId,
    );
    await new Promise((r) => setTimeout(r, 500));
    await sendMessage(it_.url, tokens.owner, conversationId, 'When was the marsh apiary queen replaced?');

    const mine = (await ownerSees.received()).added;
    expect(mine).toMatchObject({ withheld: null, citations: [{ honeyJar: { id: jar } }] });
    expect(mine.text).toContain('14 March 2026');
    const theirs = await keySees.received();
    expect(theirs.added).toMatchObject({ id: mine.id, withheld: 'NO_ACCESS', citations: [] });
    expect(theirs.packets).toEqual([
      {
        __typename: 'MessageCompleted',
        message: expect.objectContaining({ id: mine.id, withheld: 'NO_ACCESS' }),
      },
    ]);
    expect(JSON.stringify(theirs)).not.toContain('14 March');
    await ownerSees.close();
    await keySees.close();
  });
});
