// A subgraph's SDL lives in `src/schema.graphql`, and may continue in `src/schema/*.graphql` (one file per area,
// e.g. identity's api-keys.graphql), read in name order after it. The runtime, composition and code generation all
// read the SDL through here, so they can never see different schemas.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The SDL files of the subgraph whose sources are in `srcDir`, in the order they are joined. */
export function subgraphSdlFiles(srcDir: string): string[] {
  const main = join(srcDir, 'schema.graphql');
  if (!existsSync(main)) return [];
  const partsDir = join(srcDir, 'schema');
  const parts = existsSync(partsDir)
    ? readdirSync(partsDir)
        .filter((name) => name.endsWith('.graphql'))
        .sort()
        .map((name) => join(partsDir, name))
    : [];
  return [main, ...parts];
}

/** The subgraph's whole SDL: its schema files joined, each on its own lines. */
export function readSubgraphSdl(srcDir: string): string {
  return subgraphSdlFiles(srcDir)
    .map((file) => readFileSync(file, 'utf8').trimEnd() + '\n')
    .join('\n');
}
