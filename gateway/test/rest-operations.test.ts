// REST operation files: one named operation each, spreading the shared fragments of schema/rest/fragments.graphql,
// which are written into the operation at load so the route table and the OpenAPI document see plain fields.
import { describe, it, expect } from '@jest/globals';
import { Kind, parse, print } from 'graphql';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  loadRestFragments,
  loadRestOperation,
  parseRestOperation,
  restFragmentSelection,
} from '../src/rest/operations.ts';

const fragments = new Map(
  parse(`
    fragment Owner on User { id displayName }
    fragment Jar on HoneyJar { id name owner { ...Owner } }
    fragment Loop on HoneyJar { id ...Loop }
  `).definitions.map((d) => [(d as { name: { value: string } }).name.value, d as never]),
);

describe('REST operations with shared fragments', () => {
  it('writes spread fragments in, nested ones too, and sends the written-in text', () => {
    const op = parseRestOperation(
      'query GetJar($id: ID!) { honeyJar(id: $id) { ...Jar tags } }',
      'GetJar.graphql',
      fragments,
    );
    expect(print(op.definition)).toBe(
      print(parse('query GetJar($id: ID!) { honeyJar(id: $id) { id name owner { id displayName } tags } }')),
    );
    expect(op.query).toBe(print(op.definition));
    expect(JSON.stringify(op.definition)).not.toContain(Kind.FRAGMENT_SPREAD);
    expect(op.variables).toEqual([{ name: 'id', typeName: 'ID', required: true, list: false }]);
  });

  it('sends an operation without spreads exactly as written', () => {
    const source = '# a comment\nquery Me { me { id } }\n';
    expect(parseRestOperation(source, 'Me.graphql', fragments).query).toBe(source);
  });

  it('refuses an unknown fragment, one that spreads itself, fragments defined in an operation file and a field selected twice', () => {
    expect(() => parseRestOperation('query A { me { ...Nope } }', 'A.graphql', fragments)).toThrow(
      'A.graphql: no fragment Nope in schema/rest/fragments.graphql',
    );
    expect(() =>
      parseRestOperation('query B { honeyJar(id: 1) { ...Loop } }', 'B.graphql', fragments),
    ).toThrow('B.graphql: fragment Loop spreads itself');
    expect(() =>
      parseRestOperation('query C { me { ...D } } fragment D on User { id }', 'C.graphql', fragments),
    ).toThrow('C.graphql: a REST operation file holds exactly one operation and no fragments');
    // A field the fragment selects too would need merging: the file selects it once.
    expect(() =>
      parseRestOperation('query E { honeyJar(id: 1) { id ...Jar } }', 'E.graphql', fragments),
    ).toThrow('E.graphql: id is selected twice in one selection set');
  });

  it('loads the fragments file of a directory, which holds fragments only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rest-ops-'));
    try {
      const url = pathToFileURL(`${dir}/`);
      expect(loadRestFragments(url).size).toBe(0);
      writeFileSync(join(dir, 'fragments.graphql'), 'fragment Who on User { id displayName }');
      writeFileSync(join(dir, 'Me.graphql'), 'query Me { me { ...Who } }');
      expect(print(loadRestOperation('Me', url).definition)).toBe(
        print(parse('query Me { me { id displayName } }')),
      );
      expect(restFragmentSelection('Who', url)).toBe(
        print(parse('{ id displayName }').definitions[0] as never),
      );
      writeFileSync(join(dir, 'fragments.graphql'), 'query Stray { me { id } }');
      expect(() => loadRestFragments(url)).toThrow(/holds fragments only/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the upload route the document shape every document route answers', () => {
    expect(restFragmentSelection('RestDocument')).toMatch(/^\{\n {2}id\n {2}honeyJar \{\n {4}id/);
    expect(restFragmentSelection('RestDocument')).toContain('processingStatus');
  });
});
