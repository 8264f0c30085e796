// Knowledge's own read model of who may read each honey jar, fed by honey-jars events (no subgraph reads another's
// tables). A deleted jar keeps a tombstone row so a late event about it can never bring it back.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const JarTypes = ['PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED'] as const;
export type JarType = (typeof JarTypes)[number];

export const JarAccess = defineEntity({
  name: 'JarAccess',
  tableName: 'jar_access',
  properties: {
    honeyJarId: p.uuid().primary(),
    ownerId: p.uuid(),
    type: p.enum(JarTypes),
    status: p.string().length(20),
    name: p.string().length(120),
    redactPiiOnIngest: p.boolean().default(false),
    deleted: p.boolean().default(false),
    /** When the jar was taken for deleted (honey-jars' time of the deletion, or of the snapshot that missed it). */
    deletedAt: p.datetime(3).nullable(),
    /** honey-jars' `updatedAt` of the state applied: an older event never overwrites a newer state. */
    changedAt: p.datetime(3),
  },
});

export type JarAccess = InferEntity<typeof JarAccess>;

export const JarAccessMember = defineEntity({
  name: 'JarAccessMember',
  tableName: 'jar_access_member',
  properties: {
    honeyJarId: p.uuid().primary(),
    userId: p.uuid().primary().index(),
    // Removal keeps the row (present = false) so that member events applied out of order settle on the latest.
    present: p.boolean(),
    changedAt: p.datetime(3),
  },
});

export type JarAccessMember = InferEntity<typeof JarAccessMember>;
