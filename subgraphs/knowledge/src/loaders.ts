// The knowledge subgraph's per-request DataLoaders: one grouped COUNT per batch of honey jars.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { countChunksByJar } from './domain/chunks.ts';

export interface KnowledgeLoaders {
  chunkCountOfJar: DataLoader<string, number>;
}

export function createLoaders(em: EntityManager): KnowledgeLoaders {
  return { chunkCountOfJar: new DataLoader((ids) => countChunksByJar(em, ids)) };
}
