// What the chat subgraph publishes on the event bus (topic `Topics.chat.messageAdded` in kit's registry).
// Payloads are JSON, so dates travel as ISO strings.
import type { StoredCitation } from './bee/citations.ts';
import type { MessageRole, MessageStatus } from './message-role.ts';

/** A message as resolvers and subscribers see it: from a stored row or from a bus event alike. */
export interface MessageView {
  id: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  authorId: string | null;
  createdAt: Date | string;
  status: MessageStatus;
  replyToId: string | null;
  citations: StoredCitation[];
  /**
   * Bee's answers: the documents of every passage the answer was written from, cited or not (a model's words can
   * draw on any of them). A reader must still be able to read each to see the answer.
   */
  sources: string[];
  provider: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  timeToFirstTokenMs: number | null;
  totalTimeMs: number | null;
  errorCode: string | null;
}

export interface ConversationView {
  id: string;
  title: string;
  ownerId: string;
  honeyJarIds: string[] | null;
  createdAt: Date;
  updatedAt: Date;
}
