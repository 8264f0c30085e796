// A passage of a document's text, in reading order, with where it sits in the document. Jar and document ids
// point into other tables by value only. `search_vector` (title > headings > text, GIN-indexed) is a generated
// column that only the migration and the keyword query know about.
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
    documentTitle: p.string().length(300).default(''),
    fileType: p.string().length(100).default(''),
    documentVersion: p.integer().default(1),
    ordinal: p.integer(),
    text: p.text(),
    headingPath: p.array().default([]),
    /** The heading path joined for the keyword index. */
    headingText: p.text().default(''),
    page: p.integer().nullable(),
    slide: p.integer().nullable(),
    sheet: p.string().length(200).nullable(),
    charStart: p.integer().default(0),
    charEnd: p.integer().default(0),
    /** A hash of what the chunk says and where: changes whenever its content does (answer caches key on it). */
    version: p.string().length(64).default(''),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    /** Words the text writes with a capital and never in lower case (written-case.ts); null: not read yet. */
    capitalisedWords: p.text().nullable(),
    /** Those of them written with a capital within a sentence. */
    namedWords: p.text().nullable(),
  },
  uniques: [{ properties: ['documentId', 'ordinal'] }],
});

export type Chunk = InferEntity<typeof Chunk>;
