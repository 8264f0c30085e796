// The knowledge resolver map.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { SubgraphContext } from '@sting/kit';
import type { KnowledgeLoaders } from '../loaders.ts';
import { HoneyJarFields } from './honey-jars.ts';
import { DocumentChunkFields, SearchHitFields, searchQueries } from './search.ts';

export const resolvers = {
  Query: searchQueries,
  HoneyJar: HoneyJarFields,
  Document: DocumentChunkFields,
  SearchHit: SearchHitFields,
} as unknown as GraphQLResolverMap<SubgraphContext<KnowledgeLoaders>>;
