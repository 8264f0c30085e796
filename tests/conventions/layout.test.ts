// Every subgraph has the same layout, so a maintainer finds the same thing in the same place in each: the
// schema, resolvers, domain rules with their policy table, entities, loaders and test factories.
import { describe, it, expect } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SubgraphNames } from '@sting/kit';

const root = fileURLToPath(new URL('../..', import.meta.url));

const LAYOUT = [
  ['src/schema.graphql', 'file'],
  ['src/index.ts', 'file'],
  ['src/resolvers', 'dir'],
  ['src/domain', 'dir'],
  ['src/domain/policies.ts', 'file'],
  ['src/entities/index.ts', 'file'],
  ['src/loaders.ts', 'file'],
  ['src/generated/resolvers-types.ts', 'file'],
  ['migrations', 'dir'],
  ['test/factories.ts', 'file'],
] as const;

const kindOf = (path: string) => {
  if (!existsSync(path)) return 'missing';
  return statSync(path).isDirectory() ? 'dir' : 'file';
};

describe('subgraph layout', () => {
  it.each(SubgraphNames)('%s has the shared layout', (name) => {
    const found = LAYOUT.map(([path]) => [path, kindOf(join(root, 'subgraphs', name, path))]);
    expect(found).toEqual(LAYOUT.map(([path, kind]) => [path, kind]));
  });

  it('lists exactly the subgraphs that exist', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(root, 'subgraphs')).sort()).toEqual([...SubgraphNames].sort());
  });
});
