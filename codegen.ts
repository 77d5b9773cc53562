// graphql-codegen: resolver types per subgraph (federation: true, mappers to upstream models),
// and typed documents for the canonical operations from the composed API schema.
// Each subgraph lists its mappers in subgraphs/<name>/codegen-mappers.json (pure data).
import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SUBGRAPHS } from './schema/subgraphs.js';

const mappersOf = (name: string): Record<string, string> => {
  const file = `subgraphs/${name}/codegen-mappers.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};

const generates: CodegenConfig['generates'] = {};
for (const s of SUBGRAPHS) {
  generates[`subgraphs/${s.name}/__generated__/resolvers-types.ts`] = {
    schema: s.schemaPath,
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
generates['gql/'] = {
  schema: 'schema/api-schema.graphql',
  documents: ['test/operations/*.graphql'],
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
};

const config: CodegenConfig = {
  overwrite: true,
  emitLegacyCommonJSImports: false,
  generates,
  hooks: { afterAllFileWrite: ['prettier --write'] },
};
export default config;
