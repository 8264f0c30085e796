// The knowledge subgraph: document chunks and the counts they contribute to honey jars.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '@sting/kit';
import { entities } from './entities/index.ts';
import { createLoaders, type KnowledgeLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const subgraph: SubgraphModule<KnowledgeLoaders> = {
  name: 'knowledge',
  dbSchema: 'knowledge',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  entities,
  migrationsPath: fileURLToPath(new URL('../migrations', import.meta.url)),
  createLoaders,
};
