// search, SearchHit, and the chunk fields knowledge contributes to Document: parse arguments, call the domain.
import type { SubgraphContext } from '@sting/kit';
import { chunksOfDocument } from '../domain/chunks.ts';
import { authorize } from '../domain/policies.ts';
import { jarsStillReadable, withoutJarsNoLongerReadable } from '../domain/jar-access/readable-now.ts';
import { search, searchCorrection, type SearchHitRow } from '../domain/search/search.ts';
import { searchServices } from '../domain/search/services.ts';
import type { KnowledgeLoaders } from '../loaders.ts';

type Context = SubgraphContext<KnowledgeLoaders>;

export const searchQueries = {
  search: async (
    _: unknown,
    args: { query: string; honeyJarIds?: string[] | null; first?: number | null },
    ctx: Context,
  ) => {
    // An anonymous search is told to sign in, as every other read is: an empty list would read as "no match".
    authorize(ctx.viewer, 'search');
    const services = await searchServices(ctx.runtime);
    const hits = await search(
      { em: ctx.em, logger: ctx.logger, analyses: ctx.loaders.queryAnalyses, ...services },
      ctx.viewer,
      args,
    );
    // The read model may not have heard yet of access honey-jars has already taken away.
    return withoutJarsNoLongerReadable(ctx, hits);
  },
  searchCorrection: async (
    _: unknown,
    args: { query: string; honeyJarIds?: string[] | null },
    ctx: Context,
  ) => {
    authorize(ctx.viewer, 'search');
    const { settings } = await searchServices(ctx.runtime);
    return searchCorrection(
      ctx.em,
      ctx.viewer,
      args,
      settings,
      (jarIds) => jarsStillReadable(ctx, jarIds),
      ctx.loaders.queryAnalyses,
    );
  },
};

export const SearchHitFields = {
  // What the hit already holds (read-checked by the search itself) answers the fields clients ask of a hit, so a
  // document deleted between the search and its fields costs nothing; other fields load the row (read-checked).
  document: (hit: SearchHitRow) => ({
    __typename: 'Document',
    id: hit.documentId,
    title: hit.documentTitle,
    fileType: hit.fileType,
  }),
  // With its name (@provides): as honey-jars gave it for this search, or the read model's when it could not.
  honeyJar: (hit: SearchHitRow) => ({ __typename: 'HoneyJar', id: hit.honeyJarId, name: hit.honeyJarName }),
};

export const DocumentChunkFields = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  chunks: (doc: { id: string }, args: { first?: number | null; after?: string | null }, ctx: Context) =>
    chunksOfDocument(ctx.em, ctx.viewer, doc.id, args),
};
