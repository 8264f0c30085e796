// HoneyJar queries, mutations and fields: parse arguments, call the domain, map to GraphQL.
import { decodeCursor, keysetPage, pageSize, type CursorKey, type SubgraphContext } from '@sting/kit';
import type { HoneyJar } from '../entities/honey-jar.ts';
import { listHoneyJars } from '../domain/access.ts';
import {
  addHoneyJarMember,
  createHoneyJar,
  deleteHoneyJar,
  removeHoneyJarMember,
  updateHoneyJar,
  type HoneyJarChanges,
  type NewHoneyJar,
} from '../domain/honey-jars.ts';
import { identityPeople } from '../domain/people.ts';
import { authorizeCaller, can } from '../domain/policies.ts';
import { requireId } from '../domain/validation.ts';
import type { HoneyJarResolvers, MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { HoneyJarLoaders } from '../loaders.ts';

type Context = SubgraphContext<HoneyJarLoaders>;

const MEMBERS_PAGE = { default: 100, max: 200 } as const;

/** Orders two (createdAt, id) keys as a list oldest first does. */
const compareKeys = (a: CursorKey, b: CursorKey) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const honeyJarQueries: QueryResolvers<Context> = {
  honeyJars: (_, args, ctx) =>
    listHoneyJars(ctx, { first: args.first ?? undefined, after: args.after, filter: args.filter }),

  honeyJar: (_, { id }, { viewer, loaders }) => {
    authorizeCaller(viewer, 'list');
    return loaders.readableJar.load(requireId(id, 'id'));
  },
};

export const honeyJarMutations: MutationResolvers<Context> = {
  createHoneyJar: (_, { input }: { input: NewHoneyJar }, ctx) => createHoneyJar(ctx, input),
  updateHoneyJar: (_, { id, input }: { id: string; input: HoneyJarChanges }, ctx) =>
    updateHoneyJar(ctx, id, input),
  deleteHoneyJar: (_, { id }, ctx) => deleteHoneyJar(ctx, id),
  addHoneyJarMember: (_, args, ctx) =>
    addHoneyJarMember(ctx, args.honeyJarId, args.userId, identityPeople(ctx)),
  removeHoneyJarMember: (_, args, ctx) => removeHoneyJarMember(ctx, args.honeyJarId, args.userId),
};

export const HoneyJarFields: HoneyJarResolvers<Context> = {
  // A reference the viewer may not read resolves to null, exactly like a missing jar.
  __resolveReference: ({ id }, { loaders }) => loaders.readableJar.load(id),
  owner: (jar: HoneyJar) => ({ __typename: 'User', id: jar.ownerId }),
  members: async (jar: HoneyJar, args, { viewer, loaders }) => {
    const first = pageSize(args.first, MEMBERS_PAGE);
    const after = args.after ? decodeCursor(args.after) : null;
    const shared = jar.type === 'TEAM' || jar.type === 'RESTRICTED';
    const members = shared ? await loaders.members.load(jar.id) : [];
    const isMember = viewer?.kind === 'user' && members.some((m) => m.userId === viewer.id);
    if (shared && !can(viewer, 'readMembers', { jar, isMember })) return null;
    // The memberships after the cursor's, which need not be a member still (removed since the page was read).
    const start = after ? members.findIndex((m) => compareKeys(m, after) > 0) : 0;
    const page = keysetPage(start < 0 ? [] : members.slice(start, start + first + 1), first);
    return {
      ...page,
      nodes: page.nodes.map((m) => ({ __typename: 'User' as const, id: m.userId })),
      totalCount: members.length,
    };
  },
};
