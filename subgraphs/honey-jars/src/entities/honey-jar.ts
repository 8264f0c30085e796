// A honey jar: a knowledge base with an owner, a visibility type and tags. The owner lives in identity, so only
// its id is kept here.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const HoneyJarTypes = ['PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED'] as const;
export type HoneyJarType = (typeof HoneyJarTypes)[number];

export const HoneyJarStatuses = ['ACTIVE', 'ARCHIVED'] as const;
export type HoneyJarStatus = (typeof HoneyJarStatuses)[number];

export const HoneyJar = defineEntity({
  name: 'HoneyJar',
  tableName: 'honey_jar',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.string().length(120),
    description: p.text().nullable(),
    type: p.enum(HoneyJarTypes),
    status: p.enum(HoneyJarStatuses),
    tags: p.array(),
    ownerId: p.uuid().index(),
    /** Knowledge stores and indexes documents of this jar with personal data redacted. */
    redactPiiOnIngest: p.boolean().default(false),
    // Millisecond precision matches JavaScript dates, so keyset cursors round-trip exactly.
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['ownerId', 'name'] }],
  indexes: [{ properties: ['createdAt', 'id'] }],
});

export type HoneyJar = InferEntity<typeof HoneyJar>;
