// The fields knowledge contributes to HoneyJar.
import type { SubgraphContext } from '@sting/kit';
import { authorize } from '../domain/policies.ts';
import type { KnowledgeLoaders } from '../loaders.ts';

type Context = SubgraphContext<KnowledgeLoaders>;

export const HoneyJarFields = {
  // Nothing to look up: any id is a jar honey-jars vouched for; its chunks are counted lazily below.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  chunkCount: ({ id }: { id: string }, _: unknown, { viewer, loaders }: Context) => {
    authorize(viewer, 'chunkCount:read');
    return loaders.chunkCountOfJar.load(id);
  },
};
