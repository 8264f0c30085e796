// Membership of a User in a TEAM or RESTRICTED honey jar, granted by its owner (or an admin).
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HoneyJar } from './honey-jar.ts';

export const HoneyJarMember = defineEntity({
  name: 'HoneyJarMember',
  tableName: 'honey_jar_member',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    honeyJar: () => p.manyToOne(HoneyJar),
    userId: p.uuid().index(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  uniques: [{ properties: ['honeyJar', 'userId'] }],
  // A jar's members are listed in the order they were added, a page at a time (domain/members.ts).
  indexes: [{ properties: ['honeyJar', 'createdAt', 'id'] }],
});

export type HoneyJarMember = InferEntity<typeof HoneyJarMember>;
