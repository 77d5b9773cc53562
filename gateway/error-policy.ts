// What a client sees of an error, decided once per response after formatError:
// - A request refused before execution (parse or validation) with no data is HTTP 400.
// - Which subgraph failed (`serviceName`) and which Salesforce family (`upstream`) is internal
//   detail: sent only to a client that asked for the cost report (x-upstream-cost), never by
//   default, so a stranger learns nothing of the topology behind the graph.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';

const REQUEST_ERRORS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
]);
/** Extensions that only a client asking for the cost report sees. */
export const INTERNAL_EXTENSIONS: readonly string[] = ['serviceName', 'upstream'];

export const errorPolicyPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        const errors = result.errors;
        if (!errors?.length) return;
        if (
          result.data === undefined &&
          errors.every((e) => REQUEST_ERRORS.has(String(e.extensions?.code)))
        )
          response.http.status = 400;
        if (contextValue?.wantsCost) return;
        result.errors = errors.map((e) => {
          if (!e.extensions || !INTERNAL_EXTENSIONS.some((k) => k in e.extensions!)) return e;
          const extensions = { ...e.extensions };
          for (const k of INTERNAL_EXTENSIONS) delete extensions[k];
          return { ...e, extensions };
        });
      },
    };
  },
};
