// HoneyJar queries, mutations and fields: parse arguments, call the domain, map to GraphQL.
import { pageArgs, type SubgraphContext } from '@sting/kit';
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
import { MEMBERS_PAGE } from '../domain/members.ts';

type Context = SubgraphContext<HoneyJarLoaders>;

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
    // Checked for every jar type, so a bad page size is refused the same way whatever jar it is asked of.
    pageArgs(args, MEMBERS_PAGE);
    if (jar.type !== 'TEAM' && jar.type !== 'RESTRICTED')
      return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    const isMember = await loaders.viewerIsMember.load(jar.id);
    if (!can(viewer, 'readMembers', { jar, isMember })) return null;
    const page = await loaders.memberPage.load({ honeyJarId: jar.id, first: args.first, after: args.after });
    return {
      pageInfo: page.pageInfo,
      nodes: page.nodes.map((m) => ({ __typename: 'User', id: m.userId })),
      // Counted only when selected (graphql-js calls a function-valued field).
      totalCount: () => loaders.memberCount.load(jar.id),
    };
  },
};
