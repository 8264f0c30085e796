// The honey-jars subgraph: knowledge bases, who may read them, and the documents they hold.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '@sting/kit';
import { entities } from './entities/index.ts';
import { createLoaders, type HoneyJarLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const subgraph: SubgraphModule<HoneyJarLoaders> = {
  name: 'honey-jars',
  dbSchema: 'honey_jars',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  entities,
  migrationsPath: fileURLToPath(new URL('../migrations', import.meta.url)),
  createLoaders,
};
