// Every subgraph package has the same layout (src/index.ts beside src/schema.graphql, migrations/ beside src/),
// so a module states only what is its own and the layout supplies the rest (schema, migrations, outbox table).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { OutboxEvent } from '../outbox/outbox-event.ts';
import type { SubgraphModule } from './module.ts';

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
    typeDefs: parse(readFileSync(new URL('./schema.graphql', moduleUrl), 'utf8')),
    migrationsPath: fileURLToPath(new URL('../migrations', moduleUrl)),
  };
}
