// Every subgraph package has the same layout (src/index.ts beside src/schema.graphql and src/schema/*.graphql, migrations/ beside src/),
// so a module states only what is its own and the layout supplies the rest (schema, migrations, outbox table).
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { OutboxEvent } from '../outbox/outbox-event.ts';
import type { SubgraphModule } from './module.ts';
import { readSubgraphSdl } from './schema-files.ts';

export type SubgraphDefinition<Loaders> = Omit<SubgraphModule<Loaders>, 'typeDefs' | 'migrationsPath'>;

/** `moduleUrl` is the defining file's `import.meta.url` (its `src/index.ts`). */
export function defineSubgraph<Loaders>(
  moduleUrl: string,
  definition: SubgraphDefinition<Loaders>,
): SubgraphModule<Loaders> {
  return {
    ...definition,
    // Every subgraph keeps its outbox in its own schema (created by its migrations).
    entities: [...definition.entities, OutboxEvent],
    typeDefs: parse(readSubgraphSdl(fileURLToPath(new URL('.', moduleUrl)))),
    migrationsPath: fileURLToPath(new URL('../migrations', moduleUrl)),
  };
}
