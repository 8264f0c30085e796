// The honey-jars subgraph's per-request DataLoaders: each batch of references or nested lists is one query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPage, SubgraphRuntime, Viewer } from '@sting/kit';
import type { HoneyJar } from './entities/honey-jar.ts';
import { findReadableJars, memberJarIds } from './domain/access.ts';
import { memberCounts, memberPages, type MemberPageKey, type Membership } from './domain/members.ts';

export interface HoneyJarLoaders {
  /** The jars the request's viewer may read; a jar it may not read loads as null, like a missing one. */
  readableJar: DataLoader<string, HoneyJar | null>;
  /** One page of a jar's members, in the order they were added. */
  memberPage: DataLoader<MemberPageKey, KeysetPage<Membership>, string>;
  /** How many members a jar has. */
  memberCount: DataLoader<string, number>;
  /** Whether the request's viewer is a member of a jar. */
  viewerIsMember: DataLoader<string, boolean>;
}

export function createLoaders(
  em: EntityManager,
  _runtime: SubgraphRuntime,
  viewer: Viewer | null,
): HoneyJarLoaders {
  const viewerIsMember = new DataLoader<string, boolean>(async (ids) => {
    if (viewer?.kind !== 'user') return ids.map(() => false);
    const member = new Set(await memberJarIds(em, viewer.id, ids));
    return ids.map((id) => member.has(id));
  });
  return {
    // An anonymous viewer reads no jar, so its loader never reaches the database. The viewer's memberships it
    // reads are kept by viewerIsMember, which the members list asks again.
    readableJar: new DataLoader((ids) =>
      viewer === null
        ? Promise.resolve(ids.map(() => null))
        : findReadableJars({ em, viewer }, ids, async (jarIds) => {
            const answers = await viewerIsMember.loadMany(jarIds);
            const failed = answers.find((answer) => answer instanceof Error);
            if (failed) throw failed;
            return answers as boolean[];
          }),
    ),
    memberPage: new DataLoader((keys) => memberPages(em, keys), {
      cacheKeyFn: (key) => `${key.honeyJarId}|${key.first ?? ''}|${key.after ?? ''}`,
    }),
    memberCount: new DataLoader((ids) => memberCounts(em, ids)),
    viewerIsMember,
  };
}
