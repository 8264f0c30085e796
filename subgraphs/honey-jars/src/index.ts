// The honey-jars subgraph: knowledge bases and who may read them (their documents live in knowledge).
import { defineSubgraph, followTopic, isUserDeletedEvent, Topics, type SubgraphRuntime } from '@sting/kit';
import { serveAccessSnapshots } from './domain/access-snapshot.ts';
import { applyUserDeletion } from './domain/deleted-people.ts';
import { entities } from './entities/index.ts';
import { HoneyJar } from './entities/honey-jar.ts';
import { PlatformGauges } from '@sting/kit/metrics/platform-metrics.ts';
import { createLoaders, type HoneyJarLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime): Promise<void> {
  // Lives as long as the bus: readers of jar access (knowledge) catch up from these snapshots.
  await serveAccessSnapshots(
    runtime.bus,
    () => runtime.orm.em.fork({ clear: true, useContext: false }),
    runtime.logger,
  );
  // A deleted person's jars are transferred or deleted as the admin chose (identity's user.deleted): consumed as the
  // group `honey-jars`, so one replica handles each deletion, also one announced while no honey-jars service ran.
  // Applying it again changes nothing.
  const stop = await followTopic(
    runtime.bus,
    Topics.identity.userDeleted,
    async (event) => {
      if (!isUserDeletedEvent(event.payload)) return;
      await applyUserDeletion(runtime.orm.em.fork({ clear: true, useContext: false }), event.payload, {
        requestId: event.correlation_id ?? undefined,
        actorId: typeof event.metadata.actorId === 'string' ? event.metadata.actorId : null,
      });
      runtime.logger.info(
        { userId: event.payload.userId, honeyJars: event.payload.honeyJars },
        'deleted person’s honey jars disposed of',
      );
    },
    runtime.logger,
    { group: 'honey-jars' },
  );
  runtime.stopHooks.push(stop);
  // sting_honey_jars_active on /metrics: counted in this subgraph's own table when scraped.
  runtime.stopHooks.push(
    PlatformGauges.activeHoneyJars.add(async () => ({
      '': await runtime.orm.em.fork({ clear: true, useContext: false }).count(HoneyJar, { status: 'ACTIVE' }),
    })),
  );
}

export const subgraph = defineSubgraph<HoneyJarLoaders>(import.meta.url, {
  name: 'honey-jars',
  dbSchema: 'honey_jars',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
