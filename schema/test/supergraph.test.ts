// The committed supergraph must equal a fresh composition of the subgraphs' SDL, and composition failures must
// be reported plainly: subgraph, rule, message, and a non-zero exit.
import { describe, it, expect, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose, describeProblems, readSubgraphs, routingUrls } from '../src/supergraph.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'schema', 'src', 'compose.ts');
const scratch = mkdtempSync(join(tmpdir(), 'supergraph-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const runCompose = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });

describe('the committed supergraph', () => {
  it('equals a fresh composition of every subgraph (run `npm run compose` when this fails)', () => {
    const result = compose(readSubgraphs(root));
    if (!result.ok) throw new Error(`composition failed:\n${describeProblems(result.problems)}`);
    expect(readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8')).toBe(result.supergraphSdl);
  });

  it('routes each subgraph to the URL config.yml gives it', () => {
    const urls = routingUrls(root);
    const sdl = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
    for (const { name } of readSubgraphs(root)) {
      expect(sdl).toContain(`@join__graph(name: "${name}", url: "${urls[name]}")`);
    }
  });
});

describe('compose --check', () => {
  it('passes on a current file and fails with a clear message on a stale or missing one', () => {
    const current = join(scratch, 'current.graphql');
    expect(runCompose('--out', current).status).toBe(0);
    expect(runCompose('--check', '--out', current).status).toBe(0);

    writeFileSync(
      current,
      readFileSync(current, 'utf8').replace('type Query', 'type Query # edited by hand'),
    );
    const stale = runCompose('--check', '--out', current);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(
      /is stale: it differs from composing .*Run `npm run compose` and commit it\./,
    );

    const missing = runCompose('--check', '--out', join(scratch, 'absent.graphql'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/is missing/);
  });
});

describe('composition errors', () => {
  const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';
  const hives = {
    name: 'hives',
    url: 'http://127.0.0.1:1/graphql',
    sdl: `${link}type Query { hive(id: ID!): Hive }\ntype Hive @key(fields: "id") { id: ID! bees: Int! }`,
  };
  const apiary = {
    name: 'apiary',
    url: 'http://127.0.0.1:2/graphql',
    sdl: `${link}type Query { apiary: String }\ntype Hive @key(fields: "id") { id: ID! bees: String! }`,
  };

  it('names the subgraphs, the rule and the problem', () => {
    const result = compose([hives, apiary]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const clash = result.problems.find((p) => p.code === 'FIELD_TYPE_MISMATCH');
    expect(clash).toBeDefined();
    expect(clash!.subgraphs.sort()).toEqual(['apiary', 'hives']);
    expect(clash!.message).toMatch(/Hive\.bees/);
    expect(describeProblems(result.problems)).toMatch(
      /^ {2}(hives, apiary|apiary, hives) {2}FIELD_TYPE_MISMATCH {2}.*Hive\.bees/m,
    );
  });

  it('blames the one subgraph whose SDL is invalid', () => {
    const broken = { ...apiary, sdl: `${link}type Query { apiary: Missing }` };
    const result = compose([hives, broken]);
    if (result.ok) throw new Error('expected a failure');
    expect(result.problems[0]).toMatchObject({ subgraphs: ['apiary'], code: 'INVALID_GRAPHQL' });
    expect(result.problems[0].message).toMatch(/Missing/);
    expect(result.problems[0].message).not.toMatch(/^\[apiary\]/);

    const unparsable = compose([hives, { ...apiary, sdl: 'type Query {' }]);
    if (unparsable.ok) throw new Error('expected a failure');
    expect(unparsable.problems).toEqual([
      { subgraphs: ['apiary'], code: 'INVALID_GRAPHQL', message: expect.any(String) },
    ]);
  });
});
