// A real chat runtime for tests: a throwaway PostgreSQL schema migrated from the committed migrations, a real
// event bus (Redis when REDIS_URL is set, otherwise in-process) and the subgraph's federated schema.
import { randomBytes, randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import {
  buildSubgraph,
  createLogger,
  createOrm,
  InProcessEventBus,
  migrate,
  RedisEventBus,
  type EventBus,
  type Role,
  type SubgraphModule,
  type SubgraphRuntime,
  type Viewer,
} from '@sting/kit';
import { subgraph } from '../src/index.ts';
import {
  Conversation,
  Message,
  type ConversationRow,
  type MessageRow,
} from '../src/entities/conversation.ts';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_sg2';

export interface ChatHarness {
  runtime: SubgraphRuntime;
  schema: GraphQLSchema;
  close(): Promise<void>;
}

export function createBus(kind: 'redis' | 'in-process'): EventBus {
  if (kind === 'in-process') return new InProcessEventBus();
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return new RedisEventBus(url, { prefix: `test-${randomBytes(4).toString('hex')}:` });
}

export async function startChat(bus: EventBus = createBus('in-process')): Promise<ChatHarness> {
  const dbSchema = `chat_test_${randomBytes(4).toString('hex')}`;
  const orm = await createOrm({
    clientUrl: databaseUrl,
    schema: dbSchema,
    entities: subgraph.entities,
    migrationsPath: subgraph.migrationsPath,
    poolMax: 4,
  });
  await migrate(orm);
  const runtime: SubgraphRuntime = {
    name: 'chat',
    orm,
    bus,
    logger: createLogger({ name: 'chat', level: 'silent' }),
    config: {},
  };
  return {
    runtime,
    // buildSubgraph is typed for the default loaders only; the module is otherwise exactly what it hosts.
    schema: buildSubgraph(subgraph as unknown as SubgraphModule),
    async close() {
      await bus.close();
      await orm.schema.execute(`drop schema if exists "${dbSchema}" cascade`);
      await orm.close(true);
    },
  };
}

export function buildViewer(role: Role = 'MEMBER'): Viewer {
  return { kind: 'user', id: randomUUID(), role };
}

/** A stored conversation, written straight to the database. */
export async function buildConversation(
  runtime: SubgraphRuntime,
  owner: Viewer,
  title = 'Hive census',
): Promise<ConversationRow> {
  if (owner.kind !== 'user') throw new Error('a conversation is owned by a user');
  const em = runtime.orm.em.fork();
  const row = em.create(Conversation, { title, ownerId: owner.id });
  await em.flush();
  return row;
}

export async function buildMessage(
  runtime: SubgraphRuntime,
  conversation: ConversationRow,
  text: string,
  createdAt = new Date(),
): Promise<MessageRow> {
  const em = runtime.orm.em.fork();
  const row = em.create(Message, {
    conversation: em.getReference(Conversation, conversation.id),
    role: 'USER',
    text,
    authorId: conversation.ownerId,
    createdAt,
  });
  await em.flush();
  return row;
}
