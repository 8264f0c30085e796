// What the chat subgraph publishes on the event bus (topic `Topics.chat.messageAdded` in kit's registry).
// Payloads are JSON, so dates travel as ISO strings.
import type { MessageRole } from './message-role.ts';

/** A message as resolvers and subscribers see it: from a stored row or from a bus event alike. */
export interface MessageView {
  id: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  authorId: string | null;
  createdAt: Date | string;
}

export interface ConversationView {
  id: string;
  title: string;
  ownerId: string;
  createdAt: Date;
  updatedAt: Date;
}
