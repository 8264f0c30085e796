// Conversation and Message rows in the `chat` schema. Owners and authors are identity-subgraph user ids, kept
// as plain strings: no foreign key crosses a subgraph line.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { MessageRoles, MessageStatuses } from '../domain/message-role.ts';
import type { StoredCitation } from '../domain/bee/citations.ts';

export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversation',
  indexes: [{ properties: ['ownerId', 'updatedAt'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    title: p.string().length(200),
    ownerId: p.string().length(64),
    /** The honey jars Bee searches for this conversation; null means every jar the owner may read. */
    honeyJarIds: p.json<string[]>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Message = defineEntity({
  name: 'Message',
  tableName: 'message',
  indexes: [{ properties: ['conversation', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade'),
    role: p.enum(MessageRoles),
    text: p.text(),
    authorId: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // Bee's answers: how far they got, what they cite and what they cost. A person's message is COMPLETE.
    status: p.enum(MessageStatuses).default('COMPLETE'),
    /** The person's message an answer replies to. */
    replyToId: p.uuid().nullable(),
    citations: p
      .json<StoredCitation[]>()
      .defaultRaw(`'[]'`)
      .onCreate(() => []),
    /** Bee's answers: the documents of every passage the answer was written from (MessageView.sources). */
    sourceDocumentIds: p
      .json<string[]>()
      .defaultRaw(`'[]'`)
      .onCreate(() => []),
    provider: p.string().length(40).nullable(),
    model: p.string().length(200).nullable(),
    tokensIn: p.integer().nullable(),
    tokensOut: p.integer().nullable(),
    timeToFirstTokenMs: p.integer().nullable(),
    totalTimeMs: p.integer().nullable(),
    errorCode: p.string().length(40).nullable(),
    /**
     * A STREAMING answer: until when the process writing it vouches for it (it renews this while it writes). Past
     * it, nobody is writing the answer any more (domain/bee/abandoned.ts). Indexed for STREAMING rows only.
     */
    leaseUntil: p.datetime().nullable(),
    /**
     * Bee's answers: which run of the writer owns the answer, 1 for the first and one more for each regenerate. A
     * writer stores (and renews its lease) only while the answer is STREAMING with its own generation, so one that
     * outlived its lease cannot write over the run that took the answer over (domain/bee/answer.ts).
     */
    generation: p.integer().default(1),
    /**
     * Bee's answers: whose access the latest run was written with (cited-access.ts `askedAs`). While an answer is
     * being written it has no stored sources to check, so a key restricted to some jars counts it as one it may
     * read only when it is written with the key's own access (domain/answers.ts). Null for older answers.
     */
    askedAs: p.text().nullable(),
  },
});

export type ConversationRow = InferEntity<typeof Conversation>;
export type MessageRow = InferEntity<typeof Message>;
export const entities = [Conversation, Message];
