// Typed documents for the portal's operations (src/operations/*.graphql), from the graph's public
// API schema, with the repository's graphql-codegen (root node_modules): `npm run codegen` here.
// Same conventions as the root codegen.ts: DateTime is an ISO-8601 string, strictScalars turns a
// new unmapped scalar into a codegen error instead of `unknown`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  overwrite: true,
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      schema: '../../schema/api-schema.graphql',
      documents: ['src/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string' },
      },
    },
  },
  hooks: { afterAllFileWrite: ['../../node_modules/.bin/prettier --write'] },
};
export default config;
