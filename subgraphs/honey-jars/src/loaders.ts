// The honey-jars subgraph's per-request DataLoaders: each batch of references or nested lists is one query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows, type SubgraphRuntime, type Viewer } from '@sting/kit';
import type { HoneyJar } from './entities/honey-jar.ts';

/** A membership as lists read it: who, and when it began (with its id, the key members are paged by). */
export interface Membership {
  id: string;
  userId: string;
  createdAt: Date;
}
import { findReadableJars } from './domain/access.ts';
import { HoneyJarMember } from './entities/honey-jar-member.ts';

export interface HoneyJarLoaders {
  /** The jars the request's viewer may read; a jar it may not read loads as null, like a missing one. */
  readableJar: DataLoader<string, HoneyJar | null>;
  /** The memberships of each jar, oldest first. */
  members: DataLoader<string, Membership[]>;
}

export function createLoaders(
  em: EntityManager,
  _runtime: SubgraphRuntime,
  viewer: Viewer | null,
): HoneyJarLoaders {
  return {
    // An anonymous viewer reads no jar, so its loader never reaches the database.
    readableJar: new DataLoader((ids) =>
      viewer === null ? Promise.resolve(ids.map(() => null)) : findReadableJars({ em, viewer }, ids),
    ),
    // Every membership of the jars at once, a few columns each: a jar's members are people of the organisation,
    // a bounded list, and a page of them is cut from it (resolvers/honey-jars.ts), its size known for free.
    members: new DataLoader(async (jarIds) => {
      const rows = await readRows<HoneyJarMember, Membership & { honeyJar: string }>(
        em,
        HoneyJarMember,
        { honeyJar: { $in: [...jarIds] } },
        { orderBy: [{ createdAt: 'asc', id: 'asc' }], fields: ['id', 'honeyJar', 'userId', 'createdAt'] },
      );
      const byJar = new Map<string, Membership[]>();
      for (const { honeyJar, ...membership } of rows) {
        const members = byJar.get(honeyJar);
        if (members) members.push(membership);
        else byJar.set(honeyJar, [membership]);
      }
      return jarIds.map((id) => byJar.get(id) ?? []);
    }),
  };
}
