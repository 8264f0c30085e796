// Types for the SPA's operations, generated from the API schema of the committed supergraph (what clients of
// the gateway see: no federation internals, no @inaccessible fields). `npm run codegen -w web` regenerates
// src/gql/; `-- --check` fails when it is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: { '../schema/supergraph.graphql': { loader: './scripts/api-schema.ts' } },
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        skipTypename: false,
      },
    },
  },
};

export default config;
