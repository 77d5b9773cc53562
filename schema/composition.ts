// In-process composition with @apollo/composition (no rover binary, works offline).
import { composeServices } from '@apollo/composition';
import { printSchema } from 'graphql';
import {
  readFrom,
  REPOSITORY_ROOT,
  sdlErrorMessage,
  subgraphDocumentOf,
} from '../lib/graphql/subgraph-sdl.js';
import { COMMON_SCHEMA_PATH, defaultSubgraphUrl, SUBGRAPHS } from './subgraphs.js';

export interface ComposedGraph {
  supergraphSdl: string;
  apiSchemaSdl: string;
}

export interface CompositionFailure {
  errors: Array<{ code: string; message: string }>;
}

/** Each subgraph's own SDL (its schemaPath file) by subgraph name. */
export type SubgraphSdls = Partial<Record<string, string>>;

/**
 * Composes the SDLs given by subgraph name, each with the graph's common types added as every
 * subgraph server adds them (lib/graphql/subgraph-sdl.ts). Subgraphs without an SDL are left
 * out, so an older revision that predates a subgraph still composes (the schema check relies on
 * that). `commonSdl` defaults to this checkout's lib/graphql/common.graphql.
 */
export function composeSdls(
  sdls: SubgraphSdls,
  commonSdl = readFrom(REPOSITORY_ROOT)(COMMON_SCHEMA_PATH),
): ComposedGraph | CompositionFailure {
  try {
    const services = SUBGRAPHS.filter((s) => sdls[s.name] !== undefined).map((s) => ({
      name: s.name,
      url: defaultSubgraphUrl(s),
      typeDefs: subgraphDocumentOf(s, (path) =>
        path === COMMON_SCHEMA_PATH ? commonSdl : sdls[s.name]!,
      ),
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
    // parse() throws on SDL syntax errors before composition runs: name the file and line.
    return { errors: [{ code: 'INVALID_GRAPHQL', message: sdlErrorMessage(err) }] };
  }
}

/** Composes the repository's subgraph schemas, with optional replacements by subgraph name. */
export function composeSubgraphs(
  root: string,
  override: SubgraphSdls = {},
): ComposedGraph | CompositionFailure {
  const read = readFrom(root);
  const sdls: SubgraphSdls = {};
  for (const s of SUBGRAPHS) sdls[s.name] = override[s.name] ?? read(s.schemaPath);
  return composeSdls(sdls, read(COMMON_SCHEMA_PATH));
}

export const SUPERGRAPH_PATH = 'schema/supergraph.graphql';
export const API_SCHEMA_PATH = 'schema/api-schema.graphql';
