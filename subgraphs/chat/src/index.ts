// The chat subgraph as the runtime hosts it: conversations with Bee, their messages and the live message feed.
import { defineSubgraph } from '@sting/kit';
import { entities } from './entities/index.ts';
import { createChatLoaders, type ChatLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const subgraph = defineSubgraph<ChatLoaders>(import.meta.url, {
  name: 'chat',
  dbSchema: 'chat',
  resolvers,
  entities,
  createLoaders: (em) => createChatLoaders(em),
});
