// Per-request DataLoaders: conversations and messages by id, and a conversation's first messages, each one
// query per tick however many conversations a response lists.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation, Message, type ConversationRow, type MessageRow } from './entities/index.ts';
import { isId } from './domain/validation.ts';

export interface ChatLoaders {
  conversation: DataLoader<string, ConversationRow | null>;
  message: DataLoader<string, MessageRow | null>;
  messages: DataLoader<{ conversationId: string; first: number }, MessageRow[], string>;
}

export function createChatLoaders(em: EntityManager): ChatLoaders {
  return {
    conversation: new DataLoader(async (ids) =>
      byId(await em.find(Conversation, { id: ids.filter(isId) }), ids),
    ),
    message: new DataLoader(async (ids) => byId(await em.find(Message, { id: ids.filter(isId) }), ids)),
    messages: new DataLoader(async (keys) => firstMessages(em, keys), {
      cacheKeyFn: (key) => `${key.conversationId}:${key.first}`,
    }),
  };
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

/** The oldest `first` messages of each conversation, ranked in SQL so no conversation loads its whole history. */
async function firstMessages(
  em: EntityManager,
  keys: readonly { conversationId: string; first: number }[],
): Promise<MessageRow[][]> {
  const ids = [...new Set(keys.map((k) => k.conversationId).filter(isId))];
  const limit = Math.max(0, ...keys.map((k) => k.first));
  const byConversation = new Map<string, MessageRow[]>();
  if (ids.length > 0) {
    const table = `"${em.config.get('schema')}"."message"`;
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select * from (
         select m.*, row_number() over (partition by m.conversation_id order by m.created_at, m.id) as position
         from ${table} m where m.conversation_id in (?)
       ) ranked where ranked.position <= ? order by ranked.created_at, ranked.id`,
      [ids, limit],
    );
    for (const { position: _position, ...row } of rows) {
      const message = em.map(Message, row as never);
      const list = byConversation.get(message.conversation.id) ?? [];
      list.push(message);
      byConversation.set(message.conversation.id, list);
    }
  }
  return keys.map((k) => (byConversation.get(k.conversationId) ?? []).slice(0, k.first));
}
