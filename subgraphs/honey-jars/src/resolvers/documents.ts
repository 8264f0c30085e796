// Document fields and references. A document is visible exactly when its honey jar is.
import type { SubgraphContext } from '@sting/kit';
import type { Document } from '../entities/document.ts';
import type { HoneyJarLoaders } from '../loaders.ts';

type Context = SubgraphContext<HoneyJarLoaders>;

export const DocumentFields = {
  __resolveReference: async ({ id }: { id: string }, { loaders }: Context) => {
    const doc = await loaders.documentById.load(id);
    if (!doc) return null;
    return (await loaders.readableJar.load(doc.honeyJar.id)) ? doc : null;
  },
  honeyJar: (doc: Document, _: unknown, { loaders }: Context) => loaders.readableJar.load(doc.honeyJar.id),
};
