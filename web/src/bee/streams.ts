// Bee's answers as they stream: the text and citations received so far for each message being written, folded
// from the messageStream packets. Pure, so the component test can drive it packet by packet.
import type { MessageFieldsFragment, MessageStreamSubscription } from '../gql/graphql';

type Citation = MessageFieldsFragment['citations'][number];
export type StreamPacket = MessageStreamSubscription['messageStream'];

export interface LiveAnswer {
  text: string;
  citations: Citation[];
  failure?: { code: string; message: string; requestId: string };
  done: boolean;
}

export type LiveAnswers = Readonly<Record<string, LiveAnswer>>;

const empty: LiveAnswer = { text: '', citations: [], done: false };

export function foldPacket(answers: LiveAnswers, packet: StreamPacket): LiveAnswers {
  switch (packet.__typename) {
    case 'MessageDelta': {
      const current = answers[packet.messageId] ?? empty;
      return { ...answers, [packet.messageId]: { ...current, text: current.text + packet.text } };
    }
    case 'MessageCitation': {
      const current = answers[packet.messageId] ?? empty;
      const citations = [...current.citations.filter((c) => c.index !== packet.index), packet.citation];
      citations.sort((a, b) => a.index - b.index);
      return { ...answers, [packet.messageId]: { ...current, citations } };
    }
    case 'MessageSnapshot': {
      // The text so far of an answer that began before this stream opened: it holds every delta received before it.
      const current = answers[packet.messageId] ?? empty;
      if (current.done) return answers;
      const citations = [...packet.citations].sort((a, b) => a.index - b.index);
      return { ...answers, [packet.messageId]: { ...current, text: packet.text, citations } };
    }
    case 'MessageCompleted': {
      const { message } = packet;
      return {
        ...answers,
        [message.id]: { text: message.text, citations: [...message.citations], done: true },
      };
    }
    case 'MessageFailed': {
      const current = answers[packet.messageId] ?? empty;
      const failure = { code: packet.code, message: packet.reason, requestId: packet.requestId };
      return { ...answers, [packet.messageId]: { ...current, failure, done: true } };
    }
    default:
      return answers;
  }
}

/** Whether Bee is still writing an answer in the conversation (the next question waits for it). */
export function isAnswering(
  messages: readonly Pick<MessageFieldsFragment, 'id' | 'role' | 'status'>[],
  live: LiveAnswers,
): boolean {
  return messages.some((m) => m.role === 'ASSISTANT' && m.status === 'STREAMING' && !live[m.id]?.done);
}
