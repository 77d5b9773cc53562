// graphql-codegen: resolver types per subgraph (federation: true, mappers to upstream models),
// and typed documents for the canonical operations from the composed API schema.
// Each subgraph lists its mappers in subgraphs/<name>/codegen-mappers.json (pure data).
import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { print } from 'graphql';
import { SUBGRAPHS } from './schema/subgraphs.js';
import { subgraphDocumentOf } from './lib/graphql/subgraph-sdl.js';

const mappersOf = (name: string): Record<string, string> => {
  const file = `subgraphs/${name}/codegen-mappers.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};

const generates: CodegenConfig['generates'] = {};
for (const s of SUBGRAPHS) {
  generates[`subgraphs/${s.name}/__generated__/resolvers-types.ts`] = {
    // The very document its server builds its schema from (lib/graphql/subgraph-sdl.ts: its own
    // SDL and the common types it uses), printed: codegen takes a schema string as SDL.
    schema: print(subgraphDocumentOf(s)),
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useTypeImports: true,
      useIndexSignature: true,
      contextType: '../context.js#Context',
      mappers: mappersOf(s.name),
      scalars: { DateTime: 'string' },
      enumsAsTypes: true,
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
    },
  };
}

// Typed documents for the canonical operations, from the composed API schema (client preset).
// Custom scalars: DateTime is an ISO-8601 string in JSON, so `string` (strictScalars makes any new
// scalar without a mapping a codegen error instead of `unknown`). Money is an object type
// ({ amount: decimal string, currencyCode }), not a scalar: nothing to map.
// persistedDocuments writes gql/persisted-documents.json (sha256 hash → document text): the
// gateway's trusted documents (gateway/persisted-documents.ts), and the hash of each typed
// document (`__meta__.hash`) for clients that send `documentId` or an APQ hash.
const SCALARS = { DateTime: 'string' };
generates['gql/'] = {
  schema: 'schema/api-schema.graphql',
  documents: ['test/operations/*.graphql'],
  preset: 'client',
  presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
  config: { useTypeImports: true, enumsAsTypes: true, strictScalars: true, scalars: SCALARS },
};
// The closed code sets (no field has these types: `code` stays String! so a new code is not a
// breaking change), as values and types: `ErrorCode.UNAUTHENTICATED`, `UserErrorCode`.
generates['gql/codes.ts'] = {
  schema: 'schema/api-schema.graphql',
  plugins: [
    {
      add: {
        content:
          "// The graph's closed error code sets (ErrorCode, UserErrorCode) as values and types.",
      },
    },
    'typescript',
  ],
  config: {
    onlyEnums: true,
    enumsAsConst: true,
    namingConvention: { enumValues: 'keep' },
    strictScalars: true,
    scalars: SCALARS,
  },
};

const config: CodegenConfig = {
  overwrite: true,
  emitLegacyCommonJSImports: false,
  generates,
  hooks: { afterAllFileWrite: ['prettier --write'] },
};
export default config;
