// Vite plugin: puts each GraphQL document into the module that declares it. graphql() resolves an operation's text
// through the lookup table of src/gql/gql.ts, which references every document of the app from one module, so all
// of them would land in the first visit's bundle, the on-demand screens' too. Each `graphql(`...`)` call is
// replaced by the document graphql-codegen generated for that text (the object graphql() would return), so a
// screen's chunk carries its own documents and the lookup table is left out of the build. Types are untouched:
// TypeScript still types each call through gql.ts.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
// gql.ts: `    "<operation text>": types.<Name>Document,` in the `documents` object.
const ENTRY = /^ {4}("(?:[^"\\]|\\.)*"): types\.(\w+),$/gm;
// graphql.ts: `export const <Name>Document = {...} as unknown as DocumentNode<...>;`, one document a line.
const DOCUMENT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;

/** Operation text → the generated document's JSON, read from the codegen output. */
function readDocuments(gqlDir: string): Map<string, string> {
  const generated = new Map<string, string>();
  for (const [, name, json] of readFileSync(join(gqlDir, 'graphql.ts'), 'utf8').matchAll(DOCUMENT)) {
    generated.set(name, JSON.stringify(JSON.parse(json)));
  }
  const byText = new Map<string, string>();
  const lookup = readFileSync(join(gqlDir, 'gql.ts'), 'utf8');
  const table = lookup.slice(lookup.indexOf('const documents'));
  for (const [, key, name] of table.matchAll(ENTRY)) {
    const json = generated.get(name);
    if (json === undefined) throw new Error(`src/gql/graphql.ts has no ${name}: run npm run codegen -w web`);
    byText.set(JSON.parse(key) as string, json);
  }
  return byText;
}

export function inlineDocuments(srcDir: string): Plugin {
  const gqlDir = join(srcDir, 'gql');
  let cached: { stamp: number; documents: Map<string, string> } | undefined;
  const documents = (): Map<string, string> => {
    const stamp = Math.max(...['gql.ts', 'graphql.ts'].map((file) => statSync(join(gqlDir, file)).mtimeMs));
    if (cached?.stamp !== stamp) cached = { stamp, documents: readDocuments(gqlDir) };
    return cached.documents;
  };
  return {
    name: 'sting:inline-documents',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      if (!file.startsWith(srcDir + '/') || file.startsWith(gqlDir + '/') || !/\.tsx?$/.test(file))
        return null;
      if (!code.includes('graphql(')) return null;
      this.addWatchFile(join(gqlDir, 'gql.ts'));
      this.addWatchFile(join(gqlDir, 'graphql.ts'));
      const replaced = code.replace(CALL, (call: string, text: string) => {
        if (text.includes('\\') || text.includes('${')) {
          this.error(`${file}: graphql() takes a plain template literal (no escapes or substitutions)`);
        }
        const json = documents().get(text);
        if (json === undefined) {
          this.error(`${file}: no generated document for a graphql() call; run npm run codegen -w web`);
        }
        // The same number of lines, so positions after the call stay where they were.
        return `(${json})` + '\n'.repeat(call.split('\n').length - 1);
      });
      if (/\bgraphql\(/.test(replaced))
        this.error(`${file}: a graphql() call that is not a template literal`);
      return { code: replaced, map: null };
    },
  };
}
