// The runtime budget: the Salesforce calls a request has actually made, summed over the subgraphs'
// reports as they arrive (SubgraphDataSource folds each subgraph's `upstreamCost` into the
// request's UpstreamCost), stop it at MAX_UPSTREAM_CALLS whatever the estimate said. Once the
// running total reaches the limit, no further subgraph fetch of the request's plan is sent: each
// one answers COST_LIMIT_EXCEEDED at its path instead (the data fetched so far still arrives).
// A fetch already in flight finishes, so a request can end above the limit by what its last
// wave of parallel fetches spent; the estimate (never below the calls made) bounds that wave.
import { GraphQLError } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from './engine.js';
import { ErrorCode } from '../lib/errors.js';
import type { GatewayContext } from './context.js';

export function runtimeCostError(made: number, limit: number, path?: Array<string | number>) {
  return new GraphQLError(
    `This request has made ${made} Salesforce API calls; the limit is ${limit}. The rest of it was not fetched.`,
    {
      path: path?.length ? path : undefined,
      extensions: { code: ErrorCode.COST_LIMIT_EXCEEDED, upstreamCalls: made, limit },
    },
  );
}

/** `source`, refusing to send a fetch for a request that has spent `maxCalls` calls. */
export function withCallBudget(
  source: GraphQLDataSource<GatewayContext>,
  maxCalls: number,
): GraphQLDataSource<GatewayContext> {
  return {
    process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
      const made = options.context?.cost?.total();
      if (made !== undefined && made >= maxCalls) {
        // The fetch's place in the response up to its first list, as the subgraph errors say.
        const raw =
          'pathInIncomingRequest' in options
            ? (options.pathInIncomingRequest as Array<string | number> | undefined)
            : undefined;
        const at = raw?.indexOf('@') ?? -1;
        throw runtimeCostError(made, maxCalls, raw && at >= 0 ? raw.slice(0, at) : raw);
      }
      return source.process(options);
    },
  };
}
