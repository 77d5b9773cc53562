// Composition of whichever subgraph SDLs a side of the check has. With all of them it is exactly
// schema/composition.ts; a base that predates some subgraphs composes the ones it had.
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import {
  composeSubgraphs,
  type ComposedGraph,
  type CompositionFailure,
} from '../../schema/composition.js';
import { defaultSubgraphUrl, SUBGRAPHS } from '../../schema/subgraphs.js';

export type SubgraphSdls = Partial<Record<string, string>>;

export function composeSdls(sdls: SubgraphSdls): ComposedGraph | CompositionFailure {
  const present = SUBGRAPHS.filter((s) => sdls[s.name] !== undefined);
  try {
    if (present.length === SUBGRAPHS.length) return composeSubgraphs('.', sdls);
    const result = composeServices(
      present.map((s) => ({
        name: s.name,
        url: defaultSubgraphUrl(s),
        typeDefs: parse(sdls[s.name]!),
      })),
    );
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
  } catch (err) {
    // parse() throws on SDL syntax errors before composition runs.
    return { errors: [{ code: 'INVALID_GRAPHQL', message: (err as Error).message }] };
  }
}
