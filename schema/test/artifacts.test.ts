// The committed generated files match what `npm run compose` makes of today's schemas, and the gateway serves
// exactly the committed OpenAPI document (CI runs `npm run compose -- --check` for the same staleness).
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '@sting/gateway/rest/openapi.ts';
import { OPENAPI_FILE, openApiArtifact, resolverTypesArtifact } from '../src/artifacts.ts';
import { compose, readSubgraphs } from '../src/supergraph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated artifacts', () => {
  const subgraphs = readSubgraphs(root);
  const composed = compose(subgraphs);

  it('commits the OpenAPI document the gateway serves', () => {
    if (!composed.ok) throw new Error('composition failed');
    const committed = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8'));
    expect(JSON.parse(openApiArtifact(root, composed.supergraphSdl).content)).toEqual(committed);
    expect(openApiDocument()).toEqual(committed);
  });

  it("commits each subgraph's resolver types as generated from its schema.graphql", async () => {
    for (const subgraph of subgraphs) {
      const fresh = await resolverTypesArtifact(root, subgraph);
      expect({ file: fresh.path, same: readFileSync(fresh.path, 'utf8') === fresh.content }).toEqual({
        file: fresh.path,
        same: true,
      });
      expect(fresh.content).toContain('export type Resolvers<ContextType = SubgraphContext>');
      // Only erasable TypeScript: Node strips the types, so no enums and type-only imports.
      expect(fresh.content).not.toMatch(/^export enum /m);
      expect(fresh.content).not.toMatch(/^import \{/m);
    }
  }, 60_000);
});
