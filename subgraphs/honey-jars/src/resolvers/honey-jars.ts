// HoneyJar queries, mutations and fields: parse arguments, call the domain, map to GraphQL.
import { UnauthenticatedError, type SubgraphContext } from '@sting/kit';
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
import { requireId } from '../domain/validation.ts';
import type { HoneyJarLoaders } from '../loaders.ts';

type Context = SubgraphContext<HoneyJarLoaders>;

export const honeyJarQueries = {
  honeyJars: (_: unknown, args: { first?: number; after?: string | null }, ctx: Context) =>
    listHoneyJars(ctx, args),

  honeyJar: (_: unknown, { id }: { id: string }, { viewer, loaders }: Context) => {
    if (viewer === null) throw new UnauthenticatedError();
    return loaders.readableJar.load(requireId(id, 'id'));
  },
};

export const honeyJarMutations = {
  createHoneyJar: (_: unknown, { input }: { input: NewHoneyJar }, ctx: Context) => createHoneyJar(ctx, input),
  updateHoneyJar: (_: unknown, { id, input }: { id: string; input: HoneyJarChanges }, ctx: Context) =>
    updateHoneyJar(ctx, id, input),
  deleteHoneyJar: (_: unknown, { id }: { id: string }, ctx: Context) => deleteHoneyJar(ctx, id),
  addHoneyJarMember: (_: unknown, args: { honeyJarId: string; userId: string }, ctx: Context) =>
    addHoneyJarMember(ctx, args.honeyJarId, args.userId),
  removeHoneyJarMember: (_: unknown, args: { honeyJarId: string; userId: string }, ctx: Context) =>
    removeHoneyJarMember(ctx, args.honeyJarId, args.userId),
};

export const HoneyJarFields = {
  // A reference the viewer may not read resolves to null, exactly like a missing jar.
  __resolveReference: ({ id }: { id: string }, { loaders }: Context) => loaders.readableJar.load(id),
  owner: (jar: HoneyJar) => ({ __typename: 'User', id: jar.ownerId }),
};
