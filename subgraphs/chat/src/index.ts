// The chat subgraph as the runtime hosts it: conversations with Bee, their messages and the live message feed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '@sting/kit';
import { entities } from './entities/conversation.ts';
import { createChatLoaders, type ChatLoaders } from './domain/loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const subgraph: SubgraphModule<ChatLoaders> = {
  name: 'chat',
  dbSchema: 'chat',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  entities,
  migrationsPath: fileURLToPath(new URL('../migrations', import.meta.url)),
  createLoaders: (em) => createChatLoaders(em),
};
