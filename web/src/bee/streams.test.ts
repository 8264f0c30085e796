// Bee's answer as the page sees it while it streams: deltas appended in order, citations kept by index (a repeat
// replaces), a snapshot of the text so far replacing what came before it, the stored message winning at the end,
// and a failure kept with its request id.
import { describe, expect, it } from '@jest/globals';
import { foldPacket, isAnswering, type LiveAnswers, type StreamPacket } from './streams';

const citation = (index: number, title: string) => ({
  __typename: 'Citation' as const,
  index,
  chunkId: `chunk-${index}`,
  page: index,
  quote: `quote ${index}`,
  document: { __typename: 'CitedDocument' as const, id: `doc-${index}`, title },
  honeyJar: { __typename: 'CitedHoneyJar' as const, id: 'jar', name: 'Jar' },
});

const fold = (packets: StreamPacket[]): LiveAnswers => packets.reduce(foldPacket, {});

describe('foldPacket', () => {
  it('appends deltas and sorts citations by index, per message', () => {
    const answers = fold([
      { __typename: 'MessageDelta', messageId: 'm1', text: 'Bees keep the brood ' },
      { __typename: 'MessageCitation', messageId: 'm1', index: 2, citation: citation(2, 'B') },
      { __typename: 'MessageDelta', messageId: 'm2', text: 'Other' },
      { __typename: 'MessageDelta', messageId: 'm1', text: 'at 35 °C [1][2].' },
      { __typename: 'MessageCitation', messageId: 'm1', index: 1, citation: citation(1, 'A') },
      { __typename: 'MessageCitation', messageId: 'm1', index: 2, citation: citation(2, 'B again') },
    ] as StreamPacket[]);
    expect(answers.m1.text).toBe('Bees keep the brood at 35 °C [1][2].');
    expect(answers.m1.citations.map((c) => [c.index, c.document.title])).toEqual([
      [1, 'A'],
      [2, 'B again'],
    ]);
    expect(answers.m1.done).toBe(false);
    expect(answers.m2.text).toBe('Other');
  });

  it('replaces what a stream opened mid-answer received with the text so far, then appends the deltas after it', () => {
    const answers = fold([
      // Deltas sent after this page subscribed, before the writer heard of it: the snapshot holds them too.
      { __typename: 'MessageDelta', messageId: 'm1', text: ' at 35 °C' },
      {
        __typename: 'MessageSnapshot',
        messageId: 'm1',
        text: 'Bees keep the brood at 35 °C',
        citations: [citation(2, 'B'), citation(1, 'A')],
      },
      { __typename: 'MessageDelta', messageId: 'm1', text: ' [1][2].' },
    ] as StreamPacket[]);
    expect(answers.m1.text).toBe('Bees keep the brood at 35 °C [1][2].');
    expect(answers.m1.citations.map((c) => c.index)).toEqual([1, 2]);
    // A snapshot arriving after the end changes nothing.
    const ended = foldPacket(
      fold([
        { __typename: 'MessageFailed', messageId: 'm2', code: 'X', reason: 'r', requestId: 'q' },
      ] as StreamPacket[]),
      { __typename: 'MessageSnapshot', messageId: 'm2', text: 'late', citations: [] } as StreamPacket,
    );
    expect(ended.m2.text).toBe('');
  });

  it('takes the stored message as final when the answer completes', () => {
    const answers = fold([
      { __typename: 'MessageDelta', messageId: 'm1', text: 'partial' },
      {
        __typename: 'MessageCompleted',
        message: {
          __typename: 'Message',
          id: 'm1',
          text: 'The full answer [1].',
          citations: [citation(1, 'A')],
        },
      },
    ] as StreamPacket[]);
    expect(answers.m1).toMatchObject({ text: 'The full answer [1].', done: true });
    expect(answers.m1.citations).toHaveLength(1);
  });

  it('keeps what was written and the failure with its request id', () => {
    const answers = fold([
      { __typename: 'MessageDelta', messageId: 'm1', text: 'Half an' },
      {
        __typename: 'MessageFailed',
        messageId: 'm1',
        code: 'MODEL_TIMEOUT',
        reason: 'Bee took too long',
        requestId: 'r-9',
      },
    ] as StreamPacket[]);
    expect(answers.m1).toMatchObject({
      text: 'Half an',
      done: true,
      failure: { code: 'MODEL_TIMEOUT', message: 'Bee took too long', requestId: 'r-9' },
    });
  });
});

describe('isAnswering', () => {
  const question = { id: 'q', role: 'USER' as const, status: 'COMPLETE' as const };
  const answer = { id: 'a', role: 'ASSISTANT' as const, status: 'STREAMING' as const };
  it('holds the next question while an answer is being written, until it ends live or as stored', () => {
    expect(isAnswering([question, answer], {})).toBe(true);
    expect(isAnswering([question, answer], { a: { text: 'Twelve', citations: [], done: false } })).toBe(true);
    expect(isAnswering([question, answer], { a: { text: 'Twelve', citations: [], done: true } })).toBe(false);
    expect(isAnswering([question, { ...answer, status: 'CANCELLED' }], {})).toBe(false);
    expect(isAnswering([question], {})).toBe(false);
  });
});
