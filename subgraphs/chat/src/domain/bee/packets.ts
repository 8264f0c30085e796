// What `messageStream` delivers while Bee answers, as published on the conversation's stream topic. Payloads are
// JSON; `__typename` picks the member of the GraphQL union.
import type { MessageView } from '../events.ts';
import type { StoredCitation } from './citations.ts';

export type MessagePacket = (
  | { __typename: 'MessageDelta'; messageId: string; text: string }
  | { __typename: 'MessageCitation'; messageId: string; index: number; citation: StoredCitation }
  | { __typename: 'MessageSnapshot'; messageId: string; text: string; citations: StoredCitation[] }
  | { __typename: 'MessageCompleted'; messageId: string; message: MessageView }
  | { __typename: 'MessageFailed'; messageId: string; code: string; message: string; requestId: string }
) & {
  /**
   * Whose access the answer is written with (cited-access.ts `askedAs`), on every packet its writer sends: a
   * subscriber follows the answer as it is written only when it may read what that access could (`followsAsker`).
   */
  askedAs?: string;
  /**
   * The run of the writer that sent it (the message's `generation`): once a subscriber has seen a regenerated run,
   * packets of an earlier one (a writer that outlived its lease) are not passed on.
   */
  generation?: number;
};
