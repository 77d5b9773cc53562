// graphql-codegen for an app on this graph: typed documents (client preset) and the closed code
// sets as values (`ErrorCode.UNAUTHENTICATED`, `UserErrorCode`), for a project compiled with
// `module`/`moduleResolution: NodeNext` and `verbatimModuleSyntax`.
import type { CodegenConfig } from '@graphql-codegen/cli';

// DateTime is an ISO-8601 string in JSON; strictScalars makes a new scalar without a mapping a
// codegen error instead of `unknown`. Money is an object type ({ amount, currencyCode }).
const scalars = { DateTime: 'string' };

const config: CodegenConfig = {
  schema: 'http://127.0.0.1:4000/graphql', // or a copy of the repository's schema/api-schema.graphql
  documents: ['src/**/*.ts', '!src/gql/**'],
  // NodeNext: generated relative imports end in `.js`.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, strictScalars: true, scalars },
    },
    // The `code` fields stay String! (a new code is not a breaking change), so no operation
    // references ErrorCode or UserErrorCode: this file generates them from the schema.
    'src/gql/codes.ts': {
      plugins: ['typescript'],
      config: {
        onlyEnums: true,
        enumsAsConst: true,
        namingConvention: { enumValues: 'keep' },
        strictScalars: true,
        scalars,
      },
    },
  },
};
export default config;
