// The five subgraph packages and how each is brought up in a process: its ORM on its own schema, migrations
// applied, then its start hook. Shared by the embedded platform and the standalone subgraph service.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { createOrm } from '@sting/kit/db/orm.ts';
import { migrate } from '@sting/kit/db/migrate.ts';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
import type { SubgraphModule, SubgraphRuntime } from '@sting/kit/subgraph/module.ts';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { SubgraphPeers } from '@sting/kit/subgraph/peers.ts';
import { OutboxRelay } from '@sting/kit/outbox/relay.ts';
import { subgraphConfig } from '@sting/kit/subgraph/config.ts';
import type { StingConfig } from '@sting/kit/config/index.ts';
import { SUBGRAPH_NAMES } from '../settings.ts';

export async function loadSubgraphModule(name: SubgraphName): Promise<SubgraphModule<any>> {
  const module = (await import(`@sting/${name}`)) as { subgraph?: SubgraphModule<any> };
  if (!module.subgraph) throw new Error(`@sting/${name} does not export \`subgraph\``);
  return module.subgraph;
}

export function loadSubgraphModules(
  names: readonly SubgraphName[] = SUBGRAPH_NAMES,
): Promise<SubgraphModule<any>[]> {
  return Promise.all(names.map(loadSubgraphModule));
}

export async function startSubgraphRuntime(
  module: SubgraphModule<any>,
  deps: { databaseUrl: string; bus: EventBus; logger: Logger; config: StingConfig; peers?: SubgraphPeers },
): Promise<SubgraphRuntime & { orm: MikroORM }> {
  const logger = deps.logger.child({ subgraph: module.name });
  const orm = await createOrm({
    clientUrl: deps.databaseUrl,
    schema: module.dbSchema,
    entities: module.entities,
    migrationsPath: module.migrationsPath,
    logger,
  });
  // Started with the runtime: events committed before a crash go out now, later ones right after their commit.
  const outbox = new OutboxRelay(orm, deps.bus, { logger });
  try {
    const applied = await migrate(orm);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const runtime: SubgraphRuntime = {
      name: module.name,
      orm,
      bus: deps.bus,
      logger,
      // Only its own slice: a subgraph never sees (or re-reads) the rest of the configuration.
      config: subgraphConfig(module.name, deps.config),
      stopHooks: [],
      outbox: outbox.start(),
      ...(deps.peers ? { peers: deps.peers } : {}),
    };
    await module.onStart?.(runtime);
    return runtime;
  } catch (err) {
    await outbox.stop();
    await orm.close(true);
    throw err;
  }
}
