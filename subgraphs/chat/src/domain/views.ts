// Maps stored rows to the views resolvers return, so a resolver never depends on how a row is loaded.
import type { ConversationRow, MessageRow } from '../entities/conversation.ts';
import type { ConversationView, MessageView } from './events.ts';

export function toConversationView(row: ConversationRow): ConversationView {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.ownerId,
    honeyJarIds: row.honeyJarIds ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation.id,
    role: row.role,
    text: row.text,
    authorId: row.authorId ?? null,
    createdAt: row.createdAt,
    status: row.status,
    replyToId: row.replyToId ?? null,
    citations: Array.isArray(row.citations) ? row.citations : [],
    sources: Array.isArray(row.sourceDocumentIds) ? row.sourceDocumentIds : [],
    provider: row.provider ?? null,
    model: row.model ?? null,
    tokensIn: row.tokensIn ?? null,
    tokensOut: row.tokensOut ?? null,
    timeToFirstTokenMs: row.timeToFirstTokenMs ?? null,
    totalTimeMs: row.totalTimeMs ?? null,
    errorCode: row.errorCode ?? null,
  };
}
