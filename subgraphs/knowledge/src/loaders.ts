// The knowledge subgraph's per-request DataLoaders: one read-rule check and one grouped COUNT per batch of jars; and
// the request's search query analyses (search.ts, analysisOf).
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphRuntime, Viewer } from '@sting/kit';
import { readableChunkCounts } from './domain/chunks.ts';
import type { QueryAnalyses } from './domain/search/search.ts';

export interface KnowledgeLoaders {
  chunkCountOfJar: DataLoader<string, number>;
  queryAnalyses: QueryAnalyses;
}

export function createLoaders(
  em: EntityManager,
  _runtime: SubgraphRuntime,
  viewer: Viewer | null,
): KnowledgeLoaders {
  return {
    chunkCountOfJar: new DataLoader((ids) => readableChunkCounts(em, viewer, ids)),
    queryAnalyses: new Map(),
  };
}
