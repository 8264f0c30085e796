// A passage of a document's text, in reading order. Jar and document ids point into honey-jars by value only:
// each subgraph owns its tables, so there is no foreign key across the line.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Chunk = defineEntity({
  name: 'Chunk',
  tableName: 'chunk',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    honeyJarId: p.uuid().index(),
    documentId: p.uuid(),
    ordinal: p.integer(),
    text: p.text(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  uniques: [{ properties: ['documentId', 'ordinal'] }],
});

export type Chunk = InferEntity<typeof Chunk>;
