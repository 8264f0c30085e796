// The fields knowledge contributes to HoneyJar.
import type { SubgraphContext } from '@sting/kit';
import { authorize } from '../domain/policies.ts';
import type { KnowledgeLoaders } from '../loaders.ts';

type Context = SubgraphContext<KnowledgeLoaders>;

export const HoneyJarFields = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  // Counted for jars the viewer may read (knowledge's own read model); 0 otherwise.
  chunkCount: ({ id }: { id: string }, _: unknown, { viewer, loaders }: Context) => {
    authorize(viewer, 'chunkCount:read');
    return loaders.chunkCountOfJar.load(id);
  },
};
