// The honey-jars subgraph: knowledge bases, who may read them, and the documents they hold.
import { defineSubgraph } from '@sting/kit';
import { entities } from './entities/index.ts';
import { createLoaders, type HoneyJarLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const subgraph = defineSubgraph<HoneyJarLoaders>(import.meta.url, {
  name: 'honey-jars',
  dbSchema: 'honey_jars',
  resolvers,
  entities,
  createLoaders,
});
