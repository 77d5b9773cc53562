// In-process composition with @apollo/composition (no rover binary, works offline).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { defaultSubgraphUrl, SUBGRAPHS } from './subgraphs.js';

export interface ComposedGraph {
  supergraphSdl: string;
  apiSchemaSdl: string;
}

export interface CompositionFailure {
  errors: Array<{ code: string; message: string }>;
}

/** Composes SDLs given by subgraph name (defaults: the files in the repository). */
export function composeSubgraphs(
  root: string,
  override: Partial<Record<string, string>> = {},
): ComposedGraph | CompositionFailure {
  const services = SUBGRAPHS.map((s) => ({
    name: s.name,
    url: defaultSubgraphUrl(s),
    typeDefs: parse(override[s.name] ?? readFileSync(join(root, s.schemaPath), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    return {
      errors: result.errors.map((e) => ({
        code: String(e.extensions?.code ?? 'COMPOSITION_ERROR'),
        message: e.message,
      })),
    };
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()) + '\n',
  };
}

export const SUPERGRAPH_PATH = 'schema/supergraph.graphql';
export const API_SCHEMA_PATH = 'schema/api-schema.graphql';
