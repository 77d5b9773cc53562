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

export type SubgraphSdls = Partial<Record<string, string>>;

/**
 * Composes the SDLs given by subgraph name. Subgraphs without an SDL are left out, so an older
 * revision that predates a subgraph still composes (the schema check relies on that).
 */
export function composeSdls(sdls: SubgraphSdls): ComposedGraph | CompositionFailure {
  try {
    const services = SUBGRAPHS.filter((s) => sdls[s.name] !== undefined).map((s) => ({
      name: s.name,
      url: defaultSubgraphUrl(s),
      typeDefs: parse(sdls[s.name]!),
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
      // @defer is declared as Apollo Router does: the gateway executes it (gateway/defer/).
      apiSchemaSdl:
        printSchema(result.schema.toAPISchema().toGraphQLJSSchema({ includeDefer: true })) + '\n',
    };
  } catch (err) {
    // parse() throws on SDL syntax errors before composition runs.
    return { errors: [{ code: 'INVALID_GRAPHQL', message: (err as Error).message }] };
  }
}

/** Composes the repository's subgraph schemas, with optional replacements by subgraph name. */
export function composeSubgraphs(
  root: string,
  override: SubgraphSdls = {},
): ComposedGraph | CompositionFailure {
  const sdls: SubgraphSdls = {};
  for (const s of SUBGRAPHS)
    sdls[s.name] = override[s.name] ?? readFileSync(join(root, s.schemaPath), 'utf8');
  return composeSdls(sdls);
}

export const SUPERGRAPH_PATH = 'schema/supergraph.graphql';
export const API_SCHEMA_PATH = 'schema/api-schema.graphql';
