// Conversation and Message rows in the `chat` schema. Owners and authors are identity-subgraph user ids, kept
// as plain strings: no foreign key crosses a subgraph line.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { MessageRoles } from '../domain/message-role.ts';

export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversation',
  indexes: [{ properties: ['ownerId', 'updatedAt'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    title: p.string().length(200),
    ownerId: p.string().length(64),
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
  },
});

export type ConversationRow = InferEntity<typeof Conversation>;
export type MessageRow = InferEntity<typeof Message>;
export const entities = [Conversation, Message];
