// Per-request DataLoaders: conversations and messages by id, a page of a conversation's messages (its oldest or
// newest, optionally before one of them) and how many it holds, each one query per tick however many
// conversations a response lists.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation, Message, type ConversationRow, type MessageRow } from './entities/index.ts';
import { isId } from './domain/validation.ts';

export interface ChatLoaders {
  conversation: DataLoader<string, ConversationRow | null>;
  message: DataLoader<string, MessageRow | null>;
  messages: DataLoader<MessagesKey, MessageRow[], string>;
  messageCount: DataLoader<string, number>;
}

/** A page of one conversation's messages: `count` from its oldest or `newest` end, older than `before` if given. */
export interface MessagesKey {
  conversationId: string;
  count: number;
  newest: boolean;
  /** A message of the conversation, already checked. */
  before: string | null;
}

export function createChatLoaders(em: EntityManager): ChatLoaders {
  return {
    conversation: new DataLoader(async (ids) =>
      byId(await em.find(Conversation, { id: ids.filter(isId) }), ids),
    ),
    message: new DataLoader(async (ids) => byId(await em.find(Message, { id: ids.filter(isId) }), ids)),
    messages: new DataLoader(async (keys) => messagePages(em, keys), {
      cacheKeyFn: (key) => `${key.conversationId}:${key.count}:${key.newest}:${key.before ?? ''}`,
    }),
    messageCount: new DataLoader(async (ids) => {
      const wanted = [...new Set(ids.filter(isId))];
      const rows = wanted.length
        ? await em
            .getConnection()
            .execute<{ conversation_id: string; n: string }[]>(
              `select conversation_id, count(*) as n from ${messageTable(em)} where conversation_id in (?) group by conversation_id`,
              [wanted],
            )
        : [];
      const counts = new Map(rows.map((row) => [row.conversation_id, Number(row.n)]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}

const messageTable = (em: EntityManager) => `"${em.config.get('schema')}"."message"`;

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

/**
 * Each key's page, oldest first, ranked in SQL so no conversation loads its whole history: one statement per
 * distinct (end, before) among the keys, each covering every conversation that asks for it.
 */
async function messagePages(em: EntityManager, keys: readonly MessagesKey[]): Promise<MessageRow[][]> {
  const groups = new Map<string, MessagesKey[]>();
  for (const key of keys) {
    if (!isId(key.conversationId)) continue;
    const name = `${key.newest}:${key.before ?? ''}`;
    groups.set(name, [...(groups.get(name) ?? []), key]);
  }
  const pages = new Map<MessagesKey, MessageRow[]>();
  const table = messageTable(em);
  for (const group of groups.values()) {
    const { newest, before } = group[0];
    const ids = [...new Set(group.map((k) => k.conversationId))];
    const limit = Math.max(...group.map((k) => k.count));
    const order = newest ? 'desc' : 'asc';
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select * from (
         select m.*, row_number() over (partition by m.conversation_id order by m.created_at ${order}, m.id ${order})
           as position
         from ${table} m where m.conversation_id in (?)
           ${before ? `and (m.created_at, m.id) < (select b.created_at, b.id from ${table} b where b.id = ?)` : ''}
       ) ranked where ranked.position <= ? order by ranked.created_at, ranked.id`,
      [ids, ...(before ? [before] : []), limit],
    );
    const byConversation = new Map<string, { message: MessageRow; position: number }[]>();
    for (const { position, ...row } of rows) {
      const message = em.map(Message, row as never);
      const list = byConversation.get(message.conversation.id) ?? [];
      list.push({ message, position: Number(position) });
      byConversation.set(message.conversation.id, list);
    }
    for (const key of group) {
      const ranked = byConversation.get(key.conversationId) ?? [];
      pages.set(
        key,
        ranked.filter((entry) => entry.position <= key.count).map((entry) => entry.message),
      );
    }
  }
  return keys.map((key) => pages.get(key) ?? []);
}
