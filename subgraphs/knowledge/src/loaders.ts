// The knowledge subgraph's per-request DataLoaders: one read-rule check and one grouped COUNT per batch of jars.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphRuntime, Viewer } from '@sting/kit';
import { readableChunkCounts } from './domain/chunks.ts';

export interface KnowledgeLoaders {
  chunkCountOfJar: DataLoader<string, number>;
}

export function createLoaders(
  em: EntityManager,
  _runtime: SubgraphRuntime,
  viewer: Viewer | null,
): KnowledgeLoaders {
  return { chunkCountOfJar: new DataLoader((ids) => readableChunkCounts(em, viewer, ids)) };
}
