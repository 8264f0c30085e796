// `npm run compose`: writes schema/supergraph.graphql from every subgraph's SDL. `npm run compose -- --check`
// (CI) writes nothing and fails when the committed file differs from a fresh composition. `--out <path>` points
// either mode at another file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const path = relative(root, target);
if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : null;
  if (committed !== result.supergraphSdl) {
    console.error(
      committed === null
        ? `${path} is missing. Run \`npm run compose\` and commit it.`
        : `${path} is stale: it differs from composing ${names}. Run \`npm run compose\` and commit it.`,
    );
    process.exit(1);
  }
  console.log(`${path} is up to date (${names}).`);
} else {
  writeFileSync(target, result.supergraphSdl);
  console.log(`Wrote ${path} from ${names}.`);
}
