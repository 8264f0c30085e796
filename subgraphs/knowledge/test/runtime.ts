// A real runtime for knowledge tests: its own throwaway PostgreSQL schema, migrated from migrations/, dropped after.
import { randomBytes } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { buildSubgraph, createLogger, createOrm, InProcessEventBus, migrate } from '@sting/kit';
import type { SubgraphModule, SubgraphRuntime } from '@sting/kit';
import { subgraph } from '../src/index.ts';

export interface TestRuntime {
  runtime: SubgraphRuntime;
  schema: GraphQLSchema;
  orm: MikroORM;
  /** A fresh entity manager, as a request would get. */
  em(): EntityManager;
  close(): Promise<void>;
}

export async function startTestRuntime(config: unknown = {}): Promise<TestRuntime> {
  const clientUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_sg1';
  const dbSchema = `knowledge_test_${randomBytes(5).toString('hex')}`;
  const orm = await createOrm({
    clientUrl,
    schema: dbSchema,
    entities: subgraph.entities,
    migrationsPath: subgraph.migrationsPath,
    poolMax: 4,
  });
  await migrate(orm);
  const bus = new InProcessEventBus();
  const runtime: SubgraphRuntime = {
    name: 'knowledge',
    orm,
    bus,
    logger: createLogger({ name: 'knowledge-test', level: 'silent' }),
    config,
  };
  return {
    runtime,
    // buildSubgraph takes the untyped module; the loaders' type only matters inside resolvers.
    schema: buildSubgraph(subgraph as unknown as SubgraphModule),
    orm,
    em: () => orm.em.fork({ clear: true, useContext: false }),
    async close() {
      await orm.schema.execute(`drop schema if exists "${dbSchema}" cascade`);
      await bus.close();
      await orm.close(true);
    },
  };
}
