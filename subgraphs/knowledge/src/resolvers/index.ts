// The knowledge resolver map.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext } from '@sting/kit';
import type { KnowledgeLoaders } from '../loaders.ts';
import { HoneyJarFields } from './honey-jars.ts';
import {
  DocumentFields,
  documentMutations,
  documentQueries,
  documentSubscriptions,
  HoneyJarDocumentFields,
} from './documents.ts';
import { DocumentChunkFields, SearchHitFields, searchQueries } from './search.ts';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query: { ...searchQueries, ...documentQueries },
  Mutation: documentMutations,
  Subscription: documentSubscriptions,
  HoneyJar: { ...HoneyJarFields, ...HoneyJarDocumentFields },
  Document: { ...DocumentChunkFields, ...DocumentFields },
  SearchHit: SearchHitFields,
} as unknown as GraphQLResolverMap<SubgraphContext<KnowledgeLoaders>>;
