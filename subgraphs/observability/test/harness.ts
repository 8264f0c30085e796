// A real observability runtime for tests: a throwaway PostgreSQL schema migrated from the committed migrations,
// a real event bus (Redis or in-process) and the subgraph's federated schema, with the config under test.
import { randomBytes, randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import {
  buildSubgraph,
  createLogger,
  createOrm,
  executeAs,
  InProcessEventBus,
  migrate,
  RedisEventBus,
  type EventBus,
  type Role,
  type SubgraphModule,
  type SubgraphRuntime,
  type Viewer,
} from '@sting/kit';
import { subgraph as defaultModule } from '../src/index.ts';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_sg2';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ObservabilityHarness {
  runtime: SubgraphRuntime;
  module: SubgraphModule;
  schema: GraphQLSchema;
  run<T = any>(
    viewer: Viewer | null,
    query: string,
    variables?: Record<string, unknown>,
  ): ReturnType<typeof executeAs<T>>;
  close(): Promise<void>;
}

export function createBus(kind: 'redis' | 'in-process'): EventBus {
  if (kind === 'in-process') return new InProcessEventBus();
  return new RedisEventBus(redisUrl, { prefix: `test-${randomBytes(4).toString('hex')}:` });
}

export async function startObservability(
  options: { bus?: EventBus; config?: unknown; module?: SubgraphModule } = {},
): Promise<ObservabilityHarness> {
  const module = options.module ?? defaultModule;
  const bus = options.bus ?? createBus('in-process');
  const dbSchema = `observability_test_${randomBytes(4).toString('hex')}`;
  const orm = await createOrm({
    clientUrl: databaseUrl,
    schema: dbSchema,
    entities: module.entities,
    migrationsPath: module.migrationsPath,
    poolMax: 4,
  });
  await migrate(orm);
  const runtime: SubgraphRuntime = {
    name: 'observability',
    orm,
    bus,
    logger: createLogger({ name: 'observability', level: 'silent' }),
    config: options.config ?? { topology: 'embedded' },
  };
  const schema = buildSubgraph(module);
  return {
    runtime,
    module,
    schema,
    run: (viewer, query, variables) => executeAs(schema, module, runtime, viewer, query, variables),
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
