// The honey-jars subgraph's per-request DataLoaders: each batch of references or nested lists is one query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows, type SubgraphRuntime, type Viewer } from '@sting/kit';
import type { HoneyJar } from './entities/honey-jar.ts';
import { findReadableJars } from './domain/access.ts';
import { HoneyJarMember } from './entities/honey-jar-member.ts';

export interface HoneyJarLoaders {
  /** The jars the request's viewer may read; a jar it may not read loads as null, like a missing one. */
  readableJar: DataLoader<string, HoneyJar | null>;
  /** The member user ids of each jar, oldest membership first. */
  memberIds: DataLoader<string, string[]>;
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
    memberIds: new DataLoader(async (jarIds) => {
      const rows = await readRows<HoneyJarMember, { honeyJar: string; userId: string }>(
        em,
        HoneyJarMember,
        { honeyJar: { $in: [...jarIds] } },
        { orderBy: [{ createdAt: 'asc', id: 'asc' }], fields: ['honeyJar', 'userId'] },
      );
      const byJar = new Map<string, string[]>();
      for (const row of rows) {
        const members = byJar.get(row.honeyJar);
        if (members) members.push(row.userId);
        else byJar.set(row.honeyJar, [row.userId]);
      }
      return jarIds.map((id) => byJar.get(id) ?? []);
    }),
  };
}
