// `npm run compose`: writes schema/supergraph.graphql from every subgraph's SDL, and with it everything generated
// from the schemas: each subgraph's resolver types (src/generated/resolvers-types.ts) and the REST API's OpenAPI
// document (schema/openapi.json). `npm run compose -- --check` (CI) writes nothing and fails when any committed
// file differs from a fresh generation. `--out <path>` handles the supergraph alone, at another file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiArtifact, resolverTypesArtifact, type Artifact } from './artifacts.ts';
import { compose, describeProblems, readSubgraphs } from './supergraph.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const target = outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : join(root, 'schema', 'supergraph.graphql');
const check = args.includes('--check');

const subgraphs = readSubgraphs(root);
const result = compose(subgraphs);
const names = subgraphs.map((s) => s.name).join(', ');

if (!result.ok) {
  console.error(`Composition failed (${result.problems.length} problem(s)) for ${names}:`);
  console.error(describeProblems(result.problems));
  process.exit(1);
}

// With --out only the supergraph goes elsewhere (tests, scratch checks); the repository's generated files are
// written or checked only by a plain run.
const artifacts: Artifact[] = [
  { path: target, content: result.supergraphSdl },
  ...(outIndex >= 0
    ? []
    : [
        openApiArtifact(root, result.supergraphSdl),
        ...(await Promise.all(subgraphs.map((subgraph) => resolverTypesArtifact(root, subgraph)))),
      ]),
];

if (check) {
  const stale = artifacts.filter((a) => !existsSync(a.path) || readFileSync(a.path, 'utf8') !== a.content);
  for (const a of stale) {
    const path = relative(root, a.path);
    console.error(
      existsSync(a.path)
        ? `${path} is stale: it differs from composing ${names}. Run \`npm run compose\` and commit it.`
        : `${path} is missing. Run \`npm run compose\` and commit it.`,
    );
  }
  if (stale.length > 0) process.exit(1);
  console.log(`${artifacts.length} generated files are up to date (${names}).`);
} else {
  for (const a of artifacts) {
    mkdirSync(dirname(a.path), { recursive: true });
    writeFileSync(a.path, a.content);
  }
  console.log(`Wrote ${artifacts.map((a) => relative(root, a.path)).join(', ')} from ${names}.`);
}
